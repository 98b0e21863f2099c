//! The wasm binding: converts types, maps errors to JS errors with a stable `code`, owns the one
//! `Session`. No business logic here; no key bytes cross into JS, except the PBKDF2 output that
//! the browser's own SubtleCrypto computes (it is native code, several times faster than wasm).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::crypto::kdf::normalize_email;
use crate::crypto::{Kdf, MasterKey};
use crate::error::Error;
use crate::session::{AccountMaterial, FilterRequest, Session as CoreSession};

mod remote;
mod text;

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

fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &key.into())
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = get(target, method)?.dyn_into()?;
    f.apply(target, &args.iter().collect())
}

/// PBKDF2-HMAC-SHA256 through `crypto.subtle.deriveBits`.
async fn subtle_pbkdf2(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Result<MasterKey, JsValue> {
    let subtle = get(&get(&js_sys::global(), "crypto")?, "subtle")?;
    let usages = js_sys::Array::of1(&"deriveBits".into());
    let pw = Uint8Array::from(password);
    let import = call(
        &subtle,
        "importKey",
        &[
            "raw".into(),
            pw.clone().into(),
            "PBKDF2".into(),
            false.into(),
            usages.into(),
        ],
    )?;
    let key = JsFuture::from(Promise::from(import)).await?;
    pw.fill(0, 0, pw.length());
    let params = Object::new();
    Reflect::set(&params, &"name".into(), &"PBKDF2".into())?;
    Reflect::set(&params, &"hash".into(), &"SHA-256".into())?;
    Reflect::set(&params, &"salt".into(), &Uint8Array::from(salt).into())?;
    Reflect::set(&params, &"iterations".into(), &iterations.into())?;
    let bits = call(&subtle, "deriveBits", &[params.into(), key, 256.into()])?;
    let buffer = JsFuture::from(Promise::from(bits)).await?;
    let view = Uint8Array::new(&buffer);
    let mut out = [0u8; 32];
    if view.length() != 32 {
        return Err(platform("PBKDF2 gave the wrong length"));
    }
    view.copy_to(&mut out);
    view.fill(0, 0, 32);
    Ok(MasterKey::from_derived(out))
}

/// The master key: PBKDF2 through SubtleCrypto when `subtle` (native code, several times faster
/// than wasm), anything else in the core. The KDF's bounds are already checked.
async fn derive_master(
    password: &str,
    salt: &str,
    kdf: &Kdf,
    subtle: bool,
) -> Result<MasterKey, JsValue> {
    match *kdf {
        Kdf::Pbkdf2 { iterations } if subtle => {
            let salt = normalize_email(salt);
            subtle_pbkdf2(password.as_bytes(), salt.as_bytes(), iterations).await
        }
        kdf => MasterKey::derive(password, salt, &kdf).map_err(js_error),
    }
}

#[wasm_bindgen]
pub struct Session {
    inner: Rc<RefCell<CoreSession>>,
    subtle_pbkdf2: bool,
    /// The server account, when the vault is one (`connect` / `logIn`).
    remote: remote::Slot,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            inner: Rc::new(RefCell::new(CoreSession::new())),
            subtle_pbkdf2: true,
            remote: Default::default(),
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
        let inner = self.inner.clone();
        let subtle = self.subtle_pbkdf2;
        let password = zeroize::Zeroizing::new(password);
        let sync_json = text::large_text(&sync_json, "the stored account");
        future_to_promise(async move {
            let material = AccountMaterial::parse(&prelogin_json, sync_json?).map_err(js_error)?;
            // Bounds were checked when the prelogin answer was parsed.
            let master =
                derive_master(&password, material.salt(&email), &material.kdf, subtle).await?;
            inner
                .borrow_mut()
                .unlock_with_master_key(&master, material)
                .map_err(js_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Checks the master password against the open vault ("ask for the master password
    /// again"): resolves when it is right, rejects with `wrong_password` otherwise. The vault
    /// stays open either way.
    #[wasm_bindgen(js_name = verifyPassword)]
    pub fn verify_password(&self, email: String, password: String) -> Promise {
        let inner = self.inner.clone();
        let subtle = self.subtle_pbkdf2;
        let password = zeroize::Zeroizing::new(password);
        future_to_promise(async move {
            let (salt, kdf) = inner.borrow().reprompt_params(&email).map_err(js_error)?;
            let master = derive_master(&password, &salt, &kdf, subtle).await?;
            inner
                .borrow()
                .verify_master_key(&master)
                .map_err(js_error)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    pub fn lock(&self) {
        self.remote.borrow_mut().take();
        self.inner.borrow_mut().lock();
    }

    #[wasm_bindgen(js_name = isUnlocked)]
    pub fn is_unlocked(&self) -> bool {
        self.inner.borrow().is_unlocked()
    }

    /// Every item's list row, as JSON text.
    pub fn summaries(&self) -> Result<String, JsValue> {
        to_json(&self.inner.borrow().summaries().map_err(js_error)?)
    }

    /// List rows of the items for a page URL (the tab's or frame's, as the browser reports
    /// it), strongest match first, as JSON text.
    #[wasm_bindgen(js_name = candidatesFor)]
    pub fn candidates_for(&self, url: &str) -> Result<String, JsValue> {
        to_json(&self.inner.borrow().candidates_for(url).map_err(js_error)?)
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
        let mut inner = self.inner.borrow_mut();
        let limit = req.limit.unwrap_or(crate::session::DEFAULT_SEARCH_LIMIT);
        to_json(
            &inner
                .search(query, &req.to_filters(), limit)
                .map_err(js_error)?,
        )
    }

    /// Builds the match and search indexes now, e.g. when the worker is idle right after
    /// unlock; otherwise the first `candidatesFor` / `search` builds them.
    #[wasm_bindgen(js_name = warmUp)]
    pub fn warm_up(&self) -> Result<(), JsValue> {
        let mut inner = self.inner.borrow_mut();
        inner.warm_up().map_err(js_error)?;
        inner
            .search("", &Default::default(), 0)
            .map(drop)
            .map_err(js_error)
    }

    /// The user's default URI match strategy (0 Domain … 5 Never; undefined for Domain).
    #[wasm_bindgen(js_name = setDefaultMatch)]
    pub fn set_default_match(&self, strategy: Option<i32>) {
        self.inner
            .borrow_mut()
            .set_default_match(strategy.map(i64::from));
    }

    /// Whether the server's equivalent domains widen matching (the user's setting; off by
    /// default).
    #[wasm_bindgen(js_name = setUseServerEquivalentDomains)]
    pub fn set_use_server_equivalent_domains(&self, yes: bool) {
        self.inner
            .borrow_mut()
            .set_use_server_equivalent_domains(yes);
    }

    /// One whole decrypted item, as JSON text (for the item view; holds secrets).
    pub fn item(&self, id: &str) -> Result<String, JsValue> {
        to_json(&self.inner.borrow().item(id).map_err(js_error)?)
    }

    /// Whether the item asks for the master password again (its plain `reprompt` flag): read
    /// without decrypting anything.
    #[wasm_bindgen(js_name = asksReprompt)]
    pub fn asks_reprompt(&self, id: &str) -> Result<bool, JsValue> {
        self.inner.borrow().asks_reprompt(id).map_err(js_error)
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// Runs the known-answer vectors (the vectors file's JSON text) and returns the outcomes.
#[wasm_bindgen(js_name = selfTest)]
pub fn self_test(vectors_json: &str) -> Result<String, JsValue> {
    to_json(&crate::selftest::run(vectors_json))
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

#[wasm_bindgen]
impl Session {
    /// Creates a local vault (`kdf`: "pbkdf2" or "argon2id") and opens it. Returns the prelogin
    /// JSON to store beside `materialJson()`.
    #[wasm_bindgen(js_name = createLocal)]
    pub fn create_local(&self, password: String, kdf: &str) -> Result<String, JsValue> {
        let password = zeroize::Zeroizing::new(password);
        let kdf = match kdf {
            "" | "pbkdf2" => Kdf::default(),
            "argon2id" => Kdf::Argon2id {
                iterations: 3,
                memory_mib: 64,
                parallelism: 4,
            },
            _ => return Err(js_error(Error::malformed("unknown key-derivation choice"))),
        };
        self.inner
            .borrow_mut()
            .create_local(&password, kdf)
            .map_err(js_error)
    }

    /// The opaque token that re-opens the vault after a worker restart (memory-only storage).
    #[wasm_bindgen(js_name = resumeToken)]
    pub fn resume_token(&self) -> Result<String, JsValue> {
        Ok(self
            .inner
            .borrow()
            .resume_token()
            .map_err(js_error)?
            .to_string())
    }

    /// Re-opens the vault from a resume token and the stored material (text or UTF-8 bytes).
    pub fn resume(
        &self,
        token: String,
        prelogin_json: &str,
        data_json: JsValue,
    ) -> Result<(), JsValue> {
        let token = zeroize::Zeroizing::new(token);
        let data_json = text::large_text(&data_json, "the stored account")?;
        let material = AccountMaterial::parse(prelogin_json, data_json).map_err(js_error)?;
        self.inner
            .borrow_mut()
            .resume(&token, material)
            .map_err(js_error)
    }

    /// The whole account as stored (ciphertext only), to persist after a change.
    #[wasm_bindgen(js_name = materialJson)]
    pub fn material_json(&self) -> Result<String, JsValue> {
        self.inner.borrow().material_json().map_err(js_error)
    }

    /// Saves an item given in the export shape; returns its id.
    #[wasm_bindgen(js_name = saveItem)]
    pub fn save_item(&self, item_json: &str) -> Result<String, JsValue> {
        let view = serde_json::from_str(item_json)
            .map_err(|_| js_error(Error::malformed("the item to save")))?;
        match self.remote() {
            Some(r) => r.save_item(&self.inner, view, now_ms()),
            None => self.inner.borrow_mut().save_item(view, now_ms()),
        }
        .map_err(js_error)
    }

    #[wasm_bindgen(js_name = setTrashed)]
    pub fn set_trashed(&self, id: &str, trashed: bool) -> Result<(), JsValue> {
        match self.remote() {
            Some(r) => r.set_trashed(&self.inner, id, trashed, now_ms()),
            None => self.inner.borrow_mut().set_trashed(id, trashed, now_ms()),
        }
        .map_err(js_error)
    }

    pub fn purge(&self, id: &str) -> Result<(), JsValue> {
        match self.remote() {
            Some(r) => r.purge(&self.inner, id),
            None => self.inner.borrow_mut().purge(id),
        }
        .map_err(js_error)
    }

    pub fn folders(&self) -> Result<String, JsValue> {
        to_json(&self.inner.borrow().folders().map_err(js_error)?)
    }

    #[wasm_bindgen(js_name = saveFolder)]
    pub fn save_folder(&self, id: &str, name: &str) -> Result<String, JsValue> {
        match self.remote() {
            Some(r) => r.save_folder(&self.inner, id, name, now_ms()),
            None => self.inner.borrow_mut().save_folder(id, name, now_ms()),
        }
        .map_err(js_error)
    }

    #[wasm_bindgen(js_name = deleteFolder)]
    pub fn delete_folder(&self, id: &str) -> Result<(), JsValue> {
        match self.remote() {
            Some(r) => r.delete_folder(&self.inner, id),
            None => self.inner.borrow_mut().delete_folder(id),
        }
        .map_err(js_error)
    }

    /// The item's current TOTP code `{code, period, remaining}` as JSON text.
    pub fn totp(&self, id: &str) -> Result<String, JsValue> {
        to_json(
            &self
                .inner
                .borrow()
                .totp(id, now_ms() / 1000)
                .map_err(js_error)?,
        )
    }
}

#[wasm_bindgen]
impl Session {
    /// The fill decision for a whole tab (JSON text; see docs/extension.md "Fill plan").
    #[wasm_bindgen(js_name = planTab)]
    pub fn plan_tab(&self, tab_json: &str, id: &str) -> Result<String, JsValue> {
        to_json(
            &self
                .inner
                .borrow()
                .plan_tab(tab_json, id)
                .map_err(js_error)?,
        )
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
