//! Edits not yet stored by the server, kept as plain data (JSON, encrypted items only) with how
//! sending each went, and replayed in order; and the rule for an item changed in two places: if
//! the versions differ, keep both. An edit leaves the queue only once the server has stored it
//! or the user discards it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ciphers::request_body;
use super::{Client, Transport};
use crate::error::{Error, Result};
use crate::vault::entries::iso_date;
use crate::vault::view::CipherView;

/// One pending change. Items are stored as the local store keeps them (encrypted), so the queue
/// can sit in `chrome.storage.local` beside the vault. Read back through [`StoredEdit`].
#[derive(Serialize, Clone, PartialEq)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum PendingEdit {
    /// Create (`is_new`: the id is a local one) or replace an item.
    #[serde(rename_all = "camelCase")]
    SaveCipher {
        id: String,
        cipher: Value,
        /// The server's `revisionDate` the edit started from (§6.10).
        last_known_revision_date: Option<String>,
        is_new: bool,
    },
    #[serde(rename_all = "camelCase")]
    Partial {
        id: String,
        folder_id: Option<String>,
        favorite: bool,
    },
    Trash {
        id: String,
    },
    Restore {
        id: String,
    },
    Delete {
        id: String,
    },
    /// Create (`is_new`) or rename a folder; `name` is an EncString.
    #[serde(rename_all = "camelCase")]
    SaveFolder {
        id: String,
        name: String,
        is_new: bool,
    },
    DeleteFolder {
        id: String,
    },
}

impl PendingEdit {
    /// The item or folder this edit is about.
    pub fn id(&self) -> &str {
        match self {
            PendingEdit::SaveCipher { id, .. }
            | PendingEdit::Partial { id, .. }
            | PendingEdit::Trash { id }
            | PendingEdit::Restore { id }
            | PendingEdit::Delete { id }
            | PendingEdit::SaveFolder { id, .. }
            | PendingEdit::DeleteFolder { id } => id,
        }
    }

    pub fn is_folder(&self) -> bool {
        matches!(
            self,
            PendingEdit::SaveFolder { .. } | PendingEdit::DeleteFolder { .. }
        )
    }

    pub fn op(&self) -> &'static str {
        match self {
            PendingEdit::SaveCipher { .. } => "saveCipher",
            PendingEdit::Partial { .. } => "partial",
            PendingEdit::Trash { .. } => "trash",
            PendingEdit::Restore { .. } => "restore",
            PendingEdit::Delete { .. } => "delete",
            PendingEdit::SaveFolder { .. } => "saveFolder",
            PendingEdit::DeleteFolder { .. } => "deleteFolder",
        }
    }
}

impl std::fmt::Debug for PendingEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PendingEdit({} {})", self.op(), self.id())
    }
}

/// The item with this id in the local store's JSON (`Session::material_json`), to queue it.
pub fn stored_item(material_json: &str, id: &str) -> Result<Value> {
    let doc: Value = serde_json::from_str(material_json)
        .map_err(|_| Error::malformed("the stored account is not JSON"))?;
    doc.get("ciphers")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|c| c.get("id").and_then(Value::as_str) == Some(id))
        })
        .cloned()
        .ok_or_else(|| Error::NotFound("item".into()))
}

/// Why an edit is still queued: the last failure's stable code and message (never a secret:
/// server messages are cleaned when read, and bodies are encrypted).
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct EditError {
    pub code: String,
    pub message: String,
}

impl EditError {
    pub fn from_error(e: &Error) -> Self {
        EditError {
            code: e.code().into(),
            message: e.to_string(),
        }
    }
}

/// The first retry waits this long after a failure, doubling with each one up to the cap.
pub const RETRY_FIRST_MS: u64 = 30_000;
pub const RETRY_CAP_MS: u64 = 60 * 60 * 1000;

/// How long to wait before sending an edit again after its `attempts`-th failure.
pub fn backoff_ms(attempts: u32) -> u64 {
    let doublings = attempts.saturating_sub(1).min(20);
    (RETRY_FIRST_MS << doublings).min(RETRY_CAP_MS)
}

