//! Edits made while the server was out of reach, kept as plain data (JSON, encrypted items only)
//! and replayed in order once it answers; and the rule for an item changed in two places: if the
//! versions differ, keep both. No edit is ever lost.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ciphers::request_body;
use super::{Client, Transport};
use crate::error::{Error, Result};
use crate::vault::entries::iso_date;
use crate::vault::view::CipherView;

/// One pending change. Items are stored as the local store keeps them (encrypted), so the queue
/// can sit in `chrome.storage.local` beside the vault.
#[derive(Serialize, Deserialize, Clone, PartialEq)]
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

    fn is_folder(&self) -> bool {
        matches!(
            self,
            PendingEdit::SaveFolder { .. } | PendingEdit::DeleteFolder { .. }
        )
    }

    fn op(&self) -> &'static str {
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

#[derive(Serialize, Deserialize, Default, Clone, PartialEq, Debug)]
pub struct OfflineQueue {
    pub edits: Vec<PendingEdit>,
}

/// What a replay did.
#[derive(Default, Debug)]
pub struct ReplayReport {
    pub done: usize,
    /// Local ids of things created offline → the ids the server gave them.
    pub new_ids: Vec<(String, String)>,
    /// Edits refused because the server's copy changed: resync, then `resolve_conflict`.
    pub conflicts: Vec<PendingEdit>,
    /// Edits the server refused for good (item gone, invalid), handed back rather than dropped.
    pub refused: Vec<(PendingEdit, Error)>,
    /// Why the replay stopped early (offline, logged out, server failing); the rest stays queued.
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

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"edits\":[]}".into())
    }

    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|_| Error::malformed("the offline queue"))
    }

    /// Adds an edit. A save right after a save of the same item replaces it (keeping where it
    /// started from); deleting something never sent drops its pending edits instead.
    pub fn push(&mut self, edit: PendingEdit) {
        let id = edit.id().to_string();
        let created_here = self.edits.iter().any(|e| {
            e.id() == id
                && matches!(
                    e,
                    PendingEdit::SaveCipher { is_new: true, .. }
                        | PendingEdit::SaveFolder { is_new: true, .. }
                )
        });
        if created_here
            && matches!(
                edit,
                PendingEdit::Delete { .. } | PendingEdit::DeleteFolder { .. }
            )
        {
            let folder = edit.is_folder();
            self.edits
                .retain(|e| e.id() != id || e.is_folder() != folder);
            return;
        }
        if let (
            Some(PendingEdit::SaveCipher {
                id: last_id,
                cipher: last,
                ..
            }),
            PendingEdit::SaveCipher {
                id: new_id, cipher, ..
            },
        ) = (self.edits.last_mut(), &edit)
        {
            if last_id == new_id {
                *last = cipher.clone();
                return;
            }
        }
        self.edits.push(edit);
    }

    /// Sends the edits in order. Each one that the server settles (done, conflicting, refused)
    /// leaves the queue; a failure to reach the server stops the replay with the rest kept.
    pub async fn replay<T: Transport>(&mut self, client: &Client<T>) -> ReplayReport {
        let mut report = ReplayReport::default();
        // Revision dates our own writes produced, for later edits of the same item.
        let mut revisions: HashMap<String, Option<String>> = HashMap::new();
        while let Some(edit) = self.edits.first().cloned() {
            let result = apply(client, &edit, &revisions).await;
            match result {
                Ok(saved) => {
                    report.done += 1;
                    if let Some((server_id, revision)) = saved {
                        if server_id != edit.id() {
                            self.rename(&edit, &server_id);
                            report
                                .new_ids
                                .push((edit.id().to_string(), server_id.clone()));
                        }
                        revisions.insert(server_id, revision);
                    }
                }
                Err(Error::Conflict) => report.conflicts.push(edit.clone()),
                Err(e) if is_lasting(&e) => report.refused.push((edit.clone(), e)),
                Err(e) => {
                    report.stopped = Some(e);
                    return report;
                }
            }
            self.edits.remove(0);
        }
        report
    }

    /// After `edit` created its object under `server_id`: later edits use that id.
    fn rename(&mut self, edit: &PendingEdit, server_id: &str) {
        let old = edit.id().to_string();
        let folder = edit.is_folder();
        for e in &mut self.edits[1..] {
            if e.is_folder() == folder && e.id() == old {
                set_id(e, server_id);
            }
            if folder {
                match e {
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
    }
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

/// Errors that sending the same edit again would not cure.
fn is_lasting(e: &Error) -> bool {
    match e {
        Error::NotFound(_) | Error::Malformed(_) | Error::Unsupported(_) => true,
        Error::Server(text) => super::wire::status_of(text)
            .is_some_and(|s| (400..500).contains(&s) && s != 408 && s != 429),
        _ => false,
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
