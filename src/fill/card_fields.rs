//! Which part of a card a field asks for, and the values a card puts into a frame's fields.
//! Autocomplete tokens first (`cc-number`, `cc-exp-month`, ...), then the words of the field's
//! name, id, label, placeholder, aria-label and title, in English and French (and the common
//! German, Spanish and Italian ones). A month or year field counts only beside a card number or
//! with card words of its own, so a birth date never gets a card's expiry.

use zeroize::Zeroizing;

use super::card_format::{
    brand_option, expiry_option, expiry_shape, month_of, month_option, month_text, number_digits,
    split_name, year_of, year_option, year_text,
};
use super::page::PageField;
use crate::vault::records::Card;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardPart {
    Number,
    Holder,
    HolderGiven,
    HolderFamily,
    Brand,
    Expiry,
    ExpMonth,
    ExpYear,
    Code,
}

const NUMBER: &[&str] = &[
    "cardnumber",
    "card number",
    "card-number",
    "card_number",
    "cardnum",
    "ccnumber",
    "cc-number",
    "cc_number",
    "ccnum",
    "creditcard",
    "credit card number",
    "card no",
    "numéro de carte",
    "numero de carte",
    "n° de carte",
    "no de carte",
    "numéro carte",
    "numero carte",
    "kartennummer",
    "número de tarjeta",
    "numero de tarjeta",
    "numero carta",
    "numero della carta",
    "pan",
];
const CODE: &[&str] = &[
    "cvc",
    "cvv",
    "csc",
    "cvn",
    "cvv2",
    "cvc2",
    "security code",
    "securitycode",
    "security-code",
    "card verification",
    "verification code",
    "cryptogramme",
    "code de sécurité",
    "code de securite",
    "code secret",
    "prüfnummer",
    "pruefnummer",
    "código de seguridad",
    "codice di sicurezza",
];
const HOLDER: &[&str] = &[
    "cardholder",
    "card holder",
    "card-holder",
    "nameoncard",
    "name on card",
    "name on the card",
    "name-on-card",
    "ccname",
    "cc-name",
    "holder name",
    "holdername",
    "titulaire",
    "nom sur la carte",
    "nom du titulaire",
    "karteninhaber",
    "titular",
    "intestatario",
];
const EXPIRY: &[&str] = &[
    "expiry",
    "expiration",
    "exp date",
    "expdate",
    "exp-date",
    "exp_date",
    "ccexp",
    "cc-exp",
    "valid thru",
    "valid through",
    "validity",
    "date d'expiration",
    "date d’expiration",
    "date de validité",
    "date de validite",
    "validité",
    "ablaufdatum",
    "gültig bis",
    "caducidad",
    "vencimiento",
    "scadenza",
    "mm/yy",
    "mm / yy",
    "mm/aa",
    "mm / aa",
    "mm/yyyy",
];
const MONTH: &[&str] = &["month", "mois", "monat", "mes", "mese", "mm"];
const YEAR: &[&str] = &[
    "year", "année", "annee", "jahr", "año", "anno", "yy", "yyyy", "aa", "aaaa",
];
const BRAND: &[&str] = &[
    "card type",
    "cardtype",
    "card-type",
    "card_type",
    "cc-type",
    "cctype",
    "brand",
    "type de carte",
    "kartentyp",
    "tipo de tarjeta",
    "tipo di carta",
];
/// Words of a card context, for a month or year field that has no card number beside it.
const CARD_CONTEXT: &[&str] = &["card", "carte", "exp", "cc", "karte", "tarjeta", "carta"];
const NOT_CARD: &[&str] = &[
    "birth",
    "dob",
    "naissance",
    "geburt",
    "nacimiento",
    "nascita",
    "gift",
    "cadeau",
    "coupon",
    "promo",
    "voucher",
];

