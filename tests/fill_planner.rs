//! The fill planner against the AUTOFILL.md scenarios it can decide (Login, Multi-step,
//! Negatives, Hostile) and each policy rule. Page details are JSON as the content script reports
//! them (docs/extension.md "Page details"); every test states exactly which opids get which
//! values, so anything else filled fails it.
//!
//! TOTP vector: RFC 6238 Appendix B, SHA-1 secret "12345678901234567890" (base32
//! GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ) at T = 59 s gives 94287082, whose 6-digit code is 287082.

use keyfill::fill::{
    parse_context, parse_page_details, plan_fill, ActionKind, FillContext, FillPlan, PageDetails,
    Trigger, MAX_DETAILS_BYTES, MAX_FIELDS, MAX_STRING_CHARS,
};
use keyfill::matching::MatchSettings;
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_CARD, TYPE_LOGIN};
use serde_json::{json, Value};
use ActionKind::*;

const USER: &str = "alice@example.com";
const PASS: &str = "correct-horse-42";
const GEN: &str = "Gen3rated!Passw0rd#xyz";
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const CODE: &str = "287082";
const LOGIN_URL: &str = "https://example.com/login";

/// Page details JSON. Field keys a test leaves out get what the content script reports for a
/// plain visible, empty, enabled `<input>`; the result goes through the real parser.
fn page(text: &str) -> PageDetails {
    let mut v: Value = serde_json::from_str(text).unwrap();
    let defaults = json!({
        "form": null, "tag": "input", "type": "text", "name": "", "htmlId": "",
        "autocomplete": "", "placeholder": "", "label": "", "ariaLabel": "", "title": "",
        "maxLength": null, "minLength": null, "pattern": "", "inputMode": "", "hasValue": false,
        "visible": true, "disabled": false, "readOnly": false, "shadow": "none",
        "focused": false, "options": []
    });
    for field in v["fields"].as_array_mut().into_iter().flatten() {
        for (k, d) in defaults.as_object().unwrap() {
            if field.get(k).is_none() {
                field[k] = d.clone();
            }
        }
    }
    parse_page_details(&v.to_string()).unwrap()
}

/// The usual login form: username + password in form F posting to its own origin.
fn login_page() -> PageDetails {
    page(
        r#"{"fields": [
        {"opid": "u", "form": "F", "type": "text", "name": "username", "label": "Username"},
        {"opid": "p", "form": "F", "type": "password", "name": "password", "label": "Password"}],
        "forms": [{"opid": "F", "action": "https://example.com/login", "text": "Sign in"}],
        "pageText": "Sign in to Example"}"#,
    )
}

/// Username + password in form F posting to `action`.
fn action_page(action: &str) -> PageDetails {
    page(&format!(
        r#"{{"fields": [{{"opid": "u", "form": "F", "name": "username"}},
        {{"opid": "p", "form": "F", "type": "password"}}],
        "forms": [{{"opid": "F", "action": {}, "text": "Sign in"}}]}}"#,
        json!(action)
    ))
}

