//! Public Suffix List lookup (ICANN + PRIVATE sections), per <https://publicsuffix.org/list/>,
//! by the `publicsuffix` crate over the vendored list (`data/psl/`).
//!
//! The list is embedded with its comments stripped at compile time (the two section markers stay:
//! the crate reads rules only inside a section), and packed by shared suffixes ([`pack`]), so ~96 KB
//! of the list's ~250 KB reach the binary.
//! The crate parses it on first use ([`warm_up`] at unlock does it ahead).
//!
//! Crate or hand-written: this file held its own lookup (one hash map from rule to kind, a probe
//! per suffix of the host) until the side-by-side benchmark below, where the crate cost less than
//! the 10 % on `candidates_for` and the 50 KB of gzipped wasm that would have kept it:
//!
//! | (median of 3 runs, 10,000 logins)       | hand-written | `publicsuffix` 2.3 |
//! |-----------------------------------------|--------------|--------------------|
//! | `candidates_for` median, native         | 4.58 µs      | 4.34 µs            |
//! | `candidates_for` median, wasm (WASI)    | 6.82 µs      | 7.07 µs (+3.7 %)   |
//! | `candidatesFor` via the binding, Node   | 0.91 µs      | 0.97 µs (+7 %)     |
//! | one lookup, native / wasm               | 67 / 96 ns   | 82 / 109 ns        |
//! | parse at warm-up, native / wasm         | 0.8 / 7 ms   | 10 / 26 ms         |
//! | shipped wasm, gzipped                   | 691,851 B    | 693,306 B (+1.5 KB)|
//!
//! `BENCH_INDEX_ONLY=1 cargo run --release --example bench_matching 10000` (and the same built for
//! wasm32-wasip1, run by `node scripts/bench-wasi.mjs bench_matching 10000`) prints the lookup and
//! `candidates_for` figures; the hand-written side is `src/matching/psl.rs` before the change to
//! the crate. Both pass `tests/psl_official.rs`, the official test file, in full.

use std::sync::OnceLock;

use publicsuffix::{List, Psl};

const RAW: &[u8] = include_bytes!("../../data/psl/public_suffix_list.dat");
const RULES_LEN: usize = strip::<0>(RAW).1;
/// The list with comments (but the two section markers), blank lines and anything after a rule's
/// first space removed. A `const`, so [`PACKED`] is made from it at compile time; only the tests
/// keep a copy.
#[allow(clippy::large_const_arrays)]
const RULES: [u8; RULES_LEN] = strip::<RULES_LEN>(RAW).0;
const PACKED_LEN: usize = pack::<0>(&RULES).1;
/// What the binary holds: [`RULES`] with each rule's trailing labels that repeat the previous
/// rule's written as their count (one byte, 1 to 8, in place of the line end). The list is grouped
/// by suffix, so this takes the ~146 KB of rules to ~96 KB, 44 KB to 37 KB gzipped in the wasm;
/// [`unpack`] restores the text before the crate parses it (well under a millisecond).
static PACKED: [u8; PACKED_LEN] = pack::<PACKED_LEN>(&RULES).0;

