//! Keyfill core: Bitwarden-compatible crypto, vault, matching and search.
#![forbid(unsafe_code)]
// The library reports through its errors, never to the console, and does not panic on a
// missing value (an `expect` states the invariant that rules it out). Tests may do either.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)
)]

pub mod api;
pub mod app;
pub mod crypto;
pub mod error;
pub mod fill;
pub mod generator;
pub mod idn;
pub mod inline_menu;
pub mod keys;
pub mod matching;
pub mod save_prompt;
pub mod search;
#[cfg(any(
    feature = "selftest",
    not(all(target_arch = "wasm32", target_os = "unknown"))
))]
pub mod selftest;
pub mod server_json;
pub mod session;
pub mod strength;
pub mod totp;
pub mod vault;

pub use app::Keyfill;
pub use error::{Error, Result};

/// The browser's binding; WASI (the wasm benchmarks and unit tests) has no browser to bind to.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod wasm;
