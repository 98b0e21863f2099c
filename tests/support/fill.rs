//! Helpers for the fill-planner tests: page details as the content script reports them, items,
//! contexts, and the plan as `(opid, value, kind)` lists.
//!
//! TOTP vector: RFC 6238 Appendix B, SHA-1 secret "12345678901234567890" (base32
//! GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ) at T = 59 s gives 94287082, whose 6-digit code is 287082.

#![allow(dead_code, unused_imports)]

pub use keyfill::fill::{
    parse_context, parse_page_details, plan_fill, ActionKind, FillContext, FillPlan, PageDetails,
    Trigger, MAX_DETAILS_BYTES, MAX_FIELDS, MAX_STRING_CHARS,
};
pub use keyfill::matching::MatchSettings;
pub use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_CARD, TYPE_LOGIN};
pub use serde_json::{json, Value};
pub use ActionKind::*;

pub const USER: &str = "alice@example.com";
pub const PASS: &str = "correct-horse-42";
pub const GEN: &str = "Gen3rated!Passw0rd#xyz";
pub const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
pub const CODE: &str = "287082";
pub const LOGIN_URL: &str = "https://example.com/login";

/// Page details JSON. Field keys a test leaves out get what the content script reports for a
/// plain visible, empty, enabled `<input>`; the result goes through the real parser.
pub fn page(text: &str) -> PageDetails {
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
pub fn login_page() -> PageDetails {
    page(
        r#"{"fields": [
        {"opid": "u", "form": "F", "type": "text", "name": "username", "label": "Username"},
        {"opid": "p", "form": "F", "type": "password", "name": "password", "label": "Password"}],
        "forms": [{"opid": "F", "action": "https://example.com/login", "text": "Sign in"}],
        "pageText": "Sign in to Example"}"#,
    )
}

/// Username + password in form F posting to `action`.
pub fn action_page(action: &str) -> PageDetails {
    page(&format!(
        r#"{{"fields": [{{"opid": "u", "form": "F", "name": "username"}},
        {{"opid": "p", "form": "F", "type": "password"}}],
        "forms": [{{"opid": "F", "action": {}, "text": "Sign in"}}]}}"#,
        json!(action)
    ))
}

pub fn item(uris: &[&str], totp: Option<&str>) -> CipherView {
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

pub fn example() -> CipherView {
    item(&["https://example.com/login"], None)
}

pub fn otp_item(totp: &str) -> CipherView {
    item(&["https://example.com"], Some(totp))
}

/// A popup fill in the top frame; the origin is what `sender.origin` would say.
pub fn ctx(frame_url: &str) -> FillContext {
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
        reprompted: false,
        now: 59,
        generate: false,
    }
}

pub fn in_frame(frame_url: &str, top: &str) -> FillContext {
    FillContext {
        is_top: false,
        top_url: top.into(),
        ..ctx(frame_url)
    }
}

/// A popup fill where the user asked for a generated password.
pub fn generating(frame_url: &str) -> FillContext {
    FillContext {
        generate: true,
        ..ctx(frame_url)
    }
}

pub fn on_load(frame_url: &str) -> FillContext {
    FillContext {
        trigger: Trigger::PageLoad,
        ..ctx(frame_url)
    }
}

pub fn confirmed(mut c: FillContext, reasons: &[&str]) -> FillContext {
    c.confirmed = reasons.iter().map(ToString::to_string).collect();
    c
}

pub fn plan(d: &PageDetails, c: &FillContext, it: &CipherView) -> FillPlan {
    plan_fill(d, c, it, &MatchSettings::default(), &mut || {
        Ok(GEN.to_string())
    })
}

pub type Filled = Vec<(String, String, ActionKind)>;

/// The actions as `(opid, value, kind)`, failing on anything but a fill.
pub fn fills(p: &FillPlan) -> Filled {
    match p {
        FillPlan::Fill { actions, .. } => actions
            .iter()
            .map(|a| (a.opid.clone(), a.value().to_string(), a.kind))
            .collect(),
        other => panic!("expected a fill, got {other:?}"),
    }
}

pub fn want(list: &[(&str, &str, ActionKind)]) -> Filled {
    let own = |(o, v, k): &(&str, &str, ActionKind)| (o.to_string(), v.to_string(), *k);
    list.iter().map(own).collect()
}

pub fn warnings(p: &FillPlan) -> Vec<String> {
    match p {
        FillPlan::Fill { warnings, .. } => warnings.clone(),
        other => panic!("expected a fill, got {other:?}"),
    }
}

pub fn refused(reason: &str) -> FillPlan {
    FillPlan::Refuse {
        reason: reason.into(),
    }
}

pub fn confirm(reason: &str, host: &str) -> FillPlan {
    FillPlan::Confirm {
        reason: reason.into(),
        host: host.into(),
    }
}

pub fn user_and_pass() -> Filled {
    want(&[("u", USER, Username), ("p", PASS, Password)])
}

/// Plans a popup fill of `example()` on LOGIN_URL.
pub fn popup(d: &PageDetails) -> FillPlan {
    plan(d, &ctx(LOGIN_URL), &example())
}

/// Plans a popup fill of `it` on LOGIN_URL.
pub fn popup_item(d: &PageDetails, it: &CipherView) -> FillPlan {
    plan(d, &ctx(LOGIN_URL), it)
}
