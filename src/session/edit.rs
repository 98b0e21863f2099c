//! Changing the vault: a new local vault, items saved, trashed, restored or purged, folders, and
//! re-opening after a worker restart. Each change re-encrypts one item into the stored shape
//! (docs/protocol.md §7.1) and refreshes only that item's row; the caller persists `material_json`.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use super::rows::summarize;
use super::{AccountMaterial, Session, StoredFolder, Unlocked};
use crate::crypto::{b64, random, EncString, Kdf, SymmetricKey};
use crate::error::{Error, Result};
use crate::keys;
use crate::totp::Totp;
use crate::vault::decrypt::decrypt_cipher;
use crate::vault::encrypt::{encrypt_cipher, record_password_history, EncryptOptions};
use crate::vault::entries::iso_date;
use crate::vault::head::CipherHead;
use crate::vault::view::CipherView;
use crate::vault::wire::Cipher;

/// A TOTP code for the item view.
#[derive(Serialize)]
pub struct TotpCode {
    pub code: String,
    pub period: u64,
    pub remaining: u64,
}

impl std::fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TotpCode({} s left)", self.remaining)
    }
}

/// A folder as the popup lists it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct FolderRow {
    pub id: String,
    pub name: String,
}

/// The prelogin JSON a KDF choice is stored as (`vault.kdf`).
pub fn prelogin_json(kdf: &Kdf) -> String {
    match *kdf {
        Kdf::Pbkdf2 { iterations } => json!({ "kdf": 0, "kdfIterations": iterations }),
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => json!({
            "kdf": 1, "kdfIterations": iterations, "kdfMemory": memory_mib,
            "kdfParallelism": parallelism
        }),
    }
    .to_string()
}

/// The keys of a new local vault protected by `password`, with its salt (random: a local vault has
/// no e-mail). Async: the RSA key pair is the browser's WebCrypto's in its wasm.
pub async fn new_local_keys(password: &str, kdf: Kdf) -> Result<(String, keys::NewAccount)> {
    kdf.check()?;
    let salt = format!("keyfill-local-{}", random::uuid_v4()?);
    let acct = keys::create(&salt, password, kdf).await?;
    Ok((salt, acct))
}

/// The key a resume token holds, once checked against `material`: it must open this account's
/// private key when there is one, so a stale token never shows a vault of damaged items.
pub fn resume_key(token: &str, material: &AccountMaterial) -> Result<SymmetricKey> {
    let bytes = Zeroizing::new(b64::decode(token.trim()).ok_or(Error::WrongPassword)?);
    let key = SymmetricKey::from_bytes(&bytes).map_err(|_| Error::WrongPassword)?;
    if let Some(private) = material.profile.private_key.as_deref() {
        let enc: EncString = private.parse().map_err(|_| Error::WrongPassword)?;
        key.decrypt(&enc).map_err(|_| Error::WrongPassword)?;
    }
    Ok(key)
}

impl Session {
    /// Opens a new local vault made by [`new_local_keys`] (closing what was open). Returns the
    /// prelogin JSON to store beside `material_json`.
    pub fn open_new_local(&mut self, salt: &str, acct: keys::NewAccount) -> Result<String> {
        let prelogin = prelogin_json(&acct.kdf);
        let kdf_value: Value = serde_json::from_str(&prelogin).unwrap_or_default();
        let doc = json!({
            "profile": {
                "id": random::uuid_v4()?, "email": "", "name": null,
                "key": acct.wrapped_user_key, "privateKey": acct.wrapped_private_key,
                "securityStamp": random::uuid_v4()?, "organizations": [],
            },
            "folders": [], "ciphers": [], "collections": [], "policies": [],
            "domains": { "equivalentDomains": [], "globalEquivalentDomains": [] },
            "userDecryption": { "masterPasswordUnlock": {
                "kdf": kdf_value, "masterKeyEncryptedUserKey": acct.wrapped_user_key, "salt": salt,
            }},
        });
        let material = AccountMaterial::parse(&prelogin, doc.to_string())?;
        self.open(acct.ring, material)?;
        Ok(prelogin)
    }

