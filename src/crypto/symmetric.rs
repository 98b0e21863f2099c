//! Symmetric keys and AES-256-CBC(+HMAC-SHA256) (docs/protocol.md §4.2–4.3).
//!
//! Guards from the official clients: a 64-byte key decrypts only type 2 (no downgrade to MAC-less
//! CBC), a 32-byte key only type 0. The MAC is checked in constant time before any decryption.

use aes::cipher::KeyInit;
use zeroize::{Zeroize, Zeroizing};

use super::cbc;
use super::enc_string::EncString;
use super::hazmat::mac::{self, MacKey};
use super::random;
use crate::error::{Error, Result};

/// An EncString's iv, data and MAC (none for type 0).
pub(super) type Parts<'e> = (&'e [u8; 16], &'e [u8], Option<&'e [u8; 32]>);

/// A symmetric key: 32 bytes (legacy, AES only) or 64 bytes (`enc ‖ mac`). Boxed so moves do not
/// leave copies behind; wiped on drop. The AES key schedule and the keyed HMAC states are computed
/// once, as unlock decrypts tens of thousands of short strings with the same key; both are wiped
/// on drop too.
pub struct SymmetricKey {
    bytes: Box<[u8; 64]>,
    has_mac: bool,
    aes: Box<aes::Aes256>,
    mac: Box<MacKey>,
}

