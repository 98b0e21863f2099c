//! The inline menu's decision (keyfill::inline_menu): which fields get the icon and what the menu
//! offers there; nothing on search, newsletter and contact forms, nor on hidden fields; and the
//! icon's answer does not move with what the vault holds.

#[path = "support/fill.rs"]
mod fill_support;

use fill_support::{login_page, page};
use keyfill::fill::PageDetails;
use keyfill::inline_menu::{menu_field, MenuField, MenuKind};

fn sign_up_page() -> PageDetails {
    page(
        r#"{"fields": [
        {"opid": "e", "form": "R", "type": "email", "name": "email", "label": "E-mail", "autocomplete": "email"},
        {"opid": "n", "form": "R", "type": "password", "name": "password", "label": "Choose a password", "autocomplete": "new-password"},
        {"opid": "c", "form": "R", "type": "password", "name": "confirm", "label": "Confirm password", "autocomplete": "new-password"}],
        "forms": [{"opid": "R", "action": "https://example.com/register", "text": "Create your account Sign up"}],
        "pageText": "Create an account"}"#,
    )
}

const LOGIN: MenuField = MenuField {
    kind: MenuKind::Login,
    generate: false,
    logins: true,
};

#[test]
fn sign_in_fields_list_the_logins() {
    let p = login_page();
    assert_eq!(menu_field(&p, "u", false), Some(LOGIN));
    assert_eq!(menu_field(&p, "p", false), Some(LOGIN));
    assert_eq!(menu_field(&p, "p", true), Some(LOGIN));
}

#[test]
fn sign_up_fields_offer_a_generated_password() {
    let p = sign_up_page();
    let new = MenuField {
        kind: MenuKind::Login,
        generate: true,
        logins: false,
    };
    assert_eq!(menu_field(&p, "n", false), Some(new));
    assert_eq!(menu_field(&p, "c", false), Some(new));
}

#[test]
fn negatives_get_no_icon() {
    let search = page(
        r#"{"fields": [{"opid": "q", "form": "S", "type": "search", "name": "q", "placeholder": "Search"}],
        "forms": [{"opid": "S", "action": "https://example.com/search", "text": "Search"}]}"#,
    );
    assert_eq!(menu_field(&search, "q", false), None);
    let newsletter = page(
        r#"{"fields": [{"opid": "m", "form": "N", "type": "email", "name": "newsletter_email", "placeholder": "Your e-mail"}],
        "forms": [{"opid": "N", "action": "https://example.com/newsletter", "text": "Subscribe to our newsletter"}]}"#,
    );
    assert_eq!(menu_field(&newsletter, "m", false), None);
    let comment = page(
        r#"{"fields": [
        {"opid": "a", "form": "C", "name": "author", "label": "Name"},
        {"opid": "b", "form": "C", "type": "email", "name": "email", "label": "Email"},
        {"opid": "t", "form": "C", "tag": "textarea", "type": "textarea", "name": "comment", "label": "Comment"}],
        "forms": [{"opid": "C", "action": "https://example.com/wp-comments-post.php", "text": "Leave a reply Post comment"}]}"#,
    );
    for opid in ["a", "b", "t"] {
        assert_eq!(menu_field(&comment, opid, false), None, "{opid}");
    }
}

#[test]
fn hidden_disabled_and_unknown_fields_get_no_icon() {
    let p = page(
        r#"{"fields": [
        {"opid": "u", "form": "F", "name": "username", "label": "Username", "visible": false},
        {"opid": "p", "form": "F", "type": "password", "name": "password", "disabled": true}],
        "forms": [{"opid": "F", "action": "https://example.com/login", "text": "Sign in"}]}"#,
    );
    assert_eq!(menu_field(&p, "u", false), None);
    assert_eq!(menu_field(&p, "p", false), None);
    assert_eq!(menu_field(&login_page(), "nope", false), None);
}

#[test]
fn card_and_address_fields_get_their_menus() {
    let p = page(
        r#"{"fields": [
        {"opid": "num", "form": "P", "name": "cardnumber", "autocomplete": "cc-number", "label": "Card number"},
        {"opid": "exp", "form": "P", "name": "exp", "autocomplete": "cc-exp", "label": "Expiry"},
        {"opid": "street", "form": "A", "name": "address1", "autocomplete": "address-line1", "label": "Address"},
        {"opid": "city", "form": "A", "name": "city", "autocomplete": "address-level2", "label": "City"},
        {"opid": "zip", "form": "A", "name": "zip", "autocomplete": "postal-code", "label": "Postal code"}],
        "forms": [{"opid": "P", "action": "https://shop.example/pay", "text": "Pay now"},
                  {"opid": "A", "action": "https://shop.example/address", "text": "Shipping address Continue"}]}"#,
    );
    assert_eq!(
        menu_field(&p, "num", false).map(|m| m.kind),
        Some(MenuKind::Card)
    );
    assert_eq!(
        menu_field(&p, "street", false).map(|m| m.kind),
        Some(MenuKind::Identity)
    );
}

#[test]
fn a_fill_from_the_menu_is_a_gesture_for_logins_and_never_for_cards() {
    use fill_support::{ctx, fills, item, plan, refused, FillContext, Trigger, PASS, USER};
    use keyfill::vault::records::Card;
    use keyfill::vault::view::{CipherView, TYPE_CARD};
    let menu = FillContext {
        trigger: Trigger::Menu,
        ..ctx("https://example.com/login")
    };
    let login = item(&["https://example.com"], None);
    let values: Vec<String> = fills(&plan(&login_page(), &menu, &login))
        .into_iter()
        .map(|(_, v, _)| v)
        .collect();
    assert_eq!(values, [USER, PASS]);
    let card = CipherView {
        kind: TYPE_CARD,
        card: Some(Card {
            number: Some("4111111111111111".into()),
            ..Card::default()
        }),
        ..CipherView::default()
    };
    let card_page =
        page(r#"{"fields": [{"opid": "n", "autocomplete": "cc-number", "label": "Card number"}]}"#);
    assert_eq!(plan(&card_page, &menu, &card), refused("in_page_menu"));
    // The same card from the popup fills.
    assert_eq!(
        fills(&plan(&card_page, &ctx("https://example.com/pay"), &card)).len(),
        1
    );
}
