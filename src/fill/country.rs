//! Country `<select>`s: the option for a stored country, whether the identity stores a code
//! (`FR`, `FRA`) or a name in English or French, and whether the options carry codes or names.
//!
//! The table is written here rather than taken from a crate: the crates that carry country names
//! hold every locale's (hundreds of kilobytes of wasm) or English only, and checkouts in
//! Keyfill's two languages need English and French names and the ISO codes. It covers 139
//! countries and territories (every country in Europe, the Americas' and Africa's larger ones,
//! Asia's and Oceania's larger ones, the French overseas departments); a country it lacks is
//! still matched when an option's value or text is exactly what the identity stores.

use super::page::SelectOption;

/// (ISO 3166 alpha-2, alpha-3, names in English then French).
const COUNTRIES: &[(&str, &str, &[&str])] = &[
    ("AD", "AND", &["Andorra", "Andorre"]),
    (
        "AE",
        "ARE",
        &["United Arab Emirates", "UAE", "Émirats arabes unis"],
    ),
    ("AF", "AFG", &["Afghanistan"]),
    ("AL", "ALB", &["Albania", "Albanie"]),
    ("AM", "ARM", &["Armenia", "Arménie"]),
    ("AO", "AGO", &["Angola"]),
    ("AR", "ARG", &["Argentina", "Argentine"]),
    ("AT", "AUT", &["Austria", "Autriche"]),
    ("AU", "AUS", &["Australia", "Australie"]),
    ("AZ", "AZE", &["Azerbaijan", "Azerbaïdjan"]),
    (
        "BA",
        "BIH",
        &["Bosnia and Herzegovina", "Bosnie-Herzégovine"],
    ),
    ("BD", "BGD", &["Bangladesh"]),
    ("BE", "BEL", &["Belgium", "Belgique"]),
    ("BF", "BFA", &["Burkina Faso"]),
    ("BG", "BGR", &["Bulgaria", "Bulgarie"]),
    ("BH", "BHR", &["Bahrain", "Bahreïn"]),
    ("BJ", "BEN", &["Benin", "Bénin"]),
    ("BO", "BOL", &["Bolivia", "Bolivie"]),
    ("BR", "BRA", &["Brazil", "Brésil"]),
    ("BY", "BLR", &["Belarus", "Biélorussie"]),
    ("CA", "CAN", &["Canada"]),
    (
        "CD",
        "COD",
        &[
            "Democratic Republic of the Congo",
            "DR Congo",
            "République démocratique du Congo",
        ],
    ),
    ("CG", "COG", &["Republic of the Congo", "Congo"]),
    ("CH", "CHE", &["Switzerland", "Suisse"]),
    ("CI", "CIV", &["Côte d'Ivoire", "Ivory Coast"]),
    ("CL", "CHL", &["Chile", "Chili"]),
    ("CM", "CMR", &["Cameroon", "Cameroun"]),
    ("CN", "CHN", &["China", "Chine"]),
    ("CO", "COL", &["Colombia", "Colombie"]),
    ("CR", "CRI", &["Costa Rica"]),
    ("CU", "CUB", &["Cuba"]),
    ("CY", "CYP", &["Cyprus", "Chypre"]),
    (
        "CZ",
        "CZE",
        &[
            "Czechia",
            "Czech Republic",
            "Tchéquie",
            "République tchèque",
        ],
    ),
    ("DE", "DEU", &["Germany", "Allemagne"]),
    ("DK", "DNK", &["Denmark", "Danemark"]),
    (
        "DO",
        "DOM",
        &["Dominican Republic", "République dominicaine"],
    ),
    ("DZ", "DZA", &["Algeria", "Algérie"]),
    ("EC", "ECU", &["Ecuador", "Équateur"]),
    ("EE", "EST", &["Estonia", "Estonie"]),
    ("EG", "EGY", &["Egypt", "Égypte"]),
    ("ES", "ESP", &["Spain", "Espagne"]),
    ("ET", "ETH", &["Ethiopia", "Éthiopie"]),
    ("FI", "FIN", &["Finland", "Finlande"]),
    ("FR", "FRA", &["France"]),
    ("GA", "GAB", &["Gabon"]),
    (
        "GB",
        "GBR",
        &[
            "United Kingdom",
            "UK",
            "Great Britain",
            "England",
            "Royaume-Uni",
            "Angleterre",
        ],
    ),
    ("GE", "GEO", &["Georgia", "Géorgie"]),
    (
        "GF",
        "GUF",
        &["French Guiana", "Guyane", "Guyane française"],
    ),
    ("GH", "GHA", &["Ghana"]),
    ("GN", "GIN", &["Guinea", "Guinée"]),
    ("GP", "GLP", &["Guadeloupe"]),
    ("GR", "GRC", &["Greece", "Grèce"]),
    ("GT", "GTM", &["Guatemala"]),
    ("HK", "HKG", &["Hong Kong"]),
    ("HN", "HND", &["Honduras"]),
    ("HR", "HRV", &["Croatia", "Croatie"]),
    ("HT", "HTI", &["Haiti", "Haïti"]),
    ("HU", "HUN", &["Hungary", "Hongrie"]),
    ("ID", "IDN", &["Indonesia", "Indonésie"]),
    ("IE", "IRL", &["Ireland", "Irlande"]),
    ("IL", "ISR", &["Israel", "Israël"]),
    ("IN", "IND", &["India", "Inde"]),
    ("IQ", "IRQ", &["Iraq", "Irak"]),
    ("IR", "IRN", &["Iran"]),
    ("IS", "ISL", &["Iceland", "Islande"]),
    ("IT", "ITA", &["Italy", "Italie"]),
    ("JM", "JAM", &["Jamaica", "Jamaïque"]),
    ("JO", "JOR", &["Jordan", "Jordanie"]),
    ("JP", "JPN", &["Japan", "Japon"]),
    ("KE", "KEN", &["Kenya"]),
    ("KH", "KHM", &["Cambodia", "Cambodge"]),
    (
        "KR",
        "KOR",
        &[
            "South Korea",
            "Korea, Republic of",
            "Republic of Korea",
            "Corée du Sud",
        ],
    ),
    ("KW", "KWT", &["Kuwait", "Koweït"]),
    ("KZ", "KAZ", &["Kazakhstan"]),
    ("LB", "LBN", &["Lebanon", "Liban"]),
    ("LI", "LIE", &["Liechtenstein"]),
    ("LK", "LKA", &["Sri Lanka"]),
    ("LT", "LTU", &["Lithuania", "Lituanie"]),
    ("LU", "LUX", &["Luxembourg"]),
    ("LV", "LVA", &["Latvia", "Lettonie"]),
    ("MA", "MAR", &["Morocco", "Maroc"]),
    ("MC", "MCO", &["Monaco"]),
    ("MD", "MDA", &["Moldova", "Moldavie"]),
    ("ME", "MNE", &["Montenegro", "Monténégro"]),
    ("MG", "MDG", &["Madagascar"]),
    (
        "MK",
        "MKD",
        &["North Macedonia", "Macedonia", "Macédoine du Nord"],
    ),
    ("ML", "MLI", &["Mali"]),
    ("MQ", "MTQ", &["Martinique"]),
    ("MT", "MLT", &["Malta", "Malte"]),
    ("MU", "MUS", &["Mauritius", "Maurice"]),
    ("MX", "MEX", &["Mexico", "Mexique"]),
    ("MY", "MYS", &["Malaysia", "Malaisie"]),
    ("NC", "NCL", &["New Caledonia", "Nouvelle-Calédonie"]),
    ("NE", "NER", &["Niger"]),
    ("NG", "NGA", &["Nigeria"]),
    (
        "NL",
        "NLD",
        &["Netherlands", "Holland", "The Netherlands", "Pays-Bas"],
    ),
    ("NO", "NOR", &["Norway", "Norvège"]),
    ("NP", "NPL", &["Nepal", "Népal"]),
    ("NZ", "NZL", &["New Zealand", "Nouvelle-Zélande"]),
    ("OM", "OMN", &["Oman"]),
    ("PA", "PAN", &["Panama"]),
    ("PE", "PER", &["Peru", "Pérou"]),
    ("PF", "PYF", &["French Polynesia", "Polynésie française"]),
    ("PH", "PHL", &["Philippines"]),
    ("PK", "PAK", &["Pakistan"]),
    ("PL", "POL", &["Poland", "Pologne"]),
    ("PR", "PRI", &["Puerto Rico", "Porto Rico"]),
    ("PT", "PRT", &["Portugal"]),
    ("PY", "PRY", &["Paraguay"]),
    ("QA", "QAT", &["Qatar"]),
    ("RE", "REU", &["Réunion", "Reunion", "La Réunion"]),
    ("RO", "ROU", &["Romania", "Roumanie"]),
    ("RS", "SRB", &["Serbia", "Serbie"]),
    ("RU", "RUS", &["Russia", "Russian Federation", "Russie"]),
    ("RW", "RWA", &["Rwanda"]),
    ("SA", "SAU", &["Saudi Arabia", "Arabie saoudite"]),
    ("SE", "SWE", &["Sweden", "Suède"]),
    ("SG", "SGP", &["Singapore", "Singapour"]),
    ("SI", "SVN", &["Slovenia", "Slovénie"]),
    ("SK", "SVK", &["Slovakia", "Slovaquie"]),
    ("SN", "SEN", &["Senegal", "Sénégal"]),
    ("SV", "SLV", &["El Salvador", "Salvador"]),
    ("SY", "SYR", &["Syria", "Syrie"]),
    ("TG", "TGO", &["Togo"]),
    ("TH", "THA", &["Thailand", "Thaïlande"]),
    ("TN", "TUN", &["Tunisia", "Tunisie"]),
    ("TR", "TUR", &["Turkey", "Türkiye", "Turquie"]),
    ("TW", "TWN", &["Taiwan", "Taïwan"]),
    ("TZ", "TZA", &["Tanzania", "Tanzanie"]),
    ("UA", "UKR", &["Ukraine"]),
    ("UG", "UGA", &["Uganda", "Ouganda"]),
    (
        "US",
        "USA",
        &[
            "United States",
            "United States of America",
            "USA",
            "U.S.A.",
            "US",
            "America",
            "États-Unis",
            "Etats-Unis",
        ],
    ),
    ("UY", "URY", &["Uruguay"]),
    ("VE", "VEN", &["Venezuela"]),
    ("VN", "VNM", &["Vietnam", "Viet Nam", "Viêt Nam"]),
    ("YT", "MYT", &["Mayotte"]),
    ("ZA", "ZAF", &["South Africa", "Afrique du Sud"]),
    ("ZM", "ZMB", &["Zambia", "Zambie"]),
    ("ZW", "ZWE", &["Zimbabwe"]),
];

