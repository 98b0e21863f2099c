//! Public Suffix List lookup (ICANN + PRIVATE sections), per <https://publicsuffix.org/list/>.
//!
//! The vendored list (`data/psl/`) is embedded with its comments stripped at compile time, so
//! only the ~150 KB of rules reach the binary. It is parsed on first use into one hash map from
//! rule (punycode, without `*.` / `!`) to a kind bit set: about 10 000 entries, built in about a
//! millisecond. A lookup hashes each suffix of the host once (suffixes are sub-slices, so no
//! allocation).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::fxhash::FxBuild;

const RAW: &[u8] = include_bytes!("../../data/psl/public_suffix_list.dat");
const RULES_LEN: usize = strip::<0>(RAW).1;
/// The list with comments, blank lines and anything after a rule's first space removed.
static RULES: [u8; RULES_LEN] = strip::<RULES_LEN>(RAW).0;

/// Copies the rule lines of `raw` (each `\n`-terminated) into an `N`-byte array and returns it
/// with the full length; `N = 0` only measures. `const` so it runs at compile time.
const fn strip<const N: usize>(raw: &[u8]) -> ([u8; N], usize) {
    let mut out = [0u8; N];
    let mut n = 0;
    let mut i = 0;
    while i < raw.len() {
        let start = i;
        while i < raw.len() && raw[i] != b'\n' {
            i += 1;
        }
        let line_end = i;
        i += 1;
        let mut end = start;
        while end < line_end && !raw[end].is_ascii_whitespace() {
            end += 1;
        }
        let comment = end - start >= 2 && raw[start] == b'/' && raw[start + 1] == b'/';
        if end == start || comment {
            continue;
        }
        let mut j = start;
        while j <= end {
            if n < N {
                out[n] = if j == end { b'\n' } else { raw[j] };
            }
            n += 1;
            j += 1;
        }
    }
    (out, n)
}

const NORMAL: u8 = 1;
/// `*.X` exists: stored under `X`.
const WILDCARD: u8 = 2;
/// `!X` exists: stored under `X`.
const EXCEPTION: u8 = 4;

type RuleMap = HashMap<Cow<'static, str>, u8, FxBuild>;

fn rules() -> &'static RuleMap {
    static MAP: OnceLock<RuleMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let text = std::str::from_utf8(&RULES).unwrap_or("");
        let mut map = RuleMap::with_capacity_and_hasher(text.len() / 12, FxBuild::default());
        for line in text.lines() {
            let (kind, rule) = if let Some(r) = line.strip_prefix("*.") {
                (WILDCARD, r)
            } else if let Some(r) = line.strip_prefix('!') {
                (EXCEPTION, r)
            } else {
                (NORMAL, line)
            };
            let key: Cow<'static, str> = if rule.is_ascii() {
                Cow::Borrowed(rule)
            } else {
                // IDN rules are listed in Unicode; hosts arrive punycoded.
                let ascii = url::quirks::domain_to_ascii(rule);
                if ascii.is_empty() {
                    continue;
                }
                Cow::Owned(ascii)
            };
            *map.entry(key).or_insert(0) |= kind;
        }
        map
    })
}

/// Forces the lazy parse (e.g. at unlock, so the first page lookup is not the slow one).
pub fn warm_up() {
    rules();
}

/// Maximum labels considered; DNS names have at most 127.
const MAX_LABELS: usize = 128;

/// The registrable domain (eTLD+1) of a lower-case ASCII host without a trailing dot, as a
/// sub-slice of `host`; `None` when the host is itself a public suffix or has an empty label.
pub fn registrable(host: &str) -> Option<&str> {
    if host.is_empty() || host.len() > 253 {
        return None;
    }
    // Start offsets of each suffix: suffix k is host[starts[k]..].
    let mut starts = [0usize; MAX_LABELS];
    let mut n = 1;
    for (i, b) in host.bytes().enumerate() {
        if b == b'.' {
            if n == MAX_LABELS {
                return None;
            }
            starts[n] = i + 1;
            n += 1;
        }
    }
    let labels_ok = (0..n).all(|k| {
        let end = if k + 1 < n {
            starts[k + 1] - 1
        } else {
            host.len()
        };
        end > starts[k]
    });
    if !labels_ok {
        return None;
    }
    let map = rules();
    let mut kinds = [0u8; MAX_LABELS];
    for k in 0..n {
        kinds[k] = map.get(&host[starts[k]..]).copied().unwrap_or(0);
    }
    // An exception rule wins over everything; its public suffix drops the leftmost label.
    if let Some(k) = (0..n).find(|&k| kinds[k] & EXCEPTION != 0) {
        return Some(&host[starts[k]..]);
    }
    // Longest matching normal or wildcard rule; the implicit `*` rule makes the TLD public.
    let suffix = (0..n)
        .find(|&k| kinds[k] & NORMAL != 0 || (k + 1 < n && kinds[k + 1] & WILDCARD != 0))
        .unwrap_or(n - 1);
    if suffix == 0 {
        None
    } else {
        Some(&host[starts[suffix - 1]..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripped_rules_have_no_comments() {
        let text = std::str::from_utf8(&RULES).unwrap();
        assert!(text.lines().all(|l| !l.is_empty() && !l.starts_with("//")));
        assert!(text.lines().any(|l| l == "github.io"));
        assert!(rules().len() > 9000);
    }

    #[test]
    fn basic_lookups() {
        assert_eq!(registrable("a.b.example.co.uk"), Some("example.co.uk"));
        assert_eq!(registrable("a.github.io"), Some("a.github.io"));
        assert_eq!(registrable("github.io"), None);
        assert_eq!(registrable("www.ck"), Some("www.ck"));
        assert_eq!(registrable("a..com"), None);
    }
}
