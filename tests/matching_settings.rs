//! Settings from sync JSON: equivalent domains (§8.5) and the default strategy (§8.2).

use keyfill::matching::{resolve_default_strategy, MatchSettings, UriMatch};
use serde_json::json;

#[test]
fn uri_match_integers_and_serde() {
    for v in 0..=5 {
        let m = UriMatch::from_i64(v).unwrap();
        assert_eq!(m.as_i64(), v);
        assert_eq!(serde_json::to_string(&m).unwrap(), v.to_string());
        assert_eq!(serde_json::from_str::<UriMatch>(&v.to_string()).unwrap(), m);
    }
    assert_eq!(UriMatch::from_i64(6), None);
    assert_eq!(UriMatch::from_i64(-1), None);
    assert!(serde_json::from_str::<UriMatch>("9").is_err());
    assert_eq!(UriMatch::from_json(&json!("3")), Some(UriMatch::Exact));
    assert_eq!(UriMatch::from_json(&json!(null)), None);
    assert_eq!(
        UriMatch::from_name("starts_with"),
        Some(UriMatch::StartsWith)
    );
    assert_eq!(
        UriMatch::from_name("regex"),
        Some(UriMatch::RegularExpression)
    );
    assert_eq!(UriMatch::from_name("bogus"), None);
}

#[test]
fn equivalent_domains_from_sync_camel_case() {
    let domains = json!({
        "equivalentDomains": [["mysite.com", "MySite.net"], []],
        "globalEquivalentDomains": [
            {"type": 0, "domains": ["youtube.com", "google.com", "gmail.com"], "excluded": false},
            {"type": 2, "domains": ["ameritrade.com", "tdameritrade.com"], "excluded": true},
            {"type": 3, "domains": [], "excluded": false},
            {"type": 4, "domains": ["bücher.example", "books.example"]}
        ],
        "object": "domains"
    });
    let s = MatchSettings::from_domains_json(UriMatch::Domain, &domains);
    assert_eq!(
        s.equivalent_domains,
        vec![
            vec!["mysite.com".to_string(), "mysite.net".to_string()],
            vec![
                "youtube.com".into(),
                "google.com".into(),
                "gmail.com".into()
            ],
            vec!["xn--bcher-kva.example".into(), "books.example".into()],
        ]
    );
    assert_eq!(
        s.equivalents_of("gmail.com"),
        vec!["gmail.com", "youtube.com", "google.com"]
    );
    assert_eq!(s.equivalents_of("other.com"), vec!["other.com"]);
}

#[test]
fn equivalent_domains_pascal_case_and_garbage() {
    let domains = json!({
        "EquivalentDomains": [["a.com", "b.com"]],
        "GlobalEquivalentDomains": [{"Type": 1, "Domains": ["c.com", "d.com"], "Excluded": false}]
    });
    let groups = MatchSettings::equivalent_domains_from_json(&domains);
    assert_eq!(groups.len(), 2);
    for junk in [
        json!(null),
        json!(3),
        json!({"equivalentDomains": "x"}),
        json!([1, 2]),
    ] {
        assert!(MatchSettings::equivalent_domains_from_json(&junk).is_empty());
    }
    let odd = json!({"equivalentDomains": [[1, null, "ok.com"]], "globalEquivalentDomains": [7]});
    assert_eq!(
        MatchSettings::equivalent_domains_from_json(&odd),
        vec![vec!["ok.com".to_string()]]
    );
}

#[test]
fn default_strategy_from_user_and_policies() {
    assert_eq!(
        resolve_default_strategy(None, &json!(null)),
        UriMatch::Domain
    );
    assert_eq!(
        resolve_default_strategy(Some(1), &json!([])),
        UriMatch::Host
    );
    assert_eq!(
        resolve_default_strategy(Some(42), &json!([])),
        UriMatch::Domain
    );
    let policies = json!([
        {"type": 1, "enabled": true, "data": {"uriMatchDetection": 3}},
        {"type": 16, "enabled": false, "data": {"uriMatchDetection": 3}},
        {"type": 16, "enabled": true, "data": {"uriMatchDetection": 99}},
        {"type": 16, "enabled": true, "data": {"uriMatchDetection": 2}},
        {"type": 16, "enabled": true, "data": {"uriMatchDetection": 4}}
    ]);
    assert_eq!(
        resolve_default_strategy(Some(1), &policies),
        UriMatch::StartsWith
    );
    let pascal = json!([{"Type": 16, "Enabled": true, "Data": "{\"uriMatchDetection\":5}"}]);
    assert_eq!(resolve_default_strategy(None, &pascal), UriMatch::Never);
    let broken = json!([{"type": 16, "enabled": true, "data": "not json"}]);
    assert_eq!(resolve_default_strategy(Some(1), &broken), UriMatch::Host);
}
