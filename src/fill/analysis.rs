//! The form and field classifier's entry: a page's fields in groups (forms, or containers on a
//! formless page), each group with its kind and each field with its own. The gesture fill plans
//! from it; the save prompt and the inline menu will read it too.

use serde::Serialize;

use super::classify::Field;
use super::field_kind::{field_kinds, FieldKind};
use super::form_kind::{count, form_kind, FormKind};
use super::groups::group;
use super::page::PageDetails;

/// One group and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupKind {
    /// The form's opid, when the group is a form (or a container inside a page-wide form).
    pub form: Option<String>,
    /// The container's opid, for formless fields (or a page-wide form's part).
    pub section: Option<String>,
    pub kind: FormKind,
    /// Indexes into the page's fields, document order.
    pub fields: Vec<usize>,
}

/// The classifier's answer for one frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageKinds {
    pub groups: Vec<GroupKind>,
    /// Each field's kind, by index into the page's fields.
    pub fields: Vec<FieldKind>,
    /// Each field's group, by index into `groups`.
    pub field_group: Vec<usize>,
}

impl PageKinds {
    /// The kind of the group field `idx` belongs to.
    pub fn form_of(&self, idx: usize) -> FormKind {
        self.groups[self.field_group[idx]].kind
    }
}

/// Classifies every group and field of a page. `stored_login`: a login is stored for this site
/// (a one-password form is then a sign-in rather than a sign-up).
pub fn classify_page(details: &PageDetails, stored_login: bool) -> PageKinds {
    let fields: Vec<Field> = details
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field::new(i, f))
        .collect();
    classify_fields(details, &fields, stored_login)
}

pub(crate) fn classify_fields(
    details: &PageDetails,
    fields: &[Field],
    stored_login: bool,
) -> PageKinds {
    let groups = group(details, fields);
    let mut kinds = vec![FieldKind::Other; fields.len()];
    let mut field_group = vec![0; fields.len()];
    let mut out = Vec::with_capacity(groups.len());
    for (g, grp) in groups.into_iter().enumerate() {
        let members: Vec<&Field> = grp.fields.iter().map(|&i| &fields[i]).collect();
        let kind = form_kind(&count(&members), &grp.text, stored_login);
        for (&i, k) in grp
            .fields
            .iter()
            .zip(field_kinds(fields, &grp.fields, kind))
        {
            kinds[i] = k;
            field_group[i] = g;
        }
        out.push(GroupKind {
            form: grp.form.map(str::to_string),
            section: grp.section.map(str::to_string),
            kind,
            fields: grp.fields,
        });
    }
    PageKinds {
        groups: out,
        fields: kinds,
        field_group,
    }
}

#[cfg(test)]
mod tests {
    //! One signal at a time: each page differs from a neutral one by the signal named.
    use super::*;
    use crate::fill::parse_page_details;

