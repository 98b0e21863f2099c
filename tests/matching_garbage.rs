//! Garbage never panics, and the URL fast path agrees with the WHATWG parser.

use keyfill::matching::{
    host, registrable_domain, uri_matches, url_info_fast, url_info_slow, MatchIndex, MatchItem,
    MatchSettings, PageContext, UriMatch,
};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const PIECES: &[&str] = &[
    "http://",
    "https://",
    "HTTP://",
    "://",
    ":",
    "//",
    "/",
    "\\",
    "?",
    "#",
    "@",
    "[",
    "]",
    ".",
    "..",
    "-",
    "_",
    "%",
    "%zz",
    "%2e",
    "xn--",
    "xn--bcher-kva",
    "ü",
    "食狮",
    "\u{0}",
    "\t",
    " ",
    "\n",
    "\u{200d}",
    "ｅｘａｍｐｌｅ",
    "example",
    "com",
    "co.uk",
    "github.io",
    "localhost",
    "1",
    "255",
    "256",
    "0x7f",
    "127.0.0.1",
    "::1",
    "8080",
    "65536",
    "99999999",
    "a",
    "Z",
    "*",
    "!",
    "data:",
    "about:",
    "javascript:",
    "mailto:",
    "(",
    ")",
    "+",
    "{2,}",
    "\u{feff}",
    "\u{fffd}",
];

fn garbage(r: &mut Rng) -> String {
    (0..r.below(12))
        .map(|_| PIECES[r.below(PIECES.len())])
        .collect()
}

#[test]
fn garbage_never_panics_and_fast_path_agrees() {
    let mut r = Rng(7);
    let settings = MatchSettings {
        equivalent_domains: vec![vec!["example.com".into(), "localhost".into()]],
        ..MatchSettings::default()
    };
    let mut items = Vec::new();
    let mut fast_taken = 0;
    for i in 0..20_000 {
        let s = garbage(&mut r);
        let _ = registrable_domain(&s);
        let _ = host(&s);
        if let Some(fast) = url_info_fast(&s) {
            fast_taken += 1;
            assert_eq!(fast, url_info_slow(&s), "fast path differs on {s:?}");
        }
        let page = PageContext::new(&garbage(&mut r), &settings);
        for k in 0..=5 {
            let _ = uri_matches(&s, UriMatch::from_i64(k), &page);
        }
        if i < 3000 {
            items.push(MatchItem {
                id: i.to_string(),
                uris: vec![(s, UriMatch::from_i64(r.below(7) as i64))],
                last_used: 0,
            });
        }
    }
    assert!(fast_taken > 500, "fast path barely exercised: {fast_taken}");
    let index = MatchIndex::build(items, settings);
    for _ in 0..3000 {
        let _ = index.candidates_for(&garbage(&mut r));
    }
    let huge = format!("https://{}.com/", "a".repeat(100_000));
    assert_eq!(registrable_domain(&huge), None);
    let _ = index.candidates_for(&huge);
}

#[test]
fn fast_path_agrees_on_typical_urls() {
    let urls = [
        "https://example.com",
        "https://Example.COM:443/login",
        "http://example.com:80",
        "http://example.com:0080/x",
        "https://example.com:8443/a?b#c",
        "example.com",
        "example.com:8080/x",
        "www.example.co.uk/login",
        "localhost",
        "localhost:3000",
        "http://localhost:3000",
        "http://app.localhost",
        "https://a-b.c-d.example",
        "https://-a.example.com",
        "https://a--b.example.com",
        "https://123.example.com",
        "https://example.123",
        "http://example.com:",
        "https://example.com:65536",
        "https://com",
        "https://co.uk",
    ];
    for u in urls {
        if let Some(fast) = url_info_fast(u) {
            assert_eq!(fast, url_info_slow(u), "{u}");
        }
    }
    assert!(url_info_fast("https://example.com/login").is_some());
}