fn item(uris: &[&str], totp: Option<&str>) -> CipherView {
    let uris = uris.iter().map(|u| LoginUriView {
        uri: Some(u.to_string()),
        match_type: None,
    });
    CipherView {
        id: "item-1".into(),
        kind: TYPE_LOGIN,
        name: "Example".into(),
        login: Some(LoginView {
            uris: uris.collect(),
            username: Some(USER.into()),
            password: Some(PASS.into()),
            totp: totp.map(str::to_string),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

fn example() -> CipherView {
    item(&["https://example.com/login"], None)
}

fn otp_item(totp: &str) -> CipherView {
    item(&["https://example.com"], Some(totp))
}

/// A popup fill in the top frame; the origin is what `sender.origin` would say.
fn ctx(frame_url: &str) -> FillContext {
    let origin = frame_url
        .split_once("://")
        .map(|(s, r)| format!("{s}://{}", r.split('/').next().unwrap_or("")))
        .unwrap_or_default();
    FillContext {
        frame_url: frame_url.into(),
        frame_origin: origin,
        top_url: frame_url.into(),
        is_top: true,
        trigger: Trigger::Popup,
        confirmed: vec![],
        now: 59,
    }
}

fn in_frame(frame_url: &str, top: &str) -> FillContext {
    FillContext {
        is_top: false,
        top_url: top.into(),
        ..ctx(frame_url)
    }
}

fn on_load(frame_url: &str) -> FillContext {
    FillContext {
        trigger: Trigger::PageLoad,
        ..ctx(frame_url)
    }
}

fn confirmed(mut c: FillContext, reasons: &[&str]) -> FillContext {
    c.confirmed = reasons.iter().map(|r| r.to_string()).collect();
    c
}

fn plan(d: &PageDetails, c: &FillContext, it: &CipherView) -> FillPlan {
    plan_fill(d, c, it, &MatchSettings::default(), &mut || {
        Ok(GEN.to_string())
    })
}

type Filled = Vec<(String, String, ActionKind)>;

/// The actions as `(opid, value, kind)`, failing on anything but a fill.
fn fills(p: &FillPlan) -> Filled {
    match p {
        FillPlan::Fill { actions, .. } => actions
            .iter()
            .map(|a| (a.opid.clone(), a.value().to_string(), a.kind))
            .collect(),
        other => panic!("expected a fill, got {other:?}"),
    }
}

fn want(list: &[(&str, &str, ActionKind)]) -> Filled {
    let own = |(o, v, k): &(&str, &str, ActionKind)| (o.to_string(), v.to_string(), *k);
    list.iter().map(own).collect()
}

fn warnings(p: &FillPlan) -> Vec<String> {
    match p {
        FillPlan::Fill { warnings, .. } => warnings.clone(),
        other => panic!("expected a fill, got {other:?}"),
    }
}

fn refused(reason: &str) -> FillPlan {
    FillPlan::Refuse {
        reason: reason.into(),
    }
}

fn confirm(reason: &str, host: &str) -> FillPlan {
    FillPlan::Confirm {
        reason: reason.into(),
        host: host.into(),
    }
}

fn user_and_pass() -> Filled {
    want(&[("u", USER, Username), ("p", PASS, Password)])
}

/// Plans a popup fill of `example()` on LOGIN_URL.
fn popup(d: &PageDetails) -> FillPlan {
    plan(d, &ctx(LOGIN_URL), &example())
}

// ---- Login scenarios ----

#[test]
fn login_simple_form() {
    let p = popup(&login_page());
    assert_eq!(fills(&p), user_and_pass());
    assert!(warnings(&p).is_empty());
}

#[test]
fn login_the_content_scripts_exact_shape() {
    // The example of docs/extension.md, every key present, with its username field added.
    let text = r#"{"fields": [
      {"opid": "__kf2", "form": "__kfF1", "tag": "input", "type": "email", "name": "login",
       "htmlId": "email", "autocomplete": "username", "placeholder": "", "label": "E-mail",
       "ariaLabel": "", "title": "", "maxLength": null, "minLength": null, "pattern": "",
       "inputMode": "", "hasValue": false, "visible": true, "disabled": false,
       "readOnly": false, "shadow": "none", "focused": true, "options": []},
      {"opid": "__kf3", "form": "__kfF1", "tag": "input", "type": "password", "name": "pw",
       "htmlId": "password", "autocomplete": "current-password", "placeholder": "",
       "label": "Password", "ariaLabel": "", "title": "", "maxLength": null, "minLength": null,
       "pattern": "", "inputMode": "", "hasValue": false, "visible": true, "disabled": false,
       "readOnly": false, "shadow": "none", "focused": false, "options": []}],
      "forms": [{"opid": "__kfF1", "action": "https://example.com/login", "method": "post",
                 "htmlId": "", "name": "", "text": "Sign in  Forgot password?"}],
      "pageText": "Sign in to Example"}"#;
    let p = popup(&parse_page_details(text).unwrap());
    let expected = [("__kf2", USER, Username), ("__kf3", PASS, Password)];
    assert_eq!(fills(&p), want(&expected));
}

#[test]
fn login_full_autocomplete_attributes() {
    let d = page(
        r#"{"fields": [
        {"opid": "name", "form": "F", "autocomplete": "name", "label": "Full name"},
        {"opid": "u", "form": "F", "type": "email", "autocomplete": "section-a email"},
        {"opid": "org", "form": "F", "autocomplete": "organization"},
        {"opid": "p", "form": "F", "type": "password", "autocomplete": "current-password"}],
        "forms": [{"opid": "F", "action": "", "text": "Log in"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_autocomplete_off_still_fills_on_request() {
    let d = page(
        r#"{"fields": [
        {"opid": "u", "form": "F", "name": "user", "autocomplete": "off"},
        {"opid": "p", "form": "F", "type": "password", "autocomplete": "off"}],
        "forms": [{"opid": "F", "action": "/session", "text": "Sign in"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_formless_script_submit() {
    let d = page(
        r#"{"fields": [
        {"opid": "s", "type": "search", "name": "q"},
        {"opid": "x", "label": "Newsletter"},
        {"opid": "u", "placeholder": "Email or phone"},
        {"opid": "p", "type": "password", "placeholder": "Password"}],
        "pageText": "Welcome back"}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_ambiguous_unlabeled_inputs_take_the_one_before_the_password() {
    let d = page(
        r#"{"fields": [{"opid": "t1", "form": "F"}, {"opid": "u", "form": "F"},
        {"opid": "p", "form": "F", "type": "password"}], "forms": [{"opid": "F"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_form_revealed_later() {
    let before = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username", "visible": false},
        {"opid": "p", "form": "F", "type": "password", "visible": false}],
        "forms": [{"opid": "F", "text": "Sign in"}]}"#,
    );
    assert_eq!(popup(&before), refused("no_fields"));
    assert_eq!(fills(&popup(&login_page())), user_and_pass());
}

#[test]
fn login_same_origin_and_nested_matching_iframes() {
    let same = in_frame("https://example.com/embed/login", LOGIN_URL);
    assert_eq!(
        fills(&plan(&login_page(), &same, &example())),
        user_and_pass()
    );
    // A frame of the item's site nested inside another site's page: the frame itself matches.
    let nested = in_frame(
        "https://auth.example.com/frame",
        "https://portal.other.org/",
    );
    assert_eq!(
        fills(&plan(&login_page(), &nested, &example())),
        user_and_pass()
    );
}

#[test]
fn login_cross_origin_iframe_is_refused() {
    let c = in_frame("https://widgets.tracker.net/login", LOGIN_URL);
    assert_eq!(plan(&login_page(), &c, &example()), refused("frame_origin"));
    // No confirmation opens it either.
    let c = confirmed(c, &["unmatched", "insecure", "formAction"]);
    assert_eq!(plan(&login_page(), &c, &example()), refused("frame_origin"));
}

#[test]
fn login_sandboxed_and_opaque_frames_are_refused() {
    let mut sandboxed = in_frame(LOGIN_URL, LOGIN_URL);
    sandboxed.frame_origin = "null".into();
    assert_eq!(
        plan(&login_page(), &sandboxed, &example()),
        refused("opaque_origin")
    );
    for (url, origin) in [
        ("about:blank", "https://example.com"),
        ("data:text/html,<form>", "null"),
        ("blob:https://example.com/1-2", "https://example.com"),
        ("file:///home/a/login.html", "file://"),
        (LOGIN_URL, ""),
        (LOGIN_URL, "https://other.example.net"),
        ("not a url", "https://example.com"),
    ] {
        let mut c = ctx(LOGIN_URL);
        (c.frame_url, c.frame_origin) = (url.into(), origin.into());
        let p = plan(&login_page(), &c, &example());
        assert_eq!(p, refused("opaque_origin"), "{url}");
    }
}

#[test]
fn login_length_constraints() {
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "type": "email", "name": "email", "maxLength": 10},
        {"opid": "p", "form": "F", "type": "password", "maxLength": 64, "pattern": ".{8,}"}]}"#,
    );
    let p = popup(&d);
    assert_eq!(fills(&p), want(&[("p", PASS, Password)]));
    assert_eq!(warnings(&p), ["too_long"]);
    // A DOM maxLength of -1 means "no limit".
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "type": "email", "name": "email", "maxLength": -1},
        {"opid": "p", "form": "F", "type": "password", "maxLength": 16}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_honeypots_stay_empty() {
    let d = page(
        r#"{"fields": [
        {"opid": "hp1", "form": "F", "name": "email", "visible": false},
        {"opid": "u", "form": "F", "name": "login"},
        {"opid": "hp2", "form": "F", "name": "username", "visible": false},
        {"opid": "hp3", "form": "F", "type": "hidden", "name": "user"},
        {"opid": "p", "form": "F", "type": "password"},
        {"opid": "hp4", "form": "F", "type": "password", "name": "password2", "visible": false}],
        "forms": [{"opid": "F", "text": "Sign in"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_disabled_and_readonly_fields_stay_empty() {
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username", "readOnly": true},
        {"opid": "p", "form": "F", "type": "password"},
        {"opid": "p2", "form": "F", "type": "password", "disabled": true}]}"#,
    );
    assert_eq!(fills(&popup(&d)), want(&[("p", PASS, Password)]));
}

#[test]
fn login_open_and_closed_shadow_roots() {
    for shadow in ["open", "closed"] {
        let d = page(&format!(
            r#"{{"fields": [{{"opid": "u", "name": "username", "shadow": "{shadow}"}},
            {{"opid": "p", "type": "password", "shadow": "{shadow}"}}]}}"#
        ));
        assert_eq!(fills(&popup(&d)), user_and_pass());
    }
}

#[test]
fn login_in_dialog_or_popover_over_a_page_with_search() {
    // The page behind the modal has a search form; the dialog's form is the login.
    let d = page(
        r#"{"fields": [{"opid": "q", "form": "S", "type": "search", "name": "q"},
        {"opid": "u", "form": "D", "type": "email", "name": "email", "focused": true},
        {"opid": "p", "form": "D", "type": "password"}],
        "forms": [{"opid": "S", "action": "/search", "text": "Search"},
                  {"opid": "D", "text": "Log in"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_security_question_stays_empty() {
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username"},
        {"opid": "p", "form": "F", "type": "password"},
        {"opid": "q", "form": "F", "label": "Security question: first pet?"},
        {"opid": "a", "form": "F", "name": "answer"}],
        "forms": [{"opid": "F", "text": "Sign in"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn login_focused_form_wins_else_the_first() {
    let two = |focus_b: bool| {
        page(&format!(
            r#"{{"fields": [{{"opid": "ua", "form": "A", "name": "username"}},
            {{"opid": "pa", "form": "A", "type": "password"}},
            {{"opid": "ub", "form": "B", "name": "username", "focused": {focus_b}}},
            {{"opid": "pb", "form": "B", "type": "password"}}]}}"#
        ))
    };
    let p = popup(&two(false));
    assert_eq!(
        fills(&p),
        want(&[("ua", USER, Username), ("pa", PASS, Password)])
    );
    let p = popup(&two(true));
    assert_eq!(
        fills(&p),
        want(&[("ub", USER, Username), ("pb", PASS, Password)])
    );
}

// ---- Multi-step ----

#[test]
fn multi_step_username_then_password_on_the_same_page() {
    let step = |first: bool| {
        page(&format!(
            r#"{{"fields": [{{"opid": "u", "form": "F", "type": "email", "name": "identifier",
            "label": "Email", "visible": {first}, "hasValue": {}}},
            {{"opid": "p", "form": "F", "type": "password", "visible": {}}}],
            "forms": [{{"opid": "F", "text": "Sign in  Next"}}], "pageText": "Sign in"}}"#,
            !first, !first
        ))
    };
    assert_eq!(fills(&popup(&step(true))), want(&[("u", USER, Username)]));
    assert_eq!(fills(&popup(&step(false))), want(&[("p", PASS, Password)]));
}

