//! A server account joined to the unlocked session. Every change made in the session is recorded
//! in the offline queue; `sync` sends the queue, then replaces the local copy with the server's
//! when it has moved, and keeps both versions of an item the server refused as out of date (or
//! deleted meanwhile): no edit is ever lost. The session is borrowed only between awaits, since
//! the worker may handle other messages while a request is out.

use std::cell::RefCell;

use serde::Serialize;
use serde_json::{json, Value};

use super::ciphers::request_body;
use super::queue::{content, resolve_conflict, ConflictResolution, OfflineQueue, PendingEdit};
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
    /// Edits still waiting (the server could not be reached).
    pub pending: usize,
    /// Names of the copies made to keep both versions of an item edited in two places.
    pub kept_both: Vec<String>,
    /// The server could not be reached: offline use continues.
    pub offline: bool,
}

pub struct Remote<T> {
    pub client: Client<T>,
    /// The prelogin answer, to re-open each new sync.
    prelogin: String,
    queue: RefCell<OfflineQueue>,
    /// The edits being sent right now: still part of what is stored, so a worker stopped
    /// mid-send sends them again rather than losing them.
    sending: RefCell<Vec<PendingEdit>>,
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
            sending: RefCell::new(Vec::new()),
            state: RefCell::new(state),
        }
    }

    /// The queue as JSON, for storage beside the vault (it holds encrypted items only).
    pub fn queue_json(&self) -> String {
        let mut all = self.sending.borrow().clone();
        all.extend(self.queue.borrow().edits.iter().cloned());
        OfflineQueue { edits: all }.to_json()
    }

    pub fn pending(&self) -> usize {
        self.sending.borrow().len() + self.queue.borrow().len()
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

    pub fn record(&self, edit: PendingEdit) {
        self.queue.borrow_mut().push(edit);
    }

    /// After signing in again with a queue kept from before: drops saved items the open account
    /// cannot read (its keys changed meanwhile), which the server could not use. Returns how
    /// many were dropped.
    pub fn keep_readable(&self, session: &Session) -> usize {
        let mut queue = self.queue.borrow_mut();
        let before = queue.edits.len();
        queue.edits.retain(|e| match e {
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
                let id = session.borrow_mut().save_item(view, now_ms)?;
                self.record(PendingEdit::Partial {
                    id: id.clone(),
                    folder_id,
                    favorite,
                });
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
        session.borrow_mut().set_trashed(id, trashed, now_ms)?;
        let id = id.to_string();
        self.record(if trashed {
            PendingEdit::Trash { id }
        } else {
            PendingEdit::Restore { id }
        });
        Ok(())
    }

    pub fn purge(&self, session: &RefCell<Session>, id: &str) -> Result<()> {
        session.borrow_mut().purge(id)?;
        self.record(PendingEdit::Delete { id: id.to_string() });
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
        session.borrow_mut().delete_folder(id)?;
        self.record(PendingEdit::DeleteFolder { id: id.to_string() });
        Ok(())
    }

    /// Sends what is queued, then syncs: a full sync after our own writes (they move the
    /// account's revision date), else only when the server's revision date moved.
    pub async fn sync(&self, session: &RefCell<Session>, now_ms: u64) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        // A second round sends the copies made for conflicts.
        for _round in 0..2 {
            let mut queue = self.queue.take();
            *self.sending.borrow_mut() = queue.edits.clone();
            let replay = queue.replay(&self.client).await;
            self.sending.borrow_mut().clear();
            // Edits recorded while the requests were out go after what is left.
            queue.edits.append(&mut self.queue.borrow_mut().edits);
            *self.queue.borrow_mut() = queue;
            report.sent += replay.done;
            match replay.stopped {
                Some(Error::ServerUnreachable) | Some(Error::Tls(_)) => {
                    report.offline = true;
                    report.pending = self.pending();
                    return Ok(report);
                }
                Some(e) => return Err(e),
                None => {}
            }
            // Keep aside our version of each item the server refused, before a new sync
            // replaces the local copy.
            let mut mine: Vec<CipherView> = Vec::new();
            let refused_saves = replay.refused.iter().map(|(e, _)| e);
            for edit in replay.conflicts.iter().chain(refused_saves) {
                if let PendingEdit::SaveCipher { cipher, .. } = edit {
                    mine.push(session.borrow().decrypt_stored(cipher)?);
                }
            }
            let wrote = replay.done > 0 || !mine.is_empty();
            self.pull(session, wrote, &mut report).await?;
            if mine.is_empty() {
                break;
            }
            for view in mine {
                let theirs = session.borrow().item(&view.id).ok();
                let mut copy = match theirs {
                    Some(t) => match resolve_conflict(&view, &t, now_ms) {
                        ConflictResolution::Same => continue,
                        ConflictResolution::KeepBoth(c) => *c,
                    },
                    // Deleted on the server meanwhile: ours comes back as a new item.
                    None => view.clone(),
                };
                copy.id.clear();
                let name = copy.name.clone();
                let id = session.borrow_mut().save_item(copy, now_ms)?;
                self.record_save(&session.borrow(), &id, true, None)?;
                report.kept_both.push(name);
            }
        }
        report.pending = self.pending();
        Ok(report)
    }

    /// Replaces the local copy with the server's if it moved (always when `force`), unless new
    /// edits were recorded meanwhile (the next sync sends them first).
    async fn pull(
        &self,
        session: &RefCell<Session>,
        force: bool,
        report: &mut SyncReport,
    ) -> Result<()> {
        if self.pending() > 0 {
            return Ok(());
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
            Ok(SyncOutcome::Unchanged) => Ok(()),
            Ok(SyncOutcome::Synced { text, state }) => {
                if self.pending() > 0 {
                    return Ok(());
                }
                let material = AccountMaterial::parse(&self.prelogin, text)?;
                session.borrow_mut().reopen(material)?;
                self.set_state(Some(state));
                report.synced = true;
                Ok(())
            }
            Err(Error::ServerUnreachable) | Err(Error::Tls(_)) => {
                report.offline = true;
                Ok(())
            }
            Err(e) => Err(e),
        }
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
        self.pull(session, true, &mut report).await?;
        if !report.synced {
            return Err(Error::ServerUnreachable);
        }
        Ok(count)
    }
}
