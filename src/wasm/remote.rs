//! The server account in the binding: `fetch` as the transport, and the account calls. The logic
//! is in `crate::api` (`Remote`); this converts, keeps the one `Remote`, and maps errors.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::{call, derive_master, get, js_error, now_ms, Session};
use crate::api::{
    Client, Credentials, Device, HttpRequest, HttpResponse, KdfGuard, OfflineQueue, RememberedSeal,
    Remote, SecondFactor, ServerUrls, SyncOutcome, SyncState, Tokens, Transport,
};
use crate::error::{Error, Result};
use crate::session::{AccountMaterial, Session as CoreSession};

pub(super) type Slot = Rc<RefCell<Option<Rc<Remote<FetchTransport>>>>>;

/// Chrome extension (Bitwarden device type 2).
const DEVICE_TYPE: u32 = 2;
const FETCH_TIMEOUT_MS: u32 = 30_000;

/// HTTP through the worker's `fetch` (host permissions let it reach the server without CORS).
pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        let unreachable = |_| Error::ServerUnreachable;
        let global = js_sys::global();
        let init = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&init, &k.into(), v).map(drop);
        let headers = Object::new();
        for (name, value) in &req.headers {
            Reflect::set(&headers, &name.into(), &value.into()).map_err(unreachable)?;
        }
        set("method", &req.method.as_str().into()).map_err(unreachable)?;
        set("headers", &headers).map_err(unreachable)?;
        set("credentials", &"omit".into()).map_err(unreachable)?;
        set("cache", &"no-store".into()).map_err(unreachable)?;
        if let Some(body) = &req.body {
            set("body", &Uint8Array::from(body.as_slice())).map_err(unreachable)?;
        }
        if let Ok(signal) = call(
            &get(&global, "AbortSignal").map_err(unreachable)?,
            "timeout",
            &[FETCH_TIMEOUT_MS.into()],
        ) {
            set("signal", &signal).map_err(unreachable)?;
        }
        let promise =
            call(&global, "fetch", &[req.url.as_str().into(), init.into()]).map_err(unreachable)?;
        // A TypeError: no answer at all (offline, refused, DNS, or a TLS failure, which fetch
        // does not tell apart).
        let resp = JsFuture::from(Promise::from(promise))
            .await
            .map_err(unreachable)?;
        let status = get(&resp, "status")
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u16;
        let content_type = call(
            &get(&resp, "headers").map_err(unreachable)?,
            "get",
            &["content-type".into()],
        )
        .ok()
        .and_then(|v| v.as_string());
        let buffer = JsFuture::from(Promise::from(
            call(&resp, "arrayBuffer", &[]).map_err(unreachable)?,
        ))
        .await
        .map_err(unreachable)?;
        Ok(HttpResponse {
            status,
            content_type,
            body: Uint8Array::new(&buffer).to_vec(),
        })
    }
}

/// `logIn`'s options: the installation's device id, the second factor as the popup sends it,
/// whether the open local vault moves into the account, a sealed remembered-device token (and
/// the device secret it is sealed under, or one sealed by an earlier version under the master
/// key), the KDF guard.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginOptions {
    device_id: String,
    #[serde(default)]
    two_factor: Option<SecondFactorRequest>,
    #[serde(default)]
    move_local: bool,
    #[serde(default)]
    remembered: String,
    #[serde(default)]
    legacy_remembered: String,
    #[serde(default)]
    device_secret: String,
    #[serde(flatten)]
    guard: GuardOptions,
    /// Edits kept from before a forced log-out, sent once signed in again.
    #[serde(default)]
    queue: String,
}

/// The KDF guard's inputs: the prelogin JSON stored at the last sign-in to this account, and
/// whether the user confirmed weaker settings (`logIn` and `sendEmailCode`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct GuardOptions {
    stored_kdf: String,
    confirm_weaker_kdf: bool,
}

impl GuardOptions {
    fn guard(&self) -> KdfGuard<'_> {
        KdfGuard {
            last_prelogin: Some(self.stored_kdf.as_str()).filter(|s| !s.is_empty()),
            confirmed: self.confirm_weaker_kdf,
        }
    }
}

