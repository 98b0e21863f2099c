//! The account as stored: the KDF settings and the last sync (or the local vault), kept as
//! key-normalised JSON text with each cipher's bytes located, so unlock reads ciphers in place and
//! an edit replaces one cipher without re-serialising the rest.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::crypto::Kdf;
use crate::error::{Error, Result};
use crate::keys::Prelogin;
use crate::vault::wire::{Collection, Folder, Profile, SyncResponse};

/// A sync response read in one pass: ciphers and the parts written back verbatim stay raw text
/// (the large ciphers array is only scanned once); folders are typed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Parts<'a> {
    #[serde(borrow)]
    profile: Option<&'a RawValue>,
    folders: Option<Vec<Folder>>,
    #[serde(borrow)]
    collections: Option<&'a RawValue>,
    #[serde(borrow)]
    policies: Option<&'a RawValue>,
    #[serde(borrow)]
    ciphers: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    domains: Option<&'a RawValue>,
    #[serde(borrow, rename = "userDecryption")]
    user_decryption: Option<&'a RawValue>,
}

/// A small raw part, typed (absent or null: the default).
fn typed<T: serde::de::DeserializeOwned + Default>(raw: Option<&RawValue>) -> Result<T> {
    typed_text(raw.map(RawValue::get))
}

fn typed_text<T: serde::de::DeserializeOwned + Default>(text: Option<&str>) -> Result<T> {
    text.map_or(Ok(T::default()), |t| {
        crate::server_json::from_normalized(t, "sync response")
    })
}

/// A folder as stored (its name an EncString).
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct StoredFolder {
    pub id: String,
    pub name: Option<String>,
    pub revision_date: Option<String>,
}

impl From<Folder> for StoredFolder {
    fn from(f: Folder) -> Self {
        StoredFolder {
            id: f.id,
            name: f.name,
            revision_date: f.revision_date,
        }
    }
}

pub struct AccountMaterial {
    pub kdf: Kdf,
    /// The normalised sync text; edited ciphers are appended after it.
    text: String,
    pub(crate) profile: Profile,
    pub(crate) wrapped_user_key: Option<String>,
    salt: Option<String>,
    /// Byte ranges of each cipher inside `text`, in vault order.
    pub(crate) ciphers: Vec<Range<usize>>,
    pub(crate) folders: Vec<StoredFolder>,
    pub(crate) domains: serde_json::Value,
    pub(crate) policies: serde_json::Value,
    /// Verbatim JSON of the other top-level parts, for `to_json`.
    raw: Vec<(&'static str, String)>,
}

impl AccountMaterial {
    /// Reads the prelogin and sync answers (JSON text); checks the KDF bounds.
    pub fn parse(prelogin_json: &str, sync_json: impl Into<String>) -> Result<Self> {
        let kdf = Prelogin::parse(prelogin_json)?.kdf()?;
        let text = crate::server_json::normalize_key_text(sync_json);
        let parts: Parts<'_> = crate::server_json::from_normalized(&text, "sync response")?;
        // What the account's keys and salt are read from, without a second pass over the text.
        let key_parts = SyncResponse {
            profile: typed(parts.profile)?,
            user_decryption: typed(parts.user_decryption)?,
            ..SyncResponse::default()
        };
        let wrapped_user_key = key_parts.wrapped_user_key().map(str::to_string);
        let salt = Some(key_parts.salt_or("").to_string()).filter(|s| !s.is_empty());
        let domains = typed::<Option<serde_json::Value>>(parts.domains)?.unwrap_or_default();
        let policies = serde_json::Value::Array(typed(parts.policies)?);
        let raw = [
            ("profile", parts.profile),
            ("collections", parts.collections),
            ("policies", parts.policies),
            ("domains", parts.domains),
            ("userDecryption", parts.user_decryption),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v.get().to_string())))
        .collect();
        let base = text.as_ptr() as usize;
        let ciphers = parts
            .ciphers
            .iter()
            .flatten()
            .map(|raw| {
                let start = raw.get().as_ptr() as usize - base;
                start..start + raw.get().len()
            })
            .collect();
        let folders = parts
            .folders
            .unwrap_or_default()
            .into_iter()
            .map(StoredFolder::from)
            .collect();
        let profile = key_parts.profile;
        Ok(AccountMaterial {
            kdf,
            text,
            profile,
            wrapped_user_key,
            salt,
            ciphers,
            folders,
            domains,
            policies,
            raw,
        })
    }

    /// The salt to derive with: the server's when given, else the e-mail (normalised later).
    pub fn salt<'a>(&'a self, email: &'a str) -> &'a str {
        self.salt.as_deref().unwrap_or(email)
    }

    pub(crate) fn cipher_text(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }

    /// Every cipher's JSON text, in vault order.
    pub(crate) fn cipher_texts(&self) -> Vec<&str> {
        self.ciphers.iter().map(|r| self.cipher_text(r)).collect()
    }

    /// The folders in their wire shape.
    pub(crate) fn wire_folders(&self) -> Vec<Folder> {
        (self.folders.iter())
            .map(|f| Folder {
                id: f.id.clone(),
                name: f.name.clone(),
                revision_date: f.revision_date.clone(),
            })
            .collect()
    }

    /// The collections, read from their stored text.
    pub(crate) fn collections(&self) -> Result<Vec<Collection>> {
        let text = self.raw.iter().find(|(key, _)| *key == "collections");
        typed_text::<Option<Vec<Collection>>>(text.map(|(_, v)| v.as_str()))
            .map(Option::unwrap_or_default)
    }

    /// Stores a cipher's new JSON: replaces the one at `index`, or adds one when `None`.
    /// The old bytes stay in the buffer until the next `to_json` round trip compacts them.
    pub(crate) fn put_cipher(&mut self, index: Option<usize>, json: &str) -> usize {
        let start = self.text.len();
        self.text.push_str(json);
        let range = start..self.text.len();
        match index {
            Some(i) => {
                self.ciphers[i] = range;
                i
            }
            None => {
                self.ciphers.push(range);
                self.ciphers.len() - 1
            }
        }
    }

    pub(crate) fn remove_cipher(&mut self, index: usize) {
        self.ciphers.remove(index);
    }

    /// The whole account as sync-response JSON text: what the local vault store keeps.
    pub fn to_json(&self) -> Result<String> {
        let mut out = String::with_capacity(self.text.len() + 256);
        out.push('{');
        for (key, value) in &self.raw {
            out.push_str(&format!("\"{key}\":{value},"));
        }
        let folders = serde_json::to_string(&self.folders)
            .map_err(|_| Error::Platform("could not write the folders".into()))?;
        out.push_str(&format!("\"folders\":{folders},\"ciphers\":["));
        for (i, range) in self.ciphers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(self.cipher_text(range));
        }
        out.push_str("],\"object\":\"sync\"}");
        Ok(out)
    }
}