/// An edit in the queue: what to send, a stable key for the user's choices, and how sending it
/// went so far. Written with the edit's fields inline (`flatten`), read through [`StoredEdit`].
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
#[serde(rename_all = "camelCase", try_from = "StoredEdit")]
pub struct QueuedEdit {
    /// Given when queued; queues stored before keys existed get theirs on loading.
    #[serde(default)]
    pub key: String,
    #[serde(flatten)]
    pub edit: PendingEdit,
    /// The last failure; `None` until a send fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<EditError>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempts: u32,
    /// Not sent again before this time (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<u64>,
    /// The object's name sealed under the user key (edits that carry no name of their own), so
    /// the user still sees what the edit is about once the object is gone from the local copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A queued edit as stored: every kind's fields in one flat struct. serde reads a `flatten`ed,
/// internally tagged enum by buffering each field first, which took ~27 KB of the wasm for this
/// one type; a flat struct reads in one pass, and [`QueuedEdit::try_from`] checks that the kind's
/// fields are there, as the derived reader did.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredEdit {
    #[serde(default)]
    key: String,
    op: String,
    id: String,
    /// `Some(Value::Null)` for a stored `null`, `None` when absent.
    #[serde(default, deserialize_with = "present")]
    cipher: Option<Value>,
    last_known_revision_date: Option<String>,
    is_new: Option<bool>,
    folder_id: Option<String>,
    favorite: Option<bool>,
    name: Option<String>,
    error: Option<EditError>,
    #[serde(default)]
    attempts: u32,
    retry_at: Option<u64>,
    label: Option<String>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl TryFrom<StoredEdit> for QueuedEdit {
    type Error = String;

    fn try_from(s: StoredEdit) -> std::result::Result<Self, String> {
        let need = |field: &str| format!("a {} edit without {field}", s.op);
        let id = s.id;
        let edit = match s.op.as_str() {
            "saveCipher" => PendingEdit::SaveCipher {
                id,
                cipher: s.cipher.ok_or_else(|| need("cipher"))?,
                last_known_revision_date: s.last_known_revision_date,
                is_new: s.is_new.ok_or_else(|| need("isNew"))?,
            },
            "partial" => PendingEdit::Partial {
                id,
                folder_id: s.folder_id,
                favorite: s.favorite.ok_or_else(|| need("favorite"))?,
            },
            "trash" => PendingEdit::Trash { id },
            "restore" => PendingEdit::Restore { id },
            "delete" => PendingEdit::Delete { id },
            "saveFolder" => PendingEdit::SaveFolder {
                id,
                name: s.name.ok_or_else(|| need("name"))?,
                is_new: s.is_new.ok_or_else(|| need("isNew"))?,
            },
            "deleteFolder" => PendingEdit::DeleteFolder { id },
            other => return Err(format!("an edit of unknown kind {other}")),
        };
        Ok(QueuedEdit {
            key: s.key,
            edit,
            error: s.error,
            attempts: s.attempts,
            retry_at: s.retry_at,
            label: s.label,
        })
    }
}

impl QueuedEdit {
    pub fn id(&self) -> &str {
        self.edit.id()
    }

    pub fn op(&self) -> &'static str {
        self.edit.op()
    }

    /// A failed send: keep the edit with its error, and wait longer before the next one.
    fn failed(&mut self, e: &Error, now_ms: u64) {
        self.error = Some(EditError::from_error(e));
        self.attempts = self.attempts.saturating_add(1);
        self.retry_at = Some(now_ms.saturating_add(backoff_ms(self.attempts)));
    }

    /// Waits behind no back-off, as if never tried (the content changed, or the user asked).
    fn reset(&mut self) {
        self.retry_at = None;
    }

    /// The folder this item edit files the item in, if any.
    fn folder_ref(&self) -> Option<&str> {
        match &self.edit {
            PendingEdit::SaveCipher { cipher, .. } => {
                cipher.get("folderId").and_then(Value::as_str)
            }
            PendingEdit::Partial { folder_id, .. } => folder_id.as_deref(),
            _ => None,
        }
    }
}

/// The edits not yet stored by the server, in the order they were made, and the copies made to
/// keep both versions of an item until the user has looked at them. An edit leaves the queue
/// only when the server has stored it or the user discards it.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct OfflineQueue {
    pub edits: Vec<QueuedEdit>,
    /// Ids of the items created to keep both versions of a conflict, until the user resolves them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_both: Vec<String>,
    /// The number the next key is made from.
    #[serde(default)]
    next_key: u64,
    /// The edit whose request is out: not merged into, not dropped by a later delete.
    #[serde(skip)]
    in_flight: Option<String>,
    /// Counts every change of content (push), so a sync sees edits recorded while it ran.
    #[serde(skip)]
    changes: u64,
}

