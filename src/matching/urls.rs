//! The URL helpers of docs/protocol.md §8.3 (`getUrl`, `getHost`, `getDomain`), on the WHATWG URL
//! of the `url` crate, so hosts come out lower-cased and punycoded as in a browser.
//!
//! Most stored URIs are plain `https://host[:port]/...`; those take a byte-level fast path that
//! gives exactly the parser's answer (a differential test checks it) at a fraction of the cost,
//! which keeps index building within budget on large vaults.

use std::borrow::Cow;
use std::net::Ipv4Addr;

use url::{Host, Url};

use super::psl;

/// Longest string we hand to the URL parser; longer input is treated as unparsable.
const MAX_URL_LEN: usize = 64 * 1024;

/// What matching needs to know about one URL string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlInfo {
    /// `getHost`: lower-case punycode host plus `:port` when not the scheme default.
    pub host: Option<String>,
    /// `URL.port` of `getUrl` (empty for the scheme default or when `getUrl` fails).
    pub port: String,
    /// `getDomain`: registrable domain, or the whole host for `localhost` and IPs.
    pub domain: Option<String>,
    /// The hostname is exactly `localhost` or an IP address (the §8.4 port rule applies).
    pub ip_or_localhost: bool,
}

impl UrlInfo {
    pub fn of(s: &str) -> UrlInfo {
        let t = s.trim();
        if t.is_empty() || t.len() > MAX_URL_LEN {
            return UrlInfo::default();
        }
        fast_path(t).unwrap_or_else(|| slow_path(t))
    }
}

/// Whether a saved URI stands for an HTTPS site: `https://...`, or no scheme at all
/// (`example.com`), which Keyfill reads as the HTTPS site so that filling it into an `http:` page
/// asks first (docs/autofill.md rule 5). Other schemes (`http:`, `androidapp:`) are not.
pub fn means_https(s: &str) -> bool {
    let t = s.trim();
    match t.find("://") {
        Some(i) => t[..i].eq_ignore_ascii_case("https"),
        None => !t.is_empty(),
    }
}

/// `getHost` alone.
pub fn host(s: &str) -> Option<String> {
    UrlInfo::of(s).host
}

/// `getDomain` alone.
pub fn registrable_domain(s: &str) -> Option<String> {
    UrlInfo::of(s).domain
}

fn host_of(u: &Url) -> Option<String> {
    let h = u.host_str().filter(|h| !h.is_empty())?;
    Some(match u.port() {
        Some(p) => format!("{h}:{p}"),
        None => h.to_string(),
    })
}

/// Registrable domain and the "exactly localhost or an IP" flag of a parsed URL.
fn domain_of(u: &Url) -> (Option<String>, bool) {
    match u.host() {
        None => (None, false),
        Some(Host::Ipv4(ip)) => (Some(ip.to_string()), true),
        // Brackets dropped, as tldts reports IPv6 hostnames.
        Some(Host::Ipv6(_)) => {
            let h = u.host_str().unwrap_or("");
            (
                Some(h.trim_start_matches('[').trim_end_matches(']').to_string()),
                true,
            )
        }
        Some(Host::Domain(d)) => {
            // Non-special schemes keep the host opaque: normalise it here.
            let mut d = d.trim_end_matches('.').to_ascii_lowercase();
            if !d.is_ascii() {
                d = crate::idn::domain_to_ascii(&d);
            }
            let (domain, ip) = domain_of_name(&d);
            (domain.map(str::to_string), ip)
        }
    }
}

/// `getDomain` for a lower-case ASCII host name (no port, no trailing dot), borrowed from it.
fn domain_of_name(d: &str) -> (Option<&str>, bool) {
    if d == "localhost" {
        return (Some(d), true);
    }
    // tldts' `validHosts: ["localhost"]`: every `*.localhost` belongs to `localhost`.
    if d.ends_with(".localhost") {
        return (Some("localhost"), false);
    }
    if d.parse::<Ipv4Addr>().is_ok() {
        return (Some(d), true);
    }
    (psl::registrable(d), false)
}

/// What the fast path reads from a URL: the host name as written, the non-default port, and
/// whether `getUrl` accepts the string.
struct FastParts<'a> {
    name: &'a str,
    port: Option<u32>,
    get_url_ok: bool,
}

