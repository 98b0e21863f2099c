//! A submit as the content script captured it (the fields of the submitted form, or of the
//! formless group around the field the user was in, with their values, and the group's buttons,
//! headings and links), read into a [`Submission`]: which value is the username, the current
//! password, the new one, and whether this was a sign-in, a sign-up or a change of password.
//! The form classifier (`fill::classify_page`) decides the form's kind and each field's role, as
//! it does for filling; when it names no username with a value (a step hid it), the shape of the
//! fields decides that one. Hostile input: capped and lenient.

use serde::Deserialize;
use zeroize::Zeroize;

use super::{Submission, SubmitKind};
use crate::fill::{classify_page, FieldKind, FormKind, PageDetails, PageField, PageForm};

/// At most this many fields are read from one capture.
const MAX_FIELDS: usize = 64;
/// Longer values are not passwords or usernames anyone types.
const MAX_VALUE: usize = 1024;

/// One field of the submitted group (its value is wiped when the capture drops).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CapturedField {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub html_id: String,
    pub autocomplete: String,
    pub label: String,
    pub placeholder: String,
    pub aria_label: String,
    pub class_name: String,
    pub max_length: Option<i64>,
    pub visible: bool,
    pub value: String,
}

/// The capture: the group's fields in page order, and the words around them (button, heading
/// and form texts) that say what the form is for.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Captured {
    #[serde(default)]
    pub fields: Vec<CapturedField>,
    #[serde(default)]
    pub text: String,
    /// The group as the fill's page details describe a form or a container (buttons, headings,
    /// links, action, names), for the classifier.
    #[serde(default)]
    pub group: Option<PageForm>,
}

impl Drop for Captured {
    fn drop(&mut self) {
        for f in &mut self.fields {
            f.value.zeroize();
        }
    }
}

impl std::fmt::Debug for Captured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Captured({} fields)", self.fields.len())
    }
}

const NOT_USERNAME: &[&str] = &[
    "search",
    "recherche",
    "captcha",
    "code",
    "otp",
    "coupon",
    "promo",
    "question",
    "answer",
];

fn words(f: &CapturedField) -> String {
    [
        &f.name,
        &f.html_id,
        &f.label,
        &f.placeholder,
        &f.autocomplete,
    ]
    .iter()
    .map(|s| s.to_lowercase())
    .collect::<Vec<_>>()
    .join(" ")
}

fn is_password(f: &CapturedField) -> bool {
    f.kind == "password"
        || f.autocomplete.contains("current-password")
        || f.autocomplete.contains("new-password")
}

fn is_text_like(f: &CapturedField) -> bool {
    matches!(
        f.kind.as_str(),
        "text" | "email" | "tel" | "" | "search" | "number"
    )
}

/// Longest string handed to the classifier, in characters.
const MAX_TEXT: usize = 1_000;

fn cut(s: &str) -> String {
    s.chars().take(MAX_TEXT).collect()
}

/// The capture as the classifier's page details: one group, its fields without their values. A
/// field with a value counts as seen (the user typed it, or a step hid it since).
fn details(cap: &Captured) -> PageDetails {
    let fields = cap
        .fields
        .iter()
        .take(MAX_FIELDS)
        .enumerate()
        .map(|(i, f)| PageField {
            opid: format!("c{i}"),
            form: Some("F".into()),
            tag: "input".into(),
            kind: cut(&f.kind),
            name: cut(&f.name),
            html_id: cut(&f.html_id),
            autocomplete: cut(&f.autocomplete),
            placeholder: cut(&f.placeholder),
            label: cut(&f.label),
            aria_label: cut(&f.aria_label),
            class_name: cut(&f.class_name),
            max_length: f.max_length.and_then(|n| u32::try_from(n).ok()),
            has_value: !f.value.is_empty(),
            visible: f.visible || !f.value.is_empty(),
            ..PageField::default()
        })
        .collect();
    let mut form = cap.group.clone().unwrap_or_default();
    form.opid = "F".into();
    if cap.group.is_none() {
        form.text = cut(&cap.text);
    }
    PageDetails {
        fields,
        forms: vec![form],
        page_text: cut(&cap.text),
        sections: Vec::new(),
    }
}

