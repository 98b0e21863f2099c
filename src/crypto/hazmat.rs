//! Hand-written primitives: the most dangerous code in the project. Each replaces a well-kept
//! crate for speed in wasm (no AES or SHA instructions there) or to wipe its state, and must give
//! exactly that crate's answers; a wrong bit here breaks every vault or leaks a key, and no other
//! test would notice before users do.
//!
//! Review rules: no change without its reference test (named in each file's header) green both
//! natively and in wasm with SIMD, the way the extension runs it:
//!
//! ```text
//! cargo test --lib crypto::hazmat
//! CARGO_TARGET_WASM32_WASIP1_RUNNER="node scripts/wasi-run.mjs" \
//!   cargo test --release --target wasm32-wasip1 --lib crypto::hazmat
//! ```
//!
//! and no change in speed without the figures of `cargo run --release --example prof_crypto`
//! before and after. Nothing outside `crypto` sees these modules.
//!
//! - `aes_x8`: bitsliced AES-256 decryption of eight blocks; must equal the `aes` crate.
//! - `sha256_x4`: four SHA-256 compressions in SIMD lanes; must equal the `sha2` crate.
//! - `mac`: HMAC-SHA256 from pre-keyed states, four messages at a time in wasm; must equal the
//!   `hmac` crate.
//! - `b64_simd`: base64 decoding sixteen characters at a time (wasm only); must equal the
//!   `base64` crate with the lenient settings of `crypto::b64`.

// Natively too under test, so its logic is checked on every `cargo test`, not only in wasm.
#[cfg(any(test, all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) mod aes_x8;
// Only wasm has the SIMD intrinsics it is written in; natively `crypto::b64` uses the crate.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(super) mod b64_simd;
pub(super) mod mac;
pub(super) mod sha256_x4;
