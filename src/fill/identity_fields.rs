//! Which part of an identity a field asks for, and the value an identity gives it: autocomplete
//! tokens first (`given-name`, `address-line1`, `postal-code`, `country`, ...), then the words of
//! the field's name, id, label, placeholder, aria-label and title in English and French (and the
//! common German, Spanish and Italian ones). A country `<select>` is matched by its options'
//! codes or names; a title `<select>` by the usual honorifics.

use zeroize::Zeroizing;

use super::card_fields::{has, haystack, text};
use super::country::country_option;
use super::page::{PageField, SelectOption};
use crate::vault::records::Identity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityPart {
    Title,
    FirstName,
    MiddleName,
    LastName,
    FullName,
    Company,
    Email,
    Phone,
    Address1,
    Address2,
    Address3,
    /// The whole street address in one field (a textarea, or `street-address`).
    Street,
    City,
    State,
    PostalCode,
    Country,
    Username,
    Ssn,
    Passport,
    License,
}

use IdentityPart as P;

/// The part named by the last meaningful autocomplete token (after `section-*`, `shipping`,
/// `billing`, `home`, `work`, `mobile`).
fn by_autocomplete(ac: &str) -> Option<IdentityPart> {
    let token = ac.split_whitespace().last()?;
    Some(match token {
        "honorific-prefix" => P::Title,
        "given-name" => P::FirstName,
        "additional-name" => P::MiddleName,
        "family-name" => P::LastName,
        "name" => P::FullName,
        "organization" => P::Company,
        "email" => P::Email,
        "tel" | "tel-national" | "tel-local" => P::Phone,
        "address-line1" => P::Address1,
        "address-line2" => P::Address2,
        "address-line3" => P::Address3,
        "street-address" => P::Street,
        "address-level2" => P::City,
        "address-level1" => P::State,
        "postal-code" => P::PostalCode,
        "country" | "country-name" => P::Country,
        "username" => P::Username,
        _ => return None,
    })
}

/// Words per part, most specific parts first: "last name" before "name", "address 2" before
/// "address". Each list is checked in this order and the first hit wins.
const WORDS: &[(IdentityPart, &[&str])] = &[
    (
        P::Ssn,
        &[
            "ssn",
            "social security",
            "sozialversicherung",
            "numéro de sécurité sociale",
        ],
    ),
    (
        P::Passport,
        &[
            "passport",
            "passeport",
            "reisepass",
            "pasaporte",
            "passaporto",
        ],
    ),
    (
        P::License,
        &[
            "driver license",
            "driving licence",
            "licence number",
            "license number",
            "permis de conduire",
            "führerschein",
        ],
    ),
    (
        P::Email,
        &[
            "email",
            "e mail",
            "courriel",
            "mail",
            "correo",
            "posta elettronica",
        ],
    ),
    (
        P::Phone,
        &[
            "phone",
            "telephone",
            "téléphone",
            "tel",
            "mobile",
            "portable",
            "telefon",
            "teléfono",
            "telefono",
            "cellulare",
            "handy",
        ],
    ),
    (
        P::Username,
        &[
            "username",
            "user name",
            "login",
            "identifiant",
            "benutzername",
        ],
    ),
    (
        P::Company,
        &[
            "company",
            "organization",
            "organisation",
            "société",
            "societe",
            "entreprise",
            "firma",
            "empresa",
            "azienda",
            "business name",
        ],
    ),
    (
        P::PostalCode,
        &[
            "zip",
            "zipcode",
            "postal",
            "postcode",
            "post code",
            "code postal",
            "codepostal",
            "cp",
            "plz",
            "postleitzahl",
            "código postal",
            "codigo postal",
            "cap",
        ],
    ),
    (
        P::City,
        &[
            "city",
            "town",
            "ville",
            "commune",
            "localité",
            "localite",
            "locality",
            "stadt",
            "ort",
            "ciudad",
            "città",
            "citta",
            "localidad",
        ],
    ),
    (
        P::State,
        &[
            "state",
            "province",
            "region",
            "région",
            "county",
            "département",
            "departement",
            "bundesland",
            "provincia",
            "estado",
            "regione",
        ],
    ),
    (
        P::Country,
        &["country", "pays", "land", "país", "pais", "paese", "nation"],
    ),
    (
        P::Address3,
        &[
            "address3",
            "address 3",
            "address line 3",
            "line3",
            "line 3",
            "adresse 3",
            "ligne 3",
        ],
    ),
    (
        P::Address2,
        &[
            "address2",
            "address 2",
            "address line 2",
            "line2",
            "line 2",
            "adresse 2",
            "ligne 2",
            "complément",
            "complement",
            "apartment",
            "apt",
            "suite",
            "unit",
            "bâtiment",
            "batiment",
            "appartement",
            "adresszusatz",
        ],
    ),
    (
        P::Address1,
        &[
            "address1",
            "address 1",
            "address line 1",
            "line1",
            "line 1",
            "adresse 1",
            "ligne 1",
            "street",
            "rue",
            "voie",
            "straße",
            "strasse",
            "calle",
            "via",
            "indirizzo",
            "dirección",
            "direccion",
            "address",
            "adresse",
        ],
    ),
    (
        P::Title,
        &[
            "title",
            "civilité",
            "civilite",
            "salutation",
            "anrede",
            "honorific",
            "tratamiento",
        ],
    ),
    (
        P::MiddleName,
        &[
            "middle name",
            "middlename",
            "middle initial",
            "second prénom",
            "deuxième prénom",
        ],
    ),
    (
        P::FirstName,
        &[
            "first name",
            "firstname",
            "=fname",
            "given name",
            "givenname",
            "forename",
            "prénom",
            "prenom",
            "vorname",
            "nombre",
            "nome",
        ],
    ),
    (
        P::LastName,
        &[
            "last name",
            "lastname",
            "=lname",
            "surname",
            "family name",
            "familyname",
            "nom de famille",
            "nachname",
            "apellido",
            "apellidos",
            "cognome",
        ],
    ),
    (
        P::FullName,
        &[
            "full name",
            "fullname",
            "your name",
            "nom complet",
            "name",
            "nom",
        ],
    ),
];

