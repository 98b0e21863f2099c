//! Vault search for the popup: fast enough to run on every keystroke on large vaults.
//!
//! Searched: name, username, URI hosts, folder name, card brand and last four digits, identity
//! name and e-mail; notes only when [`Filters::include_notes`] is set. Passwords, hidden fields,
//! card numbers and codes are never given to the index, so they cannot be found or returned.
//!
//! Every searchable string is folded ([`fold::fold`]) once, when the entry is inserted, into one
//! contiguous text arena laid out in name order, with a small fixed-size record per entry (masks,
//! flags, offsets). A search is one sequential pass in name order that drops each match into its
//! rank tier ([`score`]); concatenating the tiers gives the ranked list without sorting. Edits
//! append to the arena; it is re-laid out when half of it is stale.

pub mod fold;
mod score;

use serde::Serialize;

use crate::matching::FxMap;
use fold::{char_mask, fold_into};
use score::{Fields, Query, TIERS};

const NO_FOLDER: u32 = u32::MAX;

/// Typo matches are looked for when a search finds fewer results than this without them.
pub const TYPO_FALLBACK_BELOW: usize = 20;

/// Item types (docs/protocol.md §7.1).
pub const KIND_LOGIN: u8 = 1;
pub const KIND_NOTE: u8 = 2;
pub const KIND_CARD: u8 = 3;
pub const KIND_IDENTITY: u8 = 4;
pub const KIND_SSH_KEY: u8 = 5;

/// What the caller extracts from a decrypted item for searching. Never put secrets here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchEntry {
    pub id: String,
    /// 1 login, 2 note, 3 card, 4 identity, 5 SSH key.
    pub kind: u8,
    pub name: String,
    /// Shown under the name (e.g. the username, or `Visa, *1234`); not searched as such.
    pub subtitle: String,
    pub username: Option<String>,
    pub uri_hosts: Vec<String>,
    pub folder_id: Option<String>,
    pub folder_name: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub identity_name: Option<String>,
    pub identity_email: Option<String>,
    pub notes: Option<String>,
    pub favorite: bool,
    /// In the trash.
    pub deleted: bool,
    pub icon_host: Option<String>,
}

/// Folder restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FolderFilter {
    #[default]
    Any,
    /// Items in no folder.
    Unfiled,
    Id(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only this item type.
    pub kind: Option<u8>,
    pub folder: FolderFilter,
    pub favorites_only: bool,
    /// Show only items in the trash; otherwise they are hidden.
    pub trash: bool,
    /// Also search notes.
    pub include_notes: bool,
}

/// One result row; holds nothing secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub subtitle: &'a str,
    pub kind: u8,
    pub favorite: bool,
    pub icon_host: Option<&'a str>,
}

/// Per-entry data read on every keystroke, kept small and contiguous.
#[derive(Debug, Clone, Copy)]
struct Hot {
    /// Character mask of the arena text (name and other fields).
    mask: u64,
    notes_mask: u64,
    /// Arena range: `start..start + len`, the first `name_len` bytes being the folded name.
    start: u32,
    len: u32,
    name_len: u32,
    /// Interned folder id, or [`NO_FOLDER`].
    folder: u32,
    kind: u8,
    favorite: bool,
    deleted: bool,
}

/// Per-entry data read only for results.
#[derive(Debug)]
struct Cold {
    id: Box<str>,
    name: Box<str>,
    subtitle: Box<str>,
    icon_host: Option<Box<str>>,
    notes_f: Option<Box<str>>,
}

/// An entry folded but not yet placed.
struct Prepared {
    text: String,
    name_len: usize,
    notes_f: Option<String>,
    entry: SearchEntry,
}

impl Prepared {
    fn new(mut e: SearchEntry) -> Prepared {
        let mut text = String::new();
        fold_into(&e.name, &mut text);
        let name_len = text.len();
        let others = [
            &e.username,
            &e.folder_name,
            &e.card_brand,
            &e.card_last4,
            &e.identity_name,
            &e.identity_email,
        ];
        let parts = others
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(e.uri_hosts.iter().map(String::as_str));
        for p in parts.filter(|p| !p.is_empty()) {
            text.push('\u{1f}');
            fold_into(p, &mut text);
        }
        let notes_f = e.notes.take().filter(|n| !n.is_empty()).map(|n| {
            let mut s = String::new();
            fold_into(&n, &mut s);
            s
        });
        Prepared {
            text,
            name_len,
            notes_f,
            entry: e,
        }
    }
}