#[test]
fn multi_step_password_after_navigation() {
    // The username sits in a hidden field for password managers; only the password shows.
    let d = page(
        r#"{"fields": [{"opid": "hu", "form": "F", "autocomplete": "username", "visible": false},
        {"opid": "p", "form": "F", "type": "password", "autocomplete": "current-password"}],
        "forms": [{"opid": "F", "action": "/challenge/pw", "text": "Welcome  Next"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), want(&[("p", PASS, Password)]));
}

#[test]
fn multi_step_email_first() {
    let d = page(
        r#"{"fields": [{"opid": "e", "form": "F", "type": "email", "autocomplete": "email"}],
        "forms": [{"opid": "F", "text": "Continue"}], "pageText": "Log in"}"#,
    );
    assert_eq!(fills(&popup(&d)), want(&[("e", USER, Username)]));
}

#[test]
fn multi_step_formless() {
    let d = page(
        r#"{"fields": [{"opid": "lang", "label": "Language"},
        {"opid": "u", "label": "Nom d'utilisateur"}], "pageText": "Connexion"}"#,
    );
    assert_eq!(fills(&popup(&d)), want(&[("u", USER, Username)]));
    // Without a username signal there is nothing to decide on.
    let d = page(r#"{"fields": [{"opid": "t"}], "pageText": "Connexion"}"#);
    assert_eq!(popup(&d), refused("no_fields"));
}

