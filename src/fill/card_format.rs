//! How a card's stored values are written into the fields a checkout shows: the expiry as one
//! field in the shape the field asks for (`MM/YY`, `MM/YYYY`, `MM-YY`, `MMYY`, ...), a month or a
//! year alone (padded or not, two or four digits), and the option of a `<select>` that stands
//! for a month (numbers, padded numbers, English or French names), a year (two or four digits)
//! or a brand. Pure functions over the field's attributes and the stored text.

use super::page::{PageField, SelectOption};

/// A month from what a card stores (`"1"`, `"01"`, `" 12 "`); `None` outside 1–12.
pub fn month_of(stored: &str) -> Option<u8> {
    let n: u8 = stored.trim().parse().ok()?;
    (1..=12).contains(&n).then_some(n)
}

/// A four-digit year from what a card stores (`"2027"`, `"27"`); two digits mean 20xx.
pub fn year_of(stored: &str) -> Option<u16> {
    let t = stored.trim();
    let n: u16 = t.parse().ok()?;
    match t.len() {
        2 => Some(2000 + n),
        4 if (1900..=2200).contains(&n) => Some(n),
        _ => None,
    }
}

/// The shape of a single expiry field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryShape {
    /// The separator between month and year ("" for `MMYY`).
    pub separator: &'static str,
    pub four_digit_year: bool,
}

impl ExpiryShape {
    pub fn format(self, month: u8, year: u16) -> String {
        if self.four_digit_year {
            format!("{month:02}{}{year:04}", self.separator)
        } else {
            format!("{month:02}{}{:02}", self.separator, year % 100)
        }
    }
}

/// The hints a field gives of the shape it wants, lower-cased: placeholder, label, title,
/// aria-label, pattern.
fn hints(f: &PageField) -> String {
    [&f.placeholder, &f.label, &f.title, &f.aria_label]
        .iter()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `mm/yy`-style masks (English `yy`, French `aa`, German `jj`, Spanish/Italian `aa`) out
/// of the field's texts; then the pattern's year width; then `maxlength`; else `MM/YY`, the
/// shape most checkouts use.
pub fn expiry_shape(f: &PageField) -> ExpiryShape {
    let text = hints(f);
    let chars: Vec<char> = text.chars().collect();
    // Find "mm", optional separator run, then a run of y/a/j of length 2 or 4.
    for i in 0..chars.len().saturating_sub(3) {
        if chars[i] != 'm' || chars[i + 1] != 'm' || (i > 0 && chars[i - 1].is_alphabetic()) {
            continue;
        }
        let mut j = i + 2;
        let sep_start = j;
        while j < chars.len() && matches!(chars[j], ' ' | '/' | '-' | '.') {
            j += 1;
        }
        let sep: String = chars[sep_start..j].iter().filter(|c| **c != ' ').collect();
        let spaced = j - sep_start > sep.len();
        let year_char = match chars.get(j) {
            Some(c @ ('y' | 'a' | 'j')) => *c,
            _ => continue,
        };
        let mut k = j;
        while k < chars.len() && chars[k] == year_char {
            k += 1;
        }
        let four = match k - j {
            2 => false,
            4 => true,
            _ => continue,
        };
        let separator = match (sep.as_str(), spaced) {
            ("", _) => "",
            ("/", false) => "/",
            ("/", true) => " / ",
            ("-", false) => "-",
            ("-", true) => " - ",
            (".", _) => ".",
            _ => "/",
        };
        return ExpiryShape {
            separator,
            four_digit_year: four,
        };
    }
    let pattern_four = f.pattern.contains("{4}") || f.pattern.contains("20[");
    match f.max_length {
        Some(4) => ExpiryShape {
            separator: "",
            four_digit_year: false,
        },
        Some(6) => ExpiryShape {
            separator: "",
            four_digit_year: true,
        },
        Some(7) if !text.contains(" / ") => ExpiryShape {
            separator: "/",
            four_digit_year: true,
        },
        _ => ExpiryShape {
            separator: "/",
            four_digit_year: pattern_four,
        },
    }
}

/// A month input: unpadded only when the field says so (`M`, `maxlength` 1 is not a thing).
pub fn month_text(f: &PageField, month: u8) -> String {
    let h = hints(f);
    if h.split(|c: char| !c.is_alphanumeric()).any(|w| w == "m") {
        month.to_string()
    } else {
        format!("{month:02}")
    }
}

/// A year input: two digits when the field is two wide or asks for `YY`/`AA`/`JJ`.
pub fn year_text(f: &PageField, year: u16) -> String {
    let h = hints(f);
    let words: Vec<&str> = h.split(|c: char| !c.is_alphanumeric()).collect();
    let two = f.max_length == Some(2)
        || words.iter().any(|w| matches!(*w, "yy" | "aa" | "jj"))
        || f.pattern.contains("{2}");
    if two {
        format!("{:02}", year % 100)
    } else {
        format!("{year:04}")
    }
}

/// Month names, English and French (with and without accents), full and abbreviated; index 0 is
/// January.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "janvier", "janv"],
    &[
        "february", "feb", "février", "fevrier", "févr", "fevr", "fév", "fev",
    ],
    &["march", "mar", "mars"],
    &["april", "apr", "avril", "avr"],
    &["may", "mai"],
    &["june", "jun", "juin"],
    &["july", "jul", "juillet", "juil"],
    &["august", "aug", "août", "aout"],
    &["september", "sep", "sept", "septembre"],
    &["october", "oct", "octobre"],
    &["november", "nov", "novembre"],
    &["december", "dec", "décembre", "decembre", "déc"],
];