/// The second factor as the popup sends it: `{provider, token, remember}`.
#[derive(Deserialize)]
struct SecondFactorRequest {
    provider: u8,
    token: String,
    #[serde(default)]
    remember: bool,
}

/// What the worker stores about the account after each change: the queue (encrypted items),
/// the last sync's state, and the tokens sealed under the user key.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    queue: String,
    state: Option<SyncState>,
    tokens: Option<String>,
}

fn client(server: &str, device_id: &str) -> Result<Client<FetchTransport>> {
    Ok(Client::new(
        FetchTransport,
        ServerUrls::parse(server)?,
        Device::browser(DEVICE_TYPE, "chrome", device_id),
    ))
}

/// An error for JS; a two-factor request also carries the providers offered.
fn account_error(e: Error) -> JsValue {
    let providers = match &e {
        Error::TwoFactorRequired { providers } => Some(providers.clone()),
        _ => None,
    };
    let err = js_error(e);
    if let Some(list) = providers {
        let array: Array = list.into_iter().map(JsValue::from).collect();
        let _ = Reflect::set(&err, &"providers".into(), &array);
    }
    err
}

/// Prelogin (checked against the KDF this device used last time, before anything is derived or
/// sent), then the master key (PBKDF2 through SubtleCrypto when `subtle`), for a login.
async fn credentials(
    client: &Client<FetchTransport>,
    email: &str,
    password: &str,
    subtle: bool,
    guard: KdfGuard<'_>,
) -> std::result::Result<Credentials, JsValue> {
    let prelogin = client
        .guarded_prelogin(email, guard)
        .await
        .map_err(account_error)?;
    let salt = prelogin.salt.clone().unwrap_or_else(|| email.to_string());
    let master = derive_master(password, &salt, &prelogin.kdf, subtle).await?;
    Ok(Credentials::from_master_key(
        email, password, master, prelogin,
    ))
}

impl Session {
    pub(super) fn remote(&self) -> Option<Rc<Remote<FetchTransport>>> {
        self.remote.borrow().clone()
    }

    fn connected(&self) -> std::result::Result<Rc<Remote<FetchTransport>>, JsValue> {
        self.remote()
            .ok_or_else(|| js_error(Error::NotFound("a server account".into())))
    }
}

fn snapshot(remote: &Remote<FetchTransport>, session: &CoreSession) -> Result<String> {
    let tokens = match remote.client.tokens() {
        Some(t) => Some(
            session
                .seal(&serde_json::to_string(&t).map_err(|_| Error::Platform("tokens".into()))?)?,
        ),
        None => None,
    };
    serde_json::to_string(&Snapshot {
        queue: remote.queue_json(),
        state: remote.state(),
        tokens,
    })
    .map_err(|_| Error::Platform("could not write the account state".into()))
}