#[test]
fn multi_step_inside_a_matching_iframe() {
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username"}],
        "forms": [{"opid": "F", "text": "Next"}]}"#,
    );
    let c = in_frame(
        "https://login.example.com/step1",
        "https://www.example.com/",
    );
    assert_eq!(
        fills(&plan(&d, &c, &example())),
        want(&[("u", USER, Username)])
    );
}

/// Six one-character boxes; `extra` is added to each (`{i}` becomes the box number).
fn boxes(form: &str, extra: &str) -> String {
    let each = (0..6).map(|i| {
        let extra = extra.replace("{i}", &(i + 1).to_string());
        format!(r#"{{"opid": "d{i}", {form} "maxLength": 1, "inputMode": "numeric" {extra}}}"#)
    });
    each.collect::<Vec<_>>().join(",")
}

#[test]
fn multi_step_split_one_time_code() {
    let expect: Filled = CODE
        .chars()
        .enumerate()
        .map(|(i, c)| (format!("d{i}"), c.to_string(), Totp))
        .collect();
    // The first box carries autocomplete=one-time-code, as the HTML spec suggests.
    let d = page(&format!(
        r#"{{"fields": [{}, {{"opid": "trust", "form": "F", "type": "checkbox"}}],
        "forms": [{{"opid": "F", "text": "Verify"}}], "pageText": "Two-step verification"}}"#,
        boxes(r#""form": "F", "#, "").replacen(
            r#""inputMode": "numeric" "#,
            r#""inputMode": "numeric", "autocomplete": "one-time-code""#,
            1
        )
    ));
    assert_eq!(fills(&popup_item(&d, &otp_item(SECRET))), expect);
    // Formless boxes with only their labels to go on.
    let d = page(&format!(
        r#"{{"fields": [{}]}}"#,
        boxes("", r#", "type": "tel", "ariaLabel": "Digit {i}""#)
    ));
    assert_eq!(fills(&popup_item(&d, &otp_item(SECRET))), expect);
}

fn popup_item(d: &PageDetails, it: &CipherView) -> FillPlan {
    plan(d, &ctx(LOGIN_URL), it)
}

#[test]
fn multi_step_single_one_time_code_from_uri_and_base32() {
    let d = page(
        r#"{"fields": [{"opid": "c", "form": "F", "name": "otp", "autocomplete": "one-time-code"}],
        "forms": [{"opid": "F", "text": "Verify"}]}"#,
    );
    let uri = format!("otpauth://totp/Example:alice?secret={SECRET}&issuer=Example");
    for totp in [SECRET, "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", &uri] {
        let p = popup_item(&d, &otp_item(totp));
        assert_eq!(fills(&p), want(&[("c", CODE, Totp)]), "{totp}");
    }
    // No TOTP on the item (or an unreadable one): the code field is not ours to fill.
    assert_eq!(popup(&d), refused("no_fields"));
    assert_eq!(
        popup_item(&d, &otp_item("otpauth://totp/x")),
        refused("no_fields")
    );
}

#[test]
fn one_time_code_inside_a_login_form() {
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username"},
        {"opid": "p", "form": "F", "type": "password"},
        {"opid": "c", "form": "F", "autocomplete": "one-time-code", "maxLength": 6}]}"#,
    );
    let p = popup_item(&d, &otp_item(SECRET));
    let expected = [
        ("u", USER, Username),
        ("p", PASS, Password),
        ("c", CODE, Totp),
    ];
    assert_eq!(fills(&p), want(&expected));
    // A code that does not fit its field is left out.
    let d = page(r#"{"fields": [{"opid": "c", "autocomplete": "one-time-code", "maxLength": 4}]}"#);
    assert_eq!(popup_item(&d, &otp_item(SECRET)), refused("no_fields"));
}

// ---- Negatives ----

#[test]
fn negative_search_boxes() {
    for text in [
        r#"{"fields": [{"opid": "q", "form": "S", "type": "search", "name": "q"}],
            "forms": [{"opid": "S", "action": "/s"}]}"#,
        r#"{"fields": [{"opid": "q", "form": "S", "name": "q", "label": "Search users"}],
            "forms": [{"opid": "S", "action": "/s", "text": "Search"}]}"#,
        r#"{"fields": [{"opid": "q", "name": "s", "placeholder": "Rechercher un compte"}],
            "pageText": "Log in"}"#,
    ] {
        assert_eq!(popup(&page(text)), refused("no_fields"), "{text}");
    }
}

#[test]
fn negative_newsletter_email() {
    let d = page(
        r#"{"fields": [{"opid": "e", "form": "N", "type": "email", "name": "email",
        "placeholder": "Your e-mail"}], "forms": [{"opid": "N",
        "action": "https://lists.example.com/add", "text": "Our newsletter  Subscribe"}],
        "pageText": "Example blog"}"#,
    );
    assert_eq!(popup(&d), refused("no_fields"));
}

