//! The server account in the binding: the popup's sign-in options converted for
//! [`Keyfill::sign_in`](crate::app::Keyfill::sign_in), the account calls, errors mapped (a
//! two-factor request carries the providers offered).

use js_sys::{Array, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::fetch::FetchTransport;
use super::{js_error, now_ms, to_json, Session};
use crate::api::{Client, Device, KdfGuard, SecondFactor, ServerUrls};
use crate::app::SignIn;
use crate::error::{Error, Result};

/// Chrome extension (Bitwarden device type 2).
const DEVICE_TYPE: u32 = 2;

/// `logIn`'s options: the installation's device id, the second factor as the popup sends it,
/// whether the open local vault moves into the account, a sealed remembered-device token (and
/// the device secret it is sealed under, or one sealed by an earlier version under the master
/// key), the KDF guard, edits kept from before a forced log-out.
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
    // The guard's fields (`GuardOptions`) inline: serde's `flatten` would buffer every field.
    #[serde(default)]
    stored_kdf: String,
    #[serde(default)]
    confirm_weaker_kdf: bool,
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
        kdf_guard(&self.stored_kdf, self.confirm_weaker_kdf)
    }
}

fn kdf_guard(stored_kdf: &str, confirmed: bool) -> KdfGuard<'_> {
    KdfGuard {
        last_prelogin: Some(stored_kdf).filter(|s| !s.is_empty()),
        confirmed,
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
        let app = self.app.clone();
        let derive = self.derive();
        future_to_promise(async move {
            let password = zeroize::Zeroizing::new(password);
            let opts: LoginOptions = serde_json::from_str(&options_json)
                .map_err(|_| js_error(Error::malformed("the login options")))?;
            let client = client(&server, &opts.device_id).map_err(js_error)?;
            let req = SignIn {
                server: &server,
                email: &email,
                password: &password,
                second_factor: opts.two_factor.map(|r| SecondFactor {
                    provider: r.provider,
                    token: r.token,
                    remember: r.remember,
                }),
                move_local: opts.move_local,
                remembered: &opts.remembered,
                legacy_remembered: &opts.legacy_remembered,
                device_secret: &opts.device_secret,
                guard: kdf_guard(&opts.stored_kdf, opts.confirm_weaker_kdf),
                kept_queue: &opts.queue,
            };
            let signed = app
                .sign_in(client, &derive, req, now_ms())
                .await
                .map_err(account_error)?;
            to_json(&signed).map(JsValue::from)
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
        let app = self.app.clone();
        let derive = self.derive();
        future_to_promise(async move {
            let password = zeroize::Zeroizing::new(password);
            let guard: GuardOptions = match guard_json.as_deref() {
                Some(text) => serde_json::from_str(text)
                    .map_err(|_| js_error(Error::malformed("the login options")))?,
                None => GuardOptions::default(),
            };
            let client = client(&server, &device_id).map_err(js_error)?;
            app.send_email_code(&client, &derive, &email, &password, guard.guard())
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
        let client = client(server, device_id).map_err(js_error)?;
        self.app
            .connect(client, prelogin, snapshot_json, cipher_keys)
            .map_err(js_error)
    }

    /// Whether a server account is connected.
    #[wasm_bindgen(js_name = isConnected)]
    pub fn is_connected(&self) -> bool {
        self.app.is_connected()
    }

    /// Sends queued edits and syncs; resolves to the report `{synced, sent, pending, failed,
    /// keptBoth, offline}` (JSON text).
    #[wasm_bindgen(js_name = accountSync)]
    pub fn account_sync(&self) -> Promise {
        let app = self.app.clone();
        future_to_promise(async move {
            let report = app.sync(now_ms()).await.map_err(account_error)?;
            to_json(&report).map(JsValue::from)
        })
    }

    /// `{queue, state, tokens}` to store after a change (tokens sealed under the user key).
    #[wasm_bindgen(js_name = accountSnapshot)]
    pub fn account_snapshot(&self) -> std::result::Result<String, JsValue> {
        self.app.snapshot().map_err(js_error)
    }

    /// Edits waiting to be sent.
    #[wasm_bindgen(js_name = pendingEdits)]
    pub fn pending_edits(&self) -> usize {
        self.app.pending_edits()
    }

    /// Every queued edit in order (JSON): `[{key, op, itemId, name, error: {code, message} |
    /// null, attempts, retryAt: ms | null}]`.
    #[wasm_bindgen(js_name = unsyncedEdits)]
    pub fn unsynced_edits(&self) -> std::result::Result<String, JsValue> {
        to_json(&self.app.unsynced_edits().map_err(js_error)?)
    }

    /// Clears an edit's back-off: the next `accountSync` sends it.
    #[wasm_bindgen(js_name = retryEdit)]
    pub fn retry_edit(&self, key: &str) -> std::result::Result<(), JsValue> {
        self.app.retry_edit(key).map_err(js_error)
    }

    /// Drops an edit the user chose to lose.
    #[wasm_bindgen(js_name = discardEdit)]
    pub fn discard_edit(&self, key: &str) -> std::result::Result<(), JsValue> {
        self.app.discard_edit(key).map_err(js_error)
    }

    /// Replaces a queued save with the creation of a new item holding the user's version.
    #[wasm_bindgen(js_name = keepLocalCopy)]
    pub fn keep_local_copy(&self, key: &str) -> std::result::Result<(), JsValue> {
        self.app.keep_local_copy(key, now_ms()).map_err(js_error)
    }

    /// The items created to keep both versions of a conflict (JSON `[{id, name}]`).
    #[wasm_bindgen(js_name = keptBoth)]
    pub fn kept_both(&self) -> std::result::Result<String, JsValue> {
        to_json(&self.app.kept_both().map_err(js_error)?)
    }

    /// Takes a kept copy off the list (the item stays).
    #[wasm_bindgen(js_name = resolveKeptBoth)]
    pub fn resolve_kept_both(&self, id: &str) -> std::result::Result<(), JsValue> {
        self.app.resolve_kept_both(id).map_err(js_error)
    }
}
