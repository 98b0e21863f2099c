//! RSA in the browser's wasm: WebCrypto's RSA-OAEP. The private key stays PKCS#8 bytes here (wiped
//! on drop) and is imported, not extractable, for each use: WebCrypto binds the OAEP hash to the
//! imported key, and an unlock opens only a few keys. Every JS copy of key bytes or plaintext is
//! overwritten once read.

use js_sys::{Array, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, CryptoKeyPair, RsaOaepParams, SubtleCrypto};
use zeroize::Zeroizing;

use super::{keygen_failed, not_pkcs8, not_spki, too_long, OaepHash};
use crate::error::{Error, Result};

#[wasm_bindgen]
extern "C" {
    /// The global `crypto` (the worker's, or Node's in the tests).
    #[wasm_bindgen(thread_local_v2, js_name = crypto)]
    static CRYPTO: Crypto;

    /// The RSA-OAEP algorithm dictionary for importKey and generateKey (RsaHashedImportParams,
    /// RsaHashedKeyGenParams): web-sys's binding of the first has no `name`, and the second has
    /// none at all.
    #[wasm_bindgen(extends = Object)]
    type RsaOaepAlgorithm;
    #[wasm_bindgen(method, setter = name)]
    fn set_name(this: &RsaOaepAlgorithm, value: &str);
    #[wasm_bindgen(method, setter = hash)]
    fn set_hash(this: &RsaOaepAlgorithm, value: &str);
    #[wasm_bindgen(method, setter = modulusLength)]
    fn set_modulus_length(this: &RsaOaepAlgorithm, value: u32);
    #[wasm_bindgen(method, setter = publicExponent)]
    fn set_public_exponent(this: &RsaOaepAlgorithm, value: &Uint8Array);
}

/// The browser's SubtleCrypto.
pub(crate) fn subtle() -> SubtleCrypto {
    CRYPTO.with(Crypto::subtle)
}

fn algorithm(hash: OaepHash) -> RsaOaepAlgorithm {
    let a: RsaOaepAlgorithm = Object::new().unchecked_into();
    a.set_name("RSA-OAEP");
    a.set_hash(match hash {
        OaepHash::Sha1 => "SHA-1",
        OaepHash::Sha256 => "SHA-256",
    });
    a
}

/// The promise's value; any rejection (or a throw before it) is `err`.
async fn awaited(
    promise: std::result::Result<Promise, JsValue>,
    err: fn() -> Error,
) -> Result<JsValue> {
    JsFuture::from(promise.map_err(|_| err())?)
        .await
        .map_err(|_| err())
}

/// The bytes of an ArrayBuffer result, its JS copy then overwritten.
fn take_bytes(buffer: &JsValue) -> Zeroizing<Vec<u8>> {
    let view = Uint8Array::new(buffer);
    let out = Zeroizing::new(view.to_vec());
    view.fill(0, 0, view.length());
    out
}

async fn import(
    format: &str,
    der: &[u8],
    hash: OaepHash,
    usage: &str,
    err: fn() -> Error,
) -> Result<CryptoKey> {
    let data = Uint8Array::from(der);
    // importKey copies the bytes before it returns (WebCrypto: "get a copy of the bytes").
    let promise = subtle().import_key_with_object(
        format,
        &data,
        &algorithm(hash),
        false,
        &Array::of1(&usage.into()),
    );
    data.fill(0, 0, data.length());
    Ok(awaited(promise, err).await?.unchecked_into())
}

fn oaep() -> RsaOaepParams {
    RsaOaepParams::new("RSA-OAEP")
}

pub struct Private(Zeroizing<Vec<u8>>);

pub struct Public(Vec<u8>);

pub async fn generate() -> Result<(Private, Public)> {
    let params = algorithm(OaepHash::Sha1);
    params.set_modulus_length(2048);
    params.set_public_exponent(&Uint8Array::from(&[1u8, 0, 1][..]));
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let pair: CryptoKeyPair = awaited(
        subtle().generate_key_with_object(&params, true, &usages),
        keygen_failed,
    )
    .await?
    .unchecked_into();
    let pkcs8 = awaited(
        subtle().export_key("pkcs8", &pair.get_private_key()),
        keygen_failed,
    )
    .await?;
    let spki = awaited(
        subtle().export_key("spki", &pair.get_public_key()),
        keygen_failed,
    )
    .await?;
    Ok((
        Private(take_bytes(&pkcs8)),
        Public(take_bytes(&spki).to_vec()),
    ))
}

impl Private {
    pub async fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        import("pkcs8", der, OaepHash::Sha1, "decrypt", not_pkcs8).await?;
        Ok(Private(Zeroizing::new(der.to_vec())))
    }

    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        Ok(self.0.clone())
    }

    pub async fn decrypt(&self, hash: OaepHash, data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let key = import("pkcs8", &self.0, hash, "decrypt", || Error::DecryptFailed).await?;
        let out = awaited(
            subtle().decrypt_with_object_and_u8_array(&oaep(), &key, data),
            || Error::DecryptFailed,
        )
        .await?;
        Ok(take_bytes(&out))
    }
}

impl Public {
    pub async fn from_spki_der(der: &[u8]) -> Result<Self> {
        import("spki", der, OaepHash::Sha1, "encrypt", not_spki).await?;
        Ok(Public(der.to_vec()))
    }

    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        Ok(self.0.clone())
    }

    pub async fn encrypt_sha1(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let key = import("spki", &self.0, OaepHash::Sha1, "encrypt", not_spki).await?;
        let out = awaited(
            subtle().encrypt_with_object_and_u8_array(&oaep(), &key, plaintext),
            too_long,
        )
        .await?;
        Ok(take_bytes(&out).to_vec())
    }
}