#[test]
fn negative_password_only_login_beside_a_newsletter_form() {
    let d = page(
        r#"{"fields": [{"opid": "e", "form": "N", "type": "email", "name": "email"},
        {"opid": "p", "form": "L", "type": "password", "name": "password"}],
        "forms": [{"opid": "N", "text": "Newsletter  Subscribe"},
                  {"opid": "L", "text": "Sign in"}]}"#,
    );
    assert_eq!(fills(&popup(&d)), want(&[("p", PASS, Password)]));
}

#[test]
fn negative_comment_form() {
    let d = page(
        r#"{"fields": [{"opid": "n", "form": "C", "name": "author", "label": "Name"},
        {"opid": "e", "form": "C", "type": "email", "name": "email", "label": "Email"},
        {"opid": "t", "form": "C", "tag": "textarea", "type": "textarea", "name": "comment"}],
        "forms": [{"opid": "C", "action": "/wp-comments-post.php",
                   "text": "Leave a Reply  Post Comment"}]}"#,
    );
    assert_eq!(popup(&d), refused("no_fields"));
    // Even untitled: the textarea gives it away.
    let d = page(
        r#"{"fields": [{"opid": "e", "form": "C", "type": "email", "name": "email"},
        {"opid": "t", "form": "C", "tag": "textarea", "type": ""}],
        "forms": [{"opid": "C", "text": "Send"}]}"#,
    );
    assert_eq!(popup(&d), refused("no_fields"));
}

// ---- Hostile ----

#[test]
fn hostile_transparent_form_or_body() {
    // The content script reports every field under an opacity < 0.7 ancestor as not visible.
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username", "visible": false},
        {"opid": "p", "form": "F", "type": "password", "visible": false}]}"#,
    );
    assert_eq!(popup(&d), refused("no_fields"));
}

#[test]
fn hostile_http_copy_of_an_https_site() {
    let http = "http://example.com/login";
    let p = plan(&login_page(), &ctx(http), &example());
    assert_eq!(p, confirm("insecure", "example.com"));
    let ok = confirmed(ctx(http), &["insecure"]);
    assert_eq!(
        fills(&plan(&login_page(), &ok, &example())),
        user_and_pass()
    );
    let p = plan(&login_page(), &on_load(http), &example());
    assert_eq!(p, refused("page_load_restricted"));
    // An item saved over http: no warning to give.
    let plain = item(&["http://example.com"], None);
    assert_eq!(
        fills(&plan(&login_page(), &ctx(http), &plain)),
        user_and_pass()
    );
}

#[test]
fn hostile_look_alike_domain() {
    let url = "https://examp1e.com/login";
    let d = action_page("");
    assert_eq!(
        plan(&d, &ctx(url), &example()),
        confirm("unmatched", "examp1e.com")
    );
    assert_eq!(
        plan(&d, &in_frame(url, url), &example()),
        refused("frame_origin")
    );
    assert_eq!(
        plan(&d, &on_load(url), &example()),
        refused("page_load_restricted")
    );
}

#[test]
fn hostile_shared_host_subdomain() {
    let victim = item(&["https://victim.github.io/"], None);
    let evil = "https://evil.github.io/login";
    let d = action_page("");
    assert_eq!(
        plan(&d, &ctx(evil), &victim),
        confirm("unmatched", "evil.github.io")
    );
    let framed = in_frame(evil, "https://victim.github.io/");
    assert_eq!(plan(&d, &framed, &victim), refused("frame_origin"));
    let real = ctx("https://victim.github.io/login");
    assert_eq!(fills(&plan(&d, &real, &victim)), user_and_pass());
}

#[test]
fn hostile_page_claims_are_ignored() {
    // A page (or a postMessage forger) may put any URL in its details: only the context counts.
    let d = page(
        r#"{"url": "https://example.com/login", "origin": "https://example.com",
        "frameUrl": "https://example.com/login", "isTop": true,
        "fields": [{"opid": "u", "name": "username", "value": "x"},
                   {"opid": "p", "type": "password", "frameOrigin": "https://example.com"}]}"#,
    );
    let evil = in_frame("https://evil.test/x", LOGIN_URL);
    assert_eq!(plan(&d, &evil, &example()), refused("frame_origin"));
}

#[test]
fn hostile_odd_json_types_read_as_defaults() {
    let text = r#"{"fields": [
        {"opid": "u", "form": 7, "type": ["password"], "name": {"a": 1}, "visible": 1,
         "maxLength": "nope", "label": null, "hasValue": "yes", "options": "x"},
        {"opid": "p", "form": null, "type": "password", "visible": "true", "maxLength": 1e300},
        {"opid": "x", "visible": true, "disabled": true, "type": "password"}],
      "forms": {"not": "a list"}, "pageText": 42, "extra": [1, 2, 3]}"#;
    let d = parse_page_details(text).unwrap();
    assert_eq!(d.fields.len(), 3);
    assert!(d.forms.is_empty() && d.page_text.is_empty());
    assert_eq!(
        (d.fields[0].form.as_deref(), d.fields[0].kind.as_str()),
        (None, "")
    );
    assert_eq!(d.fields[1].max_length, Some(u32::MAX));
    assert_eq!(fills(&popup(&d)), user_and_pass());
}