/// `http(s)://host[:port][/?#...]` or `host[:port]...` with a plain ASCII host name: the answer
/// without the full parser. Anything unusual returns `None` and takes the slow path.
fn fast_path(t: &str) -> Option<UrlInfo> {
    let FastParts {
        name,
        port,
        get_url_ok,
    } = fast_parts(t)?;
    let lower = name.to_ascii_lowercase();
    let mut info = UrlInfo::default();
    if get_url_ok {
        info.port = port.map(|p| p.to_string()).unwrap_or_default();
        info.host = Some(match port {
            Some(p) => format!("{lower}:{p}"),
            None => lower.clone(),
        });
    }
    let (domain, ip) = domain_of_name(&lower);
    info.domain = domain.map(str::to_string);
    info.ip_or_localhost = ip;
    Some(info)
}

/// `(domain, ip_or_localhost, port)` of [`UrlInfo::of`] without building the host string: the
/// index calls this for every Domain URI at unlock, where those allocations add up in wasm.
pub(crate) fn domain_and_port(s: &str) -> (Option<String>, bool, String) {
    let t = s.trim();
    if t.is_empty() || t.len() > MAX_URL_LEN {
        return (None, false, String::new());
    }
    let Some(parts) = fast_parts(t) else {
        let info = slow_path(t);
        return (info.domain, info.ip_or_localhost, info.port);
    };
    let lower = if parts.name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(parts.name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(parts.name)
    };
    let (domain, ip) = domain_of_name(&lower);
    let port = match parts.port {
        Some(p) if parts.get_url_ok => p.to_string(),
        _ => String::new(),
    };
    (domain.map(str::to_string), ip, port)
}

fn fast_parts(t: &str) -> Option<FastParts<'_>> {
    let (rest, default_port) = if let Some(r) = t.strip_prefix("https://") {
        (r, 443)
    } else if let Some(r) = t.strip_prefix("http://") {
        (r, 80)
    } else if !t.contains("://") {
        (t, 80)
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    // Backslashes, whitespace and controls anywhere have special WHATWG handling.
    if rest.bytes().any(|b| b == b'\\' || b <= b' ' || b >= 0x7f) {
        return None;
    }
    let (name, port) = match authority.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (authority, None),
    };
    let bytes = name.as_bytes();
    if bytes.is_empty()
        || bytes.len() > 253
        || bytes[0] == b'.'
        || bytes[bytes.len() - 1] == b'.'
        || bytes.windows(2).any(|w| w == b"..")
        || !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.')
    {
        return None;
    }
    // Numeric last labels go through WHATWG IPv4 parsing; `xn--` labels through IDNA checks.
    let last = name.rsplit('.').next().unwrap_or("");
    if last.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || name
            .split('.')
            .any(|l| l.len() >= 4 && l[..4].eq_ignore_ascii_case("xn--"))
    {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u32 = p.parse().ok()?;
            if n > 65535 {
                return None;
            }
            (n != default_port).then_some(n)
        }
        Some(_) => return None,
    };
    Some(FastParts {
        name,
        port,
        // `rest` is shorter exactly when a scheme was stripped; this spares a substring search
        // for "://" per URI (a measurable share of index build in wasm).
        get_url_ok: rest.len() < t.len() || t.contains('.'),
    })
}

/// The fast path alone (`None` when it declines), for the differential test.
#[doc(hidden)]
pub fn url_info_fast(s: &str) -> Option<UrlInfo> {
    fast_path(s.trim())
}

/// The parser path alone, for the differential test.
#[doc(hidden)]
pub fn url_info_slow(s: &str) -> UrlInfo {
    slow_path(s.trim())
}

fn slow_path(t: &str) -> UrlInfo {
    let has_scheme = t.contains("://");
    let parsed = if has_scheme {
        crate::idn::parse_url(t)
    } else {
        crate::idn::parse_url(&format!("http://{t}"))
    };
    // getUrl refuses scheme-less strings without a dot (`localhost:3000`); getDomain does not.
    let get_url = if has_scheme || t.contains('.') {
        parsed.as_ref()
    } else {
        None
    };
    let mut info = UrlInfo::default();
    if let Some(u) = get_url {
        info.host = host_of(u);
        info.port = u.port().map(|p| p.to_string()).unwrap_or_default();
    }
    if t.is_empty() || t.starts_with("data:") || t.starts_with("about:") {
        return info;
    }
    if let Some(u) = &parsed {
        let (domain, ip) = domain_of(u);
        info.domain = domain;
        info.ip_or_localhost = ip;
    }
    info
}
