//! Each strategy of docs/protocol.md §8.4 against the cases of §8 and docs/autofill.md rule 3.

use keyfill::matching::{
    host, registrable_domain, uri_matches, MatchSettings, PageContext, UriMatch,
};

fn page(url: &str) -> PageContext {
    PageContext::new(url, &MatchSettings::default())
}

fn m(stored: &str, strategy: UriMatch, page_url: &str) -> bool {
    uri_matches(stored, Some(strategy), &page(page_url))
}

use UriMatch::*;

#[test]
fn registrable_domain_helper() {
    let cases = [
        ("https://x.b.example.co.uk/login", Some("example.co.uk")),
        ("https://a.github.io", Some("a.github.io")),
        ("https://github.io", None),
        ("app.herokuapp.com", Some("app.herokuapp.com")),
        ("x.blogspot.com/path", Some("x.blogspot.com")),
        ("example.com/login", Some("example.com")),
        ("EXAMPLE.com", Some("example.com")),
        ("http://localhost:3000", Some("localhost")),
        ("localhost:3000", Some("localhost")),
        ("http://app.localhost", Some("localhost")),
        ("https://192.168.1.10:8443/x", Some("192.168.1.10")),
        ("http://[::1]:8080/", Some("::1")),
        ("https://bücher.example", Some("xn--bcher-kva.example")),
        (
            "https://xn--bcher-kva.example",
            Some("xn--bcher-kva.example"),
        ),
        (
            "https://www.食狮.公司.cn",
            Some("xn--85x722f.xn--55qx5d.cn"),
        ),
        ("https://example.com.", Some("example.com")),
        ("data:text/html,example.com", None),
        ("about:blank", None),
        ("", None),
        ("   ", None),
        ("com", None),
        ("https://user:pw@login.example.org:99/", Some("example.org")),
    ];
    for (input, want) in cases {
        assert_eq!(registrable_domain(input).as_deref(), want, "{input}");
    }
}

#[test]
fn host_helper() {
    let cases = [
        ("https://a.com:443", Some("a.com")),
        ("http://a.com:8080", Some("a.com:8080")),
        ("http://a.com:443", Some("a.com:443")),
        ("HTTPS://Login.Example.COM/x?y#z", Some("login.example.com")),
        ("bitwarden.com", Some("bitwarden.com")),
        ("example.com:8080/x", Some("example.com:8080")),
        ("localhost:3000", None),
        ("localhost", None),
        ("http://localhost:3000", Some("localhost:3000")),
        ("https://bücher.example/", Some("xn--bcher-kva.example")),
        ("http://[::1]:80/", Some("[::1]")),
        ("androidapp://com.example.app", Some("com.example.app")),
        ("not a url", None),
        ("", None),
    ];
    for (input, want) in cases {
        assert_eq!(host(input).as_deref(), want, "{input}");
    }
}

#[test]
fn domain_strategy() {
    // Scheme, subdomain, port, path and query ignored.
    assert!(m(
        "https://example.com",
        Domain,
        "http://login.example.com:8443/x?y=1"
    ));
    assert!(m("example.com", Domain, "https://www.example.com/"));
    assert!(m(
        "https://accounts.example.com/signin",
        Domain,
        "https://example.com"
    ));
    // Public suffix boundaries, private section included.
    assert!(m(
        "https://x.b.example.co.uk",
        Domain,
        "https://example.co.uk/"
    ));
    assert!(!m("https://a.github.io", Domain, "https://b.github.io/"));
    assert!(m("https://a.github.io/x", Domain, "https://a.github.io/y"));
    assert!(!m(
        "https://victim.github.io",
        Domain,
        "https://evil.github.io"
    ));
    assert!(!m(
        "https://a.herokuapp.com",
        Domain,
        "https://b.herokuapp.com"
    ));
    // Look-alikes.
    assert!(!m("https://example.com", Domain, "https://examp1e.com/"));
    assert!(!m(
        "https://example.com",
        Domain,
        "https://example.com.evil.net/"
    ));
    assert!(!m("https://example.com", Domain, "https://notexample.com/"));
    // http vs https: Domain ignores the scheme (the fill planner warns, docs/autofill.md rule 5).
    assert!(m("https://example.com", Domain, "http://example.com/"));
    // IDN: Unicode and punycode forms are the same site.
    assert!(m(
        "https://bücher.example",
        Domain,
        "https://www.xn--bcher-kva.example/"
    ));
    assert!(m(
        "xn--bcher-kva.example",
        Domain,
        "https://bücher.example/"
    ));
    assert!(!m(
        "https://bucher.example",
        Domain,
        "https://bücher.example/"
    ));
    // No registrable domain on either side.
    assert!(!m("https://co.uk", Domain, "https://co.uk/"));
    assert!(!m("", Domain, "https://example.com/"));
    assert!(!m("https://example.com", Domain, ""));
    assert!(!m("not a url", Domain, "https://example.com/"));
}

