//! HTTP through the worker's `fetch` (host permissions let it reach the server without CORS): the
//! core's requests sent as they are, answers read whole.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestCache, RequestCredentials, RequestInit, Response};

use crate::api::{HttpRequest, HttpResponse, Transport};
use crate::error::{Error, Result};

const FETCH_TIMEOUT_MS: u32 = 30_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> std::result::Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = AbortSignal)]
    type AbortSignalClass;
    /// `AbortSignal.timeout`, caught: a browser without it sends without a deadline.
    #[wasm_bindgen(catch, static_method_of = AbortSignalClass, js_class = "AbortSignal", js_name = timeout)]
    fn abort_after(ms: u32) -> std::result::Result<AbortSignal, JsValue>;
}

/// HTTP through `fetch`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        // A TypeError anywhere: no answer at all (offline, refused, DNS, or a TLS failure, which
        // fetch does not tell apart).
        let unreachable = |_| Error::ServerUnreachable;
        let headers = Headers::new().map_err(unreachable)?;
        for (name, value) in &req.headers {
            headers.append(name, value).map_err(unreachable)?;
        }
        let init = RequestInit::new();
        init.set_method(req.method.as_str());
        init.set_headers(&headers);
        init.set_credentials(RequestCredentials::Omit);
        init.set_cache(RequestCache::NoStore);
        if let Some(body) = &req.body {
            init.set_body(&Uint8Array::from(body.as_slice()));
        }
        if let Ok(signal) = AbortSignalClass::abort_after(FETCH_TIMEOUT_MS) {
            init.set_signal(Some(&signal));
        }
        let promise = global_fetch(&req.url, &init).map_err(unreachable)?;
        let resp: Response = JsFuture::from(promise)
            .await
            .map_err(unreachable)?
            .unchecked_into();
        let content_type = resp.headers().get("content-type").ok().flatten();
        let buffer = JsFuture::from(resp.array_buffer().map_err(unreachable)?)
            .await
            .map_err(unreachable)?;
        Ok(HttpResponse {
            status: resp.status(),
            content_type,
            body: Uint8Array::new(&buffer).to_vec(),
        })
    }
}