/// Equal when what is stored is equal (not the state of a replay under way).
impl PartialEq for OfflineQueue {
    fn eq(&self, other: &Self) -> bool {
        (&self.edits, &self.kept_both, self.next_key)
            == (&other.edits, &other.kept_both, other.next_key)
    }
}

/// What a replay did.
#[derive(Default, Debug)]
pub struct ReplayReport {
    /// Edits the server stored (they left the queue).
    pub done: usize,
    /// Local ids of things created offline → the ids the server gave them.
    pub new_ids: Vec<(String, String)>,
    /// Keys of saves the server refused because its copy changed: still queued; resync, then
    /// `resolve_conflict`.
    pub conflicts: Vec<String>,
    /// Edits that failed this time: still queued with their error and back-off.
    pub failed: usize,
    /// Why the replay stopped early (offline, logged out); the rest stays queued untouched.
    pub stopped: Option<Error>,
}

impl OfflineQueue {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    pub fn len(&self) -> usize {
        self.edits.len()
    }

    /// Edits whose last send failed.
    pub fn failed(&self) -> usize {
        self.edits.iter().filter(|e| e.error.is_some()).count()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"edits\":[]}".into())
    }

    /// Reads a stored queue, also one stored before edits had keys and errors.
    pub fn from_json(text: &str) -> Result<Self> {
        let mut q: Self =
            serde_json::from_str(text).map_err(|_| Error::malformed("the offline queue"))?;
        let highest = q
            .edits
            .iter()
            .filter_map(|e| e.key.strip_prefix('e')?.parse::<u64>().ok())
            .max();
        q.next_key = q.next_key.max(highest.map_or(0, |h| h + 1));
        let mut seen = std::collections::HashSet::new();
        for i in 0..q.edits.len() {
            if q.edits[i].key.is_empty() || !seen.insert(q.edits[i].key.clone()) {
                q.edits[i].key = q.new_key();
                seen.insert(q.edits[i].key.clone());
            }
        }
        Ok(q)
    }

    fn new_key(&mut self) -> String {
        let key = format!("e{}", self.next_key);
        self.next_key += 1;
        key
    }

    /// How many times edits were added or changed: a sync compares it before and after.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    pub fn get(&self, key: &str) -> Option<&QueuedEdit> {
        self.edits.iter().find(|e| e.key == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut QueuedEdit> {
        self.edits.iter_mut().find(|e| e.key == key)
    }

    /// Takes an edit out of the queue (stored by the server, or discarded by the user).
    pub fn remove(&mut self, key: &str) -> Option<QueuedEdit> {
        let i = self.edits.iter().position(|e| e.key == key)?;
        Some(self.edits.remove(i))
    }

    /// Clears an edit's back-off so the next replay sends it.
    pub fn retry(&mut self, key: &str) -> Result<()> {
        self.get_mut(key)
            .ok_or_else(|| Error::NotFound("that change in the queue".into()))?
            .reset();
        Ok(())
    }

    pub fn is_in_flight(&self, key: &str) -> bool {
        self.in_flight.as_deref() == Some(key)
    }

    /// Adds an edit and returns its key. A save right after a save of the same item replaces
    /// it (keeping where it started from); deleting something never sent drops its pending
    /// edits instead. Neither touches an edit whose request is out.
    pub fn push(&mut self, edit: PendingEdit) -> String {
        self.push_labelled(edit, None)
    }

    /// `push`, with the object's name sealed under the user key.
    pub fn push_labelled(&mut self, edit: PendingEdit, label: Option<String>) -> String {
        self.changes += 1;
        let id = edit.id().to_string();
        let folder = edit.is_folder();
        let same = |e: &QueuedEdit| e.id() == id && e.edit.is_folder() == folder;
        let created_here = self.edits.iter().any(|e| {
            same(e)
                && matches!(
                    e.edit,
                    PendingEdit::SaveCipher { is_new: true, .. }
                        | PendingEdit::SaveFolder { is_new: true, .. }
                )
        });
        let busy = self
            .edits
            .iter()
            .any(|e| same(e) && self.is_in_flight(&e.key));
        if created_here
            && !busy
            && matches!(
                edit,
                PendingEdit::Delete { .. } | PendingEdit::DeleteFolder { .. }
            )
        {
            self.edits.retain(|e| !same(e));
            self.kept_both.retain(|k| k != &id);
            return String::new();
        }
        let in_flight = self.in_flight.clone();
        if let (Some(last), PendingEdit::SaveCipher { cipher, .. }) = (self.edits.last_mut(), &edit)
        {
            if let PendingEdit::SaveCipher {
                id: last_id,
                cipher: last_cipher,
                ..
            } = &mut last.edit
            {
                if *last_id == id && in_flight.as_deref() != Some(last.key.as_str()) {
                    *last_cipher = cipher.clone();
                    // New content: not yet tried.
                    last.error = None;
                    last.attempts = 0;
                    last.reset();
                    return last.key.clone();
                }
            }
        }
        let key = self.new_key();
        self.edits.push(QueuedEdit {
            key: key.clone(),
            edit,
            error: None,
            attempts: 0,
            retry_at: None,
            label,
        });
        key
    }

    /// The next edit to send: the first one not waiting (back-off, or tried already this
    /// replay) whose object has no earlier edit still queued, and which files no item in a
    /// folder whose creation is still queued. Later edits of a waiting object wait too, so the
    /// server sees each object's edits in the order they were made.
    fn next_ready(&self, now_ms: u64, tried: &HashSet<String>) -> Option<QueuedEdit> {
        let mut waiting: HashSet<(bool, &str)> = HashSet::new();
        for e in &self.edits {
            let object = (e.edit.is_folder(), e.id());
            let behind = waiting.contains(&object)
                || e.folder_ref().is_some_and(|f| waiting.contains(&(true, f)));
            let resting = tried.contains(&e.key) || e.retry_at.is_some_and(|t| t > now_ms);
            if behind || resting {
                waiting.insert(object);
                continue;
            }
            return Some(e.clone());
        }
        None
    }

    /// Sends what is due, in order (see `next_ready`). An edit the server stored leaves the
    /// queue; one that failed stays with its error and a later retry time, and the others go
    /// on; no answer at all (offline, logged out) stops the replay with everything kept.
    pub async fn replay<T: Transport>(&mut self, client: &Client<T>, now_ms: u64) -> ReplayReport {
        let cell = RefCell::new(std::mem::take(self));
        let report = replay_shared(&cell, client, now_ms).await;
        *self = cell.into_inner();
        report
    }

    /// After `edit` created its object under `server_id`: queued edits use that id.
    fn rename(&mut self, edit: &PendingEdit, server_id: &str) {
        let old = edit.id().to_string();
        let folder = edit.is_folder();
        for e in &mut self.edits {
            if e.edit.is_folder() == folder && e.id() == old {
                set_id(&mut e.edit, server_id);
            }
            if folder {
                match &mut e.edit {
                    PendingEdit::SaveCipher { cipher, .. }
                        if cipher.get("folderId").and_then(Value::as_str) == Some(&old) =>
                    {
                        cipher["folderId"] = Value::String(server_id.into());
                    }
                    PendingEdit::Partial { folder_id, .. }
                        if folder_id.as_deref() == Some(&old) =>
                    {
                        *folder_id = Some(server_id.into());
                    }
                    _ => {}
                }
            }
        }
        if !folder {
            for k in &mut self.kept_both {
                if *k == old {
                    *k = server_id.to_string();
                }
            }
        }
    }
}