#[test]
fn domain_blacklist() {
    assert!(!m(
        "https://google.com",
        Domain,
        "https://script.google.com/macros/s/x"
    ));
    assert!(!m(
        "https://accounts.google.com",
        Domain,
        "https://script.google.com/"
    ));
    assert!(m(
        "https://google.com",
        Domain,
        "https://accounts.google.com/"
    ));
    // The blacklist compares getHost, port included, and only Domain matching.
    assert!(m(
        "https://script.google.com",
        Host,
        "https://script.google.com/"
    ));
}

#[test]
fn ip_and_localhost_port_rule() {
    assert!(m(
        "http://192.168.1.10:8080",
        Domain,
        "http://192.168.1.10:8080/admin"
    ));
    assert!(!m(
        "http://192.168.1.10:8080",
        Domain,
        "http://192.168.1.10:9090/"
    ));
    assert!(!m(
        "http://192.168.1.10:8080",
        Domain,
        "http://192.168.1.10/"
    ));
    assert!(m("http://192.168.1.10", Domain, "https://192.168.1.10/"));
    assert!(!m("http://192.168.1.10", Domain, "http://192.168.1.11/"));
    assert!(m(
        "http://localhost:3000",
        Domain,
        "http://localhost:3000/login"
    ));
    assert!(!m(
        "http://localhost:3000",
        Domain,
        "http://localhost:4000/login"
    ));
    assert!(m("http://[::1]:8080", Domain, "http://[::1]:8080/"));
    assert!(!m("http://[::1]:8080", Domain, "http://[::1]:9090/"));
    // `URL.port` is empty for the scheme default, so :80 on http equals no port.
    assert!(m("http://10.0.0.1:80", Domain, "http://10.0.0.1/"));
    // getUrl refuses scheme-less `localhost:3000` (no dot), so its port reads as empty (§8.3).
    assert!(!m("localhost:3000", Domain, "http://localhost:3000/"));
    assert!(m("localhost:3000", Domain, "http://localhost/"));
    // `*.localhost` shares the `localhost` domain but is not itself localhost: no port rule.
    assert!(m(
        "http://app.localhost:5000",
        Domain,
        "http://localhost:3000/"
    ));
}

#[test]
fn host_strategy() {
    assert!(m(
        "https://login.example.com",
        Host,
        "http://login.example.com/x"
    ));
    assert!(!m(
        "https://login.example.com",
        Host,
        "https://example.com/"
    ));
    assert!(!m("https://example.com", Host, "https://www.example.com/"));
    assert!(m(
        "https://example.com:8443/a",
        Host,
        "https://example.com:8443/b"
    ));
    assert!(!m("https://example.com:8443", Host, "https://example.com/"));
    assert!(m("https://example.com:443", Host, "https://example.com/"));
    assert!(!m("http://example.com:443", Host, "https://example.com/"));
    assert!(m("example.com", Host, "https://example.com/"));
    assert!(m(
        "https://bücher.example",
        Host,
        "https://xn--bcher-kva.example/"
    ));
    assert!(m("http://192.168.0.1:81", Host, "https://192.168.0.1:81/"));
    assert!(!m("localhost", Host, "http://localhost/"));
}

#[test]
fn starts_with_strategy() {
    assert!(m(
        "https://example.com/login",
        StartsWith,
        "https://example.com/login?next=/"
    ));
    assert!(m(
        "https://example.com/login",
        StartsWith,
        "https://example.com/login"
    ));
    assert!(!m(
        "https://example.com/login/",
        StartsWith,
        "https://example.com/login"
    ));
    assert!(!m(
        "https://Example.com/login",
        StartsWith,
        "https://example.com/login"
    ));
    assert!(!m(
        "https://example.com/login",
        StartsWith,
        "http://example.com/login"
    ));
    // Raw prefix: no normalisation, so a host prefix also covers longer hosts.
    assert!(m("https://example.co", StartsWith, "https://example.com/"));
    assert!(!m("", StartsWith, "https://example.com/"));
}

