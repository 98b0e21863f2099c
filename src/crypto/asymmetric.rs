//! RSA-2048 OAEP (docs/protocol.md §4.5): PKCS#8 private keys, SPKI public keys, EncStrings 3–6,
//! by whichever implementation the platform has:
//!
//! - natively and under WASI: the `rsa` crate (`rust_rsa.rs`);
//! - in the browser's wasm: the browser's WebCrypto (`web_crypto.rs`). The `rsa` crate, with `der`
//!   and `num-bigint-dig`, was about 48 KB of the gzipped wasm, for what the browser has built in
//!   (and runs in constant time in native code).
//!
//! WebCrypto only answers through promises, so this API is async on every platform. Natively the
//! futures are ready at once: [`ready`] runs them for the synchronous callers (the CLI, tests).
//! Both are checked against the same vectors (`selftest`, Python's `cryptography` in
//! tests/interop_python.rs).

use zeroize::Zeroizing;

use super::enc_string::EncString;
use super::symmetric::SymmetricKey;
use crate::error::{Error, Result};

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod rust_rsa;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
use rust_rsa as imp;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) mod web_crypto;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
use web_crypto as imp;

/// The hash of an OAEP padding (its MGF1 uses the same one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OaepHash {
    Sha1,
    Sha256,
}

// What each failure is, on either platform (a failed decryption stays `DecryptFailed`).
fn not_pkcs8() -> Error {
    Error::malformed("private key is not PKCS#8 RSA")
}

fn not_spki() -> Error {
    Error::malformed("public key is not SPKI RSA")
}

fn too_long() -> Error {
    Error::malformed("plaintext too long for RSA-OAEP")
}

fn keygen_failed() -> Error {
    Error::Platform("RSA key generation failed".into())
}

/// An RSA private key (PKCS#8); wiped on drop. `Debug` shows only the type.
pub struct PrivateKey(imp::Private);

/// An RSA public key (SPKI).
pub struct PublicKey(imp::Public);

impl PrivateKey {
    /// Reads (and checks) a PKCS#8 RSA private key.
    pub async fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        imp::Private::from_pkcs8_der(der).await.map(PrivateKey)
    }

    /// A new RSA-2048 key pair (public exponent 65537), for a new local vault or account.
    pub async fn generate() -> Result<(PrivateKey, PublicKey)> {
        let (private, public) = imp::generate().await?;
        Ok((PrivateKey(private), PublicKey(public)))
    }

    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.0.to_pkcs8_der()
    }

    /// Decrypts types 3–6; the MAC of the deprecated types 5/6 is ignored, as the SDK does.
    pub async fn decrypt(&self, enc: &EncString) -> Result<Zeroizing<Vec<u8>>> {
        let (hash, data) = match enc {
            EncString::RsaOaepSha256 { data } | EncString::RsaOaepSha256Hmac { data, .. } => {
                (OaepHash::Sha256, data)
            }
            EncString::RsaOaepSha1 { data } | EncString::RsaOaepSha1Hmac { data, .. } => {
                (OaepHash::Sha1, data)
            }
            other => {
                return Err(Error::WrongKeyType(format!(
                    "type {} is not RSA data",
                    other.type_number()
                )))
            }
        };
        self.0.decrypt(hash, data).await
    }

    /// Unwraps a shared symmetric key (organization key): 64 bytes or refused (§5.4).
    pub async fn decrypt_key(&self, enc: &EncString) -> Result<SymmetricKey> {
        SymmetricKey::from_mac_key_bytes(&self.decrypt(enc).await?, "organization key")
    }
}

impl PublicKey {
    /// Reads (and checks) an SPKI RSA public key.
    pub async fn from_spki_der(der: &[u8]) -> Result<Self> {
        imp::Public::from_spki_der(der).await.map(PublicKey)
    }

    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        self.0.to_spki_der()
    }

    /// Encrypts as type 4 (OAEP-SHA1), what clients write when sharing keys.
    pub async fn encrypt(&self, plaintext: &[u8]) -> Result<EncString> {
        self.0
            .encrypt_sha1(plaintext)
            .await
            .map(|data| EncString::RsaOaepSha1 { data })
    }

    /// Wraps a symmetric key for the holder of the matching private key.
    pub async fn encrypt_key(&self, key: &SymmetricKey) -> Result<EncString> {
        self.encrypt(&key.to_bytes()).await
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

/// The result of an RSA future outside the browser, where nothing in it waits: RSA there is
/// synchronous code. A future that would wait is an error, never a hang.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub fn ready<T>(fut: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    use std::task::{Context, Poll, Waker};
    let mut fut = std::pin::pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => Err(Error::Platform("an RSA operation did not finish".into())),
    }
}
