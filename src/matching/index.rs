//! The candidate index: every login URI bucketed by what its strategy compares, so that a page
//! lookup touches only the buckets its own URL names.
//!
//! | strategy   | bucket key                          | lookup                                  |
//! |------------|-------------------------------------|-----------------------------------------|
//! | Domain     | registrable domain (+ port for IPs) | page domain and each equivalent domain  |
//! | Host       | `getHost` of the stored URI         | `getHost` of the page                   |
//! | Exact      | the stored string                   | the page URL                            |
//! | StartsWith | the stored string                   | each page-URL prefix whose length some stored prefix has |
//! | Regex      | one trigram of a literal it requires | each distinct trigram of the URL       |
//!
//! A regex with no certain literal (top-level alternation, all classes) goes to a short list
//! tested on every lookup; users rarely have many regex URIs, and fewer still without a literal.
//! A regex is compiled on its first test, and only tested when the page holds every literal it
//! requires: at unlock most regexes are never needed, and a trigram bucket holds many that cannot
//! match (the `regress` backtracker costs far more than a substring search).
//!
//! Every posting found is confirmed with the same predicate as [`super::uri_matches`], so the
//! buckets only have to be complete, never exact (the blacklist, for one, is applied there).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use memchr::memmem;
use serde::Serialize;

use super::fxhash::FxMap;
use super::pattern::required_literals;
use super::{
    domain_blacklisted, page_accepts_candidates, resolve, MatchSettings, MatchStrength, Rule,
    UriMatch, UriRegex, UrlInfo,
};

/// One non-deleted login, as the caller hands it to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchItem {
    pub id: String,
    /// Each URI with its own `match` (`None` = the default strategy).
    pub uris: Vec<(String, Option<UriMatch>)>,
    /// Last use (e.g. milliseconds since the epoch); larger = more recent.
    pub last_used: i64,
}

/// One item matching a page, with its strongest matching URI's strength.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub id: String,
    pub strength: MatchStrength,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    slot: u32,
    uri: u32,
}

#[derive(Debug, Default)]
struct DomainBucket {
    /// Stored hosts that are not exactly an IP or `localhost`.
    plain: Vec<Posting>,
    /// Stored IP / `localhost` URIs by `URL.port`, so an IP page reads only its own port.
    by_port: FxMap<Box<str>, Vec<Posting>>,
}

/// A RegularExpression URI, compiled on first use (see the module documentation).
#[derive(Debug)]
struct LazyRegex {
    /// Lower-case literals every match contains (empty for the linear list).
    literals: Box<[Box<str>]>,
    /// The trigram bucket it sits in (`None` = the linear list).
    gram: Option<[u8; 3]>,
    re: OnceLock<UriRegex>,
}

/// A stored URI reduced to its bucket key; its regex, if any, compiles on first use (an inline
/// compiled regex would make every URI's record several times larger).
type IndexRule = Rule<Box<LazyRegex>>;

/// What ranking reads of an item, kept in one dense array by slot: ranking a hit then touches
/// this one record (id inline), not the entry and the id's heap bytes, each a cache miss on a
/// large vault.
#[derive(Debug, Default)]
struct Meta {
    last_used: i64,
    id: ItemId,
}

/// Bytes an id may have to be stored inline; UUIDs have 36.
const INLINE_ID: usize = 38;

/// An item id, inline in its [`Meta`] when short so that ranking reads a single cache line.
#[derive(Debug)]
enum ItemId {
    Inline { len: u8, bytes: [u8; INLINE_ID] },
    Heap(Box<str>),
}

impl Default for ItemId {
    fn default() -> Self {
        ItemId::Heap(Box::default())
    }
}

impl ItemId {
    fn new(id: &str) -> ItemId {
        if id.len() > INLINE_ID {
            return ItemId::Heap(id.into());
        }
        let mut bytes = [0; INLINE_ID];
        bytes[..id.len()].copy_from_slice(id.as_bytes());
        ItemId::Inline {
            len: id.len() as u8,
            bytes,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Always whole UTF-8 (copied from a `&str`), so this never falls back.
            ItemId::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or("")
            }
            ItemId::Heap(s) => s,
        }
    }
}