    /// Creates a local vault protected by `password` and opens it; returns the prelogin JSON.
    /// Outside the browser only (the facade waits for the keys, then opens).
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn create_local(&mut self, password: &str, kdf: Kdf) -> Result<String> {
        let (salt, acct) = crate::crypto::asymmetric::ready(new_local_keys(password, kdf))?;
        self.open_new_local(&salt, acct)
    }

    /// An opaque token that re-opens this vault without the KDF (kept in the browser's
    /// memory-only session storage while unlocked). It is the user key: never write it to disk.
    pub fn resume_token(&self) -> Result<Zeroizing<String>> {
        let s = self.unlocked()?;
        Ok(Zeroizing::new(b64::encode(&s.ring.user_key.to_bytes())))
    }

    /// Re-opens the vault from `resume_token` and the stored material. Outside the browser only
    /// (the facade opens the keyring first, then the session).
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn resume(&mut self, token: &str, material: AccountMaterial) -> Result<()> {
        let key = resume_key(token, &material)?;
        let ring = crate::crypto::asymmetric::ready(super::open_keyring(key, &material))?;
        self.open(ring, material)
    }

    /// The whole account as JSON text, for the local store.
    pub fn material_json(&self) -> Result<String> {
        self.unlocked()?.material.to_json()
    }

    /// Saves an item (export shape, §10.1): a new one when `id` is empty. Returns its id.
    /// Fields the editor does not show (history, passkeys, collections) are kept from the old one.
    pub fn save_item(&mut self, mut view: CipherView, now_ms: u64) -> Result<String> {
        let now = iso_date(now_ms);
        let cipher_keys = self.cipher_keys;
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        if !(1..=5).contains(&view.kind) {
            return Err(Error::Unsupported(format!("items of type {}", view.kind)));
        }
        if view.name.trim().is_empty() {
            return Err(Error::malformed("the item has no name"));
        }
        let existing = if view.id.is_empty() {
            None
        } else {
            Some(s.index_of(&view.id)?)
        };
        let (old_key, creation, deleted) = match existing {
            Some(i) => {
                let old_cipher = s.cipher(i)?;
                let old = decrypt_cipher(&old_cipher, &s.ring);
                if old.is_unreadable() {
                    return Err(Error::Unsupported(
                        "editing an item that cannot be read".into(),
                    ));
                }
                if view.password_history.is_none() {
                    view.password_history = old.password_history.clone();
                }
                if let (Some(new), Some(prev)) = (view.login.as_mut(), old.login.as_ref()) {
                    if new.fido2_credentials.is_empty() {
                        new.fido2_credentials = prev.fido2_credentials.clone();
                    }
                }
                if view.collection_ids.is_none() {
                    view.collection_ids = old.collection_ids.clone();
                }
                view.organization_id = old.organization_id.clone();
                record_password_history(&old, &mut view, &now);
                (old_cipher.key, old.creation_date, old.deleted_date)
            }
            None => {
                view.id = random::uuid_v4()?;
                (None, Some(now.clone()), None)
            }
        };
        let opts = EncryptOptions {
            existing_key: old_key.as_deref(),
            use_cipher_key: cipher_keys && old_key.is_none() && existing.is_none(),
            last_known_revision_date: None,
        };
        let mut body = encrypt_cipher(&view, &s.ring, &opts)?;
        let obj = body
            .as_object_mut()
            .ok_or(Error::Platform("encrypt".into()))?;
        obj.remove("lastKnownRevisionDate");
        stamp(obj, &view, creation.as_deref(), &now, deleted.as_deref());
        s.put(existing, &body)?;
        Ok(view.id)
    }

    /// Moves an item to the trash (`deleted`) or back out of it.
    pub fn set_trashed(&mut self, id: &str, trashed: bool, now_ms: u64) -> Result<()> {
        let now = iso_date(now_ms);
        self.patch_stored(id, |obj| {
            obj.insert(
                "deletedDate".into(),
                if trashed { json!(now) } else { Value::Null },
            );
            obj.insert("revisionDate".into(), json!(now));
        })
    }

