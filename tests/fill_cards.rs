//! Cards and identities in the planner: every field of a checkout or an address form gets the
//! value in the shape it asks for, and nothing else changes; the frame and http rules of
//! docs/autofill.md (4, 5) and the gesture rule (1) hold for them as for logins.

#[path = "support/fill.rs"]
mod support;

use keyfill::vault::records::{Card, Identity};
use keyfill::vault::view::TYPE_IDENTITY;
use support::*;

fn card() -> CipherView {
    CipherView {
        id: "card-1".into(),
        kind: TYPE_CARD,
        name: "Visa".into(),
        card: Some(Card {
            cardholder_name: Some("Ada Lovelace".into()),
            brand: Some("Visa".into()),
            number: Some("4111 1111 1111 1111".into()),
            exp_month: Some("3".into()),
            exp_year: Some("2027".into()),
            code: Some("123".into()),
        }),
        ..CipherView::default()
    }
}

fn identity() -> CipherView {
    CipherView {
        id: "id-1".into(),
        kind: TYPE_IDENTITY,
        name: "Home".into(),
        identity: Some(Identity {
            title: Some("Mrs".into()),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            email: Some("ada@example.org".into()),
            phone: Some("+33 1 23 45 67 89".into()),
            address1: Some("12 rue de la Paix".into()),
            address2: Some("Bâtiment B".into()),
            city: Some("Paris".into()),
            postal_code: Some("75002".into()),
            country: Some("FR".into()),
            company: Some("Analytical Engines".into()),
            ..Identity::default()
        }),
        ..CipherView::default()
    }
}

const SHOP: &str = "https://shop.example/checkout";

fn options(list: &[(&str, &str)]) -> Value {
    list.iter()
        .map(|(v, t)| json!({"value": v, "text": t}))
        .collect()
}

#[test]
fn a_card_form_with_one_expiry_field() {
    let d = page(
        r#"{"fields": [
        {"opid": "n", "form": "F", "name": "cardnumber", "autocomplete": "cc-number"},
        {"opid": "h", "form": "F", "name": "ccname", "label": "Name on card"},
        {"opid": "e", "form": "F", "name": "exp", "placeholder": "MM / YY"},
        {"opid": "c", "form": "F", "name": "cvc", "maxLength": 4},
        {"opid": "q", "form": "F", "name": "coupon", "label": "Promo code"}],
        "forms": [{"opid": "F", "action": "/pay"}]}"#,
    );
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &card())),
        want(&[
            ("n", "4111111111111111", Card),
            ("h", "Ada Lovelace", Card),
            ("e", "03 / 27", Card),
            ("c", "123", Card),
        ])
    );
}

#[test]
fn split_expiry_as_selects_of_names_and_two_digit_years() {
    let mut v: Value = json!({"fields": [
        {"opid": "n", "form": "F", "name": "card_number"},
        {"opid": "m", "form": "F", "tag": "select", "name": "exp_month"},
        {"opid": "y", "form": "F", "tag": "select", "name": "exp_year"},
        {"opid": "b", "form": "F", "tag": "select", "name": "card_type"}]});
    v["fields"][1]["options"] = options(&[("", "Month"), ("jan", "January"), ("mar", "March")]);
    v["fields"][2]["options"] = options(&[("", "Year"), ("26", "26"), ("27", "27")]);
    v["fields"][3]["options"] = options(&[("", "Type"), ("MC", "MasterCard"), ("VI", "Visa")]);
    let d = page(&v.to_string());
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &card())),
        want(&[
            ("n", "4111111111111111", Card),
            ("m", "mar", Card),
            ("y", "27", Card),
            ("b", "VI", Card),
        ])
    );
}

#[test]
fn a_french_card_form_with_month_and_year_inputs() {
    let d = page(
        r#"{"fields": [
        {"opid": "n", "name": "numero_carte", "label": "Numéro de carte"},
        {"opid": "m", "name": "mois", "placeholder": "MM", "maxLength": 2},
        {"opid": "a", "name": "annee", "placeholder": "AA", "maxLength": 2},
        {"opid": "c", "name": "cryptogramme"},
        {"opid": "t", "name": "titulaire"}]}"#,
    );
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &card())),
        want(&[
            ("n", "4111111111111111", Card),
            ("m", "03", Card),
            ("a", "27", Card),
            ("c", "123", Card),
            ("t", "Ada Lovelace", Card),
        ])
    );
}

#[test]
fn a_birth_date_is_not_an_expiry_and_hidden_fields_stay_empty() {
    let d = page(
        r#"{"fields": [
        {"opid": "n", "form": "F", "autocomplete": "cc-number"},
        {"opid": "hn", "form": "F", "name": "cc_number_honeypot", "visible": false},
        {"opid": "bm", "form": "G", "name": "birth_month"},
        {"opid": "m", "form": "G", "name": "month"}]}"#,
    );
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &card())),
        want(&[("n", "4111111111111111", Card)])
    );
}