#[test]
fn exact_strategy() {
    assert!(m(
        "https://example.com/login",
        Exact,
        "https://example.com/login"
    ));
    assert!(!m(
        "https://example.com/login",
        Exact,
        "https://example.com/login/"
    ));
    assert!(!m(
        "https://example.com/login",
        Exact,
        "https://example.com/login?x"
    ));
    assert!(!m(
        "https://EXAMPLE.com/login",
        Exact,
        "https://example.com/login"
    ));
    assert!(!m("", Exact, ""));
}

#[test]
fn regex_strategy() {
    let r = RegularExpression;
    assert!(m(
        r"^https://([a-z0-9-]+\.)*example\.com/",
        r,
        "https://a.b.example.com/x"
    ));
    assert!(!m(
        r"^https://([a-z0-9-]+\.)*example\.com/",
        r,
        "https://example.com.evil/"
    ));
    // Case-insensitive and unanchored.
    assert!(m("EXAMPLE", r, "https://example.com/"));
    assert!(m("login", r, "https://example.com/login"));
    // ECMAScript features absent from Rust's regex crate: look-around and back-references.
    assert!(m(r"example\.com(?!\.evil)", r, "https://example.com/"));
    assert!(!m(
        r"example\.com(?!\.evil)",
        r,
        "https://example.com.evil/"
    ));
    assert!(m(r"(?<=https://)example", r, "https://example.com/"));
    assert!(m(r"//(\w+)\.\1\.com", r, "https://abc.abc.com/"));
    assert!(!m(r"//(\w+)\.\1\.com", r, "https://abc.abd.com/"));
    // Invalid patterns never match.
    assert!(!m("([a-z", r, "https://example.com/"));
    assert!(!m("*", r, "https://example.com/"));
    // Size caps: long patterns and long URLs are refused.
    let long_pattern = format!("{}|example", "x".repeat(1000));
    assert!(!m(&long_pattern, r, "https://example.com/"));
    let long_url = format!("https://example.com/?q={}", "a".repeat(3000));
    assert!(!m("example", r, &long_url));
    assert!(m("example", r, &long_url[..2000]));
}

#[test]
fn regex_refuses_catastrophic_patterns_quickly() {
    let url = format!("https://example.com/{}!", "a".repeat(2000));
    let start = std::time::Instant::now();
    for p in ["(a+)+$", "(a|aa)+$", "(a*)*!x", "(.*a)+x", "([a-z.]+\\.)+x"] {
        assert!(!m(p, RegularExpression, &url), "{p}");
    }
    assert!(start.elapsed().as_secs() < 2, "took {:?}", start.elapsed());
}

#[test]
fn never_strategy() {
    assert!(!m("https://example.com", Never, "https://example.com/"));
    let s = MatchSettings {
        never_as_domain: true,
        ..MatchSettings::default()
    };
    let p = PageContext::new("https://www.example.com/", &s);
    assert!(uri_matches("https://example.com", Some(Never), &p));
}

#[test]
fn default_strategy_applies_to_unset_uris() {
    let s = MatchSettings {
        default_strategy: Host,
        ..MatchSettings::default()
    };
    let p = PageContext::new("https://www.example.com/", &s);
    assert!(!uri_matches("https://example.com", None, &p));
    assert!(uri_matches("https://example.com", Some(Domain), &p));
    assert!(uri_matches("https://www.example.com", None, &p));
    // With no setting the default is Domain.
    assert!(uri_matches(
        "https://example.com",
        None,
        &page("https://www.example.com/")
    ));
}

#[test]
fn equivalent_domains() {
    let s = MatchSettings {
        equivalent_domains: vec![
            vec![
                "youtube.com".into(),
                "google.com".into(),
                "gmail.com".into(),
            ],
            vec!["ameritrade.com".into(), "tdameritrade.com".into()],
        ],
        ..MatchSettings::default()
    };
    let p = PageContext::new("https://mail.gmail.com/", &s);
    assert!(uri_matches("https://accounts.google.com", None, &p));
    assert!(uri_matches("https://youtube.com", Some(Domain), &p));
    assert!(!uri_matches("https://tdameritrade.com", None, &p));
    // Host and the raw strategies ignore equivalences.
    assert!(!uri_matches("https://accounts.google.com", Some(Host), &p));
    // The blacklist still applies through an equivalence.
    let p = PageContext::new("https://script.google.com/", &s);
    assert!(!uri_matches("https://google.com", None, &p));
    assert!(uri_matches("https://youtube.com", None, &p));
}
