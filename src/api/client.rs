//! The client state machine (docs/protocol.md §6.2, 6.6, 6.9, 6.13): the common headers, tokens
//! refreshed before they expire and on a 401, and sync with the revision-date shortcut and the
//! log-out rules; the device it speaks for and the tokens it holds. Logging in is in `auth`,
//! writing back in `ciphers`.

use std::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::payloads::{self, Failure};
use super::{HttpRequest, HttpResponse, Method, ServerUrls, Transport, CLIENT_VERSION};
use crate::error::{Error, Result};

/// Refresh when the access token has less than this left (clients' `tokenNeedsRefresh(5)`).
pub const REFRESH_MARGIN_SECS: u64 = 5 * 60;

/// Who is asking: sent with every login (§6.2, §6.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// `browser` for the extension, `cli` for the command line (also the OAuth `client_id`).
    pub client_name: String,
    /// Bitwarden device type: 2 Chrome extension, 5 Edge extension, 21–23 CLI, 14 unknown.
    pub device_type: u32,
    pub device_name: String,
    /// A UUID made once per installation and kept: servers list and notify per device.
    pub identifier: String,
}

impl Device {
    pub fn browser(device_type: u32, device_name: &str, identifier: &str) -> Self {
        Device {
            client_name: "browser".into(),
            device_type,
            device_name: device_name.into(),
            identifier: identifier.into(),
        }
    }

    /// The command line: device type by operating system (21 Windows, 22 macOS, 23 Linux).
    pub fn cli(identifier: &str) -> Self {
        let (device_type, name) = match std::env::consts::OS {
            "windows" => (21, "windows"),
            "macos" => (22, "macos"),
            _ => (23, "linux"),
        };
        Device {
            client_name: "cli".into(),
            device_type,
            device_name: name.into(),
            identifier: identifier.into(),
        }
    }
}

/// The OAuth tokens of a login, to be stored by the caller between runs.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Seconds since the epoch: the JWT's `exp`, else now + `expires_in`.
    pub expires_at: u64,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens(expires at {})", self.expires_at)
    }
}

/// What the last sync saw, kept by the caller to skip unchanged syncs and notice a new stamp.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// The account's revision date (ms) when it was last synced.
    pub revision_date: i64,
    pub security_stamp: Option<String>,
}

impl std::fmt::Debug for SyncState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SyncState(revision {})", self.revision_date)
    }
}

pub enum SyncOutcome {
    /// Nothing changed since `SyncState`: one small request was made.
    Unchanged,
    /// The new sync text (keep it as the account material) and the state to keep.
    Synced { text: String, state: SyncState },
}

impl std::fmt::Debug for SyncOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncOutcome::Unchanged => f.write_str("Unchanged"),
            SyncOutcome::Synced { text, state } => {
                write!(f, "Synced({} bytes, {state:?})", text.len())
            }
        }
    }
}

pub struct Client<T> {
    pub(super) transport: T,
    pub(super) urls: ServerUrls,
    pub(super) device: Device,
    pub(super) tokens: RefCell<Option<Tokens>>,
    pub(super) cipher_keys: Cell<Option<bool>>,
    pub(super) clock: Box<dyn Fn() -> u64>,
}

impl<T> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Client({}, logged in: {})",
            self.urls.base,
            self.tokens.borrow().is_some()
        )
    }
}

/// Seconds since the epoch from the platform clock (`SystemTime` panics on wasm32).
fn system_now() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as u64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

impl<T: Transport> Client<T> {
    pub fn new(transport: T, urls: ServerUrls, device: Device) -> Self {
        Client {
            transport,
            urls,
            device,
            tokens: RefCell::new(None),
            cipher_keys: Cell::new(None),
            clock: Box::new(system_now),
        }
    }