#[test]
fn an_address_form_with_a_country_select() {
    let mut v: Value = json!({"fields": [
        {"opid": "fn", "form": "A", "autocomplete": "shipping given-name"},
        {"opid": "ln", "form": "A", "autocomplete": "shipping family-name"},
        {"opid": "a1", "form": "A", "name": "address1"},
        {"opid": "a2", "form": "A", "name": "address2"},
        {"opid": "zip", "form": "A", "name": "zip"},
        {"opid": "city", "form": "A", "name": "city"},
        {"opid": "co", "form": "A", "tag": "select", "name": "country"},
        {"opid": "em", "form": "A", "type": "email", "name": "email"},
        {"opid": "pw", "form": "A", "type": "password", "name": "password"}]});
    v["fields"][6]["options"] = options(&[
        ("", "Select"),
        ("DE", "Germany"),
        ("FR", "France"),
        ("US", "United States"),
    ]);
    let d = page(&v.to_string());
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &identity())),
        want(&[
            ("fn", "Ada", Identity),
            ("ln", "Lovelace", Identity),
            ("a1", "12 rue de la Paix", Identity),
            ("a2", "Bâtiment B", Identity),
            ("zip", "75002", Identity),
            ("city", "Paris", Identity),
            ("co", "FR", Identity),
            ("em", "ada@example.org", Identity),
        ])
    );
}

#[test]
fn a_french_address_form_with_nom_and_prenom_and_a_country_by_name() {
    let mut v: Value = json!({"fields": [
        {"opid": "civ", "form": "A", "tag": "select", "name": "civilite"},
        {"opid": "p", "form": "A", "name": "prenom", "label": "Prénom"},
        {"opid": "n", "form": "A", "name": "nom", "label": "Nom"},
        {"opid": "ad", "form": "A", "name": "adresse", "label": "Adresse"},
        {"opid": "cp", "form": "A", "name": "cp", "label": "Code postal"},
        {"opid": "v", "form": "A", "name": "ville", "label": "Ville"},
        {"opid": "pays", "form": "A", "name": "pays", "label": "Pays"},
        {"opid": "tel", "form": "A", "name": "telephone", "label": "Téléphone"}]});
    v["fields"][0]["options"] = options(&[("", "—"), ("m", "M."), ("mme", "Mme")]);
    let d = page(&v.to_string());
    assert_eq!(
        fills(&plan(
            &d,
            &ctx("https://boutique.example/livraison"),
            &identity()
        )),
        want(&[
            ("civ", "mme", Identity),
            ("p", "Ada", Identity),
            ("n", "Lovelace", Identity),
            ("ad", "12 rue de la Paix", Identity),
            ("cp", "75002", Identity),
            ("v", "Paris", Identity),
            ("pays", "FR", Identity),
            ("tel", "+33 1 23 45 67 89", Identity),
        ])
    );
}

#[test]
fn the_focused_form_wins_over_the_other_address() {
    let d = page(
        r#"{"fields": [
        {"opid": "b1", "form": "B", "name": "billing_city"},
        {"opid": "s1", "form": "S", "name": "shipping_city", "focused": true}]}"#,
    );
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &identity())),
        want(&[("s1", "Paris", Identity)])
    );
}

#[test]
fn a_payment_frame_of_another_origin_needs_the_user_to_confirm_its_host() {
    let d = page(r#"{"fields": [{"opid": "n", "autocomplete": "cc-number"}]}"#);
    let frame = in_frame("https://pay.provider.example/card", SHOP);
    assert_eq!(
        plan(&d, &frame, &card()),
        confirm("otherOriginFrame", "pay.provider.example")
    );
    let ok = confirmed(frame, &["otherOriginFrame"]);
    assert_eq!(
        fills(&plan(&d, &ok, &card())),
        want(&[("n", "4111111111111111", Card)])
    );
    // A frame of the page's own origin needs no confirmation.
    let same = in_frame("https://shop.example/frame", SHOP);
    assert_eq!(fills(&plan(&d, &same, &card())).len(), 1);
}

#[test]
fn over_http_asks_first_and_never_on_page_load() {
    let d = page(r#"{"fields": [{"opid": "n", "autocomplete": "cc-number"}]}"#);
    assert_eq!(
        plan(&d, &ctx("http://shop.example/pay"), &card()),
        confirm("insecure", "shop.example")
    );
    assert_eq!(
        plan(&d, &on_load(SHOP), &card()),
        refused("page_load_restricted")
    );
    let mut guarded = card();
    guarded.reprompt = 1;
    assert_eq!(plan(&d, &ctx(SHOP), &guarded), refused("reprompt_required"));
}

#[test]
fn no_card_fields_no_fill_and_values_too_long_are_left_out() {
    assert_eq!(
        plan(&login_page(), &ctx(SHOP), &card()),
        refused("no_fields")
    );
    let d = page(
        r#"{"fields": [{"opid": "n", "autocomplete": "cc-number", "maxLength": 12},
        {"opid": "c", "autocomplete": "cc-csc"}]}"#,
    );
    let p = plan(&d, &ctx(SHOP), &card());
    assert_eq!(fills(&p), want(&[("c", "123", Card)]));
    assert_eq!(warnings(&p), ["too_long"]);
}

