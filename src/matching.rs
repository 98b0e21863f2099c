//! URI matching: which logins belong to a page (docs/protocol.md §8, docs/autofill.md rules 2–4).
//!
//! - [`registrable_domain`] / [`host`]: the §8.3 helpers (Public Suffix List with its private
//!   section, IDN by punycode, IPs and `localhost` whole).
//! - [`uri_matches`]: one stored URI against one page, every strategy exactly as §8.4.
//! - [`MatchIndex`]: all logins bucketed so [`MatchIndex::candidates_for`] costs work in
//!   proportion to the answer, not the vault.
//!
//! Independent of the vault types: callers hand in plain strings.

mod fxhash;
mod index;
mod pattern;
pub mod psl;
mod regex_engine;
mod settings;
mod urls;

pub(crate) use fxhash::FxMap;
pub use index::{Candidate, MatchIndex, MatchItem};
pub use pattern::{UriRegex, MAX_INPUT_BYTES, MAX_PATTERN_CHARS};
pub use settings::{resolve_default_strategy, MatchSettings, UriMatch, POLICY_URI_MATCH_DEFAULTS};
pub use urls::{host, means_https, registrable_domain, UrlInfo};
#[doc(hidden)]
pub use urls::{url_info_fast, url_info_slow};

use serde::Serialize;

/// How specifically an item matched; candidates are ordered strongest first.
///
/// A regex sits between Host and Domain: the user wrote it to be narrower than the site, but
/// nothing proves it is narrower than a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchStrength {
    Domain = 1,
    RegularExpression = 2,
    Host = 3,
    StartsWith = 4,
    Exact = 5,
}

impl MatchStrength {
    /// The strength whose discriminant is `rank` (1 to 5).
    pub(crate) fn from_rank(rank: u8) -> Option<Self> {
        use MatchStrength::*;
        [Domain, RegularExpression, Host, StartsWith, Exact]
            .into_iter()
            .find(|s| *s as u8 == rank)
    }
}

/// Domain matches never offered on these hosts, by stored registrable domain
/// (`Utils.DomainMatchBlacklist`): Apps Script pages run third-party code under google.com.
const DOMAIN_MATCH_BLACKLIST: &[(&str, &[&str])] = &[("google.com", &["script.google.com"])];

/// A stored URI of registrable domain `domain` must not Domain-match a page of host `page_host`.
pub(crate) fn domain_blacklisted(domain: &str, page_host: Option<&str>) -> bool {
    DOMAIN_MATCH_BLACKLIST
        .iter()
        .any(|(d, hosts)| *d == domain && page_host.is_some_and(|h| hosts.contains(&h)))
}

/// Whether a page may receive login candidates at all: only `http:` and `https:` documents.
///
/// `about:`, `data:`, `blob:`, `file:`, `javascript:` and browser/extension pages never get
/// candidates, whatever the stored URIs say: they have no trustworthy origin to match (opaque or
/// local), and the extension cannot script browser pages anyway. [`uri_matches`] itself stays the
/// pure §8.4 predicate; this gate is applied by [`MatchIndex::candidates_for`].
pub fn page_accepts_candidates(page_url: &str) -> bool {
    let b = page_url.as_bytes();
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("https://") || starts("http://")
}

/// Everything about a page URL that matching needs, computed once per lookup.
#[derive(Debug, Clone)]
pub struct PageContext {
    url: String,
    info: UrlInfo,
    /// The page's registrable domain and every domain equivalent to it; empty if it has none.
    match_domains: Vec<String>,
    default_strategy: UriMatch,
    never_as_domain: bool,
}

