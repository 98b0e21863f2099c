//! Keyfill core: Bitwarden-compatible crypto, vault, matching and search.
#![forbid(unsafe_code)]

pub mod crypto;
pub mod error;
pub mod matching;
pub mod search;

pub use error::{Error, Result};
pub mod account;
pub mod vault;
pub mod wire;
pub mod totp;
pub mod selftest;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