/// Lower case, Latin accents and punctuation dropped, hyphens and apostrophes as spaces, spaces
/// collapsed: "Côte d'Ivoire" and "cote d ivoire" read alike.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || matches!(c, '-' | '\'' | '’'))
            && !out.ends_with(' ')
            && !out.is_empty()
        {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// The table row a text names: a two- or three-letter code, or a name.
fn country_index(text: &str) -> Option<usize> {
    let t = text.trim();
    if t.len() == 2 || t.len() == 3 {
        let upper = t.to_ascii_uppercase();
        if let Some(i) = COUNTRIES
            .iter()
            .position(|(a2, a3, _)| *a2 == upper || *a3 == upper)
        {
            return Some(i);
        }
    }
    let f = fold(t);
    if f.is_empty() {
        return None;
    }
    COUNTRIES
        .iter()
        .position(|(_, _, names)| names.iter().any(|n| fold(n) == f))
}

/// The option of a country `<select>` for the stored country: the option naming the same
/// country by value (codes are what sites read) or text; else the option that is the stored
/// text itself.
pub fn country_option(options: &[SelectOption], stored: &str) -> Option<String> {
    if let Some(want) = country_index(stored) {
        if let Some(o) = options
            .iter()
            .find(|o| country_index(&o.value) == Some(want))
            .or_else(|| {
                options
                    .iter()
                    .find(|o| country_index(&o.text) == Some(want))
            })
        {
            return Some(o.key());
        }
    }
    let f = fold(stored);
    if f.is_empty() {
        return None;
    }
    options
        .iter()
        .find(|o| fold(&o.value) == f || fold(&o.text) == f)
        .map(SelectOption::key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(list: &[(&str, &str)]) -> Vec<SelectOption> {
        list.iter()
            .map(|(v, t)| SelectOption {
                value: v.to_string(),
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn codes_and_names_both_ways() {
        let by_code = opts(&[
            ("", "Choose"),
            ("DE", "Germany"),
            ("FR", "France"),
            ("US", "United States"),
        ]);
        assert_eq!(country_option(&by_code, "France").as_deref(), Some("FR"));
        assert_eq!(country_option(&by_code, "fr").as_deref(), Some("FR"));
        assert_eq!(country_option(&by_code, "Allemagne").as_deref(), Some("DE"));
        assert_eq!(country_option(&by_code, "USA").as_deref(), Some("US"));
        let by_name = opts(&[
            ("", "Pays"),
            ("", "Allemagne"),
            ("", "États-Unis"),
            ("", "Côte d'Ivoire"),
        ]);
        assert_eq!(
            country_option(&by_name, "US").as_deref(),
            Some("États-Unis")
        );
        assert_eq!(
            country_option(&by_name, "cote d ivoire").as_deref(),
            Some("Côte d'Ivoire")
        );
        let numeric = opts(&[("250", "France"), ("276", "Germany")]);
        assert_eq!(country_option(&numeric, "DE").as_deref(), Some("276"));
        let alpha3 = opts(&[("FRA", "France"), ("GBR", "Royaume-Uni")]);
        assert_eq!(
            country_option(&alpha3, "United Kingdom").as_deref(),
            Some("GBR")
        );
    }

    #[test]
    fn unknown_countries_match_only_exactly() {
        let list = opts(&[("", "Choose"), ("xk", "Kosovo")]);
        assert_eq!(country_option(&list, "Kosovo").as_deref(), Some("xk"));
        assert_eq!(country_option(&list, "Atlantis"), None);
        assert_eq!(country_option(&list, ""), None);
    }

    #[test]
    fn every_code_and_name_resolves_to_its_row() {
        for (i, (a2, a3, names)) in COUNTRIES.iter().enumerate() {
            assert_eq!(country_index(a2), Some(i), "{a2}");
            assert_eq!(country_index(a3), Some(i), "{a3}");
            for n in *names {
                let hit = country_index(n).unwrap();
                assert!(
                    hit == i || COUNTRIES[hit].2.contains(n),
                    "{n} → {}",
                    COUNTRIES[hit].0
                );
            }
        }
    }
}