#[test]
fn hostile_huge_input_is_capped() {
    let long = "x".repeat(50_000);
    let mut fields = vec![json!({"opid": "f0", "form": long, "label": long})];
    fields.extend((1..MAX_FIELDS + 3000).map(|i| json!({"opid": format!("f{i}")})));
    let forms = json!([{"opid": "F", "action": long, "text": long}]);
    let text = json!({"fields": fields, "forms": forms, "pageText": long}).to_string();
    let d = parse_page_details(&text).unwrap();
    assert_eq!(d.fields.len(), MAX_FIELDS);
    assert_eq!(d.fields[0].label.chars().count(), MAX_STRING_CHARS);
    assert_eq!(
        d.fields[0].form.as_ref().map(|s| s.len()),
        Some(MAX_STRING_CHARS)
    );
    assert_eq!(d.page_text.len(), MAX_STRING_CHARS);
    assert_eq!(d.forms[0].text.len(), MAX_STRING_CHARS);
    // Multi-byte characters are cut on a character boundary.
    let d = parse_page_details(&json!({"pageText": "é".repeat(5000)}).to_string()).unwrap();
    assert_eq!(d.page_text.chars().count(), MAX_STRING_CHARS);
    // Planning over thousands of fields stays quick and finds nothing to fill here.
    let boxes: Vec<Value> = (0..MAX_FIELDS)
        .map(|i| json!({"opid": format!("f{i}"), "type": "checkbox", "visible": true}))
        .collect();
    let d = parse_page_details(&json!({ "fields": boxes }).to_string()).unwrap();
    assert_eq!(popup(&d), refused("no_fields"));
    let too_big = " ".repeat(MAX_DETAILS_BYTES + 1);
    assert_eq!(
        parse_page_details(&too_big).unwrap_err().code(),
        "malformed"
    );
}