/// The search index. Build it at unlock; keep it current with insert / update / remove.
#[derive(Debug, Default)]
pub struct SearchIndex {
    hot: Vec<Hot>,
    cold: Vec<Option<Cold>>,
    text: String,
    /// Arena bytes no live entry uses.
    stale: usize,
    free: Vec<u32>,
    by_id: FxMap<Box<str>, u32>,
    folders: FxMap<Box<str>, u32>,
    /// Slots in display order (folded name, raw name, id).
    order: Vec<u32>,
}

impl SearchIndex {
    pub fn new() -> SearchIndex {
        SearchIndex::default()
    }

    pub fn build(entries: impl IntoIterator<Item = SearchEntry>) -> SearchIndex {
        let mut latest: FxMap<String, Prepared> = FxMap::default();
        for e in entries {
            // Duplicate ids: the later entry wins.
            latest.insert(e.id.clone(), Prepared::new(e));
        }
        let mut prepared: Vec<Prepared> = latest.into_values().collect();
        prepared.sort_unstable_by(|a, b| {
            (a.text.get(..a.name_len), &a.entry.name, &a.entry.id).cmp(&(
                b.text.get(..b.name_len),
                &b.entry.name,
                &b.entry.id,
            ))
        });
        let mut index = SearchIndex::new();
        index
            .text
            .reserve(prepared.iter().map(|p| p.text.len()).sum());
        for p in prepared {
            let slot = index.place(p);
            index.order.push(slot);
        }
        index
    }