/// Packs `rules` (lines as [`strip`] writes them) into an `N`-byte array and returns it with the
/// full length; `N = 0` only measures. `const` so it runs at compile time.
const fn pack<const N: usize>(rules: &[u8]) -> ([u8; N], usize) {
    let mut out = [0u8; N];
    let mut n = 0;
    let mut i = 0;
    // The previous rule's line; empty after a section marker, so no rule refers across one.
    let (mut prev_start, mut prev_end) = (0, 0);
    while i < rules.len() {
        let start = i;
        while rules[i] != b'\n' {
            i += 1;
        }
        let end = i;
        i += 1;
        let marker = rules[start] == b'/';
        // Shared trailing labels, from the right; the rule keeps at least its first label.
        let mut shared = 0u8;
        let mut keep = end;
        let (mut a, mut b) = (end, prev_end);
        while !marker && b > prev_start && shared < 8 {
            let mut la = a;
            while la > start && rules[la - 1] != b'.' {
                la -= 1;
            }
            let mut lb = b;
            while lb > prev_start && rules[lb - 1] != b'.' {
                lb -= 1;
            }
            if la == start || a - la != b - lb || !same(rules, la, lb, a - la) {
                break;
            }
            shared += 1;
            keep = la - 1;
            a = la - 1;
            if lb == prev_start {
                break;
            }
            b = lb - 1;
        }
        let mut j = start;
        while j <= keep {
            if n < N {
                out[n] = if j < keep {
                    rules[j]
                } else if shared == 0 {
                    b'\n'
                } else {
                    shared
                };
            }
            n += 1;
            j += 1;
        }
        if marker {
            (prev_start, prev_end) = (end, end);
        } else {
            (prev_start, prev_end) = (start, end);
        }
    }
    (out, n)
}

const fn same(bytes: &[u8], a: usize, b: usize, len: usize) -> bool {
    let mut k = 0;
    while k < len {
        if bytes[a + k] != bytes[b + k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The rules text back from [`pack`]'s form.
fn unpack(packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(RULES_LEN);
    let mut prev = 0..0;
    let mut i = 0;
    while i < packed.len() {
        let start = i;
        while i < packed.len() && packed[i] > 8 && packed[i] != b'\n' {
            i += 1;
        }
        let line_start = out.len();
        out.extend_from_slice(&packed[start..i]);
        let shared = packed.get(i).copied().unwrap_or(b'\n');
        i += 1;
        if shared != b'\n' {
            // The previous rule's last `shared` labels.
            let mut s = prev.end;
            let mut labels = 0;
            loop {
                while s > prev.start && out[s - 1] != b'.' {
                    s -= 1;
                }
                labels += 1;
                if labels == shared || s == prev.start {
                    break;
                }
                s -= 1;
            }
            out.push(b'.');
            out.extend_from_within(s..prev.end);
        }
        prev = line_start..out.len();
        out.push(b'\n');
    }
    out
}

/// Copies the rule lines and section markers of `raw` (each `\n`-terminated) into an `N`-byte array and returns it
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
        if end == start || (comment && !is_section_marker(raw, start, line_end)) {
            continue;
        }
        // A marker is kept whole (its words are what the crate looks for).
        if comment {
            end = line_end;
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

/// Whether the line at `raw[start..end]` is one of the list's section markers
/// (`// ===BEGIN ICANN DOMAINS===`, `// ===BEGIN PRIVATE DOMAINS===`).
const fn is_section_marker(raw: &[u8], start: usize, end: usize) -> bool {
    let marker = b"// ===BEGIN ";
    if end - start < marker.len() {
        return false;
    }
    let mut j = 0;
    while j < marker.len() {
        if raw[start + j] != marker[j] {
            return false;
        }
        j += 1;
    }
    true
}

fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    // The embedded list is well-formed (the tests parse it); an empty list would only leave the
    // implicit `*` rule.
    LIST.get_or_init(|| List::from_bytes(&with_ascii_rules(&unpack(&PACKED))).unwrap_or_default())
}

/// The rules text with each IDN rule followed by its ASCII (`xn--`) form, in its section: hosts
/// are looked up in ASCII. The list is written in NFC lower case, so UTS #46 on a rule is punycode
/// on its non-ASCII labels (the test compares it with `url`'s IDNA over every IDN rule); done
/// here, and not by the crate's `punycode` feature, so the browser build needs no Unicode data.
fn with_ascii_rules(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 8 * 1024);
    for line in text.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(line);
        if line.is_ascii() {
            continue;
        }
        if let Some(ascii) = std::str::from_utf8(line)
            .ok()
            .and_then(|l| rule_to_ascii(l.trim_end()))
        {
            out.extend_from_slice(ascii.as_bytes());
            out.push(b'\n');
        }
    }
    out
}

/// A rule (`!` and `*` allowed) with its non-ASCII labels punycoded.
fn rule_to_ascii(rule: &str) -> Option<String> {
    let (bang, name) = match rule.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", rule),
    };
    let mut labels = Vec::new();
    for label in name.split('.') {
        if label.is_ascii() {
            labels.push(label.to_string());
        } else {
            labels.push(format!("xn--{}", idna::punycode::encode_str(label)?));
        }
    }
    Some(format!("{bang}{}", labels.join(".")))
}

