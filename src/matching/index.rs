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
//!
//! Every posting found is confirmed with the same predicate as [`super::uri_matches`], so the
//! buckets only have to be complete, never exact (the blacklist, for one, is applied there).

use std::collections::BTreeMap;

use serde::Serialize;

use super::fxhash::FxMap;
use super::pattern::required_literals;
use super::{
    domain_blacklisted, page_accepts_candidates, resolve, MatchSettings, MatchStrength,
    PageContext, Rule, UriMatch,
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

#[derive(Debug)]
struct Entry {
    id: Box<str>,
    last_used: i64,
    uris: Vec<(Box<str>, Option<UriMatch>)>,
    rules: Vec<Rule>,
    /// For regex rules: the trigram bucket they sit in (`None` = the linear list).
    grams: Vec<Option<[u8; 3]>>,
}

/// See the module documentation. Build it at unlock; keep it current with [`MatchIndex::insert`]
/// and [`MatchIndex::remove`] on every edit.
#[derive(Debug, Default)]
pub struct MatchIndex {
    settings: MatchSettings,
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_id: FxMap<Box<str>, u32>,
    domain: FxMap<Box<str>, DomainBucket>,
    host: FxMap<Box<str>, Vec<Posting>>,
    exact: FxMap<Box<str>, Vec<Posting>>,
    starts: FxMap<Box<str>, Vec<Posting>>,
    /// Distinct StartsWith lengths (bytes) with their use counts.
    starts_lens: BTreeMap<usize, u32>,
    regex_grams: FxMap<[u8; 3], Vec<Posting>>,
    regex_linear: Vec<Posting>,
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
                .iter()
                .flatten()
                .map(|e| MatchItem {
                    id: e.id.to_string(),
                    uris: e.uris.iter().map(|(u, m)| (u.to_string(), *m)).collect(),
                    last_used: e.last_used,
                })
                .collect();
            let settings = std::mem::take(&mut self.settings);
            *self = MatchIndex::build(items, settings);
        }
    }

    /// Adds an item, or replaces the item with the same id.
    pub fn insert(&mut self, item: MatchItem) {
        self.remove(&item.id);
        let s = &self.settings;
        let rules: Vec<Rule> = item
            .uris
            .iter()
            .map(|(u, m)| Rule::new(u, resolve(*m, s.default_strategy, s.never_as_domain)))
            .collect();
        let mut grams = vec![None; rules.len()];
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        for (i, rule) in rules.iter().enumerate() {
            let p = Posting {
                slot,
                uri: i as u32,
            };
            match rule {
                Rule::Nothing => {}
                Rule::Domain { domain, ip_port } => {
                    let bucket = self.domain.entry(domain.clone()).or_default();
                    match ip_port {
                        Some(port) => bucket.by_port.entry(port.clone()).or_default().push(p),
                        None => bucket.plain.push(p),
                    }
                }
                Rule::Host(h) => self.host.entry(h.clone()).or_default().push(p),
                Rule::Exact(s) => self.exact.entry(s.clone()).or_default().push(p),
                Rule::StartsWith(s) => {
                    self.starts.entry(s.clone()).or_default().push(p);
                    *self.starts_lens.entry(s.len()).or_insert(0) += 1;
                }
                Rule::Regex(_) => match self.pick_gram(&item.uris[i].0) {
                    Some(g) => {
                        self.regex_grams.entry(g).or_default().push(p);
                        grams[i] = Some(g);
                    }
                    None => self.regex_linear.push(p),
                },
            }
        }
        let id: Box<str> = item.id.into();
        self.by_id.insert(id.clone(), slot);
        self.slots[slot as usize] = Some(Entry {
            id,
            last_used: item.last_used,
            uris: item.uris.into_iter().map(|(u, m)| (u.into(), m)).collect(),
            rules,
            grams,
        });
    }

    /// The least crowded trigram among the literals the pattern requires.
    fn pick_gram(&self, pattern: &str) -> Option<[u8; 3]> {
        required_literals(pattern)
            .iter()
            .flat_map(|lit| lit.as_bytes().windows(3))
            .map(|w| [w[0], w[1], w[2]])
            .min_by_key(|g| self.regex_grams.get(g).map_or(0, Vec::len))
    }

    /// Same as [`MatchIndex::insert`]: an edit replaces the whole item.
    pub fn update(&mut self, item: MatchItem) {
        self.insert(item);
    }

    /// Records a use (fill or copy), which moves the item up among equal matches.
    pub fn touch(&mut self, id: &str, last_used: i64) {
        if let Some(&slot) = self.by_id.get(id) {
            if let Some(Some(e)) = self.slots.get_mut(slot as usize) {
                e.last_used = last_used;
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
                Rule::Nothing => {}
                Rule::Domain { domain, ip_port } => {
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
                Rule::Host(h) => detach(&mut self.host, h, p),
                Rule::Exact(s) => detach(&mut self.exact, s, p),
                Rule::StartsWith(s) => {
                    detach(&mut self.starts, s, p);
                    if let Some(n) = self.starts_lens.get_mut(&s.len()) {
                        *n -= 1;
                        if *n == 0 {
                            self.starts_lens.remove(&s.len());
                        }
                    }
                }
                Rule::Regex(_) => match entry.grams.get(i).copied().flatten() {
                    Some(g) => {
                        if let Some(list) = self.regex_grams.get_mut(&g) {
                            list.retain(|q| *q != p);
                            if list.is_empty() {
                                self.regex_grams.remove(&g);
                            }
                        }
                    }
                    None => self.regex_linear.retain(|q| *q != p),
                },
            }
        }
        self.free.push(slot);
        true
    }

    /// The logins matching `page_url`, strongest match first, then most recently used, then by
    /// id. Pages other than `http:`/`https:` get none ([`super::page_accepts_candidates`]).
    pub fn candidates_for(&self, page_url: &str) -> Vec<Candidate> {
        if !page_accepts_candidates(page_url) {
            return Vec::new();
        }
        let page = PageContext::new(page_url, &self.settings);
        let mut hits: Vec<(u32, MatchStrength)> = Vec::new();
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
        let info = page.info();
        if let Some(list) = info.host.as_deref().and_then(|h| self.host.get(h)) {
            take(list, MatchStrength::Host);
        }
        for d in page.match_domains() {
            let Some(bucket) = self.domain.get(d.as_str()) else {
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
        let mut take_regex = |list: &[Posting]| {
            for p in list {
                let entry = self.slots.get(p.slot as usize).and_then(|e| e.as_ref());
                let rule = entry.and_then(|e| e.rules.get(p.uri as usize));
                if rule.is_some_and(|r| r.matches(&page)) {
                    hits.push((p.slot, MatchStrength::RegularExpression));
                }
            }
        };
        if !self.regex_grams.is_empty() {
            let lower = page_url.to_ascii_lowercase();
            let mut grams: Vec<[u8; 3]> = lower
                .as_bytes()
                .windows(3)
                .map(|w| [w[0], w[1], w[2]])
                .collect();
            grams.sort_unstable();
            grams.dedup();
            for g in &grams {
                if let Some(list) = self.regex_grams.get(g) {
                    take_regex(list);
                }
            }
        }
        take_regex(&self.regex_linear);
        self.rank(hits)
    }

    fn rank(&self, mut hits: Vec<(u32, MatchStrength)>) -> Vec<Candidate> {
        // One entry per item, with its strongest match.
        hits.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        hits.dedup_by_key(|h| h.0);
        let mut ranked: Vec<(&Entry, MatchStrength)> = hits
            .into_iter()
            .filter_map(|(slot, s)| Some((self.slots.get(slot as usize)?.as_ref()?, s)))
            .collect();
        ranked.sort_unstable_by(|(a, sa), (b, sb)| {
            sb.cmp(sa)
                .then(b.last_used.cmp(&a.last_used))
                .then(a.id.cmp(&b.id))
        });
        ranked
            .into_iter()
            .map(|(e, strength)| Candidate {
                id: e.id.to_string(),
                strength,
            })
            .collect()
    }
}
