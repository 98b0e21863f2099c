//! The candidate index against a brute-force linear matcher, its updates, and its ordering.

use keyfill::matching::{
    page_accepts_candidates, uri_matches, Candidate, MatchIndex, MatchItem, MatchSettings,
    MatchStrength, PageContext, UriMatch,
};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const BASES: &[&str] = &[
    "example.com",
    "example.co.uk",
    "a.github.io",
    "b.github.io",
    "google.com",
    "youtube.com",
    "gmail.com",
    "bücher.example",
    "xn--bcher-kva.example",
    "examp1e.com",
    "herokuapp.com",
    "shop.example.com",
    "localhost",
    "192.168.1.10",
    "10.0.0.1",
    "[::1]",
    "co.uk",
];
const SUBS: &[&str] = &["", "www.", "login.", "script.", "a.b."];
const PORTS: &[&str] = &["", ":80", ":443", ":8080", ":3000"];
const PATHS: &[&str] = &["", "/", "/login", "/login?next=1", "/a/b#frag"];
const SCHEMES: &[&str] = &["https://", "http://", "", "androidapp://"];
const REGEXES: &[&str] = &[
    r"^https://([a-z0-9-]+\.)*example\.com/",
    "login",
    "github\\.io/?$",
    "([a-z",
    "(a+)+$",
    "LOGIN\\?next",
    "example|github",
    "^HTTPS?://(www\\.)?EXAMPLE\\.com(:\\d+)?/",
];

fn random_url(r: &mut Rng, scheme_pool: &[&str]) -> String {
    let base = r.pick(BASES);
    let sub = if base.starts_with(|c: char| c.is_ascii_digit() || c == '[') || base == "localhost" {
        ""
    } else {
        r.pick(SUBS)
    };
    format!(
        "{}{}{}{}{}",
        r.pick(scheme_pool),
        sub,
        base,
        r.pick(PORTS),
        r.pick(PATHS)
    )
}

fn random_item(r: &mut Rng, id: usize) -> MatchItem {
    let n = r.below(4);
    let uris = (0..n)
        .map(|_| {
            let strategy = match r.below(9) {
                0..=3 => None,
                k => UriMatch::from_i64(k as i64 - 4),
            };
            let uri = if strategy == Some(UriMatch::RegularExpression) {
                r.pick(REGEXES).to_string()
            } else {
                random_url(r, SCHEMES)
            };
            (uri, strategy)
        })
        .collect();
    MatchItem {
        id: format!("id-{id:05}"),
        uris,
        last_used: r.below(5) as i64,
    }
}

