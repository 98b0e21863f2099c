//! Bitwarden-compatible cryptography (docs/protocol.md §1–5). `enc_string` is the wire format only;
//! the primitives live in `symmetric`, `asymmetric`, `kdf` and `hash`, built on the RustCrypto
//! crates, and, where the project hand-writes one, in `hazmat` (read its header first).

pub mod asymmetric;
pub mod b64;
pub mod batch;
mod cbc;
pub mod derive;
pub mod enc_string;
pub mod hash;
mod hazmat;
pub mod kdf;
pub mod random;
pub mod symmetric;

pub use asymmetric::{PrivateKey, PublicKey};
pub use derive::{CoreKdf, DeriveKey};
pub use enc_string::EncString;
pub use kdf::{Kdf, MasterKey};
pub use symmetric::SymmetricKey;
