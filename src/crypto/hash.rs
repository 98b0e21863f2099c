//! Master password hashes (docs/protocol.md §3): PBKDF2-SHA256 with the master key as the password
//! and the master password as the salt; 1 iteration for the server, 2 for local checks.

use super::b64;
use super::kdf::MasterKey;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashPurpose {
    ServerAuthorization = 1,
    LocalAuthorization = 2,
}

/// Base64 of the hash. Sent to the server (server purpose) or stored (local purpose).
pub fn master_password_hash(key: &MasterKey, password: &str, purpose: HashPurpose) -> String {
    let mut out = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
        key.bytes(),
        password.as_bytes(),
        purpose as u32,
        &mut out[..],
    );
    b64::encode(&out[..])
}

/// Checks a password against a stored local hash in constant time.
pub fn verify_local_hash(key: &MasterKey, password: &str, stored_b64: &str) -> bool {
    let ours = master_password_hash(key, password, HashPurpose::LocalAuthorization);
    ours.as_bytes().ct_eq(stored_b64.as_bytes()).into()
}