impl SymmetricKey {
    /// Interprets decrypted key bytes by length, as the SDK does (§5.2).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut buf = Box::new([0u8; 64]);
        match bytes.len() {
            32 => {
                buf[..32].copy_from_slice(bytes);
                Ok(Self::prepared(buf, false))
            }
            64 => {
                buf.copy_from_slice(bytes);
                Ok(Self::prepared(buf, true))
            }
            n if n > 64 => Err(Error::Unsupported(
                "account encryption version 2 (COSE keys)".into(),
            )),
            n => Err(Error::malformed(format!("a key of {n} bytes"))),
        }
    }

    /// A key that must be AES-256-CBC-HMAC (user and org keys, docs/protocol.md §5): 64 bytes
    /// or `Error::KeyRejected`. A 32-byte key would decrypt without any MAC check, so a server
    /// holding it could alter data unseen.
    pub fn from_mac_key_bytes(bytes: &[u8], what: &str) -> Result<Self> {
        if bytes.len() != 64 {
            return Err(Error::KeyRejected(format!(
                "the {what} is {} bytes, not a 64-byte AES-256-CBC-HMAC key",
                bytes.len()
            )));
        }
        Self::from_bytes(bytes)
    }

    pub fn from_enc_mac(enc: &[u8; 32], mac: &[u8; 32]) -> Self {
        let mut buf = Box::new([0u8; 64]);
        buf[..32].copy_from_slice(enc);
        buf[32..].copy_from_slice(mac);
        Self::prepared(buf, true)
    }

    fn prepared(bytes: Box<[u8; 64]>, has_mac: bool) -> Self {
        let enc_key: &[u8; 32] = bytes[..32].try_into().expect("64 bytes");
        let aes = Box::new(aes::Aes256::new(enc_key.into()));
        let mac_key: &[u8; 32] = bytes[32..].try_into().expect("64 bytes");
        let mac = Box::new(MacKey::new(mac_key));
        SymmetricKey {
            bytes,
            has_mac,
            aes,
            mac,
        }
    }

    /// A fresh random 64-byte key (user keys, per-cipher keys, export keys).
    pub fn generate() -> Result<Self> {
        let mut buf = Box::new([0u8; 64]);
        random::fill(&mut buf[..])?;
        Ok(Self::prepared(buf, true))
    }

    pub fn has_mac(&self) -> bool {
        self.has_mac
    }

    /// The raw key bytes, only to wrap this key under another one. Never leaves the core.
    pub(crate) fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let n = if self.has_mac { 64 } else { 32 };
        Zeroizing::new(self.bytes[..n].to_vec())
    }

    /// Encrypts as type 2. A 32-byte legacy key cannot write (type 0 is never produced).
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<EncString> {
        self.encrypt_with_iv(plaintext, random::array()?)
    }

    pub(crate) fn encrypt_with_iv(&self, plaintext: &[u8], iv: [u8; 16]) -> Result<EncString> {
        if !self.has_mac {
            return Err(Error::WrongKeyType(
                "a legacy 32-byte key is only for reading old data".into(),
            ));
        }
        let data = cbc::encrypt(&self.aes, &iv, plaintext);
        let mac = self.mac.tag(&iv, &data);
        Ok(EncString::AesCbc256Hmac { iv, data, mac })
    }

    /// Type 0 (no MAC), which Keyfill never writes: only tests make such strings.
    #[cfg(test)]
    pub(crate) fn encrypt_legacy_for_tests(&self, plaintext: &[u8], iv: [u8; 16]) -> EncString {
        let data = cbc::encrypt(&self.aes, &iv, plaintext);
        EncString::AesCbc256 { iv, data }
    }

    pub fn encrypt_str(&self, plaintext: &str) -> Result<EncString> {
        self.encrypt(plaintext.as_bytes())
    }

    /// Decrypts a symmetric EncString. Wrong key or tampering gives `DecryptFailed`.
    pub fn decrypt(&self, enc: &EncString) -> Result<Zeroizing<Vec<u8>>> {
        let (iv, data, mac) = self.admit(enc)?;
        if let Some(mac) = mac {
            if !mac::tags_match(&self.mac.tag(iv, data), mac) {
                return Err(Error::DecryptFailed);
            }
        }
        self.cbc_decrypt(iv, data)
    }

    /// The iv, data and MAC of what this key may open, or why it refuses to.
    pub(super) fn admit<'e>(&self, enc: &'e EncString) -> Result<Parts<'e>> {
        match (enc, self.has_mac) {
            (EncString::AesCbc256Hmac { iv, data, mac }, true) => Ok((iv, data, Some(mac))),
            (EncString::AesCbc256 { iv, data }, false) => Ok((iv, data, None)),
            (EncString::AesCbc256 { .. }, true) => Err(Error::WrongKeyType(
                "MAC-less data (type 0) offered to a key with a MAC".into(),
            )),
            (EncString::AesCbc256Hmac { .. }, false) => Err(Error::WrongKeyType(
                "authenticated data (type 2) offered to a legacy 32-byte key".into(),
            )),
            (EncString::Cose { .. }, _) => Err(Error::Unsupported(
                "account encryption version 2 (type 7 EncString)".into(),
            )),
            (other, _) => Err(Error::WrongKeyType(format!(
                "type {} needs a private key",
                other.type_number()
            ))),
        }
    }

    pub(super) fn mac_key(&self) -> &MacKey {
        &self.mac
    }

    pub(super) fn aes(&self) -> &aes::Aes256 {
        &self.aes
    }

    /// The AES half of the key, for the bitsliced AES that builds its own round keys.
    pub(super) fn enc_key(&self) -> &[u8; 32] {
        self.bytes[..32].try_into().expect("64 bytes")
    }

    /// AES-256-CBC decryption of data whose MAC (if any) has passed. A padding failure (reached
    /// only after the MAC passed, or for legacy type 0) is how a wrong key shows.
    pub(super) fn cbc_decrypt(&self, iv: &[u8; 16], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        cbc::decrypt(&self.aes, iv, data)
    }

    pub fn decrypt_string(&self, enc: &EncString) -> Result<String> {
        into_text(self.decrypt(enc)?)
    }
}

/// Decrypted bytes as text; bytes that are not UTF-8 are wiped before the error.
pub(super) fn into_text(mut bytes: Zeroizing<Vec<u8>>) -> Result<String> {
    String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| {
        e.into_bytes().zeroize();
        Error::malformed("decrypted text is not UTF-8")
    })
}

impl Drop for SymmetricKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SymmetricKey {
        let b: Vec<u8> = (0u8..64).collect();
        SymmetricKey::from_bytes(&b).unwrap()
    }

    #[test]
    fn round_trip() {
        let k = key();
        let e = k.encrypt_str("héllo").unwrap();
        assert_eq!(k.decrypt_string(&e).unwrap(), "héllo");
    }

    #[test]
    fn debug_hides_bytes() {
        assert_eq!(format!("{:?}", key()), "SymmetricKey");
    }

    #[test]
    fn legacy_key_cannot_encrypt() {
        let k = SymmetricKey::from_bytes(&[7u8; 32]).unwrap();
        assert!(matches!(k.encrypt(b"x"), Err(Error::WrongKeyType(_))));
    }
}