impl PageContext {
    pub fn new(page_url: &str, settings: &MatchSettings) -> PageContext {
        let info = UrlInfo::of(page_url);
        let match_domains = info
            .domain
            .as_deref()
            .map(|d| settings.equivalents_of(d))
            .unwrap_or_default();
        PageContext {
            url: page_url.to_string(),
            info,
            match_domains,
            default_strategy: settings.default_strategy,
            never_as_domain: settings.never_as_domain,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn info(&self) -> &UrlInfo {
        &self.info
    }

    /// The page's registrable domain followed by its equivalents.
    pub fn match_domains(&self) -> &[String] {
        &self.match_domains
    }

    /// The strategy in force for a URI whose own `match` is `strategy` (§8.1 step 4, §8.2).
    pub fn resolve(&self, strategy: Option<UriMatch>) -> UriMatch {
        resolve(strategy, self.default_strategy, self.never_as_domain)
    }
}

fn resolve(strategy: Option<UriMatch>, default: UriMatch, never_as_domain: bool) -> UriMatch {
    match strategy.unwrap_or(default) {
        UriMatch::Never if never_as_domain => UriMatch::Domain,
        s => s,
    }
}

/// Does the stored URI (with its own `match`, `None` = the default) match the page? Exactly
/// `LoginUriView.matchesUri` (§8.4); see [`page_accepts_candidates`] for the page-scheme gate.
pub fn uri_matches(stored: &str, strategy: Option<UriMatch>, page: &PageContext) -> bool {
    Rule::new(stored, page.resolve(strategy)).matches(page)
}

/// A stored URI reduced to what its strategy compares. `R` is how a regex is held: compiled
/// here, compiled on first use in the candidate index.
#[derive(Debug)]
pub(crate) enum Rule<R = UriRegex> {
    /// Never matches: `Never`, an empty URI, or nothing to compare (no domain, no host).
    Nothing,
    Domain {
        domain: Box<str>,
        /// `Some(URL.port)` when the stored host is exactly `localhost` or an IP.
        ip_port: Option<Box<str>>,
    },
    Host(Box<str>),
    StartsWith(Box<str>),
    Exact(Box<str>),
    Regex(R),
}

impl<R> Rule<R> {
    /// The same rule with another regex holder, for strategies that are not regexes.
    pub(crate) fn without_regex<S>(self) -> Rule<S> {
        match self {
            Rule::Nothing | Rule::Regex(_) => Rule::Nothing,
            Rule::Domain { domain, ip_port } => Rule::Domain { domain, ip_port },
            Rule::Host(h) => Rule::Host(h),
            Rule::StartsWith(s) => Rule::StartsWith(s),
            Rule::Exact(s) => Rule::Exact(s),
        }
    }
}

impl Rule {
    pub(crate) fn new(stored: &str, strategy: UriMatch) -> Rule {
        if stored.is_empty() {
            return Rule::Nothing;
        }
        match strategy {
            UriMatch::Domain => match urls::domain_and_port(stored) {
                (Some(d), ip, port) => Rule::Domain {
                    domain: d.into(),
                    ip_port: ip.then(|| port.into()),
                },
                (None, ..) => Rule::Nothing,
            },
            UriMatch::Host => match UrlInfo::of(stored).host {
                Some(h) => Rule::Host(h.into()),
                None => Rule::Nothing,
            },
            UriMatch::StartsWith => Rule::StartsWith(stored.into()),
            UriMatch::Exact => Rule::Exact(stored.into()),
            UriMatch::RegularExpression => {
                let re = UriRegex::compile(stored);
                if re.is_usable() {
                    Rule::Regex(re)
                } else {
                    Rule::Nothing
                }
            }
            UriMatch::Never => Rule::Nothing,
        }
    }

    pub(crate) fn matches(&self, page: &PageContext) -> bool {
        if page.url.is_empty() {
            return false;
        }
        match self {
            Rule::Nothing => false,
            Rule::Domain { domain, ip_port } => {
                if !page.match_domains.iter().any(|d| d.as_str() == &**domain) {
                    return false;
                }
                if domain_blacklisted(domain, page.info.host.as_deref()) {
                    return false;
                }
                match ip_port {
                    Some(port) if page.info.ip_or_localhost => **port == *page.info.port,
                    _ => true,
                }
            }
            Rule::Host(h) => page.info.host.as_deref() == Some(&**h),
            Rule::StartsWith(prefix) => page.url.starts_with(&**prefix),
            Rule::Exact(s) => page.url == **s,
            Rule::Regex(re) => re.is_match(&page.url),
        }
    }
}
