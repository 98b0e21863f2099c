//! The one unlocked-vault state the extension holds. Unlock decrypts only what lists and matching
//! need (names, subtitles, URIs); the rest of each item stays encrypted text in memory and is
//! decrypted when the item is opened. Lock drops every key and decrypted value.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

mod autofill;
mod edit;
mod material;
mod reprompt;
mod rows;
mod stored;
pub use autofill::GeneratedEntry;
pub use edit::{new_local_keys, prelogin_json, resume_key, FolderRow, TotpCode};
pub use material::{AccountMaterial, StoredFolder};

use serde::Serialize;

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
use crate::crypto::asymmetric::ready;
use crate::crypto::{MasterKey, SymmetricKey};
use crate::error::{Error, Result};
use crate::keys::{self, Keyring};
use crate::matching::{resolve_default_strategy, MatchIndex, MatchItem, MatchSettings, UriMatch};
use crate::search::{self, Filters, SearchEntry, SearchIndex};
use crate::vault::decrypt::{decrypt_cipher, decrypt_text, ITEMS_PER_BATCH};
use crate::vault::head::CipherHead;
use crate::vault::view::CipherView;
use crate::vault::wire::Cipher;
use crate::vault::{cipher_id, Vault};

/// What a list row shows: never a password, note, card number or hidden field.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ItemSummary {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: u8,
    pub name: String,
    pub subtitle: String,
    pub favorite: bool,
    pub folder_id: Option<String>,
    pub organization_id: Option<String>,
    pub deleted: bool,
    /// True when part of the item could not be decrypted.
    pub damaged: bool,
}

/// A login's decrypted URIs with their match setting, for matching.
#[derive(Clone, PartialEq, Eq)]
pub struct ItemUris {
    pub id: String,
    pub uris: Vec<(String, Option<i64>)>,
}

struct Unlocked {
    ring: Keyring,
    material: AccountMaterial,
    summaries: Vec<ItemSummary>,
    uris: Vec<ItemUris>,
    /// When each row's item last changed (seconds), ordering equal-strength matches.
    last_used: Vec<i64>,
    /// Row position by item id.
    positions: HashMap<String, usize>,
    /// The indexes are built on first use, so unlock costs only what the list needs.
    matcher: OnceCell<MatchIndex>,
    searcher: Option<SearchIndex>,
    /// What the search index is built from, kept to add notes when a search first asks.
    entries: Vec<SearchEntry>,
    /// Notes are decrypted into the search index only once a search asks for them.
    notes_indexed: bool,
    /// Decrypted folder names by id.
    folder_names: HashMap<String, String>,
}

pub struct Session {
    state: Option<Unlocked>,
    /// Give new items their own key (§5.5): true for local vaults.
    cipher_keys: bool,
    /// The user's default match strategy (`None`: Domain); an organization policy overrides it.
    default_match: Option<i64>,
    /// Whether the equivalent domains the server sends (the sync's `domains`) are used: off
    /// unless the user turns it on, so a server cannot make a login match a foreign site.
    server_domains: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session(unlocked: {})", self.state.is_some())
    }
}

impl Default for Session {
    fn default() -> Self {
        Session {
            state: None,
            cipher_keys: true,
            default_match: None,
            server_domains: false,
        }
    }
}

/// The user key of `material`, unwrapped with the master key.
pub fn user_key_of(master: &MasterKey, material: &AccountMaterial) -> Result<SymmetricKey> {
    let wrapped = material
        .wrapped_user_key
        .as_deref()
        .ok_or_else(|| Error::Unsupported("an account without a user key".into()))?;
    keys::unwrap_user_key(master, wrapped)
}

