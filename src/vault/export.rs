//! Bitwarden's unencrypted JSON export (docs/protocol.md §10.1), written and read.

use serde::Deserialize;
use serde_json::{json, Value};

use super::view::{CipherView, FolderView};
use super::{CollectionView, Vault};
use crate::error::{Error, Result};

/// What an export left out or could only partly write, by item id (never by content).
#[derive(Debug, Default)]
pub struct ExportNotes {
    /// Items that could not be read at all (unknown type, undecryptable key or name).
    pub skipped: Vec<String>,
    /// Items written without some fields, with those fields' names.
    pub partial: Vec<(String, Vec<String>)>,
}

/// Every readable item outside the trash, with folders (and collections when organization
/// items are present).
pub fn to_json_export(vault: &Vault) -> (Value, ExportNotes) {
    let mut notes = ExportNotes::default();
    let mut items = Vec::new();
    for c in vault.ciphers.iter().filter(|c| !c.is_deleted()) {
        if c.is_unreadable() {
            notes.skipped.push(c.id.clone());
            continue;
        }
        if !c.errors.is_empty() {
            notes.partial.push((c.id.clone(), c.errors.clone()));
        }
        items.push(serde_json::to_value(c).unwrap_or(Value::Null));
    }
    let mut out = json!({ "encrypted": false, "folders": vault.folders });
    if vault.ciphers.iter().any(|c| c.organization_id.is_some()) {
        out["collections"] = json!(vault.collections);
    }
    out["items"] = Value::Array(items);
    (out, notes)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportFile {
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    folders: Vec<FolderView>,
    #[serde(default)]
    collections: Vec<CollectionView>,
    #[serde(default)]
    items: Vec<Value>,
}

/// Reads an unencrypted JSON export. An item that does not parse is reported, not fatal.
pub fn parse_json_export(text: &str) -> Result<(Vault, Vec<usize>)> {
    let file: ExportFile = serde_json::from_str(text).map_err(|e| {
        Error::malformed(format!(
            "export file: line {} column {}",
            e.line(),
            e.column()
        ))
    })?;
    if file.encrypted {
        return Err(Error::Unsupported(
            "an encrypted export (decrypt it with its password or account first)".into(),
        ));
    }
    let mut bad = Vec::new();
    let mut vault = Vault {
        folders: file.folders,
        collections: file.collections,
        ..Vault::default()
    };
    for (i, item) in file.items.into_iter().enumerate() {
        match serde_json::from_value::<CipherView>(item) {
            Ok(view) => vault.ciphers.push(view),
            Err(_) => bad.push(i),
        }
    }
    Ok((vault, bad))
}
