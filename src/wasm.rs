//! The wasm binding: converts types, maps errors to JS errors with a stable `code`, awaits the
//! browser's promises (`fetch`, WebCrypto), and owns the one [`Keyfill`]. No business logic here:
//! the choice between a local vault and a server account, the sign-in and every decision are the
//! core's. No key bytes cross into JS, except the PBKDF2 output that the browser's own
//! SubtleCrypto computes.
//!
//! Nothing here waits on a timer (so no `gloo-timers`): the core returns deadlines as data (an
//! edit's `retryAt`, the auto-lock time) and the worker sets `chrome.alarms` for them, because an
//! idle MV3 worker is stopped after about 30 s and every timer in it dies with it; an alarm
//! wakes it again. See docs/architecture.md, "State across restarts".

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::app::Keyfill;
use crate::crypto::derive::{kdf_for_new_vault, WithPlatformPbkdf2};
use crate::error::Error;
use crate::session::{AccountMaterial, FilterRequest};

mod fetch;
mod server;
mod text;
mod webcrypto;

use fetch::FetchTransport;
use webcrypto::SubtlePbkdf2;

fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&format!("{e}. {}", e.hint()));
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

fn platform(what: &str) -> JsValue {
    js_error(Error::Platform(what.into()))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|_| platform("could not serialise the answer"))
}