/// The part a field asks for from its own attributes (see [`identity_parts`] for the page-wide
/// corrections).
pub fn identity_part(f: &PageField) -> Option<IdentityPart> {
    if matches!(
        f.kind.as_str(),
        "hidden" | "checkbox" | "radio" | "submit" | "button" | "file" | "password"
    ) {
        return None;
    }
    if let Some(p) = by_autocomplete(&f.autocomplete) {
        return Some(p);
    }
    if f.autocomplete
        .split_whitespace()
        .any(|t| t.starts_with("cc-"))
    {
        return None;
    }
    let hay = haystack(f);
    if f.kind == "email" {
        return Some(P::Email);
    }
    if f.kind == "tel" {
        return Some(P::Phone);
    }
    let part = WORDS
        .iter()
        .find(|(_, words)| has(&hay, words))
        .map(|(p, _)| *p)?;
    // A multi-line address box takes the whole street address.
    Some(if part == P::Address1 && f.tag == "textarea" {
        P::Street
    } else {
        part
    })
}

/// Each field's part. French forms say "Nom" for the family name beside a "Prénom" field: a
/// bare name field becomes the last name when the same form has a first-name field.
pub fn identity_parts(fields: &[PageField]) -> Vec<Option<IdentityPart>> {
    let parts: Vec<Option<IdentityPart>> = fields.iter().map(identity_part).collect();
    let first_forms: Vec<&Option<String>> = fields
        .iter()
        .zip(&parts)
        .filter(|(_, p)| **p == Some(P::FirstName))
        .map(|(f, _)| &f.form)
        .collect();
    fields
        .iter()
        .zip(parts)
        .map(|(f, p)| match p {
            Some(P::FullName)
                if by_autocomplete(&f.autocomplete).is_none() && first_forms.contains(&&f.form) =>
            {
                Some(P::LastName)
            }
            other => other,
        })
        .collect()
}

/// Honorifics a title `<select>` may list, grouped by meaning (English and French).
const TITLES: &[&[&str]] = &[
    &[
        "mr", "mr.", "mister", "m", "m.", "monsieur", "herr", "sr", "sr.", "sig", "sig.",
    ],
    &[
        "mrs", "mrs.", "madame", "mme", "mme.", "frau", "sra", "sra.", "sig.ra",
    ],
    &["ms", "ms.", "miss", "mlle", "mlle.", "mademoiselle"],
    &["dr", "dr.", "doctor", "docteur"],
    &["mx", "mx."],
];

/// The option of a title `<select>`: the same text, else one of the same meaning.
fn title_option(options: &[SelectOption], title: &str) -> Option<String> {
    let want = title.trim().to_lowercase();
    let group = TITLES.iter().find(|g| g.contains(&want.as_str()));
    let is = |t: &str| {
        let t = t.trim().to_lowercase();
        t == want || group.is_some_and(|g| g.contains(&t.as_str()))
    };
    options
        .iter()
        .find(|o| is(&o.text) || is(&o.value))
        .map(SelectOption::key)
}

/// The option of any other `<select>` whose value or text is the stored value itself (a state
/// list, for instance), ignoring case.
fn same_option(options: &[SelectOption], value: &str) -> Option<String> {
    let want = value.trim().to_lowercase();
    options
        .iter()
        .find(|o| o.value.trim().to_lowercase() == want || o.text.trim().to_lowercase() == want)
        .map(SelectOption::key)
}