    /// Replaces the clock (seconds since the epoch), for tests.
    pub fn with_clock(mut self, clock: impl Fn() -> u64 + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    pub fn urls(&self) -> &ServerUrls {
        &self.urls
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The current tokens, to store after any call (a refresh replaces them).
    pub fn tokens(&self) -> Option<Tokens> {
        self.tokens.borrow().clone()
    }

    /// Restores stored tokens (or forgets them with `None`).
    pub fn set_tokens(&self, tokens: Option<Tokens>) {
        *self.tokens.borrow_mut() = tokens;
    }

    /// Forgets the tokens: the caller must log in again.
    pub fn log_out(&self) {
        self.set_tokens(None);
    }

    pub(super) fn now(&self) -> u64 {
        (self.clock)()
    }

    pub(crate) fn request(&self, method: Method, url: String) -> HttpRequest {
        let mut headers = vec![
            (
                "Bitwarden-Client-Name".into(),
                self.device.client_name.clone(),
            ),
            ("Bitwarden-Client-Version".into(), CLIENT_VERSION.into()),
            ("Device-Type".into(), self.device.device_type.to_string()),
            ("Accept".into(), "application/json".into()),
        ];
        if method == Method::Get {
            headers.push(("Cache-Control".into(), "no-store".into()));
            headers.push(("Pragma".into(), "no-cache".into()));
        }
        HttpRequest {
            method,
            url,
            headers,
            body: None,
        }
    }

    pub(crate) fn with_json(mut req: HttpRequest, body: &Value) -> HttpRequest {
        req.headers.push((
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        ));
        req.body = Some(body.to_string().into_bytes());
        req
    }

    /// An authenticated `/api` call: refreshes first when the token has under five minutes
    /// left, and once more (then retries once) when the server answers 401.
    pub(crate) async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse> {
        let expires_at = self
            .tokens
            .borrow()
            .as_ref()
            .map(|t| t.expires_at)
            .ok_or(Error::LoggedOut)?;
        if expires_at <= self.now() + REFRESH_MARGIN_SECS {
            self.refresh().await?;
        }
        let resp = self.api_once(method, path, body).await?;
        if resp.status != 401 {
            return Ok(resp);
        }
        self.refresh().await?;
        let resp = self.api_once(method, path, body).await?;
        if resp.status == 401 {
            self.log_out();
            return Err(Error::LoggedOut);
        }
        Ok(resp)
    }

    async fn api_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse> {
        let mut req = self.request(method, format!("{}{path}", self.urls.api));
        if let Some(b) = body {
            req = Self::with_json(req, b);
        }
        let token = self
            .tokens
            .borrow()
            .as_ref()
            .map(|t| t.access_token.clone())
            .ok_or(Error::LoggedOut)?;
        req.headers
            .push(("Authorization".into(), format!("Bearer {token}")));
        self.transport.send(req).await
    }

    /// `GET {api}/accounts/revision-date` in milliseconds (§6.13).
    pub async fn revision_date(&self) -> Result<i64> {
        let resp = self
            .api(Method::Get, "/accounts/revision-date", None)
            .await?;
        if !resp.is_success() {
            return Err(server_error(&resp, &[]));
        }
        payloads::parse_revision_date(&resp.body)
    }

    /// `GET {api}/sync` (with domains: the browser matches URLs): the text to keep.
    pub async fn sync(&self) -> Result<String> {
        let resp = self.api(Method::Get, "/sync", None).await?;
        if !resp.is_success() {
            return Err(server_error(&resp, &[]));
        }
        String::from_utf8(resp.body).map_err(|_| Error::malformed("sync response is not UTF-8"))
    }

    /// Syncs unless the account's revision date is not newer than `last`'s (§6.9). Logs out on
    /// a negative revision date (account deleted) or a changed security stamp (password or keys
    /// changed elsewhere).
    pub async fn sync_if_changed(&self, last: Option<&SyncState>) -> Result<SyncOutcome> {
        let revision = self.revision_date().await?;
        if revision < 0 {
            self.log_out();
            return Err(Error::LoggedOut);
        }
        if last.is_some_and(|l| revision <= l.revision_date) {
            return Ok(SyncOutcome::Unchanged);
        }
        let text = self.sync().await?;
        let stamp = payloads::security_stamp(&text)?;
        let before = last.and_then(|l| l.security_stamp.as_deref());
        if let (Some(old), Some(new)) = (before, stamp.as_deref()) {
            if old != new {
                self.log_out();
                return Err(Error::LoggedOut);
            }
        }
        Ok(SyncOutcome::Synced {
            text,
            state: SyncState {
                revision_date: revision,
                security_stamp: stamp,
            },
        })
    }

    /// Records what `supports_cipher_keys` found in an earlier session (stored by the caller).
    pub fn set_supports_cipher_keys(&self, yes: bool) {
        self.cipher_keys.set(Some(yes));
    }

    /// Whether new items may get their own key (§5.5): `GET {api}/config` reports a version ≥
    /// 2024.2.0. Cozy has no such endpoint (and would lose the key): no. Asked once.
    pub async fn supports_cipher_keys(&self) -> Result<bool> {
        if let Some(known) = self.cipher_keys.get() {
            return Ok(known);
        }
        let req = self.request(Method::Get, format!("{}/config", self.urls.api));
        let resp = self.transport.send(req).await?;
        let yes = resp.is_success()
            && payloads::parse_config_version(&resp.body)
                .is_some_and(|v| v >= payloads::CIPHER_KEY_MIN_VERSION);
        self.cipher_keys.set(Some(yes));
        Ok(yes)
    }
}

/// A non-success answer of an authenticated call, as an error (§6.7, §6.10).
pub(crate) fn server_error(resp: &HttpResponse, secrets: &[&str]) -> Error {
    let failure = Failure::parse(&resp.body);
    if resp.status == 400 && failure.haystack().contains("out of date") {
        return Error::Conflict;
    }
    match resp.status {
        401 => Error::LoggedOut,
        0 => Error::ServerUnreachable,
        _ => Error::Server(failure.describe(resp.status, secrets)),
    }
}
