//! A server account joined to the unlocked session. Every change made in the session is recorded
//! in the offline queue; `sync` sends the queue, then replaces the local copy with the server's
//! when it has moved, and keeps both versions of an item the server refused as out of date. An
//! edit the server refused otherwise stays queued with its error until a retry stores it or the
//! user keeps it as a copy or discards it: no edit is ever lost. The session is borrowed only
//! between awaits, since the worker may handle other messages while a request is out.

use std::cell::RefCell;

use serde::Serialize;
use serde_json::{json, Value};

use super::ciphers::request_body;
use super::queue::{
    content, replay_shared, resolve_conflict, ConflictResolution, EditError, OfflineQueue,
    PendingEdit,
};
use super::{Client, SyncOutcome, SyncState, Transport};
use crate::error::{Error, Result};
use crate::session::{AccountMaterial, Session};
use crate::vault::view::CipherView;

/// True when two versions of an item differ in folder or favourite only.
fn only_filing_changed(old: &CipherView, new: &CipherView) -> bool {
    let strip = |v: &CipherView| {
        let mut c = content(v);
        if let Some(o) = c.as_object_mut() {
            o.remove("folderId");
            o.remove("favorite");
        }
        c
    };
    (old.folder_id != new.folder_id || old.favorite != new.favorite) && strip(old) == strip(new)
}

/// What one `sync` did, for the popup's account status.
#[derive(Serialize, Default, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// The local copy was replaced by the server's.
    pub synced: bool,
    /// Queued edits the server accepted.
    pub sent: usize,
    /// Edits still queued (the server could not be reached, or refused them).
    pub pending: usize,
    /// Queued edits whose last send failed (each carries its error).
    pub failed: usize,
    /// Names of the copies made to keep both versions of an item edited in two places.
    pub kept_both: Vec<String>,
    /// The server could not be reached: offline use continues.
    pub offline: bool,
    /// Items and folders created by this sync: (the local id, the id the server gave). The CLI
    /// reports the server's; the extension only needs the synced copy.
    #[serde(skip)]
    pub created: Vec<(String, String)>,
}

/// A queued edit as the popup shows it.
#[derive(Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UnsyncedEdit {
    pub key: String,
    pub op: &'static str,
    pub item_id: String,
    /// The item's or folder's name ("" when unknown).
    pub name: String,
    /// The last failure; `None` until a send fails.
    pub error: Option<EditError>,
    pub attempts: u32,
    /// Not sent again before this time (ms since the epoch).
    pub retry_at: Option<u64>,
}

/// An item created to keep both versions of a conflict.
#[derive(Serialize, PartialEq, Eq)]
pub struct KeptBoth {
    pub id: String,
    pub name: String,
}

// Names are the user's data: `Debug` shows what the edit is, not what it is called.
impl std::fmt::Debug for UnsyncedEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnsyncedEdit({} {} {}", self.key, self.op, self.item_id)?;
        if let Some(e) = &self.error {
            write!(f, " failed {}x: {}", self.attempts, e.code)?;
        }
        f.write_str(")")
    }
}

impl std::fmt::Debug for KeptBoth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptBoth({})", self.id)
    }
}

pub struct Remote<T> {
    pub client: Client<T>,
    /// The prelogin answer, to re-open each new sync.
    prelogin: String,
    /// Every edit not yet stored by the server, also while it is being sent: a worker stopped
    /// mid-send sends it again rather than losing it.
    queue: RefCell<OfflineQueue>,
    state: RefCell<Option<SyncState>>,
}

impl<T> std::fmt::Debug for Remote<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({} pending)", self.queue.borrow().len())
    }
}

impl<T: Transport> Remote<T> {
    pub fn new(
        client: Client<T>,
        prelogin: String,
        queue: OfflineQueue,
        state: Option<SyncState>,
    ) -> Self {
        Remote {
            client,
            prelogin,
            queue: RefCell::new(queue),
            state: RefCell::new(state),
        }
    }

    /// The queue as JSON, for storage beside the vault (it holds encrypted items only).
    pub fn queue_json(&self) -> String {
        self.queue.borrow().to_json()
    }

    pub fn pending(&self) -> usize {
        self.queue.borrow().len()
    }

    /// Queued edits whose last send failed.
    pub fn failed(&self) -> usize {
        self.queue.borrow().failed()
    }