/// Forces the lazy parse (e.g. at unlock, so the first page lookup is not the slow one).
pub fn warm_up() {
    list();
}

/// The registrable domain (eTLD+1) of a lower-case ASCII host without a trailing dot, as a
/// sub-slice of `host`; `None` when the host is itself a public suffix, is empty or over 253
/// bytes, or has an empty label.
pub fn registrable(host: &str) -> Option<&str> {
    if host.is_empty() || host.len() > 253 || host.split('.').any(str::is_empty) {
        return None;
    }
    let domain = list().domain(host.as_bytes())?;
    host.get(host.len() - domain.as_bytes().len()..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripped_rules_keep_only_rules_and_section_markers() {
        let text = std::str::from_utf8(&RULES).unwrap();
        let comments: Vec<&str> = text.lines().filter(|l| l.starts_with("//")).collect();
        assert_eq!(comments.len(), 2, "{comments:?}");
        assert!(comments.iter().all(|l| l.contains("===BEGIN ")));
        assert!(text.lines().all(|l| !l.is_empty()));
        assert!(text.lines().any(|l| l == "github.io"));
        assert!(RULES.len() < RAW.len() / 2);
        assert!(List::from_bytes(&RULES).is_ok());
    }

    #[test]
    fn packed_rules_unpack_to_the_stripped_rules() {
        assert_eq!(unpack(&PACKED), RULES);
        assert!(
            PACKED.len() < RULES.len() * 3 / 4,
            "{} of {}",
            PACKED.len(),
            RULES.len()
        );
        // A rule under a section marker never refers across it.
        let text = String::from_utf8(unpack(&PACKED)).unwrap();
        let private = text.find("===BEGIN PRIVATE").unwrap();
        let first = text[private..].lines().nth(1).unwrap();
        assert_eq!(first, "co.krd");
    }

    #[test]
    fn idn_rules_in_ascii_are_what_idna_makes_of_them() {
        let text = String::from_utf8(unpack(&PACKED)).unwrap();
        let idn: Vec<&str> = text
            .lines()
            .filter(|l| !l.is_ascii() && !l.starts_with("//"))
            .collect();
        assert!(idn.len() > 300, "{}", idn.len());
        for rule in idn {
            let name = rule.trim_start_matches('!');
            let want = url::quirks::domain_to_ascii(name);
            assert_eq!(
                rule_to_ascii(name).as_deref(),
                Some(want.as_str()),
                "{rule}"
            );
        }
        let all = String::from_utf8(with_ascii_rules(text.as_bytes())).unwrap();
        assert!(all.lines().any(|l| l == "xn--55qx5d.cn"));
        assert_eq!(registrable("a.b.xn--55qx5d.cn"), Some("b.xn--55qx5d.cn"));
    }

    #[test]
    fn basic_lookups() {
        assert_eq!(registrable("a.b.example.co.uk"), Some("example.co.uk"));
        assert_eq!(registrable("a.github.io"), Some("a.github.io"));
        assert_eq!(registrable("github.io"), None);
        assert_eq!(registrable("www.ck"), Some("www.ck"));
        assert_eq!(registrable("a..com"), None);
        assert_eq!(registrable(""), None);
        assert_eq!(registrable("com"), None);
        assert_eq!(
            registrable("example.unknowntld"),
            Some("example.unknowntld")
        );
    }
}