    /// Fields in form F (`[type, name, extra JSON]`), the form's `buttons`, `headings`, `links`
    /// and `action`.
    fn page(fields: &[(&str, &str, &str)], form: &str) -> PageDetails {
        let fields: Vec<String> = fields
            .iter()
            .enumerate()
            .map(|(i, (kind, name, extra))| {
                let mut extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!(", {extra}")
                };
                if !extra.contains("visible") {
                    extra.push_str(r#", "visible": true"#);
                }
                format!(
                    r#"{{"opid": "f{i}", "form": "F", "type": "{kind}", "name": "{name}"{extra}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"fields": [{}], "forms": [{{"opid": "F", {form}}}]}}"#,
            fields.join(",")
        );
        parse_page_details(&text).unwrap()
    }

    fn kind(d: &PageDetails, stored: bool) -> FormKind {
        classify_page(d, stored).groups[0].kind
    }

    const LOGIN: &[(&str, &str, &str)] = &[("email", "email", ""), ("password", "pw", "")];

    #[test]
    fn buttons_say_what_the_form_does() {
        let d = page(LOGIN, r#""buttons": ["Sign in"]"#);
        assert_eq!(kind(&d, false), FormKind::SignIn);
        let d = page(LOGIN, r#""buttons": ["Create account"]"#);
        assert_eq!(kind(&d, false), FormKind::SignUp);
        let d = page(
            LOGIN,
            r#""buttons": ["Konto erstellen"], "headings": ["Neu hier?"]"#,
        );
        assert_eq!(kind(&d, true), FormKind::SignUp);
    }

    #[test]
    fn links_say_what_the_form_is_not() {
        // "Forgot password?" beside a form: a sign-in; "Already have an account?": a sign-up.
        let d = page(LOGIN, r#""links": ["Forgot your password?"]"#);
        assert_eq!(kind(&d, false), FormKind::SignIn);
        let fields = &[
            ("email", "email", ""),
            ("password", "pw", r#""autocomplete": "new-password""#),
        ];
        let d = page(fields, r#""links": ["Already have an account? Log in"]"#);
        assert_eq!(kind(&d, false), FormKind::SignUp);
    }

    #[test]
    fn the_action_path_counts() {
        let two = &[
            ("email", "email", ""),
            ("password", "a", ""),
            ("password", "b", ""),
        ];
        let d = page(two, r#""action": "https://example.com/account/create""#);
        assert_eq!(kind(&d, false), FormKind::SignUp);
        let d = page(LOGIN, r#""action": "https://example.com/users/sign_in""#);
        assert_eq!(kind(&d, false), FormKind::SignIn);
    }

    #[test]
    fn a_stored_login_makes_a_lone_password_a_sign_in() {
        let fields = &[
            ("email", "email", ""),
            ("password", "pw", r#""autocomplete": "new-password""#),
        ];
        let d = page(fields, r#""buttons": ["Continue"]"#);
        assert_eq!(kind(&d, true), FormKind::SignIn);
        assert_eq!(kind(&d, false), FormKind::SignUp);
    }

    #[test]
    fn password_fields_number_and_order() {
        let three = &[
            ("password", "a", ""),
            ("password", "b", ""),
            ("password", "c", ""),
        ];
        let d = page(three, r#""buttons": ["Save"]"#);
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::ChangePassword);
        assert_eq!(
            k.fields,
            [
                FieldKind::CurrentPassword,
                FieldKind::NewPassword,
                FieldKind::ConfirmPassword
            ]
        );
        let d = page(
            &[("password", "pw", ""), ("password", "pw_confirm", "")],
            r#""buttons": ["Go"]"#,
        );
        assert_eq!(kind(&d, true), FormKind::SignUp);
    }

    #[test]
    fn a_hidden_next_step_password_makes_a_username_step() {
        let fields = &[
            ("email", "identifier", ""),
            ("password", "pw", r#""visible": false"#),
        ];
        let d = page(fields, r#""buttons": ["Next"]"#);
        let k = classify_page(&d, false);
        assert_eq!(k.groups[0].kind, FormKind::SignIn);
        assert_eq!(k.fields[0], FieldKind::Username);
    }

    #[test]
    fn a_read_only_password_is_still_the_password() {
        let fields = &[
            ("text", "user", ""),
            ("password", "pw", r#""readOnly": true"#),
        ];
        let d = page(fields, r#""buttons": ["Log in"]"#);
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::SignIn);
        assert_eq!(k.fields, [FieldKind::Username, FieldKind::CurrentPassword]);
    }

    #[test]
    fn e_mails_that_are_not_logins() {
        let shipping = &[
            ("text", "ship_name", r#""label": "Full name""#),
            ("text", "ship_street", r#""label": "Street""#),
            ("text", "ship_city", r#""label": "City""#),
            (
                "email",
                "ship_email",
                r#""label": "Email for shipping updates""#,
            ),
        ];
        let d = page(shipping, r#""buttons": ["Continue to payment"]"#);
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::Checkout);
        assert_eq!(k.fields[3], FieldKind::Email);
        let friend = &[
            ("email", "from", r#""label": "Your e-mail""#),
            ("email", "to", r#""label": "Your friend's e-mail""#),
            ("textarea", "message", r#""tag": "textarea""#),
        ];
        let d = page(friend, r#""buttons": ["Send"]"#);
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::Contact);
        assert_eq!(k.fields[..2], [FieldKind::Email, FieldKind::Email]);
    }

    #[test]
    fn search_newsletter_and_card_forms() {
        let d = page(&[("search", "q", "")], r#""buttons": ["Search"]"#);
        assert_eq!(kind(&d, true), FormKind::Search);
        let d = page(&[("email", "email", "")], r#""buttons": ["Subscribe"]"#);
        assert_eq!(kind(&d, true), FormKind::Newsletter);
        let card = &[
            ("text", "cardnumber", r#""autocomplete": "cc-number""#),
            ("text", "exp", r#""placeholder": "MM / YY""#),
            ("password", "cvc", ""),
        ];
        let d = page(card, r#""buttons": ["Pay"]"#);
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::Checkout);
        assert_eq!(k.fields, [FieldKind::Card; 3]);
    }

    #[test]
    fn formless_fields_group_by_their_container() {
        let text = r#"{"fields": [
            {"opid": "q", "type": "search", "name": "q", "section": "S1", "visible": true},
            {"opid": "u", "type": "text", "name": "user", "section": "S2", "visible": true},
            {"opid": "p", "type": "password", "name": "pw", "section": "S2", "visible": true}],
            "sections": [{"opid": "S1", "buttons": ["Search"]},
                         {"opid": "S2", "buttons": ["Sign in"]}]}"#;
        let k = classify_page(&parse_page_details(text).unwrap(), true);
        assert_eq!(k.groups.len(), 2);
        assert_eq!(k.groups[0].kind, FormKind::Search);
        assert_eq!(k.groups[1].kind, FormKind::SignIn);
    }

    #[test]
    fn a_lost_password_step_is_never_a_sign_in() {
        let user = &[("text", "user_login", r#""autocomplete": "username""#)];
        let d = page(
            user,
            r#""action": "/wp-login.php?action=lostpassword", "name": "lostpasswordform",
               "buttons": ["Get New Password"]"#,
        );
        assert_eq!(kind(&d, true), FormKind::Reset);
    }

    #[test]
    fn a_device_key_or_api_secret_is_no_login_password() {
        let wifi = &[
            ("text", "ssid", r#""label": "Network name (SSID)""#),
            ("password", "wpa_psk", r#""label": "Network key""#),
        ];
        let k = classify_page(&page(wifi, r#""buttons": ["Apply"]"#), true);
        assert_eq!(k.groups[0].kind, FormKind::Other);
        assert_eq!(k.fields, [FieldKind::Other; 2]);
        let api = &[
            ("text", "client_id", r#""label": "Client ID""#),
            ("password", "client_secret", r#""label": "API secret""#),
        ];
        let d = page(
            api,
            r#""headings": ["Connect your bank feed"], "buttons": ["Save"]"#,
        );
        assert_eq!(kind(&d, true), FormKind::Other);
        let hotspot = &[
            ("text", "hotspot_name", r#""label": "Hotspot name""#),
            ("password", "wifi_password", r#""label": "Wi-Fi password""#),
        ];
        assert_eq!(
            kind(&page(hotspot, r#""buttons": ["Save"]"#), true),
            FormKind::Other
        );
        // A bank's "code secret" is its login password.
        let bank = &[
            ("text", "identifiant", r#""label": "Identifiant client""#),
            ("password", "code_secret", r#""label": "Code secret""#),
        ];
        assert_eq!(
            kind(&page(bank, r#""buttons": ["Valider"]"#), true),
            FormKind::SignIn
        );
    }

    #[test]
    fn an_expired_password_form_has_no_current_field() {
        let fields = &[
            ("password", "newPassword", r#""label": "New password""#),
            (
                "password",
                "confirmPassword",
                r#""label": "Re-enter new password""#,
            ),
        ];
        let d = page(
            fields,
            r#""headings": ["Your password has expired"], "buttons": ["Change password"]"#,
        );
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::ChangePassword);
        assert_eq!(
            k.fields,
            [FieldKind::NewPassword, FieldKind::ConfirmPassword]
        );
    }

    #[test]
    fn an_event_registration_is_no_sign_up() {
        let fields = &[
            ("text", "nom", r#""label": "Nom""#),
            ("email", "email", r#""label": "E-mail pour la convocation""#),
            ("text", "licence", r#""label": "Numéro de licence""#),
        ];
        let d = page(fields, r#""buttons": ["M'inscrire au tournoi"]"#);
        let k = classify_page(&d, true);
        assert_eq!(k.groups[0].kind, FormKind::Other);
        assert_eq!(k.fields[1], FieldKind::Email);
    }

    #[test]
    fn sign_up_identifiers_by_phone() {
        let phone = &[
            ("tel", "mobile", r#""label": "Mobile number""#),
            ("text", "name", r#""label": "Name""#),
            ("password", "password", ""),
        ];
        let k = classify_page(&page(phone, r#""buttons": ["Sign up"]"#), true);
        assert_eq!(k.fields[..2], [FieldKind::Username, FieldKind::Other]);
        let either = &[
            (
                "text",
                "emailOrPhone",
                r#""label": "Mobile Number or Email""#,
            ),
            ("text", "username", r#""label": "Username""#),
            ("password", "password", r#""autocomplete": "new-password""#),
        ];
        let k = classify_page(&page(either, r#""buttons": ["Sign up"]"#), true);
        assert_eq!(k.fields[..2], [FieldKind::Username, FieldKind::Username]);
    }

    #[test]
    fn a_confirmation_e_mail_is_a_repeat_only_after_an_e_mail() {
        let order = &[
            (
                "email",
                "email_commande",
                r#""label": "E-mail de confirmation""#,
            ),
            ("text", "livraison_adresse", r#""label": "Adresse""#),
        ];
        let k = classify_page(&page(order, r#""buttons": ["Continuer"]"#), true);
        assert_eq!(k.fields[0], FieldKind::Email);
    }
}