/// The keyring of `material` under `user_key`: its private key and organization keys. Apart
/// from the session, since in the browser it waits on WebCrypto, and a session is never left
/// borrowed across a wait.
pub async fn open_keyring(user_key: SymmetricKey, material: &AccountMaterial) -> Result<Keyring> {
    let profile = &material.profile;
    let wrapped_private = profile.wrapped_private_key();
    Keyring::open(
        user_key,
        wrapped_private.as_deref(),
        profile.organization_keys(),
    )
    .await
}

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    pub fn is_unlocked(&self) -> bool {
        self.state.is_some()
    }

    /// Opens `material` with its keyring ([`open_keyring`]), closing what was open.
    pub fn unlock_with_keyring(&mut self, ring: Keyring, material: AccountMaterial) -> Result<()> {
        self.open(ring, material)
    }

    /// Unlocks with a master key derived by the caller. Outside the browser only, where RSA
    /// does not wait: the facade (`app`) opens the keyring first, then the session.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn unlock_with_master_key(
        &mut self,
        master: &MasterKey,
        material: AccountMaterial,
    ) -> Result<()> {
        let user_key = user_key_of(master, &material)?;
        let ring = ready(open_keyring(user_key, &material))?;
        self.open(ring, material)
    }

    /// Unlocks deriving the master key here (Argon2id, or PBKDF2 natively).
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn unlock(&mut self, email: &str, password: &str, material: AccountMaterial) -> Result<()> {
        let master = MasterKey::derive(password, material.salt(email), &material.kdf)?;
        self.unlock_with_master_key(&master, material)
    }

    fn open(&mut self, ring: Keyring, material: AccountMaterial) -> Result<()> {
        self.lock();
        let folders: HashMap<String, String> = material
            .folders
            .iter()
            .map(|f| {
                let name = f
                    .name
                    .as_deref()
                    .and_then(|n| decrypt_text(&ring.user_key, n).ok());
                (f.id.clone(), name.unwrap_or_default())
            })
            .collect();
        let mut summaries = Vec::with_capacity(material.ciphers.len());
        let mut uris = Vec::new();
        let mut entries = Vec::with_capacity(material.ciphers.len());
        let mut last_used = Vec::with_capacity(material.ciphers.len());
        for chunk in material.ciphers.chunks(ITEMS_PER_BATCH) {
            let heads: Vec<_> = chunk
                .iter()
                .map(|range| serde_json::from_str::<CipherHead<'_>>(material.cipher_text(range)))
                .collect();
            let readable: Vec<&CipherHead<'_>> =
                heads.iter().filter_map(|h| h.as_ref().ok()).collect();
            let mut rows = rows::rows(&readable, &ring).into_iter();
            for (range, head) in chunk.iter().zip(&heads) {
                let Ok(h) = head else {
                    summaries.push(damaged_row(range, &material));
                    last_used.push(0);
                    continue;
                };
                let mut row = rows.next().expect("a row per readable item");
                row.entry.folder_name = h
                    .folder_id
                    .as_deref()
                    .and_then(|id| folders.get(id))
                    .cloned();
                summaries.push(row.summary);
                last_used.push(row.last_used);
                uris.extend(row.uris);
                entries.push(row.entry);
            }
        }
        let positions = summaries
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        self.state = Some(Unlocked {
            ring,
            material,
            summaries,
            uris,
            last_used,
            positions,
            matcher: OnceCell::new(),
            searcher: None,
            entries,
            notes_indexed: false,
            folder_names: folders,
        });
        Ok(())
    }

    fn match_settings(&self, material: &AccountMaterial) -> MatchSettings {
        let default = resolve_default_strategy(self.default_match, &material.policies);
        let none = serde_json::Value::Null;
        let domains = if self.server_domains {
            &material.domains
        } else {
            &none
        };
        MatchSettings::from_domains_json(default, domains)
    }

    /// Sets the user's default match strategy (0–5); an organization policy still wins.
    pub fn set_default_match(&mut self, strategy: Option<i64>) {
        self.default_match = strategy;
        self.refresh_match_settings();
    }

    /// Lets the server's equivalent domains widen matching (the user's setting; off by default).
    pub fn set_use_server_equivalent_domains(&mut self, yes: bool) {
        self.server_domains = yes;
        self.refresh_match_settings();
    }

    fn refresh_match_settings(&mut self) {
        if let Some(mut s) = self.state.take() {
            if let Some(m) = s.matcher.get_mut() {
                m.set_settings(self.match_settings(&s.material));
            }
            self.state = Some(s);
        }
    }

    /// Builds the candidate index now (it is otherwise built by the first `candidates_for`),
    /// and readies the form classifier.
    pub fn warm_up(&mut self) -> Result<()> {
        crate::matching::psl::warm_up();
        crate::fill::warm_up();
        self.candidates_for("about:blank").map(drop)
    }

    /// The list rows of the items that belong to `page_url`, strongest match first.
    pub fn candidates_for(&self, page_url: &str) -> Result<Vec<ItemSummary>> {
        let s = self.unlocked()?;
        let matcher = s.matcher.get_or_init(|| {
            let items = s.live_uris().map(|u| MatchItem {
                id: u.id.clone(),
                uris: u
                    .uris
                    .iter()
                    .map(|(s, m)| (s.clone(), m.and_then(UriMatch::from_i64)))
                    .collect(),
                last_used: s.positions.get(&u.id).map_or(0, |&i| s.last_used[i]),
            });
            MatchIndex::build(items, self.match_settings(&s.material))
        });
        Ok(matcher
            .candidates_for(page_url)
            .into_iter()
            .filter_map(|c| s.positions.get(&c.id).map(|&i| s.summaries[i].clone()))
            .collect())
    }

    /// Searches the vault; asking for notes decrypts them into the index the first time.
    pub fn search(
        &mut self,
        query: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<Vec<search::Summary<'_>>> {
        let s = self.state.as_mut().ok_or(Error::Locked)?;
        if filters.include_notes && !s.notes_indexed {
            let by_id: HashMap<String, usize> = s
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i))
                .collect();
            for range in &s.material.ciphers {
                let Ok(c) = serde_json::from_str::<Cipher>(s.material.cipher_text(range)) else {
                    continue;
                };
                let view = decrypt_cipher(&c, &s.ring);
                if let (Some(notes), Some(&i)) = (view.notes, by_id.get(&view.id)) {
                    s.entries[i].notes = Some(notes);
                }
            }
            s.notes_indexed = true;
            s.searcher = None;
        }
        let searcher = s
            .searcher
            .get_or_insert_with(|| search_index(&s.entries, &s.uris));
        let mut rows = searcher.search(query, filters);
        rows.truncate(limit);
        Ok(rows)
    }

    /// Drops every key and decrypted value (the keys wipe themselves on drop).
    pub fn lock(&mut self) {
        self.state = None;
    }

    fn unlocked(&self) -> Result<&Unlocked> {
        self.state.as_ref().ok_or(Error::Locked)
    }

    pub fn summaries(&self) -> Result<&[ItemSummary]> {
        Ok(&self.unlocked()?.summaries)
    }

    /// The decrypted URIs of every login outside the trash, for the matching index.
    pub fn login_uris(&self) -> Result<Vec<&ItemUris>> {
        Ok(self.unlocked()?.live_uris().collect())
    }

    /// The whole decrypted item, on demand.
    pub fn item(&self, id: &str) -> Result<CipherView> {
        let s = self.unlocked()?;
        let index = *s
            .positions
            .get(id)
            .ok_or_else(|| Error::NotFound("item".into()))?;
        let cipher: Cipher =
            serde_json::from_str(s.material.cipher_text(&s.material.ciphers[index]))
                .map_err(|_| Error::malformed("the stored item"))?;
        Ok(decrypt_cipher(&cipher, &s.ring))
    }

    /// Decrypts everything (for exports).
    pub fn vault(&self) -> Result<Vault> {
        let s = self.unlocked()?;
        let m = &s.material;
        let (folders, collections) = (m.wire_folders(), m.collections()?);
        Ok(Vault::decrypt_parts(
            &folders,
            &collections,
            &m.cipher_texts(),
            &s.ring,
        ))
    }
}