/// The field's words, lower-cased, camelCase and `_-.[]$` split into spaces (so `cardNumber`,
/// `card_number` and "Card number" read alike); `/` and apostrophes kept for masks and French.
pub(super) fn haystack(f: &PageField) -> String {
    let mut out = String::new();
    for s in [
        &f.name,
        &f.html_id,
        &f.label,
        &f.placeholder,
        &f.aria_label,
        &f.title,
    ] {
        let mut prev_lower = false;
        out.push_str(" | ");
        for c in s.chars() {
            if c.is_uppercase() && prev_lower {
                out.push(' ');
            }
            prev_lower = c.is_lowercase();
            if c.is_alphanumeric() || matches!(c, '/' | '\'' | '’' | '°') {
                out.extend(c.to_lowercase());
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
    }
    out.push(' ');
    out
}

/// `=word`: that word whole. A phrase as whole words (`"name on card"` in `" name on card "`); a short single word as a
/// whole word or that word plus one letter (`cvv2`); a long single word inside any word
/// (`creditcardnumber` holds `cardnumber`).
pub(super) fn has(hay: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        if let Some(whole) = w.strip_prefix('=') {
            // A word that would sit inside others ("lname" in "fullname"): whole words only.
            hay.split([' ', '|']).any(|t| t == whole)
        } else if w.contains(' ') {
            // Between spaces (the haystack starts and ends with one), without building " w ".
            hay.match_indices(w).any(|(i, _)| {
                hay.as_bytes().get(i.wrapping_sub(1)) == Some(&b' ')
                    && hay.as_bytes().get(i + w.len()) == Some(&b' ')
            })
        } else if w.chars().count() <= 4 {
            hay.split([' ', '|']).any(|t| {
                t == *w
                    || (w.len() >= 3
                        && t.starts_with(w)
                        && t.len() == w.len() + 1
                        && t.ends_with(|c: char| c.is_ascii_digit()))
            })
        } else {
            hay.contains(w)
        }
    })
}

/// The part a field's autocomplete tokens name (the last `cc-` token, after any section and
/// shipping/billing tokens).
fn by_autocomplete(ac: &str) -> Option<CardPart> {
    let token = ac.split_whitespace().rev().find(|t| t.starts_with("cc-"))?;
    Some(match token {
        "cc-number" => CardPart::Number,
        "cc-name" => CardPart::Holder,
        "cc-given-name" => CardPart::HolderGiven,
        "cc-family-name" => CardPart::HolderFamily,
        "cc-additional-name" => return None,
        "cc-type" => CardPart::Brand,
        "cc-exp" => CardPart::Expiry,
        "cc-exp-month" => CardPart::ExpMonth,
        "cc-exp-year" => CardPart::ExpYear,
        "cc-csc" => CardPart::Code,
        _ => return None,
    })
}

/// The part a field asks for, from its own attributes; month and year are only candidates here
/// (see [`card_parts`]).
pub fn card_part(f: &PageField) -> Option<CardPart> {
    if matches!(
        f.kind.as_str(),
        "hidden" | "checkbox" | "radio" | "submit" | "button" | "file"
    ) {
        return None;
    }
    if let Some(p) = by_autocomplete(&f.autocomplete) {
        return Some(p);
    }
    let hay = haystack(f);
    if has(&hay, NOT_CARD) {
        return None;
    }
    if has(&hay, CODE) {
        return Some(CardPart::Code);
    }
    if has(&hay, NUMBER) {
        return Some(CardPart::Number);
    }
    if has(&hay, HOLDER) {
        return Some(CardPart::Holder);
    }
    if has(&hay, BRAND) {
        return Some(CardPart::Brand);
    }
    let month = has(&hay, MONTH);
    let year = has(&hay, YEAR);
    if has(&hay, EXPIRY) && !(month ^ year) {
        return Some(CardPart::Expiry);
    }
    if month && !year {
        return Some(CardPart::ExpMonth);
    }
    if year && !month {
        return Some(CardPart::ExpYear);
    }
    None
}

/// Each field's card part. A month or year field without an autocomplete token or card words of
/// its own counts only in a form (or formless group) that also holds a card number field.
pub fn card_parts(fields: &[PageField]) -> Vec<Option<CardPart>> {
    let parts: Vec<Option<CardPart>> = fields.iter().map(card_part).collect();
    let number_forms: Vec<&Option<String>> = fields
        .iter()
        .zip(&parts)
        .filter(|(_, p)| **p == Some(CardPart::Number))
        .map(|(f, _)| &f.form)
        .collect();
    fields
        .iter()
        .zip(parts)
        .map(|(f, p)| match p {
            Some(CardPart::ExpMonth | CardPart::ExpYear)
                if by_autocomplete(&f.autocomplete).is_none()
                    && !has(&haystack(f), CARD_CONTEXT)
                    && !number_forms.contains(&&f.form) =>
            {
                None
            }
            other => other,
        })
        .collect()
}

