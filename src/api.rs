//! Talking to a Bitwarden-compatible server (docs/protocol.md §6): Vaultwarden, the official server
//! and Cozy. Requests are built and answers parsed here; the bytes travel through a `Transport`
//! the platform provides (the extension's worker with `fetch`, the CLI with `NativeTransport`).
//!
//! - `urls`: the server address as typed → identity and API bases.
//! - `payloads`: request bodies and typed answers (tokens, errors, revision date, config).
//! - `auth`: prelogin, login with two-factor, the refresh grant.
//! - `client`: the state machine: the device, headers, tokens refreshed when due, sync.
//! - `ciphers`: writing items and folders back.
//! - `account`: a server account joined to the session: edits queued, sent, synced back.
//! - `queue`: edits made offline, replayed in order, and the rule that keeps both versions of an
//!   item edited in two places.

pub mod account;
pub mod auth;
pub mod ciphers;
pub mod client;
pub mod payloads;
pub mod queue;
pub mod urls;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;

pub use account::{KeptBoth, Remote, SyncReport, UnsyncedEdit};
pub use auth::{
    Credentials, KdfGuard, LoggedIn, Login, PreloginAnswer, RememberedSeal, SecondFactor,
};
pub use client::{Client, Device, SyncOutcome, SyncState, Tokens};
pub use queue::{
    resolve_conflict, ConflictResolution, EditError, OfflineQueue, PendingEdit, QueuedEdit,
};
pub use urls::{ServerKind, ServerUrls};

use crate::error::Result;

/// The `Bitwarden-Client-Version` sent: a plain semver ≥ 2024.12.0, or Vaultwarden hides SSH-key
/// items from sync (§6.2).
pub const CLIENT_VERSION: &str = "2025.6.0";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One request as the transport sends it. Headers and body may hold a token or a password hash,
/// so `Debug` shows only the method and URL.
#[derive(Clone)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// The value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HttpRequest({} {})", self.method.as_str(), self.url)
    }
}

/// The server's answer, whatever its status: only a request that got no answer is an error.
#[derive(Clone, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text (lossy: error pages are not always UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies carry tokens and keys: their size only.
        write!(
            f,
            "HttpResponse({}, {} bytes)",
            self.status,
            self.body.len()
        )
    }
}

/// Sends one request. Fails only when no answer came: `Error::ServerUnreachable` (offline,
/// refused, timed out) or `Error::Tls`; any HTTP status is an `Ok` answer.
///
/// Not `Send` on purpose: the worker's `fetch` futures live on its single JS thread.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse>;
}

impl<T: Transport + ?Sized> Transport for &T {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        (**self).send(req).await
    }
}

impl<T: Transport + ?Sized> Transport for std::rc::Rc<T> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        (**self).send(req).await
    }
}