/// The month an option stands for: a leading number (`"3"`, `"03"`, `"03 - March"`), else a
/// month name word anywhere in it.
fn option_month(text: &str) -> Option<u8> {
    let t = text.trim().to_lowercase();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=12).contains(n) && digits.len() <= 2);
    }
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    MONTHS
        .iter()
        .position(|names| words.iter().any(|w| names.contains(w)))
        .map(|i| i as u8 + 1)
}

/// The year an option stands for: four digits, or two digits meaning 20xx.
fn option_year(text: &str) -> Option<u16> {
    let t = text.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != t.len() {
        return None;
    }
    year_of(&digits)
}

/// The option of a month `<select>`, read from its values first (they are what the site reads),
/// then its texts.
pub fn month_option(options: &[SelectOption], month: u8) -> Option<String> {
    options
        .iter()
        .find(|o| option_month(&o.value) == Some(month))
        .or_else(|| {
            options
                .iter()
                .find(|o| option_month(&o.text) == Some(month))
        })
        .map(SelectOption::key)
}

/// The option of a year `<select>`, two- or four-digit.
pub fn year_option(options: &[SelectOption], year: u16) -> Option<String> {
    options
        .iter()
        .find(|o| option_year(&o.value) == Some(year))
        .or_else(|| options.iter().find(|o| option_year(&o.text) == Some(year)))
        .map(SelectOption::key)
}

/// The option of a combined expiry `<select>` (`"03/27"`, `"03/2027"`).
pub fn expiry_option(options: &[SelectOption], month: u8, year: u16) -> Option<String> {
    let matches = |t: &str| {
        let parts: Vec<&str> = t
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .collect();
        parts.len() == 2 && month_of(parts[0]) == Some(month) && year_of(parts[1]) == Some(year)
    };
    options
        .iter()
        .find(|o| matches(&o.value) || matches(&o.text))
        .map(SelectOption::key)
}

/// Card brands and the names sites give them in option texts and values.
const BRANDS: &[&[&str]] = &[
    &["visa"],
    &["mastercard", "master card", "mc"],
    &["amex", "american express", "americanexpress"],
    &["discover"],
    &["diners club", "diners", "dinersclub"],
    &["jcb"],
    &["maestro"],
    &["unionpay", "union pay", "china unionpay"],
    &["cb", "carte bancaire", "cartes bancaires"],
    &["mir"],
    &["rupay"],
];

fn brand_names(brand: &str) -> Option<&'static [&'static str]> {
    let b = brand.trim().to_lowercase();
    BRANDS
        .iter()
        .copied()
        .find(|names| names.contains(&b.as_str()))
}

/// The option of a card-type `<select>` for the stored brand.
pub fn brand_option(options: &[SelectOption], brand: &str) -> Option<String> {
    let names = brand_names(brand)?;
    let is = |t: &str| names.contains(&t.trim().to_lowercase().as_str());
    options
        .iter()
        .find(|o| is(&o.value) || is(&o.text))
        .map(SelectOption::key)
}

/// The card number as digits only: sites strip or re-insert spaces themselves, and a field
/// sized for 16 digits would cut a number typed with spaces.
pub fn number_digits(stored: &str) -> String {
    stored.chars().filter(char::is_ascii_digit).collect()
}