/// A stored text, trimmed; `None` when empty.
pub(super) fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The value a card gives one field, in the shape the field wants; `None` when the card lacks it
/// or a select has no option for it.
pub fn card_value(f: &PageField, part: CardPart, card: &Card) -> Option<Zeroizing<String>> {
    let select = f.tag == "select";
    let month = text(&card.exp_month).and_then(month_of);
    let year = text(&card.exp_year).and_then(year_of);
    let value = match part {
        CardPart::Number => Some(number_digits(text(&card.number)?)).filter(|d| !d.is_empty()),
        CardPart::Code => text(&card.code).map(str::to_string),
        CardPart::Holder => text(&card.cardholder_name).map(str::to_string),
        CardPart::HolderGiven => Some(split_name(text(&card.cardholder_name)?).0),
        CardPart::HolderFamily => Some(split_name(text(&card.cardholder_name)?).1),
        CardPart::Brand if select => brand_option(&f.options, text(&card.brand)?),
        CardPart::Brand => text(&card.brand).map(str::to_string),
        CardPart::Expiry if select => expiry_option(&f.options, month?, year?),
        CardPart::Expiry => Some(expiry_shape(f).format(month?, year?)),
        CardPart::ExpMonth if select => month_option(&f.options, month?),
        CardPart::ExpMonth => Some(month_text(f, month?)),
        CardPart::ExpYear if select => year_option(&f.options, year?),
        CardPart::ExpYear => Some(year_text(f, year?)),
    }?;
    (!value.is_empty()).then(|| Zeroizing::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, autocomplete: &str, form: &str) -> PageField {
        PageField {
            name: name.into(),
            tag: "input".into(),
            kind: "text".into(),
            autocomplete: autocomplete.into(),
            form: Some(form.into()),
            ..PageField::default()
        }
    }

    #[test]
    fn autocomplete_tokens_win() {
        assert_eq!(
            card_part(&field("x", "cc-number", "f")),
            Some(CardPart::Number)
        );
        assert_eq!(
            card_part(&field("x", "section-pay billing cc-exp-month", "f")),
            Some(CardPart::ExpMonth)
        );
        assert_eq!(card_part(&field("x", "cc-csc", "f")), Some(CardPart::Code));
        assert_eq!(
            card_part(&field("x", "cc-given-name", "f")),
            Some(CardPart::HolderGiven)
        );
    }

    #[test]
    fn words_in_english_and_french() {
        let cases = [
            ("cardNumber", Some(CardPart::Number)),
            ("numero_carte", Some(CardPart::Number)),
            ("cvv", Some(CardPart::Code)),
            ("cryptogramme", Some(CardPart::Code)),
            ("name_on_card", Some(CardPart::Holder)),
            ("creditCardNumber", Some(CardPart::Number)),
            ("cvv2", Some(CardPart::Code)),
            ("cardholder", Some(CardPart::Holder)),
            ("titulaire", Some(CardPart::Holder)),
            ("exp-date", Some(CardPart::Expiry)),
            ("date_expiration_mm_aa", Some(CardPart::Expiry)),
            ("card-exp-month", Some(CardPart::ExpMonth)),
            ("exp_year", Some(CardPart::ExpYear)),
            ("birth_month", None),
            ("gift_card_number", None),
            ("email", None),
        ];
        for (name, want) in cases {
            assert_eq!(card_part(&field(name, "", "f")), want, "{name}");
        }
        let labelled = PageField {
            label: "Nom sur la carte".into(),
            ..field("x1", "", "f")
        };
        assert_eq!(card_part(&labelled), Some(CardPart::Holder));
    }

    #[test]
    fn a_bare_month_counts_only_beside_a_card_number() {
        let fields = vec![
            field("number", "cc-number", "pay"),
            field("month", "", "pay"),
            field("year", "", "pay"),
            field("month", "", "profile"),
        ];
        assert_eq!(
            card_parts(&fields),
            vec![
                Some(CardPart::Number),
                Some(CardPart::ExpMonth),
                Some(CardPart::ExpYear),
                None
            ]
        );
    }

    #[test]
    fn values_take_the_field_shape() {
        let card = Card {
            cardholder_name: Some("Ada Lovelace".into()),
            brand: Some("Visa".into()),
            number: Some("4111 1111 1111 1111".into()),
            exp_month: Some("3".into()),
            exp_year: Some("2027".into()),
            code: Some("123".into()),
        };
        let mut exp = field("exp", "cc-exp", "f");
        exp.placeholder = "MM / YY".into();
        assert_eq!(
            card_value(&exp, CardPart::Expiry, &card).unwrap().as_str(),
            "03 / 27"
        );
        let num = field("n", "cc-number", "f");
        assert_eq!(
            card_value(&num, CardPart::Number, &card).unwrap().as_str(),
            "4111111111111111"
        );
        let given = field("g", "cc-given-name", "f");
        assert_eq!(
            card_value(&given, CardPart::HolderGiven, &card)
                .unwrap()
                .as_str(),
            "Ada"
        );
        let empty = Card::default();
        assert!(card_value(&num, CardPart::Number, &empty).is_none());
    }
}