#[wasm_bindgen]
pub struct Session {
    app: Keyfill<FetchTransport>,
    subtle_pbkdf2: bool,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            app: Keyfill::new(),
            subtle_pbkdf2: true,
        }
    }

    /// Where the master key is derived: PBKDF2 by the browser unless turned off.
    fn derive(&self) -> WithPlatformPbkdf2<SubtlePbkdf2> {
        WithPlatformPbkdf2 {
            platform: SubtlePbkdf2,
            enabled: self.subtle_pbkdf2,
        }
    }

    /// Chooses where PBKDF2 runs: the browser's SubtleCrypto (default) or the wasm core.
    #[wasm_bindgen(js_name = usePlatformPbkdf2)]
    pub fn use_platform_pbkdf2(&mut self, yes: bool) {
        self.subtle_pbkdf2 = yes;
    }

    /// Opens the vault from the stored prelogin and sync answers (JSON, the sync answer as text
    /// or UTF-8 bytes).
    pub fn unlock(
        &self,
        email: String,
        password: String,
        prelogin_json: String,
        sync_json: JsValue,
    ) -> Promise {
        let app = self.app.clone();
        let derive = self.derive();
        let password = zeroize::Zeroizing::new(password);
        let sync_json = text::large_text(&sync_json, "the stored account");
        future_to_promise(async move {
            let material = AccountMaterial::parse(&prelogin_json, sync_json?).map_err(js_error)?;
            app.unlock(&derive, &email, &password, material)
                .await
                .map_err(js_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Checks the master password against the open vault ("ask for the master password
    /// again"): resolves when it is right, rejects with `wrong_password` otherwise. The vault
    /// stays open either way.
    #[wasm_bindgen(js_name = verifyPassword)]
    pub fn verify_password(&self, email: String, password: String) -> Promise {
        let app = self.app.clone();
        let derive = self.derive();
        let password = zeroize::Zeroizing::new(password);
        future_to_promise(async move {
            app.verify_password(&derive, &email, &password)
                .await
                .map_err(js_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    pub fn lock(&self) {
        self.app.lock();
    }

    #[wasm_bindgen(js_name = isUnlocked)]
    pub fn is_unlocked(&self) -> bool {
        self.app.is_unlocked()
    }

    /// Every item's list row, as JSON text.
    pub fn summaries(&self) -> Result<String, JsValue> {
        to_json(&self.app.read().summaries().map_err(js_error)?)
    }

    /// List rows of the items for a page URL (the tab's or frame's, as the browser reports
    /// it), strongest match first, as JSON text.
    #[wasm_bindgen(js_name = candidatesFor)]
    pub fn candidates_for(&self, url: &str) -> Result<String, JsValue> {
        to_json(&self.app.read().candidates_for(url).map_err(js_error)?)
    }

    /// Search results (rows, no secrets) as JSON text. `filters_json`: `{type, folderId,
    /// unfiled, favoritesOnly, trash, includeNotes, limit}`, all optional.
    pub fn search(&self, query: &str, filters_json: &str) -> Result<String, JsValue> {
        let req: FilterRequest = if filters_json.trim().is_empty() {
            FilterRequest::default()
        } else {
            serde_json::from_str(filters_json)
                .map_err(|_| js_error(Error::malformed("search filters")))?
        };
        let limit = req.limit.unwrap_or(crate::session::DEFAULT_SEARCH_LIMIT);
        self.app
            .search(query, &req.to_filters(), limit, |rows| to_json(&rows))
            .map_err(js_error)?
    }

    /// Builds the match and search indexes now, e.g. when the worker is idle right after
    /// unlock; otherwise the first `candidatesFor` / `search` builds them.
    #[wasm_bindgen(js_name = warmUp)]
    pub fn warm_up(&self) -> Result<(), JsValue> {
        self.app.warm_up().map_err(js_error)
    }

    /// The user's default URI match strategy (0 Domain … 5 Never; undefined for Domain).
    #[wasm_bindgen(js_name = setDefaultMatch)]
    pub fn set_default_match(&self, strategy: Option<i32>) {
        self.app.set_default_match(strategy.map(i64::from));
    }

    /// Whether the server's equivalent domains widen matching (the user's setting; off by
    /// default).
    #[wasm_bindgen(js_name = setUseServerEquivalentDomains)]
    pub fn set_use_server_equivalent_domains(&self, yes: bool) {
        self.app.set_use_server_equivalent_domains(yes);
    }

    /// One whole decrypted item, as JSON text (for the item view; holds secrets).
    pub fn item(&self, id: &str) -> Result<String, JsValue> {
        to_json(&self.app.read().item(id).map_err(js_error)?)
    }

    /// Whether the item asks for the master password again (its plain `reprompt` flag): read
    /// without decrypting anything.
    #[wasm_bindgen(js_name = asksReprompt)]
    pub fn asks_reprompt(&self, id: &str) -> Result<bool, JsValue> {
        self.app.read().asks_reprompt(id).map_err(js_error)
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// Runs the known-answer vectors (a vectors file's JSON text); resolves to the outcomes (JSON).
/// The test build's wasm only (feature `selftest`).
#[cfg(feature = "selftest")]
#[wasm_bindgen(js_name = selfTest)]
pub fn self_test(vectors_json: String) -> Promise {
    future_to_promise(
        async move { Ok(to_json(&crate::selftest::run(&vectors_json).await)?.into()) },
    )
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

#[wasm_bindgen]
impl Session {
    /// Creates a local vault (`kdf`: "pbkdf2" or "argon2id") and opens it. Resolves to the
    /// prelogin JSON to store beside `materialJson()`.
    #[wasm_bindgen(js_name = createLocal)]
    pub fn create_local(&self, password: String, kdf: String) -> Promise {
        let app = self.app.clone();
        let password = zeroize::Zeroizing::new(password);
        future_to_promise(async move {
            let kdf = kdf_for_new_vault(&kdf).map_err(js_error)?;
            let prelogin = app.create_local(&password, kdf).await.map_err(js_error)?;
            Ok(prelogin.into())
        })
    }

    /// The opaque token that re-opens the vault after a worker restart (memory-only storage).
    #[wasm_bindgen(js_name = resumeToken)]
    pub fn resume_token(&self) -> Result<String, JsValue> {
        Ok(self
            .app
            .read()
            .resume_token()
            .map_err(js_error)?
            .to_string())
    }

    /// Re-opens the vault from a resume token and the stored material (text or UTF-8 bytes).
    pub fn resume(&self, token: String, prelogin_json: String, data_json: JsValue) -> Promise {
        let app = self.app.clone();
        let token = zeroize::Zeroizing::new(token);
        let data_json = text::large_text(&data_json, "the stored account");
        future_to_promise(async move {
            let material = AccountMaterial::parse(&prelogin_json, data_json?).map_err(js_error)?;
            app.resume(&token, material).await.map_err(js_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The whole account as stored (ciphertext only), to persist after a change.
    #[wasm_bindgen(js_name = materialJson)]
    pub fn material_json(&self) -> Result<String, JsValue> {
        self.app.read().material_json().map_err(js_error)
    }

    /// Saves an item given in the export shape; returns its id.
    #[wasm_bindgen(js_name = saveItem)]
    pub fn save_item(&self, item_json: &str) -> Result<String, JsValue> {
        let view = serde_json::from_str(item_json)
            .map_err(|_| js_error(Error::malformed("the item to save")))?;
        self.app.save_item(view, now_ms()).map_err(js_error)
    }

    #[wasm_bindgen(js_name = setTrashed)]
    pub fn set_trashed(&self, id: &str, trashed: bool) -> Result<(), JsValue> {
        self.app
            .set_trashed(id, trashed, now_ms())
            .map_err(js_error)
    }

    pub fn purge(&self, id: &str) -> Result<(), JsValue> {
        self.app.purge(id).map_err(js_error)
    }

    pub fn folders(&self) -> Result<String, JsValue> {
        to_json(&self.app.folders().map_err(js_error)?)
    }

    #[wasm_bindgen(js_name = saveFolder)]
    pub fn save_folder(&self, id: &str, name: &str) -> Result<String, JsValue> {
        self.app.save_folder(id, name, now_ms()).map_err(js_error)
    }

    #[wasm_bindgen(js_name = deleteFolder)]
    pub fn delete_folder(&self, id: &str) -> Result<(), JsValue> {
        self.app.delete_folder(id).map_err(js_error)
    }

    /// The item's current TOTP code `{code, period, remaining}` as JSON text.
    pub fn totp(&self, id: &str) -> Result<String, JsValue> {
        to_json(&self.app.totp(id, now_ms() / 1000).map_err(js_error)?)
    }
}

#[wasm_bindgen]
impl Session {
    /// The stored generator history (`[{password, date}]`, sealed) opened for the popup.
    #[wasm_bindgen(js_name = generatorHistory)]
    pub fn generator_history(&self, list_json: &str) -> Result<String, JsValue> {
        to_json(
            &self
                .app
                .read()
                .generator_history(list_json)
                .map_err(js_error)?,
        )
    }

    /// The fill decision for a whole tab (JSON text; see docs/extension.md "Fill plan").
    #[wasm_bindgen(js_name = planTab)]
    pub fn plan_tab(&self, tab_json: &str, id: &str) -> Result<String, JsValue> {
        to_json(&self.app.read().plan_tab(tab_json, id).map_err(js_error)?)
    }
}

#[wasm_bindgen]
impl Session {
    /// List rows of the cards and identities a tab's fields could take (JSON text; the tab
    /// request as for `planTab`).
    #[wasm_bindgen(js_name = walletRows)]
    pub fn wallet_rows(&self, tab_json: &str) -> Result<String, JsValue> {
        to_json(&self.app.read().wallet_rows(tab_json).map_err(js_error)?)
    }
}

#[wasm_bindgen]
impl Session {
    /// The save prompt's offer (JSON `{offer: "save"|"update"|"nothing", ...}`, with the password
    /// for save and update) for a submit captured on the page at `url`; `captured_json` as the
    /// content script sends it, `never_json` the "never save" hosts.
    #[wasm_bindgen(js_name = saveOffer)]
    pub fn save_offer(
        &self,
        url: &str,
        captured_json: &str,
        never_json: &str,
    ) -> Result<String, JsValue> {
        to_json(&self.offer(url, captured_json, never_json)?)
    }

    /// Saves what the prompt offered for that same capture (decided again here, so the offer and
    /// its password never travel back from JS), with the name and folder the prompt shows for a
    /// new login; returns the item's id, or undefined when there is nothing to save.
    #[wasm_bindgen(js_name = acceptCapture)]
    pub fn accept_capture(
        &self,
        url: &str,
        captured_json: &str,
        never_json: &str,
        name: Option<String>,
        folder_id: Option<String>,
    ) -> Result<Option<String>, JsValue> {
        let offer = self.offer(url, captured_json, never_json)?;
        if matches!(offer, crate::save_prompt::Offer::Nothing { .. }) {
            return Ok(None);
        }
        self.app
            .accept_offer(&offer, name.as_deref(), folder_id.as_deref(), now_ms())
            .map(Some)
            .map_err(js_error)
    }

    fn offer(
        &self,
        url: &str,
        captured_json: &str,
        never_json: &str,
    ) -> Result<crate::save_prompt::Offer, JsValue> {
        let cap: crate::save_prompt::Captured = serde_json::from_str(captured_json)
            .map_err(|_| js_error(Error::malformed("the captured submit")))?;
        let never: Vec<String> = serde_json::from_str(never_json)
            .map_err(|_| js_error(Error::malformed("the never-save list")))?;
        self.app
            .offer_for_capture(url, &cap, &never)
            .map_err(js_error)
    }
}

/// Whether a frame at `url` is on the user's opt-out list (`sites_json`: the list of hosts), so
/// nothing may be injected into it.
#[wasm_bindgen(js_name = optedOut)]
pub fn opted_out(url: &str, sites_json: &str) -> Result<bool, JsValue> {
    let sites: Vec<String> = serde_json::from_str(sites_json)
        .map_err(|_| js_error(Error::malformed("the opt-out list")))?;
    Ok(crate::fill::opted_out(url, &sites))
}

/// The inline menu for field `opid` of a frame's page details: `{kind, generate, logins}` as
/// JSON, or `null` for no icon and no menu (keyfill::inline_menu).
#[wasm_bindgen(js_name = menuField)]
pub fn menu_field(details_json: &str, opid: &str, stored_login: bool) -> Result<String, JsValue> {
    to_json(
        &crate::inline_menu::menu_field_json(details_json, opid, stored_login).map_err(js_error)?,
    )
}

/// A new random password; `options_json` as `PasswordOptions` (camelCase, all optional).
#[wasm_bindgen(js_name = generatePassword)]
pub fn generate_password(options_json: &str) -> Result<String, JsValue> {
    let opts: crate::generator::PasswordOptions = if options_json.trim().is_empty() {
        Default::default()
    } else {
        serde_json::from_str(options_json)
            .map_err(|_| js_error(Error::malformed("generator options")))?
    };
    crate::generator::generate_password(&opts)
        .map(|p| p.as_str().to_string())
        .map_err(js_error)
}

/// `{score, guessesLog10}` for a candidate master password, as JSON text.
#[wasm_bindgen(js_name = passwordStrength)]
pub fn password_strength(password: &str) -> Result<String, JsValue> {
    to_json(&crate::strength::estimate(password, &[]))
}

/// This instance's linear memory, so the worker can overwrite it when the vault locks.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}
