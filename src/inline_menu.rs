//! The inline menu's decision for one field (docs/autofill.md "Inline menu"): whether the field
//! the user is in gets Keyfill's icon and menu, and what the menu offers there. Pure: the caller
//! gives the frame's page details (as the content script saw them) and the field's opid.
//!
//! Whether the icon shows never depends on the vault (rule 10: the page can see the icon, so it
//! must learn nothing from it): [`menu_field`] classifies with no stored login. What the menu
//! lists is decided later, inside the menu's own page, from the vault.

use serde::Serialize;

use crate::fill::{classify_page, FieldKind, FormKind, PageDetails};

/// What the menu is for on this field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MenuKind {
    /// Username, password, new password or one-time code of a sign-in, sign-up or change form.
    Login,
    /// A payment card's field.
    Card,
    /// A name or address field of an address form.
    Identity,
}

/// The menu's offer for the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MenuField {
    pub kind: MenuKind,
    /// "Generate a password" is offered: the field is a new password (or its confirmation), or
    /// any login field of a sign-up or change-password form.
    pub generate: bool,
    /// The form is a sign-in or other login step: the stored logins are listed.
    pub logins: bool,
}

/// Decides the menu for field `opid` of a frame. `stored_login`: a login is stored for the site
/// (a one-password form is then a sign-in); pass `false` for the icon, which the page can see.
/// `None`: no icon, no menu (a search box, a newsletter or contact form, a field that is hidden,
/// disabled, or not one the classifier recognises).
pub fn menu_field(details: &PageDetails, opid: &str, stored_login: bool) -> Option<MenuField> {
    let idx = details.fields.iter().position(|f| f.opid == opid)?;
    let field = &details.fields[idx];
    if field.disabled || !field.visible {
        return None;
    }
    let kinds = classify_page(details, stored_login);
    let form = kinds.form_of(idx);
    let field_kind = kinds.fields[idx];
    if matches!(
        form,
        FormKind::Search | FormKind::Newsletter | FormKind::Contact
    ) {
        return None;
    }
    let sign_up = matches!(form, FormKind::SignUp | FormKind::ChangePassword);
    match field_kind {
        FieldKind::Username | FieldKind::CurrentPassword | FieldKind::Otp => Some(MenuField {
            kind: MenuKind::Login,
            generate: false,
            logins: true,
        }),
        FieldKind::NewPassword | FieldKind::ConfirmPassword => Some(MenuField {
            kind: MenuKind::Login,
            generate: true,
            // A sign-up lists nothing stored; a change form's new field neither.
            logins: !sign_up,
        }),
        FieldKind::Card => Some(MenuField {
            kind: MenuKind::Card,
            generate: false,
            logins: false,
        }),
        FieldKind::Address => Some(MenuField {
            kind: MenuKind::Identity,
            generate: false,
            logins: false,
        }),
        FieldKind::Email | FieldKind::Search | FieldKind::Other => None,
    }
}

/// [`menu_field`] on the content script's JSON (capped and lenient like the fill's).
pub fn menu_field_json(
    details_json: &str,
    opid: &str,
    stored_login: bool,
) -> crate::Result<Option<MenuField>> {
    let details = crate::fill::parse_page_details(details_json)?;
    Ok(menu_field(&details, opid, stored_login))
}
