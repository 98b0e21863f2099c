//! The fill planner against the docs/autofill.md Login, Multi-step and Negatives scenarios. Page
//! details are JSON as the content script reports them (docs/extension.md "Page details"); every
//! test states exactly which opids get which values, so anything else filled fails it.

#[path = "support/fill.rs"]
mod fill;

use fill::*;
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

#[test]
fn the_form_nearest_the_focus_wins_else_the_visible_sign_in() {
    // A sign-up, a search box, then a sign-in: the focus decides among candidate forms, and a
    // focused field outside any (the search box) picks the one nearest it.
    let d = |focus: &str| {
        page(&format!(
            r#"{{"fields": [
            {{"opid": "re", "form": "R", "type": "email", "name": "email", "focused": {}}},
            {{"opid": "rp", "form": "R", "type": "password", "autocomplete": "new-password"}},
            {{"opid": "rc", "form": "R", "type": "password", "name": "confirm"}},
            {{"opid": "q", "form": "S", "type": "search", "name": "q", "focused": {}}},
            {{"opid": "u", "form": "L", "name": "username", "focused": {}}},
            {{"opid": "p", "form": "L", "type": "password"}}],
            "forms": [{{"opid": "R", "buttons": ["Create account"]}},
                      {{"opid": "S", "buttons": ["Search"]}},
                      {{"opid": "L", "buttons": ["Sign in"]}}]}}"#,
            focus == "re",
            focus == "q",
            focus == "u"
        ))
    };
    // Focus in the sign-up (pages autofocus their first field, often the sign-up's): the stored
    // login still goes to the sign-in beside it, never into the sign-up.
    for focus in ["", "q", "u", "re"] {
        assert_eq!(
            fills(&popup(&d(focus))),
            user_and_pass(),
            "focus on {focus:?}"
        );
    }
    // Two sign-ins: the focused one, else the nearest to the focus, else the first.
    let two = |focus: usize| {
        page(&format!(
            r#"{{"fields": [
            {{"opid": "ua", "form": "A", "name": "username"}},
            {{"opid": "pa", "form": "A", "type": "password"}},
            {{"opid": "ub", "form": "B", "name": "username"}},
            {{"opid": "pb", "form": "B", "type": "password", "focused": {}}},
            {{"opid": "x", "name": "note", "focused": {}}}]}}"#,
            focus == 2,
            focus == 1
        ))
    };
    let b = want(&[("ub", USER, Username), ("pb", PASS, Password)]);
    let a = want(&[("ua", USER, Username), ("pa", PASS, Password)]);
    assert_eq!(fills(&popup(&two(2))), b);
    assert_eq!(fills(&popup(&two(0))), a);
    assert_eq!(
        fills(&popup(&two(1))),
        b,
        "the note field comes right after form B"
    );
}