/// A regex posting with a bit per trigram of its literals ([`gram_bit`]): a page missing one of
/// the bits misses a literal, which rules the regex out without reading its entry.
#[derive(Debug, Clone, Copy)]
struct RegexPosting {
    p: Posting,
    mask: u64,
}

fn gram_bit(w: &[u8]) -> u64 {
    let h = u32::from_le_bytes([w[0], w[1], w[2], 0]).wrapping_mul(0x9e37_79b1);
    1 << (h >> 26)
}

fn grams_mask(s: &[u8]) -> u64 {
    s.windows(3).fold(0, |m, w| m | gram_bit(w))
}

#[derive(Debug)]
struct Entry {
    /// As handed in (kept as `String`: converting each to `Box<str>` reallocates at build).
    uris: Vec<(String, Option<UriMatch>)>,
    rules: Vec<IndexRule>,
}

/// See the module documentation. Build it at unlock; keep it current with [`MatchIndex::insert`]
/// and [`MatchIndex::remove`] on every edit.
#[derive(Debug, Default)]
pub struct MatchIndex {
    settings: MatchSettings,
    slots: Vec<Option<Entry>>,
    /// By slot, like `slots` (a free slot keeps stale data).
    meta: Vec<Meta>,
    free: Vec<u32>,
    by_id: FxMap<Box<str>, u32>,
    domain: FxMap<Box<str>, DomainBucket>,
    host: FxMap<Box<str>, Vec<Posting>>,
    exact: FxMap<Box<str>, Vec<Posting>>,
    starts: FxMap<Box<str>, Vec<Posting>>,
    /// Distinct StartsWith lengths (bytes) with their use counts.
    starts_lens: BTreeMap<usize, u32>,
    regex_grams: FxMap<[u8; 3], Vec<RegexPosting>>,
    regex_linear: Vec<RegexPosting>,
}

/// Appends to the key's list, allocating the key only for a new bucket.
fn attach(map: &mut FxMap<Box<str>, Vec<Posting>>, key: &str, p: Posting) {
    match map.get_mut(key) {
        Some(list) => list.push(p),
        None => {
            map.insert(key.into(), vec![p]);
        }
    }
}

/// Trigrams present in nearly every page URL; a regex filed under one would be scanned on every
/// lookup, so [`MatchIndex::pick_gram`] takes them only when nothing else is available.
const COMMON_URL_PARTS: &[&str] = &["https://www.", "http://", ".com/", ".org/", ".net/"];

fn is_common_gram(g: &[u8; 3]) -> bool {
    COMMON_URL_PARTS
        .iter()
        .any(|part| part.as_bytes().windows(3).any(|w| w == g))
}

fn detach(map: &mut FxMap<Box<str>, Vec<Posting>>, key: &str, p: Posting) {
    if let Some(list) = map.get_mut(key) {
        list.retain(|q| *q != p);
        if list.is_empty() {
            map.remove(key);
        }
    }
}

impl MatchIndex {
    pub fn new(settings: MatchSettings) -> MatchIndex {
        MatchIndex {
            settings,
            ..MatchIndex::default()
        }
    }

    pub fn build(items: impl IntoIterator<Item = MatchItem>, settings: MatchSettings) -> Self {
        let mut index = MatchIndex::new(settings);
        let items = items.into_iter();
        let n = items.size_hint().0;
        index.slots.reserve(n);
        index.meta.reserve(n);
        index.by_id.reserve(n);
        for item in items {
            index.insert(item);
        }
        index
    }

    pub fn settings(&self) -> &MatchSettings {
        &self.settings
    }

