//! Folding for search: case-, accent- and width-insensitive comparison keys.
//!
//! `fold` lower-cases, maps fullwidth forms to ASCII, expands common ligatures and `ß`, and strips
//! combining marks after canonical decomposition (NFD). ASCII input, the common case, skips all
//! of that.
//!
//! NFD is ICU4X's natively and under WASI, and the browser's `String.prototype.normalize` in the
//! browser's wasm, which then carries no normalization data (71 KB of tables); both follow the
//! same Unicode version closely enough for names and notes, and only non-ASCII text pays the call.

/// Letters with no canonical decomposition that users type without their mark or as two letters.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        'ĳ' | 'Ĳ' => "ij",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        _ => return None,
    })
}

/// Fullwidth ASCII variants (U+FF01–FF5E) and the ideographic space to their ASCII forms.
fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Combining marks left over after NFD (diacritics blocks).
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// The folded form of `s`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Appends the folded form of `s` to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in nfd::decompose(s.chars().map(narrow)) {
        if is_combining(c) {
            continue;
        }
        if let Some(rep) = special(c) {
            out.push_str(rep);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod nfd {
    use icu_normalizer::DecomposingNormalizerBorrowed;

    /// The canonical decomposition of `chars`.
    pub fn decompose(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
        DecomposingNormalizerBorrowed::new_nfd().normalize_iter(chars)
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod nfd {
    /// The canonical decomposition of `chars`, by the browser.
    pub fn decompose(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
        let text: String = chars.collect();
        let out = js_sys::JsString::from(text.as_str()).normalize("NFD");
        // Valid UTF-16 in, valid UTF-16 out: `as_string` only fails on lone surrogates.
        let nfd: String = out.as_string().unwrap_or(text);
        nfd.chars().collect::<Vec<_>>().into_iter()
    }
}

/// A 64-bit set of the characters in `s` (a–z, 0–9 exactly, others hashed): a term can only be
/// a substring of a text whose mask covers its own.
pub fn char_mask(s: &str) -> u64 {
    s.chars().fold(0, |m, c| m | char_bit(c))
}

fn char_bit(c: char) -> u64 {
    let i = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        _ => 36 + (c as u32 % 28),
    };
    1u64 << i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        assert_eq!(fold("Crème Brûlée"), "creme brulee");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ＧｉｔＨｕｂ"), "github");
        assert_eq!(fold("ÆON ﬁle Øre"), "aeon file ore");
        assert_eq!(fold("İstanbul"), "istanbul");
    }
}
