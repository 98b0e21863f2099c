//! One decision per tab: frame ranking, site opt-outs, the confirmed document, several frames
//! (docs/extension.md "Fill plan").

#[path = "support/fill.rs"]
mod fill;

use fill::*;
use keyfill::fill::{opted_out, parse_tab_request, plan_tab, TabPlan};

const NOW_MS: u64 = 1_700_000_000_000;

fn login_details() -> Value {
    json!({"fields": [
        {"opid": "u", "form": "F", "type": "text", "name": "username", "label": "Username",
         "visible": true},
        {"opid": "p", "form": "F", "type": "password", "name": "password", "label": "Password",
         "visible": true}],
        "forms": [{"opid": "F", "action": "", "text": "Sign in"}]})
}

fn empty_details() -> Value {
    json!({"fields": [], "forms": []})
}

/// A frame as the worker reports it: `sender` facts plus the content script's details.
fn frame(id: i64, url: &str, details: Value) -> Value {
    let origin = url
        .split_once("://")
        .map(|(s, r)| format!("{s}://{}", r.split('/').next().unwrap_or("")))
        .unwrap();
    json!({"frameId": id, "documentId": format!("doc-{id}"), "origin": origin, "url": url,
           "isTop": id == 0, "details": details})
}

fn request(top: &str, frames: Vec<Value>) -> Value {
    json!({"tabId": 7, "topUrl": top, "trigger": "popup", "optOutSites": [], "nowMs": NOW_MS,
           "frames": frames})
}

fn decide(req: &Value, it: &CipherView) -> TabPlan {
    let req = parse_tab_request(&req.to_string()).unwrap();
    plan_tab(&req, "item-1", it, &MatchSettings::default(), &mut || {
        Ok(GEN.to_string())
    })
}

fn status(p: &TabPlan) -> (String, Option<i64>) {
    let v = serde_json::to_value(p).unwrap();
    let reason = v["reason"].as_str().map(str::to_string);
    let status = v["status"].as_str().unwrap().to_string();
    (
        reason.map_or(status.clone(), |r| format!("{status}:{r}")),
        v["frame"]["frameId"].as_i64(),
    )
}

// ---- Ranking ----

#[test]
fn top_frame_first_among_fills() {
    // The browser may list a child first; the top frame still wins.
    let req = request(
        LOGIN_URL,
        vec![
            frame(3, "https://example.com/embed", login_details()),
            frame(0, LOGIN_URL, login_details()),
        ],
    );
    assert_eq!(status(&decide(&req, &example())), ("fill".into(), Some(0)));
}

#[test]
fn a_fill_in_a_child_beats_a_question_in_the_top() {
    let req = request(
        "http://example.com/",
        vec![
            frame(0, "http://example.com/", login_details()),
            frame(2, "https://example.com/login", login_details()),
        ],
    );
    let p = decide(&req, &example());
    assert_eq!(status(&p), ("fill".into(), Some(2)));
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["frame"]["documentId"], "doc-2");
    assert_eq!(v["frame"]["origin"], "https://example.com");
    assert_eq!(v["actions"].as_array().unwrap().len(), 2);
}

#[test]
fn a_question_beats_a_refusal() {
    // A child of another site refuses (frame_origin); the http top asks.
    let req = request(
        "http://example.com/login",
        vec![
            frame(5, "https://evil.test/x", login_details()),
            frame(0, "http://example.com/login", login_details()),
        ],
    );
    let p = decide(&req, &example());
    assert_eq!(status(&p), ("confirm:insecure".into(), Some(0)));
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["host"], "example.com");
    assert_eq!(v["reasons"], json!(["insecure"]));
}

#[test]
fn a_refusal_that_says_something_beats_no_fields() {
    let req = request(
        LOGIN_URL,
        vec![
            frame(0, LOGIN_URL, empty_details()),
            frame(4, "https://evil.test/x", login_details()),
        ],
    );
    assert_eq!(
        status(&decide(&req, &example())),
        ("refused:frame_origin".into(), None)
    );
    let none = request(LOGIN_URL, vec![frame(0, LOGIN_URL, empty_details())]);
    assert_eq!(
        status(&decide(&none, &example())),
        ("refused:no_fields".into(), None)
    );
    let no_frames = request(LOGIN_URL, vec![]);
    assert_eq!(
        status(&decide(&no_frames, &example())),
        ("refused:no_fields".into(), None)
    );
}

