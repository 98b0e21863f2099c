//! The RegularExpression strategy: `new RegExp(stored, "i").test(pageUrl)` with ECMAScript
//! semantics (`regress` natively, the browser's `RegExp` in wasm: [`super::regex_engine`]).
//!
//! Neither engine limits its backtracking, so a pattern like `(a+)+$` against a crafted URL would
//! hang the worker. The pattern is the user's own, but the URL comes from a hostile page,
//! so we refuse rather than risk it: patterns over [`MAX_PATTERN_CHARS`], URLs over
//! [`MAX_INPUT_BYTES`], and patterns with the classic catastrophic shapes (an unbounded
//! quantifier on a group that itself holds an unbounded quantifier or an ambiguous alternation)
//! never match. The shape check is a heuristic: it rejects the textbook cases while accepting the
//! usual URL patterns such as `^https://([a-z0-9-]+\.)*example\.com/`.

use super::regex_engine::Engine;

/// Patterns longer than this (in chars) never match.
pub const MAX_PATTERN_CHARS: usize = 1000;
/// Page URLs longer than this (in bytes) never match a regex URI.
pub const MAX_INPUT_BYTES: usize = 2048;

/// A stored regex URI, compiled once. `None` inside means "never matches" (invalid, too long or
/// refused as catastrophic).
#[derive(Debug)]
pub struct UriRegex(Option<Engine>);

impl UriRegex {
    pub fn compile(pattern: &str) -> UriRegex {
        if pattern.chars().count() > MAX_PATTERN_CHARS || is_catastrophic(pattern) {
            return UriRegex(None);
        }
        UriRegex(Engine::case_insensitive(pattern))
    }

    /// Whether the pattern compiled and was accepted.
    pub fn is_usable(&self) -> bool {
        self.0.is_some()
    }

    pub fn is_match(&self, input: &str) -> bool {
        match &self.0 {
            Some(re) if input.len() <= MAX_INPUT_BYTES => re.finds_in(input),
            _ => false,
        }
    }
}

#[derive(Default)]
struct Frame {
    /// Some quantifier inside is unbounded (`*`, `+`, `{n,}`).
    unbounded: bool,
    /// The last atom, when it is a single unquantified literal character.
    last_literal: Option<char>,
    /// First atom of each alternative: the literal (lower-cased) or `None`.
    alt_firsts: Vec<Option<char>>,
    at_alt_start: bool,
    /// Some atom inside matches any punctuation (`.`, `\W`, `\S`, `\D`).
    wide: bool,
    /// Bodies of the character classes inside (without brackets).
    classes: Vec<String>,
}

impl Frame {
    fn new() -> Frame {
        Frame {
            at_alt_start: true,
            ..Frame::default()
        }
    }

    fn atom(&mut self, literal: Option<char>) {
        if self.at_alt_start {
            self.alt_firsts
                .push(literal.map(|c| c.to_ascii_lowercase()));
            self.at_alt_start = false;
        }
        self.last_literal = literal;
    }

    /// Each iteration ends at a punctuation literal that nothing else inside can match, as in
    /// `([a-z0-9-]+\.)*`: the split between iterations is then forced, so no blow-up.
    fn forced_split(&self) -> bool {
        let Some(l) = self
            .last_literal
            .filter(|c| c.is_ascii_punctuation() && *c != '_')
        else {
            return false;
        };
        !self.wide && self.classes.iter().all(|body| !class_may_match(body, l))
    }

    /// Alternation whose branches cannot start alike (`(foo|bar)+` is fine, `(a|aa)+` is not).
    fn ambiguous_alternation(&self) -> bool {
        if self.alt_firsts.len() < 2 {
            return false;
        }
        let mut seen = Vec::with_capacity(self.alt_firsts.len());
        for f in &self.alt_firsts {
            match f {
                Some(c) if !seen.contains(c) => seen.push(*c),
                _ => return true,
            }
        }
        false
    }
}

/// Whether the class body (without brackets) may match the punctuation `l`; conservative.
fn class_may_match(body: &str, l: char) -> bool {
    let (negated, body) = match body.strip_prefix('^') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let chars: Vec<char> = body.chars().collect();
    let mut listed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let e = chars.get(i + 1).copied().unwrap_or('\\');
            if matches!(e, 'W' | 'S' | 'D') || e == l {
                listed = true;
            }
            i += 2;
        } else if chars.get(i + 1) == Some(&'-') && i + 2 < chars.len() {
            listed |= (c..=chars[i + 2]).contains(&l);
            i += 3;
        } else {
            listed |= c == l;
            i += 1;
        }
    }
    negated != listed
}

