//! The one way into the core: [`Keyfill`], a vault that is either local or a server account's,
//! behind one type. The CLI and the wasm binding both drive it; neither chooses between the local
//! and the server path, nor knows the order of a server sign-in.
//!
//! - `sign_in`: the server sign-in (prelogin, KDF guard, two-factor, remembered device, first
//!   sync, a local vault moved in), written once.
//! - `server`: the joined account: edits queued and sent, sync, what the worker stores.
//! - `save_offer`: the save prompt's offer for a submit, and the offer accepted.

// The facade is what the binding and the CLI program against: each public item says what it is.
#![warn(missing_docs)]

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use crate::api::{Remote, Transport};
use crate::crypto::{DeriveKey, Kdf};
use crate::error::{Error, Result};
use crate::session::{self, AccountMaterial, FolderRow, Session, TotpCode};
use crate::vault::view::CipherView;

mod save_offer;
mod server;
mod sign_in;

pub use server::AccountSnapshot;
pub use sign_in::{SignIn, SignedIn};

/// The unlocked vault and, when it is a server account's, the account. Cheap to clone (shared
/// state): an async caller keeps a clone across its awaits.
pub struct Keyfill<T> {
    session: Rc<RefCell<Session>>,
    server: Rc<RefCell<Option<Rc<Remote<T>>>>>,
}

impl<T> Clone for Keyfill<T> {
    fn clone(&self) -> Self {
        Keyfill {
            session: self.session.clone(),
            server: self.server.clone(),
        }
    }
}

impl<T> Default for Keyfill<T> {
    fn default() -> Self {
        Keyfill {
            session: Rc::new(RefCell::new(Session::new())),
            server: Rc::new(RefCell::new(None)),
        }
    }
}

impl<T> std::fmt::Debug for Keyfill<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Keyfill({}, {})",
            if self.session.borrow().is_unlocked() {
                "unlocked"
            } else {
                "locked"
            },
            if self.server.borrow().is_some() {
                "server account"
            } else {
                "local"
            }
        )
    }
}