    pub fn state(&self) -> Option<SyncState> {
        self.state.borrow().clone()
    }

    pub fn set_state(&self, state: Option<SyncState>) {
        *self.state.borrow_mut() = state;
    }

    /// Records an item just saved in the session. `last_known`: the server revision date the
    /// edit started from (`Session::stored_revision` before saving), `None` for a new item.
    pub fn record_save(
        &self,
        session: &Session,
        id: &str,
        is_new: bool,
        last_known: Option<String>,
    ) -> Result<()> {
        let cipher = session.stored_cipher(id)?;
        self.record(PendingEdit::SaveCipher {
            id: id.to_string(),
            cipher,
            last_known_revision_date: last_known,
            is_new,
        });
        Ok(())
    }

    /// Records a folder just created or renamed in the session.
    pub fn record_folder(&self, session: &Session, id: &str, is_new: bool) -> Result<()> {
        let name = session
            .stored_folder_name(id)?
            .ok_or_else(|| Error::malformed("the folder has no name"))?;
        self.record(PendingEdit::SaveFolder {
            id: id.to_string(),
            name,
            is_new,
        });
        Ok(())
    }

    /// Queues an edit; returns its key.
    pub fn record(&self, edit: PendingEdit) -> String {
        self.queue.borrow_mut().push(edit)
    }

    /// After signing in again with a queue kept from before: drops saved items the open account
    /// cannot read (its keys changed meanwhile), which the server could not use. Returns how
    /// many were dropped.
    pub fn keep_readable(&self, session: &Session) -> usize {
        let mut queue = self.queue.borrow_mut();
        let before = queue.edits.len();
        queue.edits.retain(|e| match &e.edit {
            PendingEdit::SaveCipher { cipher, .. } => session
                .decrypt_stored(cipher)
                .is_ok_and(|v| !v.is_unreadable()),
            _ => true,
        });
        before - queue.edits.len()
    }

    /// Saves an item in the session and queues it for the server: a favourite or folder change
    /// alone goes as the partial edit (§6.10), which also works on read-only items.
    pub fn save_item(
        &self,
        session: &RefCell<Session>,
        view: CipherView,
        now_ms: u64,
    ) -> Result<String> {
        let is_new = view.id.is_empty();
        // Only servers recent enough for per-item keys (never Cozy) are known to have `/partial`.
        if !is_new && self.client.cipher_keys.get() == Some(true) {
            let old = session.borrow().item(&view.id)?;
            if only_filing_changed(&old, &view) {
                let (folder_id, favorite) = (view.folder_id.clone(), view.favorite);
                let label = session.borrow().seal(&view.name).ok();
                let id = session.borrow_mut().save_item(view, now_ms)?;
                let edit = PendingEdit::Partial {
                    id: id.clone(),
                    folder_id,
                    favorite,
                };
                self.queue.borrow_mut().push_labelled(edit, label);
                return Ok(id);
            }
        }
        let last = if is_new {
            None
        } else {
            session.borrow().stored_revision(&view.id)?
        };
        let id = session.borrow_mut().save_item(view, now_ms)?;
        self.record_save(&session.borrow(), &id, is_new, last)?;
        Ok(id)
    }

    /// Moves an item to the trash or back, in the session and on the server.
    pub fn set_trashed(
        &self,
        session: &RefCell<Session>,
        id: &str,
        trashed: bool,
        now_ms: u64,
    ) -> Result<()> {
        let label = self.label(session, id);
        session.borrow_mut().set_trashed(id, trashed, now_ms)?;
        let id = id.to_string();
        let edit = if trashed {
            PendingEdit::Trash { id }
        } else {
            PendingEdit::Restore { id }
        };
        self.queue.borrow_mut().push_labelled(edit, label);
        Ok(())
    }

    /// The item's name sealed under the user key: the queue can say what an edit is about
    /// even once the item is gone from the local copy (deleted here, or on the server).
    fn label(&self, session: &RefCell<Session>, id: &str) -> Option<String> {
        let s = session.borrow();
        s.item(id).ok().and_then(|v| s.seal(&v.name).ok())
    }

    pub fn purge(&self, session: &RefCell<Session>, id: &str) -> Result<()> {
        let label = self.label(session, id);
        session.borrow_mut().purge(id)?;
        self.queue
            .borrow_mut()
            .push_labelled(PendingEdit::Delete { id: id.to_string() }, label);
        Ok(())
    }