#[test]
fn malformed_json_is_a_malformed_error_that_quotes_nothing() {
    for bad in [
        "",
        "{",
        "\"secret-value\"",
        r#"{"fields": [{"opid": "secret-value"}"#,
        r#"{"fields": ["secret-value"]}"#,
    ] {
        let e = parse_page_details(bad).unwrap_err();
        assert_eq!(e.code(), "malformed", "{bad}");
        assert!(!e.to_string().contains("secret"), "{e}");
    }
    let e = parse_context(r#"{"frameUrl": "secret-value", "isTop": "secret"}"#).unwrap_err();
    assert_eq!(e.code(), "malformed");
    assert!(!e.to_string().contains("secret"), "{e}");
}

// ---- Policy ----

#[test]
fn context_parses_from_the_worker_json() {
    let c = parse_context(
        r#"{"frameUrl": "https://example.com/login", "frameOrigin": "https://example.com",
            "topUrl": "https://example.com/login", "isTop": true, "trigger": "contextMenu",
            "confirmed": ["insecure"], "now": 1795000000}"#,
    )
    .unwrap();
    assert_eq!(c.trigger, Trigger::ContextMenu);
    assert!(c.is_top && c.confirmed == ["insecure"] && c.now == 1_795_000_000);
    // Unsaid trigger: the strictest rules apply.
    let c = parse_context(r#"{"frameUrl": "https://example.com/"}"#).unwrap();
    assert_eq!(c.trigger, Trigger::PageLoad);
    assert!(!c.is_top);
    for t in ["popup", "shortcut", "pageLoad"] {
        assert!(parse_context(&format!(r#"{{"trigger": "{t}"}}"#)).is_ok());
    }
    let e = parse_context(r#"{"trigger": "click"}"#).unwrap_err();
    assert_eq!(e.code(), "malformed");
}

#[test]
fn only_logins_are_planned() {
    let mut card = example();
    card.kind = TYPE_CARD;
    assert_eq!(popup_item(&login_page(), &card), refused("not_login"));
    let mut empty = example();
    empty.login = None;
    assert_eq!(popup_item(&login_page(), &empty), refused("not_login"));
}

#[test]
fn unmatched_top_frame_needs_confirmation() {
    let url = "https://other.org/signin";
    let d = action_page("/signin");
    assert_eq!(
        plan(&d, &ctx(url), &example()),
        confirm("unmatched", "other.org")
    );
    let ok = confirmed(ctx(url), &["unmatched"]);
    assert_eq!(fills(&plan(&d, &ok, &example())), user_and_pass());
    // The usual form posts to example.com: from other.org that is a foreign target too.
    let p = plan(&login_page(), &ok, &example());
    assert_eq!(p, confirm("formAction", "example.com"));
    // Ports are part of the host shown.
    let url = "https://other.org:8443/signin";
    assert_eq!(
        plan(&d, &ctx(url), &example()),
        confirm("unmatched", "other.org:8443")
    );
}

#[test]
fn uri_match_strategies_apply() {
    let mut exact = example();
    exact.login.as_mut().unwrap().uris[0].match_type = Some(3);
    assert_eq!(fills(&popup_item(&login_page(), &exact)), user_and_pass());
    let other_path = ctx("https://example.com/admin");
    let p = plan(&login_page(), &other_path, &exact);
    assert_eq!(p, confirm("unmatched", "example.com"));
    let mut never = example();
    never.login.as_mut().unwrap().uris[0].match_type = Some(5);
    let framed = in_frame(LOGIN_URL, LOGIN_URL);
    assert_eq!(
        plan(&login_page(), &framed, &never),
        refused("frame_origin")
    );
}

#[test]
fn form_action_to_another_origin_needs_confirmation() {
    for action in ["https://evil.test/collect", "//evil.test/collect"] {
        let d = action_page(action);
        assert_eq!(popup(&d), confirm("formAction", "evil.test"));
        let ok = confirmed(ctx(LOGIN_URL), &["formAction"]);
        assert_eq!(fills(&plan(&d, &ok, &example())), user_and_pass());
        let p = plan(&d, &on_load(LOGIN_URL), &example());
        assert_eq!(p, refused("page_load_restricted"));
        // A page-load request carrying confirmations is still refused: none can have been given.
        let c = confirmed(on_load(LOGIN_URL), &["formAction"]);
        assert_eq!(plan(&d, &c, &example()), refused("page_load_restricted"));
    }
    // Credentials posted in clear from an HTTPS page.
    let d = action_page("http://example.com/login");
    assert_eq!(popup(&d), confirm("formAction", "example.com"));
    let d = action_page("data:text/plain,x");
    assert!(matches!(popup(&d), FillPlan::Confirm { .. }));
}

#[test]
fn form_action_on_the_same_site_fills() {
    for action in [
        "",
        "/session",
        "login?next=/",
        "#",
        "javascript:void(0)",
        "JavaScript:submit()",
        "https://example.com/session",
        // Another host the item itself matches: where these credentials belong.
        "https://auth.example.com/session",
        // Unparsable: the browser would not submit at all.
        "http://[bad",
    ] {
        assert_eq!(
            fills(&popup(&action_page(action))),
            user_and_pass(),
            "{action}"
        );
    }
}

#[test]
fn confirmations_come_one_at_a_time() {
    let url = "http://other.org/signin";
    let d = action_page("https://evil.test/collect");
    let it = item(&["https://example.com"], None);
    assert_eq!(plan(&d, &ctx(url), &it), confirm("unmatched", "other.org"));
    let c = confirmed(ctx(url), &["unmatched"]);
    assert_eq!(plan(&d, &c, &it), confirm("insecure", "other.org"));
    let c = confirmed(ctx(url), &["unmatched", "insecure"]);
    assert_eq!(plan(&d, &c, &it), confirm("formAction", "evil.test"));
    let c = confirmed(ctx(url), &["unmatched", "insecure", "formAction"]);
    assert_eq!(fills(&plan(&d, &c, &it)), user_and_pass());
}

#[test]
fn page_load_fill_is_restricted() {
    // Allowed: top frame, HTTPS, matching item, visible empty fields.
    assert_eq!(
        fills(&plan(&login_page(), &on_load(LOGIN_URL), &example())),
        user_and_pass()
    );
    let restricted = |d: &PageDetails, c: &FillContext, it: &CipherView| {
        assert_eq!(plan(d, c, it), refused("page_load_restricted"));
    };
    let framed = FillContext {
        is_top: false,
        ..on_load(LOGIN_URL)
    };
    restricted(&login_page(), &framed, &example());
    let mut reprompt = example();
    reprompt.reprompt = 1;
    restricted(&login_page(), &on_load(LOGIN_URL), &reprompt);
    // The same item fills on a user gesture (the worker asks for the master password first).
    assert_eq!(
        fills(&popup_item(&login_page(), &reprompt)),
        user_and_pass()
    );
    let mut opted_out = example();
    opted_out.login.as_mut().unwrap().autofill_on_page_load = Some(false);
    restricted(&login_page(), &on_load(LOGIN_URL), &opted_out);
    let username_step = page(
        r#"{"fields": [{"opid": "u", "form": "F", "autocomplete": "username"}],
        "forms": [{"opid": "F", "text": "Next"}]}"#,
    );
    restricted(&username_step, &on_load(LOGIN_URL), &example());
}

#[test]
fn page_load_skips_typed_fields_and_codes() {
    let d = page(
        r#"{"fields": [{"opid": "u", "form": "F", "name": "username", "hasValue": true},
        {"opid": "p", "form": "F", "type": "password"},
        {"opid": "c", "form": "F", "autocomplete": "one-time-code"}]}"#,
    );
    let p = plan(&d, &on_load(LOGIN_URL), &otp_item(SECRET));
    assert_eq!(fills(&p), want(&[("p", PASS, Password)]));
    let code_only = page(r#"{"fields": [{"opid": "c", "autocomplete": "one-time-code"}]}"#);
    let p = plan(&code_only, &on_load(LOGIN_URL), &otp_item(SECRET));
    assert_eq!(p, refused("page_load_restricted"));
    let typed = page(r#"{"fields": [{"opid": "p", "type": "password", "hasValue": true}]}"#);
    let p = plan(&typed, &on_load(LOGIN_URL), &example());
    assert_eq!(p, refused("page_load_restricted"));
}

#[test]
fn new_password_gets_a_generated_password() {
    let d = page(
        r#"{"fields": [{"opid": "e", "form": "R", "type": "email", "autocomplete": "email"},
        {"opid": "n1", "form": "R", "type": "password", "autocomplete": "new-password"},
        {"opid": "n2", "form": "R", "type": "password", "name": "confirm_password"}],
        "forms": [{"opid": "R", "action": "/register", "text": "Create account"}]}"#,
    );
    let mut calls = 0;
    let settings = MatchSettings::default();
    let p = plan_fill(&d, &ctx(LOGIN_URL), &example(), &settings, &mut || {
        calls += 1;
        Ok(GEN.to_string())
    });
    assert_eq!(calls, 1);
    let expected = [
        ("e", USER, Username),
        ("n1", GEN, NewPassword),
        ("n2", GEN, NewPassword),
    ];
    assert_eq!(fills(&p), want(&expected));
    // Both autocomplete=new-password, one with a maxLength: the same shortened value in each.
    let d = page(
        r#"{"fields": [
        {"opid": "n1", "type": "password", "autocomplete": "new-password", "maxLength": 12},
        {"opid": "n2", "type": "password", "autocomplete": "new-password"}]}"#,
    );
    let cut = &GEN[..12];
    assert_eq!(
        fills(&popup(&d)),
        want(&[("n1", cut, NewPassword), ("n2", cut, NewPassword)])
    );
}