/// Reads a quantifier at `chars[i..]`: its length and whether it is unbounded.
fn quantifier(chars: &[char], i: usize) -> Option<(usize, bool)> {
    let lazy = |n: usize| n + usize::from(chars.get(i + n) == Some(&'?'));
    match chars.get(i)? {
        '*' | '+' => Some((lazy(1), true)),
        '?' => Some((lazy(1), false)),
        '{' => {
            let close = chars[i..].iter().position(|&c| c == '}')?;
            let body: String = chars[i + 1..i + close].iter().collect();
            let (lo, hi) = match body.split_once(',') {
                Some((lo, hi)) => (lo, Some(hi)),
                None => (body.as_str(), None),
            };
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            if !digits(lo) || hi.is_some_and(|h| !h.is_empty() && !digits(h)) {
                return None; // a literal `{` in non-unicode mode
            }
            Some((lazy(close + 1), hi == Some("")))
        }
        _ => None,
    }
}

/// Literal runs (ASCII, lower-cased, 3+ bytes) that every match must contain: the top-level
/// literals of a pattern without top-level alternation. With the `i` flag and no `u` flag,
/// ASCII letters only fold to ASCII letters, so an ASCII-lower-cased URL must contain them.
/// Used to bucket regex URIs by trigram; empty when nothing is certain.
pub fn required_literals(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut i = 0;
    let flush = |run: &mut String, runs: &mut Vec<String>| {
        if run.len() >= 3 {
            runs.push(std::mem::take(run));
        }
        run.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let literal = match c {
            '\\' => {
                let (next, lit) = escape(&chars, i);
                i = next;
                lit.filter(char::is_ascii_punctuation)
            }
            '[' => {
                while i < chars.len() && chars[i] != ']' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                None
            }
            '(' => {
                let mut depth = 1;
                while i < chars.len() && depth > 0 {
                    match chars[i] {
                        '\\' => i += 1,
                        '[' => {
                            while i + 1 < chars.len() && chars[i + 1] != ']' {
                                i += if chars[i + 1] == '\\' { 2 } else { 1 };
                            }
                            i += 1;
                        }
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                None
            }
            '|' => return Vec::new(),
            '.' | '^' | '$' | ')' | '*' | '+' | '?' => None,
            c if c.is_ascii() => Some(c.to_ascii_lowercase()),
            _ => None,
        };
        match literal {
            Some(l) => {
                if let Some((len, _)) = quantifier(&chars, i) {
                    // `x?`, `x*`, `x{0,}`: optional; `x+`: present, but the run ends there.
                    i += len;
                    flush(&mut run, &mut runs);
                } else {
                    run.push(l);
                }
            }
            None => {
                // A quantifier after a class, group or escape belongs to it.
                if matches!(c, '\\' | '[' | '(' | '.') {
                    if let Some((len, _)) = quantifier(&chars, i) {
                        i += len;
                    }
                }
                flush(&mut run, &mut runs);
            }
        }
    }
    flush(&mut run, &mut runs);
    runs
}

/// Reads the escape whose letter is at `chars[i]` (after the backslash): the index after it and
/// the literal character it stands for when it is a plain escaped character.
fn escape(chars: &[char], i: usize) -> (usize, Option<char>) {
    let Some(&e) = chars.get(i) else {
        return (i + 1, Some('\\'));
    };
    let hex_run = |from: usize, max: usize| {
        let mut j = from;
        while j < chars.len() && j - from < max && chars[j].is_ascii_hexdigit() {
            j += 1;
        }
        j
    };
    let skip_to = |from: usize, close: char| match chars.get(from) {
        Some(_) => chars[from..]
            .iter()
            .position(|&c| c == close)
            .map_or(chars.len(), |p| from + p + 1),
        None => from,
    };
    match e {
        'u' if chars.get(i + 1) == Some(&'{') => (skip_to(i + 1, '}'), None),
        'u' => (hex_run(i + 1, 4), None),
        'x' => (hex_run(i + 1, 2), None),
        'c' => (i + 2, None),
        'k' if chars.get(i + 1) == Some(&'<') => (skip_to(i + 1, '>'), None),
        'p' | 'P' if chars.get(i + 1) == Some(&'{') => (skip_to(i + 1, '}'), None),
        '0'..='9' => {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            (j, None)
        }
        e if e.is_ascii_alphanumeric() => (i + 1, None),
        e => (i + 1, Some(e)),
    }
}

/// True for patterns with a nested unbounded repetition that can backtrack exponentially.
pub fn is_catastrophic(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut stack = vec![Frame::new()];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        // The atom just read: its literal character, or None (class, `.`, escape); groups and
        // non-atoms `continue` instead.
        let atom: Option<char>;
        match c {
            '\\' => {
                let e = chars.get(i).copied().unwrap_or('\\');
                let (next, lit) = escape(&chars, i);
                i = next;
                if matches!(e, 'W' | 'S' | 'D') {
                    if let Some(f) = stack.last_mut() {
                        f.wide = true;
                    }
                }
                atom = lit;
            }
            '[' => {
                // Skip the class; `\]` does not close it.
                let start = i;
                while i < chars.len() && chars[i] != ']' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                let body: String = chars[start..i.min(chars.len())].iter().collect();
                if let Some(f) = stack.last_mut() {
                    f.classes.push(body);
                }
                i += 1;
                atom = None;
            }
            '(' => {
                if chars.get(i) == Some(&'?') {
                    // (?:  (?=  (?!  (?<=  (?<!  (?<name>
                    i += 1;
                    match (chars.get(i), chars.get(i + 1)) {
                        (Some('<'), Some('=' | '!')) => i += 2,
                        (Some('<'), _) => {
                            while i < chars.len() && chars[i] != '>' {
                                i += 1;
                            }
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
                stack.push(Frame::new());
                continue;
            }
            ')' => {
                if stack.len() < 2 {
                    continue; // unbalanced: the compiler will reject it
                }
                let group = stack.pop().unwrap_or_default();
                let q = quantifier(&chars, i);
                if let Some((len, unbounded)) = q {
                    i += len;
                    let nested = group.unbounded && !group.forced_split();
                    if unbounded && (nested || group.ambiguous_alternation()) {
                        return true;
                    }
                }
                if let Some(p) = stack.last_mut() {
                    p.unbounded |= group.unbounded || q.is_some_and(|(_, u)| u);
                    p.wide |= group.wide;
                    p.classes.extend(group.classes);
                    p.atom(None);
                }
                continue;
            }
            '|' => {
                if let Some(f) = stack.last_mut() {
                    f.at_alt_start = true;
                }
                continue;
            }
            '^' | '$' => continue,
            '.' => {
                if let Some(f) = stack.last_mut() {
                    f.wide = true;
                }
                atom = None;
            }
            _ => atom = Some(c),
        }
        if let Some(f) = stack.last_mut() {
            f.atom(atom);
            if let Some((len, unbounded)) = quantifier(&chars, i) {
                i += len;
                f.unbounded |= unbounded;
                f.last_literal = None;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(
            required_literals(r"^https://([a-z0-9-]+\.)*Example\.com/"),
            ["https://", "example.com/"]
        );
        assert_eq!(required_literals(r"login|signin"), Vec::<String>::new());
        assert_eq!(required_literals(r"(a|b)xyzw?v"), ["xyz"]);
        assert_eq!(required_literals(r"ab\dcd"), Vec::<String>::new());
        assert_eq!(
            required_literals(r"[abc]{2}def{1,3}gh"),
            Vec::<String>::new()
        );
        assert_eq!(required_literals(r"xyz{2,}"), Vec::<String>::new());
        assert_eq!(required_literals(r"wxyz{2,}"), ["wxy"]);
        assert_eq!(required_literals(r"caf\u00e9.com"), ["caf", "com"]);
        assert_eq!(required_literals(r"abc\x41def\1ghi"), ["abc", "def", "ghi"]);
    }

    #[test]
    fn catastrophic_shapes() {
        for p in [
            "(a+)+$",
            "(a*)*b",
            "(a|aa)+$",
            "(.*a){1,}x",
            "((ab)*)+",
            "(\\w+)*@",
        ] {
            assert!(is_catastrophic(p), "{p}");
        }
        for p in [
            "^https://([a-z0-9-]+\\.)*example\\.com/",
            "(foo|bar)+",
            "^https?://(www\\.)?example\\.com",
            ".*example.*",
            "a{2,3}",
            "[(+]+",
            "(?:ab)+",
        ] {
            assert!(!is_catastrophic(p), "{p}");
        }
    }
}
