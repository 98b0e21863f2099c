//! The official Public Suffix List test file, in full.
//!
//! `tests/data/test_psl.txt` is `tests/test_psl.txt` of https://github.com/publicsuffix/list
//! (public domain, CC0), as shipped in PyPI `publicsuffixlist` 1.1.2.20261023. Each line
//! `checkPublicSuffix(input, expected)` gives the registrable domain (`null` = none). IDN inputs
//! and expectations in Unicode are compared in punycode, the form `registrable_domain` returns.

use keyfill::matching::registrable_domain;

fn arg(s: &str) -> Option<String> {
    let s = s.trim();
    if s == "null" {
        return None;
    }
    Some(s.trim_matches('\'').to_string())
}

fn to_ascii(d: &str) -> String {
    url::quirks::domain_to_ascii(d)
}

#[test]
fn official_psl_test_file_passes_in_full() {
    let text = include_str!("data/test_psl.txt");
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(args) = line
            .strip_prefix("checkPublicSuffix(")
            .and_then(|r| r.strip_suffix(");"))
        else {
            continue;
        };
        let (input, expected) = args.split_once(',').expect("two arguments");
        let (input, expected) = (arg(input), arg(expected));
        let got = input.as_deref().and_then(registrable_domain);
        let want = expected.as_deref().map(to_ascii);
        if got != want {
            failures.push(format!("{input:?}: got {got:?}, want {want:?}"));
        }
        checked += 1;
    }
    assert!(checked >= 70, "only {checked} checks found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
