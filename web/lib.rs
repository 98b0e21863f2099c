//! The browser build of Keyfill: links the core, whose `#[wasm_bindgen]` exports (src/wasm.rs)
//! become this wasm's. See Cargo.toml beside this file for why it is a crate of its own.

pub use keyfill;