#[wasm_bindgen]
impl Session {
    /// Logs in to a server account, syncs and opens it (replacing what was open). With
    /// `moveLocal`, the open local vault's items are uploaded to the account first.
    /// `remembered`: a "remember this device" token from an earlier login sealed under
    /// `deviceSecret` (or `legacyRemembered`, sealed by an earlier version under the master key),
    /// tried when no second factor is given. `storedKdf`: the prelogin stored at the last
    /// sign-in to this account; weaker settings now reject with `kdf_downgrade` unless
    /// `confirmWeakerKdf`. Resolves to `{prelogin, cipherKeys, moved, remembered}` (the
    /// remembered token sealed under `deviceSecret`, if there is one); a two-factor request
    /// rejects with code `two_factor_required` and `providers`.
    #[wasm_bindgen(js_name = logIn)]
    pub fn log_in(
        &self,
        server: String,
        email: String,
        password: String,
        options_json: String,
    ) -> Promise {
        let inner = self.inner.clone();
        let slot = self.remote.clone();
        let subtle = self.subtle_pbkdf2;
        future_to_promise(async move {
            let password = zeroize::Zeroizing::new(password);
            let LoginOptions {
                device_id,
                two_factor,
                move_local,
                remembered,
                legacy_remembered,
                device_secret,
                guard,
                queue,
            } = serde_json::from_str(&options_json)
                .map_err(|_| js_error(Error::malformed("the login options")))?;
            let second = two_factor.map(|r| SecondFactor {
                provider: r.provider,
                token: r.token,
                remember: r.remember,
            });
            let stash = if move_local {
                Some(inner.borrow().vault().map_err(js_error)?)
            } else {
                None
            };
            let client = client(&server, &device_id).map_err(js_error)?;
            let creds = credentials(&client, &email, &password, subtle, guard.guard()).await?;
            let seal = RememberedSeal::new(&device_secret, &server, &email).ok();
            let second = second
                .or_else(|| seal.as_ref().and_then(|s| s.open(&remembered)))
                .or_else(|| creds.legacy_remembered(&legacy_remembered));
            let login = client
                .login(&creds, second.as_ref())
                .await
                .map_err(account_error)?;
            // The new token, else the remembered one that just worked (sealed again, so an entry
            // of an earlier version leaves the master key behind).
            let keep = login.remember_token.clone().or_else(|| {
                second
                    .as_ref()
                    .filter(|s| s.provider == 5)
                    .map(|s| s.token.clone())
            });
            let sealed_remember = match (keep, &seal) {
                (Some(t), Some(seal)) => Some(seal.seal(&t).map_err(js_error)?),
                _ => None,
            };
            let cipher_keys = client.supports_cipher_keys().await.unwrap_or(false);
            let SyncOutcome::Synced { text, state } =
                client.sync_if_changed(None).await.map_err(account_error)?
            else {
                return Err(js_error(Error::Platform(
                    "a first sync always syncs".into(),
                )));
            };
            let prelogin = creds.prelogin.text.clone();
            let material = AccountMaterial::parse(&prelogin, text).map_err(js_error)?;
            {
                let mut s = inner.borrow_mut();
                s.unlock_with_master_key(creds.master_key(), material)
                    .map_err(js_error)?;
                s.set_cipher_keys(cipher_keys);
            }
            let kept = OfflineQueue::from_json(&queue).unwrap_or_default();
            let remote = Rc::new(Remote::new(client, prelogin.clone(), kept, Some(state)));
            remote.keep_readable(&inner.borrow());
            let mut moved = 0;
            if let Some(vault) = stash {
                let folders = vault
                    .folders
                    .iter()
                    .map(|f| (f.id.clone(), f.name.clone()))
                    .collect();
                moved = remote
                    .upload(&inner, vault.ciphers, folders, now_ms())
                    .await
                    .map_err(|e| {
                        inner.borrow_mut().lock();
                        account_error(e)
                    })?;
            }
            *slot.borrow_mut() = Some(remote);
            let out = serde_json::json!({
                "prelogin": prelogin, "cipherKeys": cipher_keys, "moved": moved,
                "remembered": sealed_remember,
            });
            Ok(out.to_string().into())
        })
    }