    /// Number of items held.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Replaces the settings; re-buckets everything if the strategy resolution changed
    /// (equivalent domains are read at lookup time and need no rebuild).
    pub fn set_settings(&mut self, settings: MatchSettings) {
        let rebuild = settings.default_strategy != self.settings.default_strategy
            || settings.never_as_domain != self.settings.never_as_domain;
        self.settings = settings;
        if rebuild {
            let items: Vec<MatchItem> = self
                .slots
                .iter_mut()
                .zip(&mut self.meta)
                .filter_map(|(e, meta)| {
                    let e = e.take()?;
                    Some(MatchItem {
                        id: meta.id.as_str().to_string(),
                        uris: e.uris,
                        last_used: meta.last_used,
                    })
                })
                .collect();
            let settings = std::mem::take(&mut self.settings);
            *self = MatchIndex::build(items, settings);
        }
    }

    /// Adds an item, or replaces the item with the same id.
    pub fn insert(&mut self, item: MatchItem) {
        self.remove(&item.id);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.meta.push(Meta::default());
                (self.slots.len() - 1) as u32
            }
        };
        let mut rules = Vec::with_capacity(item.uris.len());
        for (i, (uri, m)) in item.uris.iter().enumerate() {
            let p = Posting {
                slot,
                uri: i as u32,
            };
            let s = &self.settings;
            let strategy = resolve(*m, s.default_strategy, s.never_as_domain);
            if strategy == UriMatch::RegularExpression && !uri.is_empty() {
                let literals: Box<[Box<str>]> =
                    required_literals(uri).into_iter().map(Into::into).collect();
                let gram = self.pick_gram(&literals);
                let mask = literals.iter().fold(0, |m, l| m | grams_mask(l.as_bytes()));
                let rp = RegexPosting { p, mask };
                match gram {
                    Some(g) => self.regex_grams.entry(g).or_default().push(rp),
                    None => self.regex_linear.push(rp),
                }
                rules.push(IndexRule::Regex(Box::new(LazyRegex {
                    literals,
                    gram,
                    re: OnceLock::new(),
                })));
                continue;
            }
            let rule: IndexRule = Rule::new(uri, strategy).without_regex();
            match &rule {
                IndexRule::Nothing | IndexRule::Regex(_) => {}
                IndexRule::Domain { domain, ip_port } => {
                    // One hash when the bucket exists (the usual case), and no key copy.
                    let bucket = match self.domain.get_mut(&**domain) {
                        Some(bucket) => bucket,
                        None => self.domain.entry(domain.clone()).or_default(),
                    };
                    match ip_port {
                        Some(port) => attach(&mut bucket.by_port, port, p),
                        None => bucket.plain.push(p),
                    }
                }
                IndexRule::Host(h) => attach(&mut self.host, h, p),
                IndexRule::Exact(s) => attach(&mut self.exact, s, p),
                IndexRule::StartsWith(s) => {
                    attach(&mut self.starts, s, p);
                    *self.starts_lens.entry(s.len()).or_insert(0) += 1;
                }
            }
            rules.push(rule);
        }
        let id: Box<str> = item.id.into();
        self.by_id.insert(id.clone(), slot);
        self.meta[slot as usize] = Meta {
            last_used: item.last_used,
            id: ItemId::new(&id),
        };
        self.slots[slot as usize] = Some(Entry {
            uris: item.uris,
            rules,
        });
    }

    /// The least crowded trigram among the required literals, avoiding the ones every URL has.
    fn pick_gram(&self, literals: &[Box<str>]) -> Option<[u8; 3]> {
        literals
            .iter()
            .flat_map(|lit| lit.as_bytes().windows(3))
            .map(|w| [w[0], w[1], w[2]])
            .min_by_key(|g| {
                (
                    is_common_gram(g),
                    self.regex_grams.get(g).map_or(0, Vec::len),
                )
            })
    }

    /// Same as [`MatchIndex::insert`]: an edit replaces the whole item.
    pub fn update(&mut self, item: MatchItem) {
        self.insert(item);
    }

    /// Records a use (fill or copy), which moves the item up among equal matches.
    pub fn touch(&mut self, id: &str, last_used: i64) {
        if let Some(&slot) = self.by_id.get(id) {
            if let Some(meta) = self.meta.get_mut(slot as usize) {
                meta.last_used = last_used;
            }
        }
    }

    /// Removes an item (deleted, moved to trash, or no longer a login); unknown ids are ignored.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.by_id.remove(id) else {
            return false;
        };
        let Some(entry) = self.slots.get_mut(slot as usize).and_then(Option::take) else {
            return false;
        };
        for (i, rule) in entry.rules.iter().enumerate() {
            let p = Posting {
                slot,
                uri: i as u32,
            };
            match rule {
                IndexRule::Nothing => {}
                IndexRule::Regex(lazy) => match lazy.gram {
                    Some(g) => {
                        if let Some(list) = self.regex_grams.get_mut(&g) {
                            list.retain(|q| q.p != p);
                            if list.is_empty() {
                                self.regex_grams.remove(&g);
                            }
                        }
                    }
                    None => self.regex_linear.retain(|q| q.p != p),
                },
                IndexRule::Domain { domain, ip_port } => {
                    if let Some(bucket) = self.domain.get_mut(&**domain) {
                        match ip_port {
                            Some(port) => detach(&mut bucket.by_port, port, p),
                            None => bucket.plain.retain(|q| *q != p),
                        }
                        if bucket.plain.is_empty() && bucket.by_port.is_empty() {
                            self.domain.remove(&**domain);
                        }
                    }
                }
                IndexRule::Host(h) => detach(&mut self.host, h, p),
                IndexRule::Exact(s) => detach(&mut self.exact, s, p),
                IndexRule::StartsWith(s) => {
                    detach(&mut self.starts, s, p);
                    if let Some(n) = self.starts_lens.get_mut(&s.len()) {
                        *n -= 1;
                        if *n == 0 {
                            self.starts_lens.remove(&s.len());
                        }
                    }
                }
            }
        }
        self.free.push(slot);
        true
    }

    /// The page's registrable domain and each domain equivalent to it, in the order and without
    /// the copies of [`MatchSettings::equivalents_of`].
    fn match_domains<'a>(&'a self, domain: &'a str) -> Vec<&'a str> {
        let mut out = vec![domain];
        for g in &self.settings.equivalent_domains {
            if g.iter().any(|d| d == domain) {
                for d in g {
                    if !out.contains(&d.as_str()) {
                        out.push(d);
                    }
                }
            }
        }
        out
    }

    /// The logins matching `page_url`, strongest match first, then most recently used, then by
    /// id. Pages other than `http:`/`https:` get none ([`super::page_accepts_candidates`]).
    pub fn candidates_for(&self, page_url: &str) -> Vec<Candidate> {
        if !page_accepts_candidates(page_url) {
            return Vec::new();
        }
        let info = UrlInfo::of(page_url);
        let mut hits: Vec<(u32, MatchStrength)> = Vec::with_capacity(64);
        // Bucket keys are the compared values, so a posting found under the page's key is a
        // match of that bucket's strength; only regexes need evaluating.
        let mut take = |list: &[Posting], strength: MatchStrength| {
            hits.extend(list.iter().map(|p| (p.slot, strength)));
        };
        if let Some(list) = self.exact.get(page_url) {
            take(list, MatchStrength::Exact);
        }
        for &len in self.starts_lens.range(..=page_url.len()).map(|(l, _)| l) {
            if let Some(list) = page_url.get(..len).and_then(|p| self.starts.get(p)) {
                take(list, MatchStrength::StartsWith);
            }
        }
        if let Some(list) = info.host.as_deref().and_then(|h| self.host.get(h)) {
            take(list, MatchStrength::Host);
        }
        let domains = info.domain.as_deref().map(|d| self.match_domains(d));
        for &d in domains.iter().flatten() {
            let Some(bucket) = self.domain.get(d) else {
                continue;
            };
            if domain_blacklisted(d, info.host.as_deref()) {
                continue;
            }
            take(&bucket.plain, MatchStrength::Domain);
            if info.ip_or_localhost {
                if let Some(list) = bucket.by_port.get(info.port.as_str()) {
                    take(list, MatchStrength::Domain);
                }
            } else {
                for list in bucket.by_port.values() {
                    take(list, MatchStrength::Domain);
                }
            }
        }
        let lower = if self.regex_grams.is_empty() {
            String::new()
        } else {
            page_url.to_ascii_lowercase()
        };
        // `regress` folds a few non-ASCII letters onto ASCII ones (`ſ` matches `s`), so the
        // literal pre-check is sound only on an ASCII URL (browsers serialise URLs as ASCII).
        let precheck = page_url.is_ascii();
        let page_mask = grams_mask(lower.as_bytes());
        let mut take_regex = |list: &[RegexPosting]| {
            for &RegexPosting { p, mask } in list {
                if precheck && mask & !page_mask != 0 {
                    continue;
                }
                let Some(Some(entry)) = self.slots.get(p.slot as usize) else {
                    continue;
                };
                let Some(IndexRule::Regex(lazy)) = entry.rules.get(p.uri as usize) else {
                    continue;
                };
                if precheck
                    && !lazy
                        .literals
                        .iter()
                        .all(|l| memmem::find(lower.as_bytes(), l.as_bytes()).is_some())
                {
                    continue;
                }
                let pattern = entry.uris.get(p.uri as usize).map_or("", |u| u.0.as_str());
                let re = lazy.re.get_or_init(|| UriRegex::compile(pattern));
                if re.is_match(page_url) {
                    hits.push((p.slot, MatchStrength::RegularExpression));
                }
            }
        };
        if !self.regex_grams.is_empty() {
            // As u64s: the same sort instance as `rank`'s (each sort instance is ~5-15 KB of wasm).
            let mut grams: Vec<u64> = lower
                .as_bytes()
                .windows(3)
                .map(|w| u64::from(u32::from_be_bytes([0, w[0], w[1], w[2]])))
                .collect();
            grams.sort_unstable();
            grams.dedup();
            for g in grams {
                let [_, a, b, c] = (g as u32).to_be_bytes();
                if let Some(list) = self.regex_grams.get(&[a, b, c]) {
                    take_regex(list);
                }
            }
        }
        take_regex(&self.regex_linear);
        self.rank(hits)
    }

    fn rank(&self, hits: Vec<(u32, MatchStrength)>) -> Vec<Candidate> {
        // One entry per item, with its strongest match: by slot, then strongest first, packed in
        // a u64 (slot, 255 - strength) so this sort and the trigrams' are one instance.
        let mut keys: Vec<u64> = hits
            .iter()
            .map(|&(slot, s)| u64::from(slot) << 8 | u64::from(u8::MAX - s as u8))
            .collect();
        drop(hits);
        keys.sort_unstable();
        keys.dedup_by_key(|k| *k >> 8);
        // Every hit comes from a live slot (postings leave with their item).
        let mut ranked: Vec<(MatchStrength, &Meta)> = keys
            .into_iter()
            .filter_map(|k| {
                let strength = MatchStrength::from_rank(u8::MAX - (k & 0xff) as u8)?;
                Some((strength, self.meta.get((k >> 8) as usize)?))
            })
            .collect();
        ranked.sort_unstable_by(ranked_order);
        ranked
            .into_iter()
            .map(|(strength, m)| Candidate {
                id: String::from(m.id.as_str()),
                strength,
            })
            .collect()
    }
}

/// Strongest first, then most recently used, then by id. Not inlined: inside the sort's many
/// call sites its string comparison made that one sort instance ~15 KB of wasm; the lists are a
/// page's candidates, short.
#[inline(never)]
fn ranked_order(
    (sa, a): &(MatchStrength, &Meta),
    (sb, b): &(MatchStrength, &Meta),
) -> std::cmp::Ordering {
    sb.cmp(sa)
        .then(b.last_used.cmp(&a.last_used))
        .then_with(|| a.id.as_str().cmp(b.id.as_str()))
}
