//! RSA natively and under WASI: the `rsa` crate (which wipes its private keys on drop). The
//! functions are async only to share the browser's signatures; nothing in them waits.

use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use zeroize::Zeroizing;

use super::{keygen_failed, not_pkcs8, not_spki, too_long, OaepHash};
use crate::error::{Error, Result};

pub struct Private(RsaPrivateKey);

pub struct Public(RsaPublicKey);

pub async fn generate() -> Result<(Private, Public)> {
    let private = RsaPrivateKey::new(&mut rand_core::OsRng, 2048).map_err(|_| keygen_failed())?;
    let public = private.to_public_key();
    Ok((Private(private), Public(public)))
}

fn oaep(hash: OaepHash) -> Oaep {
    match hash {
        OaepHash::Sha1 => Oaep::new::<sha1::Sha1>(),
        OaepHash::Sha256 => Oaep::new::<sha2::Sha256>(),
    }
}

impl Private {
    pub async fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        RsaPrivateKey::from_pkcs8_der(der)
            .map(Private)
            .map_err(|_| not_pkcs8())
    }

    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.0
            .to_pkcs8_der()
            .map(|d| Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|_| Error::Platform("could not encode the private key".into()))
    }

    pub async fn decrypt(&self, hash: OaepHash, data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        self.0
            .decrypt(oaep(hash), data)
            .map(Zeroizing::new)
            .map_err(|_| Error::DecryptFailed)
    }
}

impl Public {
    pub async fn from_spki_der(der: &[u8]) -> Result<Self> {
        RsaPublicKey::from_public_key_der(der)
            .map(Public)
            .map_err(|_| not_spki())
    }

    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        self.0
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|_| Error::Platform("could not encode the public key".into()))
    }

    pub async fn encrypt_sha1(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        self.0
            .encrypt(&mut rand_core::OsRng, oaep(OaepHash::Sha1), plaintext)
            .map_err(|_| too_long())
    }
}