    /// Asks the server to e-mail a login code (§6.5). `guard_json`: `{storedKdf,
    /// confirmWeakerKdf}` as for `logIn` (the server hash goes out here too).
    #[wasm_bindgen(js_name = sendEmailCode)]
    pub fn send_email_code(
        &self,
        server: String,
        email: String,
        password: String,
        device_id: String,
        guard_json: Option<String>,
    ) -> Promise {
        let subtle = self.subtle_pbkdf2;
        future_to_promise(async move {
            let password = zeroize::Zeroizing::new(password);
            let guard: GuardOptions = match guard_json.as_deref() {
                Some(text) => serde_json::from_str(text)
                    .map_err(|_| js_error(Error::malformed("the login options")))?,
                None => GuardOptions::default(),
            };
            let client = client(&server, &device_id).map_err(js_error)?;
            let creds = credentials(&client, &email, &password, subtle, guard.guard()).await?;
            client
                .send_email_code(&creds)
                .await
                .map_err(account_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Joins the opened vault to its server account, from what `accountSnapshot` gave.
    pub fn connect(
        &self,
        server: &str,
        device_id: &str,
        prelogin: String,
        snapshot_json: &str,
        cipher_keys: bool,
    ) -> std::result::Result<(), JsValue> {
        let snap: Snapshot = serde_json::from_str(snapshot_json).unwrap_or_default();
        let client = client(server, device_id).map_err(js_error)?;
        let session = self.inner.borrow();
        if let Some(sealed) = snap.tokens.as_deref() {
            let text = zeroize::Zeroizing::new(session.unseal(sealed).map_err(js_error)?);
            let tokens: Tokens = serde_json::from_str(&text)
                .map_err(|_| js_error(Error::malformed("the stored tokens")))?;
            client.set_tokens(Some(tokens));
        }
        client.set_supports_cipher_keys(cipher_keys);
        let queue = OfflineQueue::from_json(&snap.queue).unwrap_or_default();
        drop(session);
        self.inner.borrow_mut().set_cipher_keys(cipher_keys);
        *self.remote.borrow_mut() = Some(Rc::new(Remote::new(client, prelogin, queue, snap.state)));
        Ok(())
    }

    /// Whether a server account is connected.
    #[wasm_bindgen(js_name = isConnected)]
    pub fn is_connected(&self) -> bool {
        self.remote.borrow().is_some()
    }

    /// Sends queued edits and syncs; resolves to the report `{synced, sent, pending, failed,
    /// keptBoth, offline}` (JSON text).
    #[wasm_bindgen(js_name = accountSync)]
    pub fn account_sync(&self) -> Promise {
        let inner = self.inner.clone();
        let remote = self.remote();
        future_to_promise(async move {
            let remote =
                remote.ok_or_else(|| js_error(Error::NotFound("a server account".into())))?;
            let report = remote.sync(&inner, now_ms()).await.map_err(account_error)?;
            super::to_json(&report).map(JsValue::from)
        })
    }

    /// `{queue, state, tokens}` to store after a change (tokens sealed under the user key).
    #[wasm_bindgen(js_name = accountSnapshot)]
    pub fn account_snapshot(&self) -> std::result::Result<String, JsValue> {
        let remote = self
            .remote()
            .ok_or_else(|| js_error(Error::NotFound("a server account".into())))?;
        snapshot(&remote, &self.inner.borrow()).map_err(js_error)
    }

    /// Edits waiting to be sent.
    #[wasm_bindgen(js_name = pendingEdits)]
    pub fn pending_edits(&self) -> usize {
        self.remote().map_or(0, |r| r.pending())
    }

    /// Every queued edit in order (JSON): `[{key, op, itemId, name, error: {code, message} |
    /// null, attempts, retryAt: ms | null}]`.
    #[wasm_bindgen(js_name = unsyncedEdits)]
    pub fn unsynced_edits(&self) -> std::result::Result<String, JsValue> {
        let remote = self.connected()?;
        let list = remote.unsynced(&self.inner.borrow());
        super::to_json(&list)
    }

    /// Clears an edit's back-off: the next `accountSync` sends it.
    #[wasm_bindgen(js_name = retryEdit)]
    pub fn retry_edit(&self, key: &str) -> std::result::Result<(), JsValue> {
        self.connected()?.retry_edit(key).map_err(js_error)
    }

    /// Drops an edit the user chose to lose.
    #[wasm_bindgen(js_name = discardEdit)]
    pub fn discard_edit(&self, key: &str) -> std::result::Result<(), JsValue> {
        self.connected()?.discard_edit(key).map_err(js_error)
    }

    /// Replaces a queued save with the creation of a new item holding the user's version.
    #[wasm_bindgen(js_name = keepLocalCopy)]
    pub fn keep_local_copy(&self, key: &str) -> std::result::Result<(), JsValue> {
        self.connected()?
            .keep_local_copy(&self.inner, key, now_ms())
            .map_err(js_error)
    }

    /// The items created to keep both versions of a conflict (JSON `[{id, name}]`).
    #[wasm_bindgen(js_name = keptBoth)]
    pub fn kept_both(&self) -> std::result::Result<String, JsValue> {
        let remote = self.connected()?;
        let list = remote.kept_both(&self.inner.borrow());
        super::to_json(&list)
    }

    /// Takes a kept copy off the list (the item stays).
    #[wasm_bindgen(js_name = resolveKeptBoth)]
    pub fn resolve_kept_both(&self, id: &str) -> std::result::Result<(), JsValue> {
        self.connected()?.resolve_kept_both(id).map_err(js_error)
    }
}