    /// Changes plain (unencrypted) fields of an item's stored JSON.
    fn patch_stored(
        &mut self,
        id: &str,
        patch: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<()> {
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        let i = s.index_of(id)?;
        let mut value: Value = serde_json::from_str(s.material.cipher_text(&s.material.ciphers[i]))
            .map_err(|_| Error::malformed("the stored item"))?;
        patch(
            value
                .as_object_mut()
                .ok_or_else(|| Error::malformed("the stored item"))?,
        );
        s.put(Some(i), &value)
    }

    /// Deletes an item for good.
    pub fn purge(&mut self, id: &str) -> Result<()> {
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        let i = s.index_of(id)?;
        s.material.remove_cipher(i);
        s.summaries.remove(i);
        s.last_used.remove(i);
        s.uris.retain(|u| u.id != id);
        s.entries.retain(|e| e.id != id);
        s.reindex();
        Ok(())
    }

    pub fn folders(&self) -> Result<Vec<FolderRow>> {
        let s = self.unlocked()?;
        let mut rows: Vec<FolderRow> = s
            .material
            .folders
            .iter()
            .map(|f| FolderRow {
                id: f.id.clone(),
                name: s.folder_names.get(&f.id).cloned().unwrap_or_default(),
            })
            .collect();
        rows.sort_by_cached_key(|r| r.name.to_lowercase());
        Ok(rows)
    }

    /// Creates (`id` empty) or renames a folder; returns its id.
    pub fn save_folder(&mut self, id: &str, name: &str, now_ms: u64) -> Result<String> {
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::malformed("the folder has no name"));
        }
        let enc = Some(s.ring.user_key.encrypt_str(name)?.to_string());
        let date = Some(iso_date(now_ms));
        let id = if id.is_empty() {
            let id = random::uuid_v4()?;
            s.material.folders.push(StoredFolder {
                id: id.clone(),
                name: enc,
                revision_date: date,
            });
            id
        } else {
            let f = s
                .material
                .folders
                .iter_mut()
                .find(|f| f.id == id)
                .ok_or_else(|| Error::NotFound("folder".into()))?;
            f.name = enc;
            f.revision_date = date;
            id.to_string()
        };
        s.folder_names.insert(id.clone(), name.to_string());
        s.refresh_folder_names();
        Ok(id)
    }

    /// Deletes a folder; its items become unfiled, as on the servers.
    pub fn delete_folder(&mut self, id: &str) -> Result<()> {
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        let before = s.material.folders.len();
        s.material.folders.retain(|f| f.id != id);
        if s.material.folders.len() == before {
            return Err(Error::NotFound("folder".into()));
        }
        s.folder_names.remove(id);
        let filed: Vec<usize> = (0..s.summaries.len())
            .filter(|&i| s.summaries[i].folder_id.as_deref() == Some(id))
            .collect();
        for i in filed {
            let mut value: Value =
                serde_json::from_str(s.material.cipher_text(&s.material.ciphers[i]))
                    .map_err(|_| Error::malformed("the stored item"))?;
            if let Some(obj) = value.as_object_mut() {
                obj.insert("folderId".into(), Value::Null);
            }
            s.put(Some(i), &value)?;
        }
        Ok(())
    }

    /// Puts an item back exactly as stored (encrypted §7.1 JSON), replacing the one with its
    /// id or adding it: an edit the server has not stored yet goes back on top of a fresh sync.
    pub fn put_stored(&mut self, cipher: &Value) -> Result<()> {
        let id = cipher
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::malformed("the stored item has no id"))?;
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        let existing = s.index_of(id).ok();
        s.put(existing, cipher)
    }

    /// Sets an item's folder and favourite flag, which sit outside its encrypted fields.
    pub fn put_filing(&mut self, id: &str, folder_id: Option<&str>, favorite: bool) -> Result<()> {
        self.patch_stored(id, |obj| {
            obj.insert("folderId".into(), json!(folder_id));
            obj.insert("favorite".into(), json!(favorite));
        })
    }

    /// Puts a folder back with its stored (encrypted) name, replacing or adding it.
    pub fn put_stored_folder(&mut self, id: &str, name: &str, now_ms: u64) -> Result<()> {
        let plain = self.unseal(name)?;
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        let date = Some(iso_date(now_ms));
        match s.material.folders.iter_mut().find(|f| f.id == id) {
            Some(f) => {
                f.name = Some(name.to_string());
                f.revision_date = date;
            }
            None => s.material.folders.push(StoredFolder {
                id: id.to_string(),
                name: Some(name.to_string()),
                revision_date: date,
            }),
        }
        s.folder_names.insert(id.to_string(), plain);
        s.refresh_folder_names();
        Ok(())
    }

    /// The item's current TOTP code.
    pub fn totp(&self, id: &str, now_secs: u64) -> Result<TotpCode> {
        let item = self.item(id)?;
        let secret = Zeroizing::new(
            item.login
                .and_then(|l| l.totp)
                .filter(|t| !t.trim().is_empty())
                .ok_or_else(|| Error::NotFound("a TOTP secret on this item".into()))?,
        );
        let totp = Totp::parse(&secret)?;
        Ok(TotpCode {
            code: totp.code_at(now_secs),
            period: totp.period,
            remaining: totp.remaining(now_secs),
        })
    }
}