impl Unlocked {
    /// Login URIs of items outside the trash.
    fn live_uris(&self) -> impl Iterator<Item = &ItemUris> {
        self.uris.iter().filter(|u| {
            self.positions
                .get(&u.id)
                .is_some_and(|&i| !self.summaries[i].deleted)
        })
    }
}

/// The search index, with each login's URI hosts worked out here rather than at unlock.
fn search_index(entries: &[SearchEntry], uris: &[ItemUris]) -> SearchIndex {
    let by_id: HashMap<&str, &ItemUris> = uris.iter().map(|u| (u.id.as_str(), u)).collect();
    SearchIndex::build(entries.iter().map(|e| {
        let mut e = e.clone();
        if let Some(u) = by_id.get(e.id.as_str()) {
            e.uri_hosts = u
                .uris
                .iter()
                .filter_map(|(uri, _)| crate::matching::host(uri))
                .collect();
            e.icon_host = e.uri_hosts.first().cloned();
        }
        e
    }))
}

fn damaged_row(range: &Range<usize>, material: &AccountMaterial) -> ItemSummary {
    ItemSummary {
        id: cipher_id(material.cipher_text(range)),
        kind: 0,
        name: String::new(),
        subtitle: String::new(),
        favorite: false,
        folder_id: None,
        organization_id: None,
        deleted: false,
        damaged: true,
    }
}

/// Search filters as the popup sends them (camelCase JSON).
#[derive(serde::Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct FilterRequest {
    #[serde(rename = "type")]
    pub kind: Option<u8>,
    pub folder_id: Option<String>,
    pub unfiled: bool,
    pub favorites_only: bool,
    pub trash: bool,
    pub include_notes: bool,
    /// At most this many rows (default 200): a popup shows a screenful, not the whole vault.
    pub limit: Option<usize>,
}

/// Rows a search returns when the request does not say.
pub const DEFAULT_SEARCH_LIMIT: usize = 200;

impl FilterRequest {
    pub fn to_filters(&self) -> Filters {
        Filters {
            kind: self.kind,
            folder: match (&self.folder_id, self.unfiled) {
                (Some(id), _) => search::FolderFilter::Id(id.clone()),
                (None, true) => search::FolderFilter::Unfiled,
                (None, false) => search::FolderFilter::Any,
            },
            favorites_only: self.favorites_only,
            trash: self.trash,
            include_notes: self.include_notes,
        }
    }
}