impl<T: Transport> Keyfill<T> {
    /// Nothing open yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the open vault: rows, matches, items, the fill plan, TOTP, the stored material.
    /// Reads are the same for a local vault and a server account.
    pub fn read(&self) -> Ref<'_, Session> {
        self.session.borrow()
    }

    /// Whether a vault is open.
    pub fn is_unlocked(&self) -> bool {
        self.session.borrow().is_unlocked()
    }

    /// Whether the open vault is a server account's.
    pub fn is_connected(&self) -> bool {
        self.server.borrow().is_some()
    }

    /// Creates a local vault and opens it (closing what was open). Returns the prelogin JSON to
    /// store beside the material.
    pub async fn create_local(&self, password: &str, kdf: Kdf) -> Result<String> {
        let (salt, acct) = session::new_local_keys(password, kdf).await?;
        self.server.borrow_mut().take();
        self.session.borrow_mut().open_new_local(&salt, acct)
    }

    /// Opens the stored material with the master password (`derive` computes the master key).
    pub async fn unlock(
        &self,
        derive: &impl DeriveKey,
        email: &str,
        password: &str,
        material: AccountMaterial,
    ) -> Result<()> {
        let master = derive
            .master_key(password, material.salt(email), &material.kdf)
            .await?;
        let user_key = session::user_key_of(&master, &material)?;
        drop(master);
        let ring = session::open_keyring(user_key, &material).await?;
        self.session
            .borrow_mut()
            .unlock_with_keyring(ring, material)
    }

    /// Re-opens the stored material with a resume token (a restarted worker).
    pub async fn resume(&self, token: &str, material: AccountMaterial) -> Result<()> {
        let key = session::resume_key(token, &material)?;
        let ring = session::open_keyring(key, &material).await?;
        self.session
            .borrow_mut()
            .unlock_with_keyring(ring, material)
    }

    /// Checks the master password against the open vault ("ask for the master password
    /// again"); `wrong_password` otherwise. The vault stays open either way.
    pub async fn verify_password(
        &self,
        derive: &impl DeriveKey,
        email: &str,
        password: &str,
    ) -> Result<()> {
        let (salt, kdf) = self.session.borrow().reprompt_params(email)?;
        let master = derive.master_key(password, &salt, &kdf).await?;
        self.session.borrow().verify_master_key(&master)
    }

    /// Drops every key, decrypted value and the server account's tokens. An edit in flight
    /// finishes on its own copy of the account; the queue the worker stored is unchanged.
    pub fn lock(&self) {
        self.server.borrow_mut().take();
        self.session.borrow_mut().lock();
    }

    /// The user's default URI match strategy (0 Domain … 5 Never; `None` for Domain).
    pub fn set_default_match(&self, strategy: Option<i64>) {
        self.session.borrow_mut().set_default_match(strategy);
    }

    /// Whether the server's equivalent domains widen matching.
    pub fn set_use_server_equivalent_domains(&self, yes: bool) {
        self.session
            .borrow_mut()
            .set_use_server_equivalent_domains(yes);
    }

    /// Builds the match and search indexes now (when the caller is idle).
    pub fn warm_up(&self) -> Result<()> {
        let mut s = self.session.borrow_mut();
        s.warm_up()?;
        s.search("", &Default::default(), 0).map(drop)
    }

    /// Search rows (no secrets), serialised while the index is borrowed: `write` gets them.
    pub fn search<R>(
        &self,
        query: &str,
        filters: &crate::search::Filters,
        limit: usize,
        write: impl FnOnce(&[crate::search::Summary<'_>]) -> R,
    ) -> Result<R> {
        let mut s = self.session.borrow_mut();
        let rows = s.search(query, filters, limit)?;
        Ok(write(&rows))
    }

    /// The folders, by name.
    pub fn folders(&self) -> Result<Vec<FolderRow>> {
        self.session.borrow().folders()
    }

    /// The item's current TOTP code.
    pub fn totp(&self, id: &str, now_secs: u64) -> Result<TotpCode> {
        self.session.borrow().totp(id, now_secs)
    }

    // Edits: in the vault at once; for a server account also queued for the next sync.

    /// Saves an item (new when its id is empty); returns its id.
    pub fn save_item(&self, view: CipherView, now_ms: u64) -> Result<String> {
        match self.remote() {
            Some(r) => r.save_item(&self.session, view, now_ms),
            None => self.session.borrow_mut().save_item(view, now_ms),
        }
    }

    /// Moves an item to the trash, or back.
    pub fn set_trashed(&self, id: &str, trashed: bool, now_ms: u64) -> Result<()> {
        match self.remote() {
            Some(r) => r.set_trashed(&self.session, id, trashed, now_ms),
            None => self.session.borrow_mut().set_trashed(id, trashed, now_ms),
        }
    }

    /// Deletes an item for good.
    pub fn purge(&self, id: &str) -> Result<()> {
        match self.remote() {
            Some(r) => r.purge(&self.session, id),
            None => self.session.borrow_mut().purge(id),
        }
    }

    /// Creates (empty id) or renames a folder; returns its id.
    pub fn save_folder(&self, id: &str, name: &str, now_ms: u64) -> Result<String> {
        match self.remote() {
            Some(r) => r.save_folder(&self.session, id, name, now_ms),
            None => self.session.borrow_mut().save_folder(id, name, now_ms),
        }
    }

    /// Deletes a folder; its items stay, unfiled.
    pub fn delete_folder(&self, id: &str) -> Result<()> {
        match self.remote() {
            Some(r) => r.delete_folder(&self.session, id),
            None => self.session.borrow_mut().delete_folder(id),
        }
    }

    fn remote(&self) -> Option<Rc<Remote<T>>> {
        self.server.borrow().clone()
    }

    fn connected(&self) -> Result<Rc<Remote<T>>> {
        self.remote()
            .ok_or_else(|| Error::NotFound("a server account".into()))
    }
}