/// The fields a server adds to a stored cipher (§7.1).
fn stamp(
    obj: &mut Map<String, Value>,
    view: &CipherView,
    creation: Option<&str>,
    now: &str,
    deleted: Option<&str>,
) {
    obj.insert("id".into(), json!(view.id));
    obj.insert("object".into(), json!("cipherDetails"));
    obj.insert(
        "collectionIds".into(),
        json!(view.collection_ids.clone().unwrap_or_default()),
    );
    obj.insert("creationDate".into(), json!(creation.unwrap_or(now)));
    obj.insert("revisionDate".into(), json!(now));
    obj.insert("deletedDate".into(), json!(deleted));
    obj.insert("edit".into(), json!(true));
    obj.insert("viewPassword".into(), json!(true));
}

impl Unlocked {
    fn index_of(&self, id: &str) -> Result<usize> {
        self.positions
            .get(id)
            .copied()
            .ok_or_else(|| Error::NotFound("item".into()))
    }

    fn cipher(&self, i: usize) -> Result<Cipher<'_>> {
        serde_json::from_str(self.material.cipher_text(&self.material.ciphers[i]))
            .map_err(|_| Error::malformed("the stored item"))
    }

    /// Stores one cipher's JSON and refreshes its row, URIs and search entry.
    fn put(&mut self, index: Option<usize>, value: &Value) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|_| Error::Platform("encode".into()))?;
        let i = self.material.put_cipher(index, &text);
        let head: CipherHead<'_> =
            serde_json::from_str(self.material.cipher_text(&self.material.ciphers[i]))
                .map_err(|_| Error::malformed("the stored item"))?;
        let mut row = summarize(&head, &self.ring);
        row.entry.folder_name = head
            .folder_id
            .as_deref()
            .and_then(|f| self.folder_names.get(f))
            .cloned();
        let id = row.summary.id.clone();
        if i == self.summaries.len() {
            self.summaries.push(row.summary);
            self.last_used.push(row.last_used);
        } else {
            self.summaries[i] = row.summary;
            self.last_used[i] = row.last_used;
        }
        self.uris.retain(|u| u.id != id);
        self.uris.extend(row.uris);
        match self.entries.iter().position(|e| e.id == id) {
            Some(at) => self.entries[at] = row.entry,
            None => self.entries.push(row.entry),
        }
        self.reindex();
        Ok(())
    }

    /// Positions and indexes after a change (indexes rebuild lazily on next use).
    fn reindex(&mut self) {
        self.positions = self
            .summaries
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect::<HashMap<_, _>>();
        self.matcher = Default::default();
        self.searcher = None;
        // A re-encrypted item's notes are not in the index yet: re-read them on the next ask.
        self.notes_indexed = false;
    }

    fn refresh_folder_names(&mut self) {
        for e in &mut self.entries {
            e.folder_name = e
                .folder_id
                .as_deref()
                .and_then(|f| self.folder_names.get(f))
                .cloned();
        }
        self.searcher = None;
    }
}