/// The value an identity gives one field; `None` when the identity lacks it or a select has no
/// option for it.
pub fn identity_value(
    f: &PageField,
    part: IdentityPart,
    id: &Identity,
) -> Option<Zeroizing<String>> {
    let value: String = match part {
        P::Title => text(&id.title)?.into(),
        P::FirstName => text(&id.first_name)?.into(),
        P::MiddleName => text(&id.middle_name)?.into(),
        P::LastName => text(&id.last_name)?.into(),
        P::FullName => [&id.first_name, &id.middle_name, &id.last_name]
            .iter()
            .filter_map(|v| text(v))
            .collect::<Vec<_>>()
            .join(" "),
        P::Company => text(&id.company)?.into(),
        P::Email => text(&id.email)?.into(),
        P::Phone => text(&id.phone)?.into(),
        P::Address1 => text(&id.address1)?.into(),
        P::Address2 => text(&id.address2)?.into(),
        P::Address3 => text(&id.address3)?.into(),
        P::Street => [&id.address1, &id.address2, &id.address3]
            .iter()
            .filter_map(|v| text(v))
            .collect::<Vec<_>>()
            .join("\n"),
        P::City => text(&id.city)?.into(),
        P::State => text(&id.state)?.into(),
        P::PostalCode => text(&id.postal_code)?.into(),
        P::Country => text(&id.country)?.into(),
        P::Username => text(&id.username)?.into(),
        P::Ssn => text(&id.ssn)?.into(),
        P::Passport => text(&id.passport_number)?.into(),
        P::License => text(&id.license_number)?.into(),
    };
    if value.is_empty() {
        return None;
    }
    let value = if f.tag == "select" {
        match part {
            P::Country => country_option(&f.options, &value)?,
            P::Title => title_option(&f.options, &value)?,
            _ => same_option(&f.options, &value)?,
        }
    } else {
        value
    };
    Some(Zeroizing::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, autocomplete: &str) -> PageField {
        PageField {
            name: name.into(),
            tag: "input".into(),
            kind: "text".into(),
            autocomplete: autocomplete.into(),
            form: Some("f".into()),
            ..PageField::default()
        }
    }

    #[test]
    fn autocomplete_tokens_win() {
        assert_eq!(
            identity_part(&field("x", "shipping given-name")),
            Some(P::FirstName)
        );
        assert_eq!(
            identity_part(&field("x", "section-a billing postal-code")),
            Some(P::PostalCode)
        );
        assert_eq!(identity_part(&field("x", "address-level2")), Some(P::City));
        assert_eq!(identity_part(&field("x", "cc-number")), None);
    }

    #[test]
    fn words_in_english_and_french() {
        let cases = [
            ("firstName", Some(P::FirstName)),
            ("prenom", Some(P::FirstName)),
            ("last_name", Some(P::LastName)),
            ("nom_de_famille", Some(P::LastName)),
            ("address2", Some(P::Address2)),
            ("complement_adresse", Some(P::Address2)),
            ("street", Some(P::Address1)),
            ("adresse", Some(P::Address1)),
            ("code_postal", Some(P::PostalCode)),
            ("zip", Some(P::PostalCode)),
            ("ville", Some(P::City)),
            ("pays", Some(P::Country)),
            ("telephone", Some(P::Phone)),
            ("company", Some(P::Company)),
            ("civilite", Some(P::Title)),
            ("coupon", None),
        ];
        for (name, want) in cases {
            assert_eq!(identity_part(&field(name, "")), want, "{name}");
        }
    }

    #[test]
    fn french_nom_beside_prenom_is_the_family_name() {
        let fields = [field("prenom", ""), field("nom", ""), field("nom", "")];
        let mut other_form = fields[2].clone();
        other_form.form = Some("g".into());
        let fields = vec![fields[0].clone(), fields[1].clone(), other_form];
        assert_eq!(
            identity_parts(&fields),
            vec![Some(P::FirstName), Some(P::LastName), Some(P::FullName)]
        );
    }

    #[test]
    fn values_and_selects() {
        let id = Identity {
            title: Some("Mrs".into()),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            address1: Some("12 Rue de la Paix".into()),
            address2: Some("Bât. B".into()),
            country: Some("FR".into()),
            ..Identity::default()
        };
        let full = field("name", "name");
        assert_eq!(
            identity_value(&full, P::FullName, &id).unwrap().as_str(),
            "Ada Lovelace"
        );
        let mut street = field("address", "street-address");
        street.tag = "textarea".into();
        assert_eq!(
            identity_value(&street, P::Street, &id).unwrap().as_str(),
            "12 Rue de la Paix\nBât. B"
        );
        let mut title = field("civilite", "");
        title.tag = "select".into();
        title.options = vec![
            SelectOption {
                value: "1".into(),
                text: "M.".into(),
            },
            SelectOption {
                value: "2".into(),
                text: "Mme".into(),
            },
        ];
        assert_eq!(identity_value(&title, P::Title, &id).unwrap().as_str(), "2");
        assert!(identity_value(&field("phone", "tel"), P::Phone, &id).is_none());
    }
}