    /// Stores a prepared entry in a slot (not yet in `order`).
    fn place(&mut self, p: Prepared) -> u32 {
        let e = p.entry;
        let folder = match e.folder_id {
            Some(f) => {
                let next = self.folders.len() as u32;
                *self.folders.entry(f.into()).or_insert(next)
            }
            None => NO_FOLDER,
        };
        let hot = Hot {
            mask: char_mask(&p.text),
            notes_mask: p.notes_f.as_deref().map(char_mask).unwrap_or(0),
            start: self.text.len() as u32,
            len: p.text.len() as u32,
            name_len: p.name_len as u32,
            folder,
            kind: e.kind,
            favorite: e.favorite,
            deleted: e.deleted,
        };
        self.text.push_str(&p.text);
        let id: Box<str> = e.id.into();
        let cold = Cold {
            id: id.clone(),
            name: e.name.into(),
            subtitle: e.subtitle.into(),
            icon_host: e.icon_host.map(Into::into),
            notes_f: p.notes_f.map(Into::into),
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.hot[s as usize] = hot;
                self.cold[s as usize] = Some(cold);
                s
            }
            None => {
                self.hot.push(hot);
                self.cold.push(Some(cold));
                (self.hot.len() - 1) as u32
            }
        };
        self.by_id.insert(id, slot);
        slot
    }

    fn text_of(&self, h: &Hot) -> &str {
        let (a, b) = (h.start as usize, (h.start + h.len) as usize);
        self.text.get(a..b).unwrap_or("")
    }

    fn key(&self, slot: u32) -> (&str, &str, &str) {
        let (Some(h), Some(Some(c))) = (self.hot.get(slot as usize), self.cold.get(slot as usize))
        else {
            return ("", "", "");
        };
        let name_f = self.text_of(h).get(..h.name_len as usize).unwrap_or("");
        (name_f, &c.name, &c.id)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Adds an entry, or replaces the entry with the same id.
    pub fn insert(&mut self, entry: SearchEntry) {
        self.remove(&entry.id);
        let slot = self.place(Prepared::new(entry));
        let key = self.key(slot);
        let pos = self.order.partition_point(|&s| self.key(s) < key);
        self.order.insert(pos, slot);
    }

    pub fn update(&mut self, entry: SearchEntry) {
        self.insert(entry);
    }

    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.by_id.remove(id) else {
            return false;
        };
        let key = self.key(slot);
        let pos = self.order.partition_point(|&s| self.key(s) < key);
        if self.order.get(pos) == Some(&slot) {
            self.order.remove(pos);
        } else {
            self.order.retain(|&s| s != slot);
        }
        self.stale += self.hot.get(slot as usize).map_or(0, |h| h.len as usize);
        if let Some(c) = self.cold.get_mut(slot as usize) {
            *c = None;
        }
        self.free.push(slot);
        if self.stale > 4096 && self.stale * 2 > self.text.len() {
            self.compact();
        }
        true
    }

    /// Re-lays the arena and slots out in display order, dropping stale text.
    fn compact(&mut self) {
        let mut next = SearchIndex {
            folders: std::mem::take(&mut self.folders),
            ..SearchIndex::default()
        };
        next.text.reserve(self.text.len() - self.stale);
        for &slot in &self.order {
            let (Some(h), Some(c)) = (
                self.hot.get(slot as usize).copied(),
                self.cold.get_mut(slot as usize).and_then(Option::take),
            ) else {
                continue;
            };
            let new_slot = next.hot.len() as u32;
            let text = self.text_of(&h);
            next.hot.push(Hot {
                start: next.text.len() as u32,
                ..h
            });
            next.text.push_str(text);
            next.by_id.insert(c.id.clone(), new_slot);
            next.cold.push(Some(c));
            next.order.push(new_slot);
        }
        *self = next;
    }

    /// Ranked results for `query` under `filters`. An empty query lists every entry passing the
    /// filters, favourites first, then by name.
    pub fn search(&self, query: &str, filters: &Filters) -> Vec<Summary<'_>> {
        let folder = match &filters.folder {
            FolderFilter::Any => None,
            FolderFilter::Unfiled => Some(NO_FOLDER),
            // An unknown folder holds nothing: u32::MAX - 1 is never interned in practice.
            FolderFilter::Id(id) => Some(
                self.folders
                    .get(id.as_str())
                    .copied()
                    .unwrap_or(NO_FOLDER - 1),
            ),
        };
        let passes = |h: &Hot| {
            h.deleted == filters.trash
                && filters.kind.is_none_or(|k| k == h.kind)
                && (!filters.favorites_only || h.favorite)
                && folder.is_none_or(|f| f == h.folder)
        };
        let q = Query::new(query);
        let finders = q.finders();
        let mut tiers: [Vec<u32>; TIERS] = Default::default();
        let scan = |typos: bool, tiers: &mut [Vec<u32>; TIERS]| {
            for &slot in &self.order {
                let Some(h) = self.hot.get(slot as usize).filter(|h| passes(h)) else {
                    continue;
                };
                if q.is_empty() {
                    tiers[usize::from(!h.favorite)].push(slot);
                    continue;
                }
                let notes = if filters.include_notes {
                    self.cold
                        .get(slot as usize)
                        .and_then(|c| c.as_ref()?.notes_f.as_deref())
                } else {
                    None
                };
                let fields = Fields {
                    text: self.text_of(h),
                    name_len: h.name_len as usize,
                    notes,
                    mask: h.mask | if notes.is_some() { h.notes_mask } else { 0 },
                };
                if let Some(t) = score::tier(&fields, &q, &finders, typos) {
                    tiers[usize::from(t)].push(slot);
                }
            }
        };
        scan(false, &mut tiers);
        // Typo tolerance is a fallback: the costly one-edit comparison runs only when the query
        // found little as typed, which is when a typo is the likely explanation.
        if !q.is_empty() && tiers.iter().map(Vec::len).sum::<usize>() < TYPO_FALLBACK_BELOW {
            tiers.iter_mut().for_each(Vec::clear);
            scan(true, &mut tiers);
        }
        let total = tiers.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(total);
        for tier in &tiers {
            out.extend(tier.iter().filter_map(|&slot| self.summary(slot)));
        }
        out
    }

    fn summary(&self, slot: u32) -> Option<Summary<'_>> {
        let h = self.hot.get(slot as usize)?;
        let c = self.cold.get(slot as usize)?.as_ref()?;
        Some(Summary {
            id: &c.id,
            name: &c.name,
            subtitle: &c.subtitle,
            kind: h.kind,
            favorite: h.favorite,
            icon_host: c.icon_host.as_deref(),
        })
    }
}