#[test]
fn generator_is_not_called_without_new_password_or_before_confirmation() {
    let mut calls = 0;
    let mut gen = || {
        calls += 1;
        Ok(GEN.to_string())
    };
    let settings = MatchSettings::default();
    plan_fill(
        &login_page(),
        &ctx(LOGIN_URL),
        &example(),
        &settings,
        &mut gen,
    );
    let d =
        page(r#"{"fields": [{"opid": "n", "type": "password", "autocomplete": "new-password"}]}"#);
    let p = plan_fill(
        &d,
        &ctx("https://other.org/"),
        &example(),
        &settings,
        &mut gen,
    );
    assert_eq!(p, confirm("unmatched", "other.org"));
    assert_eq!(calls, 0);
    // A failing generator leaves the new-password fields empty.
    let p = plan_fill(&d, &ctx(LOGIN_URL), &example(), &settings, &mut || {
        Err(keyfill::Error::Platform("no randomness".into()))
    });
    assert_eq!(p, refused("no_fields"));
}

#[test]
fn change_password_form() {
    let hinted = r#"{"fields": [
        {"opid": "hu", "form": "C", "autocomplete": "username", "visible": false},
        {"opid": "cur", "form": "C", "type": "password", "autocomplete": "current-password"},
        {"opid": "new", "form": "C", "type": "password", "autocomplete": "new-password"},
        {"opid": "rep", "form": "C", "type": "password", "autocomplete": "new-password"}],
        "forms": [{"opid": "C", "action": "/account/password", "text": "Change password"}]}"#;
    let unhinted = r#"{"fields": [{"opid": "cur", "form": "C", "type": "password"},
        {"opid": "new", "form": "C", "type": "password"},
        {"opid": "rep", "form": "C", "type": "password"}]}"#;
    let named = r#"{"fields": [{"opid": "cur", "form": "C", "type": "password", "name": "old"},
        {"opid": "new", "form": "C", "type": "password", "name": "pw1"},
        {"opid": "rep", "form": "C", "type": "password", "name": "pw2"}]}"#;
    let labelled = r#"{"fields": [
        {"opid": "cur", "form": "C", "type": "password", "label": "Mot de passe actuel"},
        {"opid": "new", "form": "C", "type": "password", "label": "Nouveau mot de passe"},
        {"opid": "rep", "form": "C", "type": "password", "label": "Confirmer"}]}"#;
    // AUTOFILL.md: current / new / confirm → fill current only (the save prompt offers the
    // update); new-password fields get a generated password on sign-up forms only.
    let expected = [("cur", PASS, Password)];
    for text in [hinted, unhinted, named, labelled] {
        assert_eq!(fills(&popup(&page(text))), want(&expected), "{text}");
    }
}

#[test]
fn actions_follow_document_order_and_serialise_as_documented() {
    // The password comes first in the document: the username is found after it by its token.
    let d = page(
        r#"{"fields": [{"opid": "p", "form": "F", "type": "password"},
        {"opid": "u", "form": "F", "autocomplete": "username"}]}"#,
    );
    let p = popup(&d);
    assert_eq!(
        fills(&p),
        want(&[("p", PASS, Password), ("u", USER, Username)])
    );
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"status": "fill", "actions": [
            {"opid": "p", "value": PASS, "kind": "password"},
            {"opid": "u", "value": USER, "kind": "username"}], "warnings": []})
    );
    let c = serde_json::to_value(confirm("formAction", "evil.test")).unwrap();
    assert_eq!(
        c,
        json!({"status": "confirm", "reason": "formAction", "host": "evil.test"})
    );
    let r = serde_json::to_value(refused("no_fields")).unwrap();
    assert_eq!(r, json!({"status": "refuse", "reason": "no_fields"}));
    let k = serde_json::to_value([Username, Password, NewPassword, Totp]).unwrap();
    assert_eq!(k, json!(["username", "password", "newPassword", "totp"]));
    // Debug output names fields, never values.
    let debug = format!("{p:?}");
    assert!(debug.contains("FillAction(p, Password)"), "{debug}");
    assert!(!debug.contains(PASS) && !debug.contains(USER), "{debug}");
}

#[test]
fn empty_credentials_fill_nothing() {
    let mut it = example();
    let login = it.login.as_mut().unwrap();
    login.username = Some(String::new());
    login.password = None;
    assert_eq!(popup_item(&login_page(), &it), refused("no_fields"));
    assert_eq!(popup(&PageDetails::default()), refused("no_fields"));
}

#[test]
fn performance_page_with_thousands_of_inputs() {
    // Thousands of text inputs, then the login form at the end; then thousands of password
    // inputs in one form, of which only current / new / confirm can be filled.
    let mut fields: Vec<Value> = (0..MAX_FIELDS - 2)
        .map(|i| {
            json!({"opid": format!("t{i}"), "form": format!("G{}", i % 50),
                        "type": "text", "visible": true, "name": "email"})
        })
        .collect();
    fields.push(json!({"opid": "u", "form": "F", "type": "text", "visible": true}));
    fields.push(json!({"opid": "p", "form": "F", "type": "password", "visible": true}));
    let d = parse_page_details(&json!({ "fields": fields }).to_string()).unwrap();
    assert_eq!(fills(&popup(&d)), user_and_pass());
    let many: Vec<Value> = (0..MAX_FIELDS)
        .map(|i| json!({"opid": format!("p{i}"), "form": "F", "type": "password", "visible": true}))
        .collect();
    let d = parse_page_details(&json!({ "fields": many }).to_string()).unwrap();
    assert_eq!(fills(&popup(&d)), want(&[("p0", PASS, Password)]));
}
