//! Bitwarden-compatible cryptography (PROTOCOL.md §1–5). `enc_string` is the wire format only;
//! the primitives live in `symmetric`, `asymmetric`, `kdf` and `hash`.

#[cfg(any(test, all(target_arch = "wasm32", target_feature = "simd128")))]
mod aes_x8;
pub mod asymmetric;
pub mod b64;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod b64_simd;
pub mod batch;
mod cbc;
pub mod enc_string;
pub mod hash;
pub mod kdf;
mod mac;
pub mod random;
mod sha256_x4;
pub mod symmetric;

pub use asymmetric::{PrivateKey, PublicKey};
pub use enc_string::EncString;
pub use kdf::{Kdf, MasterKey};
pub use symmetric::SymmetricKey;