#[test]
fn the_popup_offers_cards_and_identities_only_where_their_fields_are() {
    use keyfill::fill::{offers, Offers};
    let checkout = page(
        r#"{"fields": [{"opid": "n", "autocomplete": "cc-number"},
        {"opid": "a", "name": "address1"}, {"opid": "z", "name": "zip"}]}"#,
    );
    assert_eq!(
        offers(&checkout),
        Offers {
            cards: true,
            identities: true
        }
    );
    assert_eq!(offers(&login_page()), Offers::default());
    // A newsletter box is one e-mail field: no identity offered.
    let newsletter = page(r#"{"fields": [{"opid": "e", "type": "email", "name": "email"}]}"#);
    assert_eq!(offers(&newsletter), Offers::default());
    let hidden =
        page(r#"{"fields": [{"opid": "n", "autocomplete": "cc-number", "visible": false}]}"#);
    assert_eq!(offers(&hidden), Offers::default());
}

#[test]
fn custom_fields_fill_the_fields_they_name_and_linked_ones_follow_their_target() {
    use keyfill::vault::view::FieldView;
    let mut it = card();
    it.fields = vec![
        FieldView {
            name: Some("Loyalty number".into()),
            value: Some("L-778".into()),
            kind: 0,
            linked_id: None,
        },
        FieldView {
            name: Some("pin".into()),
            value: Some("4321".into()),
            kind: 1,
            linked_id: None,
        },
        FieldView {
            name: Some("owner".into()),
            value: None,
            kind: 3,
            linked_id: Some(300),
        },
        FieldView {
            name: Some("newsletter".into()),
            value: Some("true".into()),
            kind: 2,
            linked_id: None,
        },
    ];
    let d = page(
        r#"{"fields": [
        {"opid": "n", "autocomplete": "cc-number"},
        {"opid": "l", "name": "loyalty", "label": "Loyalty number"},
        {"opid": "p", "name": "PIN"},
        {"opid": "o", "htmlId": "owner"},
        {"opid": "x", "name": "newsletter"},
        {"opid": "h", "name": "pin2", "label": "pin", "visible": false}]}"#,
    );
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &it)),
        want(&[
            ("n", "4111111111111111", Card),
            ("l", "L-778", Custom),
            ("p", "4321", Custom),
            ("o", "Ada Lovelace", Custom),
        ])
    );
}

#[test]
fn a_logins_custom_fields_fill_the_fields_they_name_in_the_form_filled() {
    use keyfill::vault::view::FieldView;
    let mut it = example();
    it.fields = vec![
        FieldView {
            name: Some("Customer number".into()),
            value: Some("C-991".into()),
            kind: 0,
            linked_id: None,
        },
        FieldView {
            name: Some("pin".into()),
            value: Some("1234".into()),
            kind: 1,
            linked_id: None,
        },
    ];
    let d = page(
        r#"{"fields": [
        {"opid": "c", "form": "F", "name": "customer", "label": "Customer number"},
        {"opid": "u", "form": "F", "type": "text", "name": "username", "label": "Username"},
        {"opid": "p", "form": "F", "type": "password", "name": "password", "label": "Password"},
        {"opid": "o", "form": "G", "name": "pin"}],
        "forms": [{"opid": "F", "action": "https://example.com/login", "text": "Sign in"},
                  {"opid": "G", "action": "https://example.com/other", "text": "Other"}],
        "pageText": "Sign in to Example"}"#,
    );
    let got = fills(&plan(&d, &ctx(LOGIN_URL), &it));
    assert!(
        got.contains(&("c".into(), "C-991".into(), Custom)),
        "{got:?}"
    );
    assert!(
        got.contains(&("u".into(), USER.into(), Username)),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|(o, _, _)| o == "o"),
        "another form's field stays empty"
    );
    // Page load: the login only.
    let on_load = fills(&plan(&d, &on_load(LOGIN_URL), &it));
    assert!(!on_load.iter().any(|(_, _, k)| *k == Custom));
}

#[test]
fn an_identity_goes_into_the_address_form_not_the_newsletter_box_and_full_name_stays_whole() {
    let d = page(
        r#"{"fields": [
        {"opid": "n", "form": "A", "name": "fullname", "label": "Full name"},
        {"opid": "a", "form": "A", "name": "address_line1"},
        {"opid": "z", "form": "A", "name": "zip"},
        {"opid": "e", "form": "N", "type": "email", "name": "news_email"}]}"#,
    );
    assert_eq!(
        fills(&plan(&d, &ctx(SHOP), &identity())),
        want(&[
            ("n", "Ada Lovelace", Identity),
            ("a", "12 rue de la Paix", Identity),
            ("z", "75002", Identity),
        ])
    );
}
