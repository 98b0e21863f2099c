//! Large texts from JS: the stored account is megabytes of JSON. wasm-bindgen copies a JS string
//! into wasm memory with a character loop written in JS, which measured 10 ms a megabyte in
//! Chromium; the browser's own `TextEncoder` writes the UTF-8 in a fraction of that, and bytes
//! cross as one copy. Callers may also hand the UTF-8 bytes themselves.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

use super::js_error;
use crate::error::Error;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TextEncoder)]
    type Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder")]
    fn encode(this: &Encoder, text: &JsString) -> Uint8Array;
}

/// A JS string or `Uint8Array` of UTF-8 as text; `what` names it in the error otherwise.
pub fn large_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    let bytes = if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        bytes.to_vec()
    } else if let Some(text) = value.dyn_ref::<JsString>() {
        Encoder::new().encode(text).to_vec()
    } else {
        return Err(js_error(Error::malformed(format!(
            "{what}: expected text or UTF-8 bytes"
        ))));
    };
    String::from_utf8(bytes).map_err(|_| js_error(Error::malformed(format!("{what}: not UTF-8"))))
}