/// Reads a capture; `stored_login`: a login is stored for the page (the classifier then reads a
/// lone password as a sign-in's). `None` when it holds no typed password (and so nothing to
/// save), or a new password and its confirmation differ (the page refuses it).
pub fn read(cap: &Captured, stored_login: bool) -> Option<Submission> {
    let d = details(cap);
    let kinds = classify_page(&d, stored_login);
    let first_pw = cap
        .fields
        .iter()
        .take(MAX_FIELDS)
        .position(|f| is_password(f) && !f.value.is_empty())?;
    let kind = match kinds.form_of(first_pw) {
        // A typed password in a group the classifier cannot name: the commonest, a sign-in.
        FormKind::SignIn | FormKind::Other => SubmitKind::SignIn,
        FormKind::SignUp => SubmitKind::SignUp,
        FormKind::ChangePassword | FormKind::Reset => SubmitKind::ChangePassword,
        FormKind::Search
        | FormKind::Newsletter
        | FormKind::Contact
        | FormKind::Checkout
        | FormKind::Otp => {
            return Some(Submission {
                kind: SubmitKind::Other,
                ..Submission::default()
            })
        }
    };
    let value = |want: FieldKind| {
        cap.fields
            .iter()
            .take(MAX_FIELDS)
            .zip(&kinds.fields)
            .find(|(f, k)| {
                **k == want && !f.value.is_empty() && f.value.chars().count() <= MAX_VALUE
            })
            .map(|(f, _)| f.value.clone())
    };
    let current = value(FieldKind::CurrentPassword);
    let new = value(FieldKind::NewPassword);
    if let (Some(n), Some(c)) = (&new, value(FieldKind::ConfirmPassword)) {
        if *n != c {
            return None;
        }
    }
    let (password, new_password) = match kind {
        SubmitKind::SignIn => (current.or(new), None),
        SubmitKind::SignUp => (None, new.or(current)),
        _ => (current, new),
    };
    if password.is_none() && new_password.is_none() {
        return None;
    }
    let username = value(FieldKind::Username)
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .or_else(|| username_by_shape(cap).filter(|u| !u.is_empty()));
    Some(Submission {
        url: String::new(),
        kind,
        username,
        password,
        new_password,
    })
}

