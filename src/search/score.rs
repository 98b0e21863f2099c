//! Ranking one entry against a folded query. Lower tier = better:
//!
//! 0 exact name · 1 name prefix · 2 every term at a word start in the name · 3 … at a word start
//! somewhere · 4 every term inside the name · 5 … inside some field · 6 fuzzy subsequence of the
//! name · 7 a one-character typo (terms of 4+ characters; only in the fallback pass, see
//! [`super::TYPO_FALLBACK_BELOW`]).
//!
//! Works on the precomputed folded text and character masks; the query's substring finders are
//! built once per search, so scoring an entry allocates nothing.

use memchr::memmem::Finder;

use super::fold::{char_mask, fold};

pub const TIERS: usize = 8;

pub struct Term {
    text: String,
    mask: u64,
    chars: usize,
}

pub struct Query {
    /// Folded, trimmed, inner whitespace collapsed to single spaces.
    whole: String,
    terms: Vec<Term>,
}

impl Query {
    pub fn new(raw: &str) -> Query {
        // Control characters could match the field separator; they never help a search.
        let folded: String = fold(raw).chars().filter(|c| !c.is_control()).collect();
        let terms: Vec<Term> = folded
            .split_whitespace()
            .map(|t| Term {
                text: t.to_string(),
                mask: char_mask(t),
                chars: t.chars().count(),
            })
            .collect();
        let whole = terms
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Query { whole, terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn finders(&self) -> Vec<Finder<'_>> {
        self.terms
            .iter()
            .map(|t| Finder::new(t.text.as_bytes()))
            .collect()
    }
}

/// The folded text of one entry.
pub struct Fields<'a> {
    /// Name, `\u{1f}`, then username, hosts, folder, card brand / last four, identity name and
    /// e-mail separated by `\u{1f}` (so no match spans two fields).
    pub text: &'a str,
    /// Length of the name at the start of `text`.
    pub name_len: usize,
    /// Present only when the caller asked to search notes.
    pub notes: Option<&'a str>,
    /// Mask of every searched field.
    pub mask: u64,
}

impl Fields<'_> {
    fn name(&self) -> &str {
        self.text.get(..self.name_len).unwrap_or("")
    }
}

/// Position `i` of `text` starts a word: text start, or after a non-alphanumeric character.
fn word_start(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i.wrapping_sub(1)) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric),
    }
}

/// `term`'s characters appear in `text` in order.
fn subsequence(text: &str, term: &str) -> bool {
    let mut want = term.chars().peekable();
    for c in text.chars() {
        match want.peek() {
            Some(&w) if w == c => {
                want.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    want.peek().is_none()
}

/// At most one substitution, insertion, deletion or adjacent transposition apart.
pub(crate) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return true; // equal, or one is the other plus one trailing byte
    };
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            a[i + 1..] == b[i + 1..]
                || (i + 1 < a.len()
                    && a[i] == b[i + 1]
                    && a[i + 1] == b[i]
                    && a[i + 2..] == b[i + 2..])
        }
        std::cmp::Ordering::Greater => a[i + 1..] == b[i..],
        std::cmp::Ordering::Less => a[i..] == b[i + 1..],
    }
}

/// A word of `text` within one edit of `term`, as a whole word or as a word prefix (so a typo
/// in a half-typed word still finds it). Words split at ASCII non-alphanumerics; other bytes
/// count as letters.
pub(crate) fn typo_match(text: &str, term: &str) -> bool {
    let t = term.as_bytes();
    if t.len() < 3 {
        return false;
    }
    text.as_bytes()
        .split(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
        .filter(|w| w.len() + 1 >= t.len())
        .any(|w| {
            // Any single edit leaves one of these first-two-byte alignments intact.
            let plausible = w[0] == t[0] || w[0] == t[1] || w[1] == t[1] || w[1] == t[0];
            plausible
                && (within_one_edit(t, w)
                    || [t.len() - 1, t.len(), t.len() + 1]
                        .iter()
                        .any(|&n| n < w.len() && within_one_edit(t, &w[..n])))
        })
}

/// The tier of one term alone (2..=7), or `None` if it does not match.
fn term_tier(f: &Fields, term: &Term, finder: &Finder, typos: bool) -> Option<u8> {
    let missing = (term.mask & !f.mask).count_ones();
    if missing == 0 {
        let mut best: Option<u8> = None;
        let n = term.text.len();
        for i in finder.find_iter(f.text.as_bytes()) {
            let in_name = i + n <= f.name_len;
            let tier = match (in_name, word_start(f.text, i)) {
                (true, true) => return Some(2),
                (false, true) => 3,
                (true, false) => 4,
                (false, false) => 5,
            };
            best = Some(best.map_or(tier, |b| b.min(tier)));
        }
        if let Some(notes) = f.notes {
            for i in finder.find_iter(notes.as_bytes()) {
                let tier = if word_start(notes, i) { 3 } else { 5 };
                best = Some(best.map_or(tier, |b| b.min(tier)));
            }
        }
        if best.is_some() {
            return best;
        }
        if term.chars >= 3 && subsequence(f.name(), &term.text) {
            return Some(6);
        }
    }
    if typos && missing <= 1 && term.chars >= 4 {
        let t = term.text.as_str();
        if typo_match(f.text, t) || f.notes.is_some_and(|n| typo_match(n, t)) {
            return Some(7);
        }
    }
    None
}

/// The entry's tier for the query, or `None` when some term does not match at all. Tier 7
/// (typos) is only considered when `typos` is set.
pub fn tier(f: &Fields, q: &Query, finders: &[Finder], typos: bool) -> Option<u8> {
    // Cheap rejection first: every term needs all but at most one of its characters.
    if q.terms.iter().any(|t| (t.mask & !f.mask).count_ones() > 1) {
        return None;
    }
    let name = f.name();
    if name == q.whole {
        return Some(0);
    }
    if name.starts_with(&q.whole) {
        return Some(1);
    }
    let mut worst = 0;
    for (term, finder) in q.terms.iter().zip(finders) {
        worst = worst.max(term_tier(f, term, finder, typos)?);
    }
    Some(worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        assert!(within_one_edit(b"github", b"github"));
        assert!(within_one_edit(b"githb", b"github"));
        assert!(within_one_edit(b"gitthub", b"github"));
        assert!(within_one_edit(b"gihtub", b"github"));
        assert!(within_one_edit(b"gitgub", b"github"));
        assert!(!within_one_edit(b"gthb", b"github"));
        assert!(!within_one_edit(b"ihtgub", b"github"));
    }

    #[test]
    fn typos_in_prefix() {
        assert!(typo_match("facebook login", "facebok"));
        assert!(typo_match("facebook", "fcae"));
        assert!(!typo_match("facebook", "xyzw"));
    }

    #[test]
    fn word_starts() {
        assert!(word_start("my old github", 7));
        assert!(!word_start("mygithub", 2));
        assert!(word_start("é-git", 3));
        assert!(!word_start("égit", 2));
    }
}