#[test]
fn a_failed_send_moves_on_to_the_next_frame() {
    let mut top = frame(0, LOGIN_URL, login_details());
    top["failed"] = json!("fields_changed");
    let req = request(
        LOGIN_URL,
        vec![
            top.clone(),
            frame(6, "https://example.com/f", login_details()),
        ],
    );
    assert_eq!(status(&decide(&req, &example())), ("fill".into(), Some(6)));
    let alone = request(LOGIN_URL, vec![top.clone()]);
    assert_eq!(
        status(&decide(&alone, &example())),
        ("refused:fields_changed".into(), None)
    );
    // Not a code: reported as the frame having changed.
    top["failed"] = json!("<b>Oops</b>");
    let odd = request(LOGIN_URL, vec![top]);
    assert_eq!(
        status(&decide(&odd, &example())),
        ("refused:frame_changed".into(), None)
    );
}

// ---- Opt-outs ----

fn sites(list: &[&str]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

#[test]
fn opt_out_covers_the_site_and_its_subdomains() {
    let s = sites(&["example.com"]);
    assert!(opted_out("https://example.com/login", &s));
    assert!(opted_out("https://login.example.com/", &s));
    assert!(opted_out("https://a.b.EXAMPLE.com./x", &s));
    assert!(opted_out("http://example.com:8080/", &s));
}

#[test]
fn opt_out_typed_in_unicode_covers_the_ascii_host() {
    let s = sites(&["Bücher.example"]);
    assert!(opted_out("https://xn--bcher-kva.example/", &s));
    assert!(opted_out("https://shop.xn--bcher-kva.example/", &s));
    assert!(!opted_out("https://bucher.example/", &s));
    assert!(opted_out("https://bücher.example/", &s));
}

#[test]
fn opt_out_ignores_look_alikes() {
    assert!(!opted_out("https://example.com/", &sites(&["ample.com"])));
    assert!(!opted_out(
        "https://example.com.evil.test/",
        &sites(&["example.com"])
    ));
    assert!(!opted_out(
        "https://notexample.com/",
        &sites(&["example.com"])
    ));
    assert!(!opted_out(
        "https://example.com/",
        &sites(&["sub.example.com"])
    ));
    assert!(!opted_out("not a url", &sites(&["example.com"])));
    assert!(!opted_out("https://example.com/", &sites(&[""])));
}

#[test]
fn opt_out_of_a_public_suffix_covers_only_itself() {
    assert!(!opted_out("https://example.co.uk/", &sites(&["co.uk"])));
    assert!(!opted_out(
        "https://alice.github.io/",
        &sites(&["github.io"])
    ));
    assert!(opted_out(
        "https://alice.github.io/",
        &sites(&["alice.github.io"])
    ));
}

#[test]
fn opted_out_tab_or_frame_is_not_filled() {
    let mut req = request(LOGIN_URL, vec![frame(0, LOGIN_URL, login_details())]);
    req["optOutSites"] = json!(["example.com"]);
    assert_eq!(
        status(&decide(&req, &example())),
        ("refused:opted_out".into(), None)
    );
    // The top page is elsewhere; only an opted-out frame has fields.
    let mut req = request(
        "https://portal.test/",
        vec![
            frame(0, "https://portal.test/", empty_details()),
            frame(1, LOGIN_URL, login_details()),
        ],
    );
    req["optOutSites"] = json!(["login.example.com", "example.com"]);
    assert_eq!(
        status(&decide(&req, &example())),
        ("refused:opted_out".into(), None)
    );
}

// ---- The confirmed document ----

fn bound(reasons: &[&str]) -> Value {
    json!({"tabId": 7, "itemId": "item-1", "frameId": 0, "documentId": "doc-0",
           "origin": "http://example.com", "reasons": reasons, "reprompted": false,
           "expires": NOW_MS + 60_000})
}

fn http_request() -> Value {
    request(
        "http://example.com/login",
        vec![
            frame(0, "http://example.com/login", login_details()),
            frame(3, "https://example.com/login", login_details()),
        ],
    )
}

#[test]
fn a_confirmation_fills_only_its_document() {
    let mut req = http_request();
    // Without it the https child would fill; with it, only the confirmed top document.
    req["confirmation"] = bound(&["insecure"]);
    assert_eq!(status(&decide(&req, &example())), ("fill".into(), Some(0)));
}

#[test]
fn a_confirmation_that_no_longer_applies_is_refused() {
    let cases = [
        ("expires", json!(NOW_MS), "refused:confirmation_expired"),
        ("tabId", json!(8), "refused:confirmation_expired"),
        ("itemId", json!("item-2"), "refused:confirmation_expired"),
        ("frameId", json!(9), "refused:frame_changed"),
        ("documentId", json!("doc-other"), "refused:frame_changed"),
        (
            "origin",
            json!("http://evil.test"),
            "refused:origin_changed",
        ),
    ];
    for (key, value, want) in cases {
        let mut req = http_request();
        let mut b = bound(&["insecure"]);
        b[key] = value;
        req["confirmation"] = b;
        assert_eq!(status(&decide(&req, &example())).0, want, "{key}");
    }
    // An id the worker does not know.
    let mut req = http_request();
    req["confirmation"] = json!({});
    assert_eq!(
        status(&decide(&req, &example())).0,
        "refused:confirmation_expired"
    );
    // Only the popup can spend one.
    let mut req = http_request();
    req["confirmation"] = bound(&["insecure"]);
    req["trigger"] = json!("shortcut");
    assert_eq!(
        status(&decide(&req, &example())).0,
        "refused:confirmation_expired"
    );
}

#[test]
fn a_second_question_carries_the_reasons_already_accepted() {
    let mut req = request(
        "http://example.com/login",
        vec![frame(
            0,
            "http://example.com/login",
            json!({"fields": [
                {"opid": "u", "form": "F", "name": "username", "visible": true},
                {"opid": "p", "form": "F", "type": "password", "visible": true}],
                "forms": [{"opid": "F", "action": "https://collector.test/steal"}]}),
        )],
    );
    req["confirmation"] = bound(&["insecure"]);
    let v = serde_json::to_value(decide(&req, &example())).unwrap();
    assert_eq!(v["status"], "confirm");
    assert_eq!(v["reason"], "formAction");
    assert_eq!(v["host"], "collector.test");
    assert_eq!(v["reasons"], json!(["insecure", "formAction"]));
    assert_eq!(
        v["frame"],
        json!({"frameId": 0, "documentId": "doc-0", "origin": "http://example.com"})
    );
}

#[test]
fn reprompt_comes_from_the_confirmation_when_there_is_one() {
    let mut it = example();
    it.reprompt = 1;
    let mut req = request(LOGIN_URL, vec![frame(0, LOGIN_URL, login_details())]);
    assert_eq!(status(&decide(&req, &it)).0, "refused:reprompt_required");
    req["reprompted"] = json!(true);
    assert_eq!(status(&decide(&req, &it)).0, "fill");
    req["trigger"] = json!("shortcut");
    assert_eq!(status(&decide(&req, &it)).0, "refused:reprompt");
}

#[test]
fn a_request_too_large_or_malformed_is_an_error_that_quotes_nothing() {
    let err = parse_tab_request("{\"frames\": [secret-value").unwrap_err();
    assert!(!format!("{err:?} {err}").contains("secret-value"));
    let big = "x".repeat(keyfill::fill::MAX_TAB_BYTES + 1);
    assert!(parse_tab_request(&big).is_err());
}

#[test]
fn opt_out_of_an_ip_address_covers_that_address() {
    let s = sites(&["192.168.1.10"]);
    assert!(opted_out("http://192.168.1.10:8080/login", &s));
    assert!(!opted_out("http://192.168.1.1/", &s));
}

#[test]
fn a_sandboxed_frame_is_never_the_one_filled() {
    let mut sandboxed = frame(2, "https://example.com/login", login_details());
    sandboxed["origin"] = json!(null);
    let req = request(
        LOGIN_URL,
        vec![frame(0, LOGIN_URL, empty_details()), sandboxed],
    );
    assert_eq!(
        status(&decide(&req, &example())),
        ("refused:opaque_origin".into(), None)
    );
}

#[test]
fn a_question_after_a_reprompt_keeps_it_for_the_confirmation() {
    let mut it = item(&["https://example.com"], None);
    it.reprompt = 1;
    let mut req = request(
        "http://example.com/login",
        vec![frame(0, "http://example.com/login", login_details())],
    );
    req["reprompted"] = json!(true);
    let v = serde_json::to_value(decide(&req, &it)).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["reprompted"].as_bool()),
        (Some("confirm"), Some(true))
    );
    let mut b = bound(&["insecure"]);
    b["reprompted"] = json!(true);
    req["reprompted"] = json!(false);
    req["confirmation"] = b;
    assert_eq!(status(&decide(&req, &it)).0, "fill");
}