/// `OfflineQueue::replay` on a queue others may change between requests (the session records
/// edits, the user retries or discards while a request is out): it is borrowed only between
/// awaits, and each edit is found again by its key once its answer is in.
pub async fn replay_shared<T: Transport>(
    queue: &RefCell<OfflineQueue>,
    client: &Client<T>,
    now_ms: u64,
) -> ReplayReport {
    let mut report = ReplayReport::default();
    // Revision dates our own writes produced, for later edits of the same item.
    let mut revisions: HashMap<String, Option<String>> = HashMap::new();
    let mut tried: HashSet<String> = HashSet::new();
    loop {
        let Some(next) = queue.borrow().next_ready(now_ms, &tried) else {
            break;
        };
        tried.insert(next.key.clone());
        queue.borrow_mut().in_flight = Some(next.key.clone());
        let result = apply(client, &next.edit, &revisions).await;
        let mut q = queue.borrow_mut();
        q.in_flight = None;
        match result {
            Ok(saved) => {
                report.done += 1;
                q.remove(&next.key);
                if let Some((server_id, revision)) = saved {
                    if server_id != next.id() {
                        q.rename(&next.edit, &server_id);
                        report
                            .new_ids
                            .push((next.id().to_string(), server_id.clone()));
                    }
                    revisions.insert(server_id, revision);
                }
            }
            Err(e) if stops(&e) => {
                report.stopped = Some(e);
                return report;
            }
            Err(e) => {
                let existing_save =
                    matches!(next.edit, PendingEdit::SaveCipher { is_new: false, .. });
                if e == Error::Conflict && existing_save {
                    report.conflicts.push(next.key.clone());
                }
                report.failed += 1;
                if let Some(edit) = q.get_mut(&next.key) {
                    edit.failed(&e, now_ms);
                }
            }
        }
    }
    report
}

