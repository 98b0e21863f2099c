//! Keyfill core: Bitwarden-compatible crypto, vault, matching and search.
#![forbid(unsafe_code)]

pub mod matching;
pub mod search;
