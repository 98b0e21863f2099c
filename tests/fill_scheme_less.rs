//! A URI saved without a scheme (`example.com`) means the HTTPS site (docs/autofill.md rule 5):
//! filling it into an `http:` page needs the `insecure` confirmation like any HTTPS item.

use keyfill::fill::{parse_context, parse_page_details, plan_fill, FillContext, FillPlan};
use keyfill::matching::MatchSettings;
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};
use serde_json::json;

fn login_page() -> keyfill::fill::PageDetails {
    let field = |opid: &str, kind: &str, name: &str| {
        json!({"opid": opid, "form": "F", "tag": "input", "type": kind, "name": name,
            "htmlId": "", "autocomplete": "", "placeholder": "", "label": name, "ariaLabel": "",
            "title": "", "hasValue": false, "visible": true, "disabled": false,
            "readOnly": false, "shadow": "none", "focused": false, "options": []})
    };
    let d = json!({
        "fields": [field("u", "text", "username"), field("p", "password", "password")],
        "forms": [{"opid": "F", "action": "", "method": "post", "htmlId": "", "name": "",
            "text": "Sign in"}],
        "pageText": "Sign in to Example",
    });
    parse_page_details(&d.to_string()).unwrap()
}

fn ctx(url: &str, confirmed: &[&str]) -> FillContext {
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    let c = json!({"frameUrl": url, "frameOrigin": origin, "topUrl": url, "isTop": true,
        "trigger": "popup", "confirmed": confirmed, "now": 59});
    parse_context(&c.to_string()).unwrap()
}

fn item(uris: &[&str]) -> CipherView {
    CipherView {
        id: "item-1".into(),
        kind: TYPE_LOGIN,
        name: "Example".into(),
        login: Some(LoginView {
            uris: uris
                .iter()
                .map(|u| LoginUriView {
                    uri: Some(u.to_string()),
                    match_type: None,
                })
                .collect(),
            username: Some("alice@example.com".into()),
            password: Some("correct-horse-42".into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

fn plan(c: &FillContext, it: &CipherView) -> FillPlan {
    plan_fill(&login_page(), c, it, &MatchSettings::default(), &mut || {
        Ok(String::new())
    })
}

fn is_fill(p: &FillPlan) -> bool {
    matches!(p, FillPlan::Fill { actions, .. } if actions.len() == 2)
}

#[test]
fn scheme_less_uri_needs_the_insecure_confirmation_on_http() {
    let http = "http://example.com/login";
    for saved in [
        "example.com",
        "example.com/login",
        " www.example.com ",
        "EXAMPLE.com:443",
    ] {
        let it = item(&[saved]);
        assert_eq!(
            plan(&ctx(http, &[]), &it),
            FillPlan::Confirm {
                reason: "insecure".into(),
                host: "example.com".into()
            },
            "{saved}"
        );
        assert!(is_fill(&plan(&ctx(http, &["insecure"]), &it)), "{saved}");
        // Over HTTPS it fills as before.
        assert!(is_fill(&plan(&ctx("https://example.com/login", &[]), &it)));
    }
    // An item saved with `http://` belongs to the http: page: nothing to confirm.
    let plain = item(&["http://example.com", "androidapp://com.example"]);
    assert!(is_fill(&plan(&ctx(http, &[]), &plain)));
}