/// The linear reference: every item, every URI, the public predicate.
fn brute_force(items: &[MatchItem], settings: &MatchSettings, url: &str) -> Vec<Candidate> {
    if !page_accepts_candidates(url) {
        return Vec::new();
    }
    let page = PageContext::new(url, settings);
    let mut out: Vec<(MatchStrength, i64, String)> = Vec::new();
    for item in items {
        let best = item
            .uris
            .iter()
            .filter(|(u, m)| uri_matches(u, *m, &page))
            .map(|(_, m)| match page.resolve(*m) {
                UriMatch::Exact => MatchStrength::Exact,
                UriMatch::StartsWith => MatchStrength::StartsWith,
                UriMatch::Host => MatchStrength::Host,
                UriMatch::RegularExpression => MatchStrength::RegularExpression,
                _ => MatchStrength::Domain,
            })
            .max();
        if let Some(s) = best {
            out.push((s, item.last_used, item.id.clone()));
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    out.into_iter()
        .map(|(strength, _, id)| Candidate { id, strength })
        .collect()
}

fn settings_variants() -> Vec<MatchSettings> {
    let groups = vec![vec![
        "youtube.com".into(),
        "google.com".into(),
        "gmail.com".into(),
    ]];
    vec![
        MatchSettings::default(),
        MatchSettings {
            default_strategy: UriMatch::Host,
            equivalent_domains: groups.clone(),
            never_as_domain: false,
        },
        MatchSettings {
            default_strategy: UriMatch::Never,
            equivalent_domains: groups,
            never_as_domain: true,
        },
    ]
}

#[test]
fn index_equals_brute_force_on_random_vaults() {
    let mut r = Rng(0x5eed_1234_abcd_0001);
    for settings in settings_variants() {
        let items: Vec<MatchItem> = (0..600).map(|i| random_item(&mut r, i)).collect();
        let index = MatchIndex::build(items.clone(), settings.clone());
        let mut non_empty = 0;
        for _ in 0..400 {
            let url = random_url(&mut r, &["https://", "http://", "file://", "about:"]);
            let want = brute_force(&items, &settings, &url);
            non_empty += usize::from(!want.is_empty());
            assert_eq!(index.candidates_for(&url), want, "page {url}");
        }
        // Pages equal to stored URIs exercise Exact and StartsWith.
        for item in items.iter().take(200) {
            for (u, _) in &item.uris {
                assert_eq!(
                    index.candidates_for(u),
                    brute_force(&items, &settings, u),
                    "{u}"
                );
            }
        }
        assert!(non_empty > 100, "too few matching pages: {non_empty}");
    }
}

#[test]
fn index_stays_equal_through_edits() {
    let mut r = Rng(42);
    let settings = settings_variants().remove(1);
    let mut items: Vec<MatchItem> = (0..300).map(|i| random_item(&mut r, i)).collect();
    let mut index = MatchIndex::build(items.clone(), settings.clone());
    for step in 0..600 {
        match r.below(3) {
            0 => {
                let i = r.below(items.len());
                let id = items[i].id.clone();
                assert!(index.remove(&id));
                items.remove(i);
            }
            1 => {
                let i = r.below(items.len());
                let mut edited = random_item(&mut r, 0);
                edited.id = items[i].id.clone();
                index.update(edited.clone());
                items[i] = edited;
            }
            _ => {
                let item = random_item(&mut r, 1000 + step);
                index.insert(item.clone());
                items.push(item);
            }
        }
        let url = random_url(&mut r, &["https://", "http://"]);
        assert_eq!(
            index.candidates_for(&url),
            brute_force(&items, &settings, &url)
        );
    }
    assert_eq!(index.len(), items.len());
    for item in &items {
        index.remove(&item.id);
    }
    assert!(index.is_empty());
    assert!(index.candidates_for("https://example.com/").is_empty());
    assert!(!index.remove("missing"));
}

fn item(id: &str, uris: &[(&str, Option<UriMatch>)], last_used: i64) -> MatchItem {
    MatchItem {
        id: id.into(),
        uris: uris.iter().map(|(u, m)| (u.to_string(), *m)).collect(),
        last_used,
    }
}

fn ids(c: &[Candidate]) -> Vec<&str> {
    c.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn ordering_strength_then_recency_then_id() {
    use UriMatch::*;
    let url = "https://login.example.com/signin?x=1";
    let items = vec![
        item("domain-old", &[("example.com", None)], 1),
        item("domain-new", &[("https://www.example.com", None)], 9),
        item("domain-tie-b", &[("example.com", None)], 5),
        item("domain-tie-a", &[("example.com", None)], 5),
        item("host", &[("https://login.example.com", Some(Host))], 0),
        item(
            "starts",
            &[("https://login.example.com/sign", Some(StartsWith))],
            0,
        ),
        item("exact", &[(url, Some(Exact))], 0),
        item(
            "regex",
            &[("example\\.com/signin", Some(RegularExpression))],
            100,
        ),
        // The strongest of several URIs counts.
        item(
            "multi",
            &[
                ("example.com", None),
                ("https://login.example.com", Some(Host)),
            ],
            3,
        ),
        item("never", &[("https://example.com", Some(Never))], 50),
        item("other", &[("https://example.org", None)], 50),
    ];
    let index = MatchIndex::build(items, MatchSettings::default());
    let got = index.candidates_for(url);
    assert_eq!(
        ids(&got),
        [
            "exact",
            "starts",
            "multi",
            "host",
            "regex",
            "domain-new",
            "domain-tie-a",
            "domain-tie-b",
            "domain-old"
        ]
    );
    assert_eq!(got[0].strength, MatchStrength::Exact);
    assert_eq!(got[2].strength, MatchStrength::Host);
    assert_eq!(got[4].strength, MatchStrength::RegularExpression);
    let json = serde_json::to_string(&got[0]).unwrap();
    assert_eq!(json, r#"{"id":"exact","strength":"exact"}"#);
}

#[test]
fn touch_reorders_and_settings_rebuild() {
    let items = vec![
        item("a", &[("https://example.com", None)], 1),
        item("b", &[("https://www.example.com", None)], 2),
        item("n", &[("https://example.com", Some(UriMatch::Never))], 3),
    ];
    let mut index = MatchIndex::build(items, MatchSettings::default());
    assert_eq!(
        ids(&index.candidates_for("https://example.com/")),
        ["b", "a"]
    );
    index.touch("a", 10);
    assert_eq!(
        ids(&index.candidates_for("https://example.com/")),
        ["a", "b"]
    );
    index.set_settings(MatchSettings {
        never_as_domain: true,
        ..MatchSettings::default()
    });
    assert_eq!(
        ids(&index.candidates_for("https://example.com/")),
        ["a", "n", "b"]
    );
    index.set_settings(MatchSettings {
        default_strategy: UriMatch::Host,
        ..MatchSettings::default()
    });
    assert_eq!(ids(&index.candidates_for("https://example.com/")), ["a"]);
}

#[test]
fn non_web_pages_get_no_candidates() {
    let items = vec![
        item(
            "file",
            &[("file:///home/me/page.html", Some(UriMatch::Exact))],
            0,
        ),
        item("about", &[("about:blank", Some(UriMatch::Exact))], 0),
        item("any", &[(".*", Some(UriMatch::RegularExpression))], 0),
    ];
    let index = MatchIndex::build(items, MatchSettings::default());
    for page in [
        "file:///home/me/page.html",
        "about:blank",
        "chrome://settings",
        "data:text/html,<form>",
        "javascript:alert(1)",
        "blob:https://example.com/uuid",
        "chrome-extension://abc/popup.html",
        "",
    ] {
        assert!(index.candidates_for(page).is_empty(), "{page}");
    }
    assert_eq!(ids(&index.candidates_for("HTTPS://example.com/")), ["any"]);
}

#[test]
fn ip_pages_read_only_their_port() {
    let items = vec![
        item("p8080", &[("http://192.168.1.10:8080", None)], 0),
        item("p9090", &[("http://192.168.1.10:9090", None)], 0),
        item("none", &[("http://192.168.1.10", None)], 0),
        item("lh", &[("http://localhost:3000", None)], 0),
        item("sub-lh", &[("http://app.localhost:5000", None)], 0),
    ];
    let index = MatchIndex::build(items, MatchSettings::default());
    assert_eq!(
        ids(&index.candidates_for("http://192.168.1.10:8080/x")),
        ["p8080"]
    );
    assert_eq!(
        ids(&index.candidates_for("https://192.168.1.10/")),
        ["none"]
    );
    assert_eq!(
        ids(&index.candidates_for("http://localhost:3000/")),
        ["lh", "sub-lh"]
    );
    assert_eq!(
        ids(&index.candidates_for("http://localhost:4000/")),
        ["sub-lh"]
    );
    // A `*.localhost` page is not localhost itself: every port of the domain matches.
    assert_eq!(
        ids(&index.candidates_for("http://other.localhost/")),
        ["lh", "sub-lh"]
    );
}