    pub fn save_folder(
        &self,
        session: &RefCell<Session>,
        id: &str,
        name: &str,
        now_ms: u64,
    ) -> Result<String> {
        let saved = session.borrow_mut().save_folder(id, name, now_ms)?;
        self.record_folder(&session.borrow(), &saved, id.is_empty())?;
        Ok(saved)
    }

    pub fn delete_folder(&self, session: &RefCell<Session>, id: &str) -> Result<()> {
        // Folder names are stored sealed under the user key already.
        let label = session.borrow().stored_folder_name(id).ok().flatten();
        session.borrow_mut().delete_folder(id)?;
        self.queue
            .borrow_mut()
            .push_labelled(PendingEdit::DeleteFolder { id: id.to_string() }, label);
        Ok(())
    }

    /// Sends what is due in the queue, then syncs: a full sync after our own writes (they move
    /// the account's revision date), else only when the server's revision date moved. Edits the
    /// server refused stay queued with their error; a save refused because the server's copy
    /// changed ends as a copy of the user's version beside the server's ("keep both").
    pub async fn sync(&self, session: &RefCell<Session>, now_ms: u64) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        // A second round sends the copies made for conflicts.
        for _round in 0..2 {
            let mark = self.queue.borrow().changes();
            let replay = replay_shared(&self.queue, &self.client, now_ms).await;
            report.sent += replay.done;
            report.created.extend(replay.new_ids);
            match replay.stopped {
                Some(Error::ServerUnreachable) | Some(Error::Tls(_)) => {
                    report.offline = true;
                    break;
                }
                Some(e) => return Err(e),
                None => {}
            }
            let wrote = replay.done > 0 || !replay.conflicts.is_empty();
            let synced_before = report.synced;
            let pulled = self.pull(session, wrote, mark, &mut report).await?;
            let before = report.kept_both.len();
            if pulled {
                for key in &replay.conflicts {
                    self.keep_both(session, key, now_ms, &mut report)?;
                }
            }
            if report.synced && !synced_before {
                self.reapply_queued(session, now_ms);
            }
            if !pulled || replay.conflicts.is_empty() || report.kept_both.len() == before {
                break;
            }
        }
        report.pending = self.pending();
        report.failed = self.failed();
        Ok(report)
    }

    /// A save the server refused as out of date, once the local copy holds the server's
    /// version: the same content needs nothing more; different content becomes a new item
    /// named "<name> (conflict …)", queued in the same step the refused save leaves the queue.
    fn keep_both(
        &self,
        session: &RefCell<Session>,
        key: &str,
        now_ms: u64,
        report: &mut SyncReport,
    ) -> Result<()> {
        let Some(edit) = self.queue.borrow().get(key).cloned() else {
            return Ok(());
        };
        let PendingEdit::SaveCipher { id, cipher, .. } = &edit.edit else {
            return Ok(());
        };
        let mine = session.borrow().decrypt_stored(cipher)?;
        // Gone from the server meanwhile: the edit stays queued with its error for the user
        // to keep as a copy or discard.
        let Ok(theirs) = session.borrow().item(id) else {
            return Ok(());
        };
        match resolve_conflict(&mine, &theirs, now_ms) {
            ConflictResolution::Same => {}
            ConflictResolution::KeepBoth(copy) => {
                let name = copy.name.clone();
                let new_id = session.borrow_mut().save_item(*copy, now_ms)?;
                self.record_save(&session.borrow(), &new_id, true, None)?;
                self.queue.borrow_mut().kept_both.push(new_id);
                report.kept_both.push(name);
            }
        }
        self.queue.borrow_mut().remove(key);
        Ok(())
    }

    /// After a sync replaced the local copy with the server's: the edits still queued (refused,
    /// or waiting their turn) go back on top, so the vault shows and fills what the user wrote,
    /// not the server's older version, until the server stores them or the user discards them.
    /// One that no longer applies (its item gone from the server) stays queued all the same.
    fn reapply_queued(&self, session: &RefCell<Session>, now_ms: u64) {
        let edits: Vec<PendingEdit> = self
            .queue
            .borrow()
            .edits
            .iter()
            .map(|e| e.edit.clone())
            .collect();
        let mut s = session.borrow_mut();
        for edit in &edits {
            let _ = match edit {
                PendingEdit::SaveCipher { cipher, .. } => s.put_stored(cipher),
                PendingEdit::Partial {
                    id,
                    folder_id,
                    favorite,
                } => s.put_filing(id, folder_id.as_deref(), *favorite),
                PendingEdit::Trash { id } => s.set_trashed(id, true, now_ms),
                PendingEdit::Restore { id } => s.set_trashed(id, false, now_ms),
                PendingEdit::Delete { id } => s.purge(id),
                PendingEdit::SaveFolder { id, name, .. } => s.put_stored_folder(id, name, now_ms),
                PendingEdit::DeleteFolder { id } => s.delete_folder(id),
            };
        }
    }

    /// Replaces the local copy with the server's if it moved (always when `force`), unless
    /// edits were recorded since `mark` (the next sync sends them first); the edits still
    /// queued then go back on top (`reapply_queued`). Returns whether the local copy is now
    /// the server's.
    async fn pull(
        &self,
        session: &RefCell<Session>,
        force: bool,
        mark: u64,
        report: &mut SyncReport,
    ) -> Result<bool> {
        let fresh = |q: &RefCell<OfflineQueue>| q.borrow().changes() != mark;
        if fresh(&self.queue) {
            return Ok(false);
        }
        let last = self.state();
        let probe = match (&last, force) {
            (Some(s), true) => Some(SyncState {
                revision_date: i64::MIN,
                ..s.clone()
            }),
            (l, _) => l.clone(),
        };
        match self.client.sync_if_changed(probe.as_ref()).await {
            Ok(SyncOutcome::Unchanged) => Ok(true),
            Ok(SyncOutcome::Synced { text, state }) => {
                if fresh(&self.queue) {
                    return Ok(false);
                }
                let material = AccountMaterial::parse(&self.prelogin, text)?;
                let user_key = session.borrow().user_key()?;
                let ring = crate::session::open_keyring(user_key, &material).await?;
                session.borrow_mut().reopen(ring, material)?;
                self.set_state(Some(state));
                report.synced = true;
                Ok(true)
            }
            Err(Error::ServerUnreachable) | Err(Error::Tls(_)) => {
                report.offline = true;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Every queued edit, in order, for the user: what it is about (by name) and how sending it
    /// went.
    pub fn unsynced(&self, session: &Session) -> Vec<UnsyncedEdit> {
        let queue = self.queue.borrow();
        let folders = session.folders().unwrap_or_default();
        queue
            .edits
            .iter()
            .map(|e| {
                let from_label = || e.label.as_deref().and_then(|l| session.unseal(l).ok());
                let name = match &e.edit {
                    PendingEdit::SaveCipher { cipher, .. } => {
                        session.decrypt_stored(cipher).ok().map(|v| v.name)
                    }
                    PendingEdit::SaveFolder { name, .. } => session.unseal(name).ok(),
                    PendingEdit::DeleteFolder { id } => from_label()
                        .or_else(|| folders.iter().find(|f| &f.id == id).map(|f| f.name.clone())),
                    // The current name where the item is still here, else the one it had.
                    other => session
                        .item(other.id())
                        .ok()
                        .map(|v| v.name)
                        .or_else(from_label),
                };
                UnsyncedEdit {
                    key: e.key.clone(),
                    op: e.op(),
                    item_id: e.id().to_string(),
                    name: name.unwrap_or_default(),
                    error: e.error.clone(),
                    attempts: e.attempts,
                    retry_at: e.retry_at,
                }
            })
            .collect()
    }

    /// Sends this edit at the next sync, whatever its back-off.
    pub fn retry_edit(&self, key: &str) -> Result<()> {
        self.queue.borrow_mut().retry(key)
    }

    /// Drops an edit the user chose to lose. The local copy still shows it, so the next sync
    /// downloads the server's copy even if the server's revision date has not moved (the
    /// forgotten revision date is stored with the snapshot, so a restart keeps that promise).
    pub fn discard_edit(&self, key: &str) -> Result<()> {
        self.queue
            .borrow_mut()
            .remove(key)
            .ok_or_else(|| Error::NotFound("that change in the queue".into()))?;
        if let Some(state) = self.state.borrow_mut().as_mut() {
            state.revision_date = i64::MIN;
        }
        Ok(())
    }

    /// Replaces a refused save with the creation of a new item holding the user's version
    /// (same name): the user's content reaches the server as an item of its own.
    pub fn keep_local_copy(
        &self,
        session: &RefCell<Session>,
        key: &str,
        now_ms: u64,
    ) -> Result<()> {
        let edit = self
            .queue
            .borrow()
            .get(key)
            .cloned()
            .ok_or_else(|| Error::NotFound("that change in the queue".into()))?;
        let PendingEdit::SaveCipher { cipher, .. } = &edit.edit else {
            return Err(Error::Unsupported(
                "only a changed item can be kept as a copy; retry or discard this change".into(),
            ));
        };
        if self.queue.borrow().is_in_flight(key) {
            return Err(Error::Unsupported(
                "this change is being sent right now; try again when the sync ends".into(),
            ));
        }
        let mut copy = session.borrow().decrypt_stored(cipher)?;
        copy.id.clear();
        copy.revision_date = None;
        copy.creation_date = None;
        copy.deleted_date = None;
        copy.errors.clear();
        let new_id = session.borrow_mut().save_item(copy, now_ms)?;
        let stored = session.borrow().stored_cipher(&new_id)?;
        let mut queue = self.queue.borrow_mut();
        if let Some(e) = queue.get_mut(key) {
            e.edit = PendingEdit::SaveCipher {
                id: new_id,
                cipher: stored,
                last_known_revision_date: None,
                is_new: true,
            };
            e.error = None;
            e.attempts = 0;
            e.retry_at = None;
            e.label = None;
        }
        Ok(())
    }

    /// The items created to keep both versions of a conflict, still to be looked at.
    pub fn kept_both(&self, session: &Session) -> Vec<KeptBoth> {
        self.queue
            .borrow()
            .kept_both
            .iter()
            .filter_map(|id| {
                let item = session.item(id).ok()?;
                Some(KeptBoth {
                    id: id.clone(),
                    name: item.name,
                })
            })
            .collect()
    }

    /// The user has looked at a kept copy: it leaves the list (the item stays).
    pub fn resolve_kept_both(&self, id: &str) -> Result<()> {
        let mut queue = self.queue.borrow_mut();
        let before = queue.kept_both.len();
        queue.kept_both.retain(|k| k != id);
        if queue.kept_both.len() == before {
            return Err(Error::NotFound("that copy in the list".into()));
        }
        Ok(())
    }

    /// Uploads the items and folders of a local vault into this (just opened) account with
    /// the import endpoint (§6.10), then syncs: the account becomes the source of truth.
    /// Nothing is kept locally if the upload fails. Returns how many items went up.
    pub async fn upload(
        &self,
        session: &RefCell<Session>,
        items: Vec<CipherView>,
        folders: Vec<(String, String)>,
        now_ms: u64,
    ) -> Result<usize> {
        let mut folder_ids = Vec::new();
        for (_, name) in &folders {
            folder_ids.push(session.borrow_mut().save_folder("", name, now_ms)?);
        }
        let mut ciphers = Vec::new();
        let mut relationships = Vec::new();
        for mut item in items.into_iter().filter(|i| !i.is_unreadable()) {
            let folder = item
                .folder_id
                .as_deref()
                .and_then(|f| folders.iter().position(|(old, _)| old == f));
            item.id.clear();
            item.folder_id = None;
            item.organization_id = None;
            item.collection_ids = None;
            let id = session.borrow_mut().save_item(item, now_ms)?;
            if let Some(f) = folder {
                relationships.push(json!({ "key": ciphers.len(), "value": f }));
            }
            ciphers.push(request_body(&session.borrow().stored_cipher(&id)?, None)?);
        }
        let folder_names: Vec<Value> = folder_ids
            .iter()
            .map(|id| Ok(json!({ "name": session.borrow().stored_folder_name(id)? })))
            .collect::<Result<_>>()?;
        let count = ciphers.len();
        let body = json!({
            "ciphers": ciphers, "folders": folder_names, "folderRelationships": relationships,
        });
        self.client.import(&body).await?;
        let mut report = SyncReport::default();
        let mark = self.queue.borrow().changes();
        self.pull(session, true, mark, &mut report).await?;
        if !report.synced {
            return Err(Error::ServerUnreachable);
        }
        Ok(count)
    }
}