/// No answer, or no right to ask: every later request would fail the same way.
fn stops(e: &Error) -> bool {
    matches!(
        e,
        Error::ServerUnreachable | Error::Tls(_) | Error::LoggedOut | Error::Locked
    )
}

fn set_id(edit: &mut PendingEdit, new: &str) {
    match edit {
        PendingEdit::SaveCipher { id, is_new, .. } => {
            *id = new.into();
            *is_new = false;
        }
        PendingEdit::SaveFolder { id, is_new, .. } => {
            *id = new.into();
            *is_new = false;
        }
        PendingEdit::Partial { id, .. }
        | PendingEdit::Trash { id }
        | PendingEdit::Restore { id }
        | PendingEdit::Delete { id }
        | PendingEdit::DeleteFolder { id } => *id = new.into(),
    }
}

/// Sends one edit; for a create or save, the server's id and new revision date.
async fn apply<T: Transport>(
    client: &Client<T>,
    edit: &PendingEdit,
    revisions: &HashMap<String, Option<String>>,
) -> Result<Option<(String, Option<String>)>> {
    Ok(match edit {
        PendingEdit::SaveCipher {
            id,
            cipher,
            last_known_revision_date,
            is_new,
        } => {
            let last = revisions
                .get(id)
                .cloned()
                .unwrap_or_else(|| last_known_revision_date.clone());
            let body = request_body(cipher, last.as_deref())?;
            let saved = if *is_new {
                client.create_cipher(&body).await?
            } else {
                client.update_cipher(id, &body).await?
            };
            Some((saved.id, saved.revision_date))
        }
        PendingEdit::Partial {
            id,
            folder_id,
            favorite,
        } => {
            client
                .update_partial(id, folder_id.as_deref(), *favorite)
                .await?;
            None
        }
        PendingEdit::Trash { id } => client.trash_cipher(id).await.map(|_| None)?,
        PendingEdit::Restore { id } => client.restore_cipher(id).await.map(|_| None)?,
        PendingEdit::Delete { id } => client.delete_cipher(id).await.map(|_| None)?,
        PendingEdit::SaveFolder { id, name, is_new } => {
            let saved = if *is_new {
                client.create_folder(name).await?
            } else {
                client.rename_folder(id, name).await?
            };
            Some((saved.id, saved.revision_date))
        }
        PendingEdit::DeleteFolder { id } => client.delete_folder(id).await.map(|_| None)?,
    })
}

/// What to do with my version of an item the server refused as out of date.
#[derive(Debug)]
pub enum ConflictResolution {
    /// The server already holds the same content: nothing to send.
    Same,
    /// Both versions differ: keep the server's, and create mine as this new item.
    KeepBoth(Box<CipherView>),
}

/// The conflict rule: if my edited item and the server's current one differ in content, keep
/// both, mine re-created as a new item named "<name> (conflict YYYY-MM-DD HH:MM)".
pub fn resolve_conflict(mine: &CipherView, theirs: &CipherView, now_ms: u64) -> ConflictResolution {
    if content(mine) == content(theirs) {
        return ConflictResolution::Same;
    }
    let mut copy = mine.clone();
    let stamp = iso_date(now_ms);
    copy.id = String::new();
    copy.name = format!(
        "{} (conflict {} {})",
        mine.name,
        &stamp[..10],
        &stamp[11..16]
    );
    copy.revision_date = None;
    copy.creation_date = None;
    copy.deleted_date = None;
    copy.errors.clear();
    ConflictResolution::KeepBoth(Box::new(copy))
}

/// What the user wrote, without the dates and history servers and clients stamp.
pub(crate) fn content(view: &CipherView) -> Value {
    let mut v = serde_json::to_value(view).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        for k in [
            "id",
            "revisionDate",
            "creationDate",
            "passwordHistory",
            "collectionIds",
        ] {
            obj.remove(k);
        }
        if let Some(login) = obj.get_mut("login").and_then(Value::as_object_mut) {
            login.remove("passwordRevisionDate");
        }
    }
    v
}