/// The username when the classifier names none with a value: an autocomplete username or e-mail
/// field, else the last text field before the first password that is not a search box, a code
/// or a question — a visible one, else one a step hid after it was typed.
fn username_by_shape(cap: &Captured) -> Option<String> {
    let fields: Vec<&CapturedField> = cap
        .fields
        .iter()
        .take(MAX_FIELDS)
        .filter(|f| !f.value.is_empty() && f.value.chars().count() <= MAX_VALUE)
        .collect();
    let first_pw = fields.iter().position(|f| is_password(f))?;
    let candidate =
        |f: &&&CapturedField| is_text_like(f) && !NOT_USERNAME.iter().any(|w| words(f).contains(w));
    let before = &fields[..first_pw];
    fields
        .iter()
        .find(|f| {
            !is_password(f)
                && (f.autocomplete.contains("username") || f.autocomplete.contains("email"))
        })
        .or_else(|| {
            before
                .iter()
                .rev()
                .filter(candidate)
                .find(|f| f.visible)
                .or_else(|| before.iter().rev().find(candidate))
        })
        .map(|f| f.value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: &str, name: &str, value: &str) -> CapturedField {
        CapturedField {
            kind: kind.into(),
            name: name.into(),
            visible: true,
            value: value.into(),
            ..CapturedField::default()
        }
    }

    fn cap(fields: Vec<CapturedField>, text: &str) -> Captured {
        Captured {
            fields,
            text: text.into(),
            group: None,
        }
    }

    /// A capture read with nothing stored for the site.
    fn read_test(c: &Captured) -> Option<Submission> {
        read(c, false)
    }

    #[test]
    fn a_sign_in() {
        let s = read_test(&cap(
            vec![
                field("search", "q", "shoes"),
                field("email", "email", "ann@x.test"),
                field("password", "pw", "p1"),
            ],
            "Sign in",
        ))
        .unwrap();
        assert_eq!(s.kind, SubmitKind::SignIn);
        assert_eq!(s.username.as_deref(), Some("ann@x.test"));
        assert_eq!(s.password.as_deref(), Some("p1"));
    }

    #[test]
    fn a_sign_up_with_confirmation_and_one_with_new_password_only() {
        let s = read_test(&cap(
            vec![
                field("text", "user", "bob"),
                field("password", "pw", "n1"),
                field("password", "pw2", "n1"),
            ],
            "Create account",
        ))
        .unwrap();
        assert_eq!(
            (s.kind, s.new_password.as_deref()),
            (SubmitKind::SignUp, Some("n1"))
        );
        let mut pw = field("password", "password", "n2");
        pw.autocomplete = "new-password".into();
        let s = read_test(&cap(
            vec![field("email", "email", "c@x.test"), pw],
            "Join us — sign up",
        ))
        .unwrap();
        assert_eq!(s.kind, SubmitKind::SignUp);
        // new-password on a plain sign-in page is still a sign-in.
        let mut pw = field("password", "password", "p");
        pw.autocomplete = "new-password".into();
        assert_eq!(
            read_test(&cap(vec![pw], "Log in")).unwrap().kind,
            SubmitKind::SignIn
        );
    }

    #[test]
    fn a_change_of_password() {
        let s = read_test(&cap(
            vec![
                field("password", "current", "old"),
                field("password", "new", "n"),
                field("password", "confirm", "n"),
            ],
            "Change password",
        ))
        .unwrap();
        assert_eq!(s.kind, SubmitKind::ChangePassword);
        assert_eq!(
            (s.password.as_deref(), s.new_password.as_deref()),
            (Some("old"), Some("n"))
        );
        // Mismatched confirmation: the page will refuse it; nothing to offer.
        assert!(read_test(&cap(
            vec![
                field("password", "current", "old"),
                field("password", "new", "n"),
                field("password", "confirm", "m")
            ],
            "",
        ))
        .is_none());
    }

    #[test]
    fn a_username_a_step_hid_still_counts() {
        let mut user = field("text", "login", "ann");
        user.visible = false;
        let s = read_test(&cap(vec![user, field("password", "pw", "p")], "Sign in")).unwrap();
        assert_eq!(s.username.as_deref(), Some("ann"));
    }

    fn grouped(fields: Vec<CapturedField>, group: &str) -> Captured {
        Captured {
            fields,
            text: String::new(),
            group: Some(serde_json::from_str(group).unwrap()),
        }
    }

    #[test]
    fn the_classifier_says_a_card_form_with_a_password_code_is_no_login() {
        let mut number = field("text", "cardnumber", "4111111111111111");
        number.autocomplete = "cc-number".into();
        let mut exp = field("text", "exp", "12/30");
        exp.placeholder = "MM / YY".into();
        let c = grouped(
            vec![number, exp, field("password", "cvc", "123")],
            r#"{"buttons": ["Pay now"]}"#,
        );
        assert_eq!(read(&c, true).unwrap().kind, SubmitKind::Other);
    }

    #[test]
    fn the_classifier_reads_a_sign_up_from_its_buttons_and_links() {
        let c = grouped(
            vec![
                field("email", "email", "new@x.test"),
                field("password", "password", "n1"),
            ],
            r#"{"buttons": ["Create account"], "links": ["Already have an account? Log in"]}"#,
        );
        let s = read(&c, false).unwrap();
        assert_eq!(s.kind, SubmitKind::SignUp);
        assert_eq!(
            (
                s.username.as_deref(),
                s.password.as_deref(),
                s.new_password.as_deref()
            ),
            (Some("new@x.test"), None, Some("n1"))
        );
    }

    #[test]
    fn a_lone_new_password_is_a_sign_in_where_a_login_is_stored_and_a_sign_up_elsewhere() {
        let mut pw = field("password", "password", "p");
        pw.autocomplete = "new-password".into();
        let c = grouped(
            vec![field("email", "email", "a@x.test"), pw],
            r#"{"buttons": ["Continue"]}"#,
        );
        let s = read(&c, true).unwrap();
        assert_eq!(
            (s.kind, s.password.as_deref()),
            (SubmitKind::SignIn, Some("p"))
        );
        let s = read(&c, false).unwrap();
        assert_eq!(
            (s.kind, s.new_password.as_deref()),
            (SubmitKind::SignUp, Some("p"))
        );
    }

    #[test]
    fn no_typed_password_nothing_to_read() {
        assert!(read_test(&cap(
            vec![
                field("email", "email", "a@b.c"),
                field("password", "pw", "")
            ],
            ""
        ))
        .is_none());
        assert!(read_test(&cap(vec![field("text", "q", "search me")], "")).is_none());
    }
}
