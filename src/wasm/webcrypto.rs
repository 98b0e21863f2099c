//! PBKDF2 through the browser's `crypto.subtle.deriveBits`: native code, several times faster
//! than the core's PBKDF2 compiled to wasm (see docs/architecture.md). Only the 32-byte output
//! crosses back, and the JS copies of the password and the output are overwritten.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, Pbkdf2Params, SubtleCrypto};

use crate::crypto::asymmetric::web_crypto::subtle;
use crate::crypto::derive::PlatformPbkdf2;
use crate::error::{Error, Result};

/// The browser's PBKDF2-HMAC-SHA256.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubtlePbkdf2;

fn refused(_: JsValue) -> Error {
    Error::Platform("the browser's PBKDF2 failed".into())
}

impl PlatformPbkdf2 for SubtlePbkdf2 {
    async fn pbkdf2_sha256(
        &self,
        password: &[u8],
        salt: &[u8],
        iterations: u32,
    ) -> Result<[u8; 32]> {
        let subtle: SubtleCrypto = subtle();
        let pw = Uint8Array::from(password);
        let usages = Array::of1(&"deriveBits".into());
        let import = subtle.import_key_with_str("raw", &pw, "PBKDF2", false, &usages);
        pw.fill(0, 0, pw.length());
        let key: CryptoKey = JsFuture::from(import.map_err(refused)?)
            .await
            .map_err(refused)?
            .unchecked_into();
        let params = Pbkdf2Params::new(
            "PBKDF2",
            &"SHA-256".into(),
            iterations,
            &Uint8Array::from(salt),
        );
        let bits: Promise = subtle
            .derive_bits_with_object(&params, &key, 256)
            .map_err(refused)?;
        let buffer = JsFuture::from(bits).await.map_err(refused)?;
        let view = Uint8Array::new(&buffer);
        if view.length() != 32 {
            return Err(Error::Platform("PBKDF2 gave the wrong length".into()));
        }
        let mut out = [0u8; 32];
        view.copy_to(&mut out);
        view.fill(0, 0, 32);
        Ok(out)
    }
}
