//! The vault model: encrypted wire shapes, decrypted views, and the conversions between them.

pub mod decrypt;
pub mod encrypt;
pub mod entries;
pub mod export;
pub mod head;
pub mod records;
pub mod view;
pub mod wire;

use crate::error::Result;
use crate::keys::Keyring;
use view::{CipherView, FolderView};

/// A decrypted vault: every item the account can read, with its folders and collections.
#[derive(Default)]
pub struct Vault {
    pub ciphers: Vec<CipherView>,
    pub folders: Vec<FolderView>,
    pub collections: Vec<CollectionView>,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CollectionView {
    pub id: String,
    pub organization_id: Option<String>,
    pub name: String,
}

/// Reads the `ciphers` array one entry at a time: an entry that does not even parse becomes a
/// marked item (with its id when it has one) instead of failing the sync.
pub fn parse_ciphers<'a>(texts: &[&'a str]) -> Vec<std::result::Result<wire::Cipher<'a>, String>> {
    texts
        .iter()
        .map(|text| serde_json::from_str::<wire::Cipher>(text).map_err(|_| cipher_id(text)))
        .collect()
}

/// The id of a cipher that does not parse as one, when it has a readable id (else empty).
pub fn cipher_id(raw: &str) -> String {
    #[derive(serde::Deserialize)]
    struct JustId {
        id: Option<String>,
    }
    serde_json::from_str::<JustId>(raw)
        .ok()
        .and_then(|j| j.id)
        .unwrap_or_default()
}

impl Vault {
    /// Decrypts everything in a sync response with an opened keyring.
    pub fn decrypt(sync: &wire::SyncResponse<'_>, ring: &Keyring) -> Result<Self> {
        let ciphers: Vec<&str> = sync.ciphers.iter().flatten().map(|raw| raw.get()).collect();
        let folders = sync.folders.as_deref().unwrap_or_default();
        let collections = sync.collections.as_deref().unwrap_or_default();
        Ok(Self::decrypt_parts(folders, collections, &ciphers, ring))
    }

    /// Decrypts the parts of a sync response that make the vault, each cipher given as its JSON
    /// text, so a stored account is read in place without being put back together first.
    pub fn decrypt_parts(
        folders: &[wire::Folder],
        collections: &[wire::Collection],
        ciphers: &[&str],
        ring: &Keyring,
    ) -> Self {
        let mut vault = Vault::default();
        for folder in folders {
            let name = folder
                .name
                .as_deref()
                .and_then(|n| decrypt::decrypt_text(&ring.user_key, n).ok());
            vault.folders.push(FolderView {
                id: folder.id.clone(),
                name: name.unwrap_or_default(),
            });
        }
        for c in collections {
            // Collection names are encrypted with their organization's key (never the user's).
            let name = c
                .organization_id
                .as_deref()
                .and_then(|org| ring.owner_key(Some(org)))
                .zip(c.name.as_deref())
                .and_then(|(k, n)| decrypt::decrypt_text(k, n).ok());
            vault.collections.push(CollectionView {
                id: c.id.clone(),
                organization_id: c.organization_id.clone(),
                name: name.unwrap_or_default(),
            });
        }
        // Parsed a batch at a time, so the wire form of the whole vault is never held at once.
        vault.ciphers.reserve_exact(ciphers.len());
        for chunk in ciphers.chunks(decrypt::ITEMS_PER_BATCH) {
            let parsed = parse_ciphers(chunk);
            let readable: Vec<&wire::Cipher> =
                parsed.iter().filter_map(|p| p.as_ref().ok()).collect();
            let mut views = decrypt::decrypt_ciphers(&readable, ring).into_iter();
            for p in &parsed {
                vault.ciphers.push(match p {
                    Ok(_) => views.next().expect("a view per readable cipher"),
                    Err(id) => CipherView {
                        id: id.clone(),
                        errors: vec!["type".into()],
                        ..CipherView::default()
                    },
                });
            }
        }
        vault
    }
}