/// The holder's name split for given-name / family-name fields: the last word is the family name.
pub fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    match full.rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_string(), family.to_string()),
        None => (full.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(placeholder: &str, max: Option<u32>) -> PageField {
        PageField {
            placeholder: placeholder.into(),
            max_length: max,
            ..PageField::default()
        }
    }

    fn opts(list: &[(&str, &str)]) -> Vec<SelectOption> {
        list.iter()
            .map(|(v, t)| SelectOption {
                value: v.to_string(),
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn stored_months_and_years() {
        assert_eq!(month_of("3"), Some(3));
        assert_eq!(month_of(" 09 "), Some(9));
        assert_eq!(month_of("13"), None);
        assert_eq!(month_of("March"), None);
        assert_eq!(year_of("2027"), Some(2027));
        assert_eq!(year_of("27"), Some(2027));
        assert_eq!(year_of("327"), None);
    }

    #[test]
    fn expiry_shapes_from_the_field() {
        let cases = [
            ("MM/YY", None, "03/27"),
            ("MM / YY", None, "03 / 27"),
            ("MM/YYYY", None, "03/2027"),
            ("MM-YY", None, "03-27"),
            ("mm.yy", None, "03.27"),
            ("MM/AA", None, "03/27"),
            ("MM/AAAA", None, "03/2027"),
            ("MMYY", None, "0327"),
            ("MM/JJ", None, "03/27"),
            ("", Some(4), "0327"),
            ("", Some(5), "03/27"),
            ("", Some(7), "03/2027"),
            ("", None, "03/27"),
            ("Expiry date (MM/YYYY)", None, "03/2027"),
        ];
        for (ph, max, want) in cases {
            assert_eq!(
                expiry_shape(&field(ph, max)).format(3, 2027),
                want,
                "{ph:?} {max:?}"
            );
        }
        let patterned = PageField {
            pattern: r"\d{2}/\d{4}".into(),
            ..PageField::default()
        };
        assert_eq!(expiry_shape(&patterned).format(3, 2027), "03/2027");
    }

    #[test]
    fn month_and_year_inputs() {
        assert_eq!(month_text(&field("MM", Some(2)), 4), "04");
        assert_eq!(month_text(&field("M", None), 4), "4");
        assert_eq!(year_text(&field("YY", None), 2031), "31");
        assert_eq!(year_text(&field("", Some(2)), 2031), "31");
        assert_eq!(year_text(&field("AAAA", None), 2031), "2031");
        assert_eq!(year_text(&field("", None), 2031), "2031");
    }

    #[test]
    fn month_selects() {
        let numbers = opts(&[("", "Month"), ("1", "1"), ("2", "2"), ("12", "12")]);
        assert_eq!(month_option(&numbers, 2).as_deref(), Some("2"));
        let padded = opts(&[("", "MM"), ("01", "01"), ("02", "02"), ("12", "12")]);
        assert_eq!(month_option(&padded, 2).as_deref(), Some("02"));
        let english = opts(&[("", "--"), ("jan", "January"), ("feb", "February")]);
        assert_eq!(month_option(&english, 2).as_deref(), Some("feb"));
        let french = opts(&[("", "Mois"), ("", "janvier"), ("", "février"), ("", "août")]);
        assert_eq!(month_option(&french, 8).as_deref(), Some("août"));
        let mixed = opts(&[("a", "01 - January"), ("b", "02 - February")]);
        assert_eq!(month_option(&mixed, 2).as_deref(), Some("b"));
        assert_eq!(month_option(&numbers, 7), None);
    }

    #[test]
    fn year_selects() {
        let four = opts(&[("", "Year"), ("2026", "2026"), ("2027", "2027")]);
        assert_eq!(year_option(&four, 2027).as_deref(), Some("2027"));
        let two = opts(&[("", "YY"), ("26", "26"), ("27", "27")]);
        assert_eq!(year_option(&two, 2027).as_deref(), Some("27"));
        let texts = opts(&[("x1", "2026"), ("x2", "2027")]);
        assert_eq!(year_option(&texts, 2027).as_deref(), Some("x2"));
        assert_eq!(year_option(&four, 2035), None);
    }

    #[test]
    fn combined_expiry_select_and_brands() {
        let list = opts(&[("0327", "03/27"), ("0427", "04/27")]);
        assert_eq!(expiry_option(&list, 4, 2027).as_deref(), Some("0427"));
        let brands = opts(&[
            ("", "Card type"),
            ("V", "Visa"),
            ("M", "MasterCard"),
            ("A", "American Express"),
        ]);
        assert_eq!(brand_option(&brands, "Mastercard").as_deref(), Some("M"));
        assert_eq!(brand_option(&brands, "Amex").as_deref(), Some("A"));
        assert_eq!(brand_option(&brands, "Other"), None);
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(number_digits("4111 1111-1111 1111"), "4111111111111111");
        assert_eq!(
            split_name("Ada Lovelace King"),
            ("Ada Lovelace".into(), "King".into())
        );
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }
}
