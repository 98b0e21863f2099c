//! RSA-2048 OAEP (docs/protocol.md §4.5): PKCS#8 private keys, SPKI public keys, EncStrings 3–6.

use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use zeroize::Zeroizing;

use super::enc_string::EncString;
use super::symmetric::SymmetricKey;
use crate::error::{Error, Result};

/// An RSA private key; the `rsa` crate wipes it on drop. `Debug` shows only the type.
pub struct PrivateKey(RsaPrivateKey);

pub struct PublicKey(RsaPublicKey);

impl PrivateKey {
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        RsaPrivateKey::from_pkcs8_der(der)
            .map(PrivateKey)
            .map_err(|_| Error::malformed("private key is not PKCS#8 RSA"))
    }

    /// A new RSA-2048 key pair, for a new local vault or account.
    pub fn generate() -> Result<Self> {
        RsaPrivateKey::new(&mut rand_core::OsRng, 2048)
            .map(PrivateKey)
            .map_err(|_| Error::Platform("RSA key generation failed".into()))
    }

    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.0
            .to_pkcs8_der()
            .map(|d| Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|_| Error::Platform("could not encode the private key".into()))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }

    /// Decrypts types 3–6; the MAC of the deprecated types 5/6 is ignored, as the SDK does.
    pub fn decrypt(&self, enc: &EncString) -> Result<Zeroizing<Vec<u8>>> {
        let result = match enc {
            EncString::RsaOaepSha256 { data } | EncString::RsaOaepSha256Hmac { data, .. } => {
                self.0.decrypt(Oaep::new::<sha2::Sha256>(), data)
            }
            EncString::RsaOaepSha1 { data } | EncString::RsaOaepSha1Hmac { data, .. } => {
                self.0.decrypt(Oaep::new::<sha1::Sha1>(), data)
            }
            other => {
                return Err(Error::WrongKeyType(format!(
                    "type {} is not RSA data",
                    other.type_number()
                )))
            }
        };
        result.map(Zeroizing::new).map_err(|_| Error::DecryptFailed)
    }

    /// Unwraps a shared symmetric key (organization key): 64 bytes or refused (§5.4).
    pub fn decrypt_key(&self, enc: &EncString) -> Result<SymmetricKey> {
        SymmetricKey::from_mac_key_bytes(&self.decrypt(enc)?, "organization key")
    }
}

impl PublicKey {
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        RsaPublicKey::from_public_key_der(der)
            .map(PublicKey)
            .map_err(|_| Error::malformed("public key is not SPKI RSA"))
    }

    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        self.0
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|_| Error::Platform("could not encode the public key".into()))
    }

    /// Encrypts as type 4 (OAEP-SHA1), what clients write when sharing keys.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<EncString> {
        self.0
            .encrypt(&mut rand_core::OsRng, Oaep::new::<sha1::Sha1>(), plaintext)
            .map(|data| EncString::RsaOaepSha1 { data })
            .map_err(|_| Error::malformed("plaintext too long for RSA-OAEP"))
    }

    /// Wraps a symmetric key for the holder of the matching private key.
    pub fn encrypt_key(&self, key: &SymmetricKey) -> Result<EncString> {
        self.encrypt(&key.to_bytes())
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey")
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicKey")
    }
}
