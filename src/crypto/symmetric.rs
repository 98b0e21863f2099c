//! Symmetric keys and AES-256-CBC(+HMAC-SHA256) (PROTOCOL.md §4.2–4.3).
//!
//! Guards from the official clients: a 64-byte key decrypts only type 2 (no downgrade to MAC-less
//! CBC), a 32-byte key only type 0. The MAC is checked in constant time before any decryption.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, InnerIvInit, KeyInit};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::enc_string::EncString;
use super::random;
use crate::error::{Error, Result};

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;
type HmacSha256 = Hmac<Sha256>;

/// A symmetric key: 32 bytes (legacy, AES only) or 64 bytes (`enc ‖ mac`). Boxed so moves do not
/// leave copies behind; wiped on drop. The AES key schedule and the keyed HMAC state are computed
/// once, as unlock decrypts tens of thousands of short strings with the same key.
/// (The AES schedule is wiped on drop; the HMAC pad state is not — in wasm, lock overwrites the
/// whole linear memory.)
pub struct SymmetricKey {
    bytes: Box<[u8; 64]>,
    has_mac: bool,
    aes: Box<aes::Aes256>,
    hmac: Box<HmacSha256>,
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

    pub fn from_enc_mac(enc: &[u8; 32], mac: &[u8; 32]) -> Self {
        let mut buf = Box::new([0u8; 64]);
        buf[..32].copy_from_slice(enc);
        buf[32..].copy_from_slice(mac);
        Self::prepared(buf, true)
    }

    fn prepared(bytes: Box<[u8; 64]>, has_mac: bool) -> Self {
        let aes = Box::new(aes::Aes256::new(bytes[..32].into()));
        let hmac =
            Box::new(<HmacSha256 as Mac>::new_from_slice(&bytes[32..]).expect("any key length"));
        SymmetricKey {
            bytes,
            has_mac,
            aes,
            hmac,
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

    fn mac(&self, iv: &[u8], data: &[u8]) -> HmacSha256 {
        let mut m = (*self.hmac).clone();
        m.update(iv);
        m.update(data);
        m
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
        let data = Aes256CbcEnc::inner_iv_init((*self.aes).clone(), &iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        let mac: [u8; 32] = self.mac(&iv, &data).finalize().into_bytes().into();
        Ok(EncString::AesCbc256Hmac { iv, data, mac })
    }

    pub fn encrypt_str(&self, plaintext: &str) -> Result<EncString> {
        self.encrypt(plaintext.as_bytes())
    }

    /// Decrypts a symmetric EncString. Wrong key or tampering gives `DecryptFailed`.
    pub fn decrypt(&self, enc: &EncString) -> Result<Zeroizing<Vec<u8>>> {
        match (enc, self.has_mac) {
            (EncString::AesCbc256Hmac { iv, data, mac }, true) => {
                let expected = self.mac(iv, data).finalize().into_bytes();
                if !bool::from(expected.as_slice().ct_eq(mac)) {
                    return Err(Error::DecryptFailed);
                }
                self.cbc_decrypt(iv, data)
            }
            (EncString::AesCbc256 { iv, data }, false) => self.cbc_decrypt(iv, data),
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

    pub fn decrypt_string(&self, enc: &EncString) -> Result<String> {
        let mut bytes = self.decrypt(enc)?;
        String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| {
            e.into_bytes().zeroize();
            Error::malformed("decrypted text is not UTF-8")
        })
    }

    fn cbc_decrypt(&self, iv: &[u8; 16], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Aes256CbcDec::inner_iv_init((*self.aes).clone(), iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data)
            .map(Zeroizing::new)
            // Reached only after the MAC passed (type 2) or for legacy type 0, where a padding
            // failure is how a wrong key shows.
            .map_err(|_| Error::DecryptFailed)
    }
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
