//! The fill planner's policy (docs/autofill.md rules 1–8, 10): hostile pages, origins, prompts,
//! page-load restrictions, limits on hostile input, and the plan's JSON shape.

#[path = "support/fill.rs"]
mod fill;

use fill::*;
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
        d.fields[0].form.as_ref().map(String::len),
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

/// Username + password in form F posting home, whose submit buttons post to `buttons`
/// (`formaction`, as the content script reports them in `submitActions`).
fn submit_action_page(buttons: serde_json::Value) -> PageDetails {
    page(&format!(
        r#"{{"fields": [{{"opid": "u", "form": "F", "name": "username"}},
        {{"opid": "p", "form": "F", "type": "password"}}],
        "forms": [{{"opid": "F", "action": "https://example.com/login", "submitActions": {buttons},
        "text": "Sign in"}}]}}"#
    ))
}

#[test]
fn a_submit_button_posting_elsewhere_counts_as_the_forms_target() {
    // The form's own action is home; the button the user presses sends it to evil.test.
    for buttons in [
        serde_json::json!(["https://evil.test/collect"]),
        serde_json::json!(["https://example.com/alt", "https://evil.test/collect"]),
    ] {
        let d = submit_action_page(buttons);
        assert_eq!(popup(&d), confirm("formAction", "evil.test"));
        let ok = confirmed(ctx(LOGIN_URL), &["formAction"]);
        assert_eq!(fills(&plan(&d, &ok, &example())), user_and_pass());
        let p = plan(&d, &on_load(LOGIN_URL), &example());
        assert_eq!(p, refused("page_load_restricted"));
    }
    // Buttons posting home, to a host the item matches, or by script: nothing to warn about;
    // odd entries read as nothing.
    let d = submit_action_page(serde_json::json!([
        "https://example.com/alt",
        "https://auth.example.com/session",
        "javascript:void(0)",
        "",
        7,
        {"url": "https://evil.test/"},
        null
    ]));
    assert_eq!(fills(&popup(&d)), user_and_pass());
    let d = submit_action_page(serde_json::json!("https://evil.test/collect"));
    assert_eq!(fills(&popup(&d)), user_and_pass());
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
fn reprompt_items_fill_only_after_the_master_password() {
    let mut reprompt = example();
    reprompt.reprompt = 1;
    // The popup asks for the master password and says so in the context; nothing else can ask.
    assert_eq!(
        popup_item(&login_page(), &reprompt),
        refused("reprompt_required")
    );
    for trigger in [Trigger::Shortcut, Trigger::ContextMenu] {
        let c = FillContext {
            trigger,
            ..ctx(LOGIN_URL)
        };
        assert_eq!(plan(&login_page(), &c, &reprompt), refused("reprompt"));
        // A gesture never carries the proof, even if the context claimed one.
        let claimed = FillContext {
            reprompted: true,
            ..c
        };
        assert_eq!(
            plan(&login_page(), &claimed, &reprompt),
            refused("reprompt")
        );
    }
    let proved = FillContext {
        reprompted: true,
        ..ctx(LOGIN_URL)
    };
    assert_eq!(
        fills(&plan(&login_page(), &proved, &reprompt)),
        user_and_pass()
    );
    // Items without the setting need nothing.
    assert_eq!(
        fills(&popup_item(&login_page(), &example())),
        user_and_pass()
    );
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
fn new_password_gets_a_generated_password_only_when_asked() {
    let d = page(
        r#"{"fields": [{"opid": "e", "form": "R", "type": "email", "autocomplete": "email"},
        {"opid": "n1", "form": "R", "type": "password", "autocomplete": "new-password"},
        {"opid": "n2", "form": "R", "type": "password", "name": "confirm_password"}],
        "forms": [{"opid": "R", "action": "/register", "text": "Create account"}]}"#,
    );
    let mut calls = 0;
    let settings = MatchSettings::default();
    // A sign-up form gets nothing from the stored login.
    let p = plan_fill(&d, &ctx(LOGIN_URL), &example(), &settings, &mut || {
        calls += 1;
        Ok(GEN.to_string())
    });
    assert_eq!(p, refused("sign_up_form"));
    assert_eq!(calls, 0);
    // Asked for: one generated password in both fields, and still not the stored username.
    let p = plan_fill(
        &d,
        &generating(LOGIN_URL),
        &example(),
        &settings,
        &mut || {
            calls += 1;
            Ok(GEN.to_string())
        },
    );
    assert_eq!(calls, 1);
    let expected = [("n1", GEN, NewPassword), ("n2", GEN, NewPassword)];
    assert_eq!(fills(&p), want(&expected));
    // Both autocomplete=new-password, one with a maxLength: the same shortened value in each.
    let d = page(
        r#"{"fields": [
        {"opid": "n1", "type": "password", "autocomplete": "new-password", "maxLength": 12},
        {"opid": "n2", "type": "password", "autocomplete": "new-password"}]}"#,
    );
    let cut = &GEN[..12];
    let p = plan(&d, &generating(LOGIN_URL), &example());
    assert_eq!(
        fills(&p),
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
        &generating(LOGIN_URL),
        &example(),
        &settings,
        &mut gen,
    );
    let d =
        page(r#"{"fields": [{"opid": "n", "type": "password", "autocomplete": "new-password"}]}"#);
    let p = plan_fill(
        &d,
        &generating("https://other.org/"),
        &example(),
        &settings,
        &mut gen,
    );
    assert_eq!(p, confirm("unmatched", "other.org"));
    assert_eq!(calls, 0);
    // A failing generator leaves the new-password fields empty.
    let p = plan_fill(
        &d,
        &generating(LOGIN_URL),
        &example(),
        &settings,
        &mut || Err(keyfill::Error::Platform("no randomness".into())),
    );
    assert_eq!(p, refused("no_fields"));
    // Not asked for, a lone new-password field beside a stored login is a sign-in's password.
    assert_eq!(fills(&popup(&d)), want(&[("n", PASS, Password)]));
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
    // docs/autofill.md: current / new / confirm → fill current only (the save prompt offers the
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

#[test]
fn a_generated_password_without_a_stored_login() {
    use keyfill::fill::plan_generated;
    let signup = |focus: &str| {
        page(&format!(
            r#"{{"fields": [
            {{"opid": "u", "form": "R", "name": "username", "focused": {}}},
            {{"opid": "n", "form": "R", "type": "password", "autocomplete": "new-password",
              "focused": {}}},
            {{"opid": "c", "form": "R", "type": "password", "name": "confirm_password"}}],
            "forms": [{{"opid": "R", "action": "/register", "buttons": ["Sign up"]}}]}}"#,
            focus == "u",
            focus == "n"
        ))
    };
    let settings = MatchSettings::default();
    let mut calls = 0;
    let mut go = |d: &PageDetails, c: &FillContext| {
        plan_generated(d, c, &settings, &mut || {
            calls += 1;
            Ok(GEN.to_string())
        })
    };
    let both = want(&[("n", GEN, NewPassword), ("c", GEN, NewPassword)]);
    // The popup's "Fill generated password": the sign-up's new and confirm fields, nothing else.
    assert_eq!(fills(&go(&signup(""), &ctx(LOGIN_URL))), both);
    // The shortcut only on a field that asks for a new password.
    let shortcut = FillContext {
        trigger: Trigger::Shortcut,
        ..ctx(LOGIN_URL)
    };
    assert_eq!(go(&signup(""), &shortcut), refused("no_fields"));
    assert_eq!(go(&signup("u"), &shortcut), refused("no_fields"));
    assert_eq!(fills(&go(&signup("n"), &shortcut)), both);
    // Never on page load, in a frame of another origin, or a sandboxed one.
    assert_eq!(
        go(&signup(""), &on_load(LOGIN_URL)),
        refused("page_load_restricted")
    );
    let framed = in_frame("https://ads.example.net/x", LOGIN_URL);
    assert_eq!(go(&signup(""), &framed), refused("frame_origin"));
    let same = in_frame("https://example.com/frame", LOGIN_URL);
    assert_eq!(fills(&go(&signup(""), &same)), both);
    // A form posting elsewhere asks first; a page with no new-password field gets nothing.
    let foreign = page(
        r#"{"fields": [{"opid": "n", "form": "R", "type": "password", "autocomplete": "new-password"},
        {"opid": "c", "form": "R", "type": "password", "name": "confirm"}],
        "forms": [{"opid": "R", "action": "https://evil.test/register"}]}"#,
    );
    assert_eq!(
        go(&foreign, &ctx(LOGIN_URL)),
        confirm("formAction", "evil.test")
    );
    let search = page(r#"{"fields": [{"opid": "q", "type": "search", "name": "q"}]}"#);
    assert_eq!(go(&search, &ctx(LOGIN_URL)), refused("no_fields"));
    // Made only for the three fills above, never before a refusal or a question.
    assert_eq!(calls, 3);
}
