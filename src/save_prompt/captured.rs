//! A submit as the content script captured it (the fields of the submitted form, or of the
//! formless group around the field the user was in, with their values), read into a
//! [`Submission`]: which value is the username, the current password, the new one, and whether
//! this was a sign-in, a sign-up or a change of password. Hostile input: capped and lenient.

use serde::Deserialize;
use zeroize::Zeroize;

use super::{Submission, SubmitKind};

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

const SIGN_UP_WORDS: &[&str] = &[
    "sign up",
    "signup",
    "register",
    "create account",
    "create an account",
    "join",
    "inscription",
    "s'inscrire",
    "créer un compte",
    "creer un compte",
    "registrieren",
    "konto erstellen",
    "crear cuenta",
    "regístrate",
    "registrati",
    "crea account",
];
const CHANGE_WORDS: &[&str] = &[
    "change password",
    "new password",
    "update password",
    "reset password",
    "changer le mot de passe",
    "nouveau mot de passe",
    "passwort ändern",
    "neues passwort",
    "cambiar contraseña",
    "cambia password",
    "nuova password",
];
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

/// Reads a capture. `None` when it holds no typed password (and so nothing to save).
pub fn read(cap: &Captured) -> Option<Submission> {
    let fields: Vec<&CapturedField> = cap
        .fields
        .iter()
        .take(MAX_FIELDS)
        .filter(|f| !f.value.is_empty() && f.value.chars().count() <= MAX_VALUE)
        .collect();
    let passwords: Vec<&CapturedField> =
        fields.iter().copied().filter(|f| is_password(f)).collect();
    if passwords.is_empty() {
        return None;
    }
    let first_pw = fields.iter().position(|f| is_password(f)).unwrap_or(0);
    // The username: an autocomplete username or e-mail field, else the last visible text field
    // before the first password field that is not a search box, a code or a question.
    let username = fields
        .iter()
        .find(|f| {
            !is_password(f)
                && (f.autocomplete.contains("username") || f.autocomplete.contains("email"))
        })
        .or_else(|| {
            let candidate = |f: &&&CapturedField| {
                is_text_like(f) && !NOT_USERNAME.iter().any(|w| words(f).contains(w))
            };
            // A visible one; else one a step hid after it was typed (the first step of a
            // sign-in on one page).
            let before = &fields[..first_pw];
            before
                .iter()
                .rev()
                .filter(candidate)
                .find(|f| f.visible)
                .or_else(|| before.iter().rev().find(candidate))
        })
        .map(|f| f.value.trim().to_string());

    let text = cap.text.to_lowercase();
    let new_marked: Vec<&CapturedField> = passwords
        .iter()
        .copied()
        .filter(|f| {
            f.autocomplete.contains("new-password")
                || words(f).contains("new")
                || words(f).contains("nouveau")
        })
        .collect();
    let current_marked = passwords.iter().copied().find(|f| {
        f.autocomplete.contains("current-password")
            || words(f).contains("current")
            || words(f).contains("actuel")
            || words(f).contains("old")
    });
    let (kind, password, new_password) = match passwords.len() {
        1 => {
            let p = passwords[0];
            let sign_up = p.autocomplete.contains("new-password")
                && SIGN_UP_WORDS.iter().any(|w| text.contains(w));
            if sign_up {
                (SubmitKind::SignUp, None, Some(p.value.clone()))
            } else {
                (SubmitKind::SignIn, Some(p.value.clone()), None)
            }
        }
        2 if passwords[0].value == passwords[1].value => {
            // A new password and its confirmation: a sign-up, or a change without the current one.
            let change = CHANGE_WORDS.iter().any(|w| text.contains(w))
                && !SIGN_UP_WORDS.iter().any(|w| text.contains(w));
            let kind = if change {
                SubmitKind::ChangePassword
            } else {
                SubmitKind::SignUp
            };
            (kind, None, Some(passwords[0].value.clone()))
        }
        2 => (
            SubmitKind::ChangePassword,
            Some(passwords[0].value.clone()),
            Some(passwords[1].value.clone()),
        ),
        _ => {
            // Current, new, confirm (the order pages use), unless the fields say otherwise.
            let current = current_marked.unwrap_or(passwords[0]);
            let new = new_marked
                .iter()
                .copied()
                .find(|f| !std::ptr::eq(*f, current))
                .unwrap_or(passwords[1]);
            let confirmed = passwords.iter().any(|f| {
                !std::ptr::eq(*f, new) && !std::ptr::eq(*f, current) && f.value == new.value
            });
            if !confirmed {
                return None; // the new password and its confirmation differ: the page refuses it
            }
            (
                SubmitKind::ChangePassword,
                Some(current.value.clone()),
                Some(new.value.clone()),
            )
        }
    };
    Some(Submission {
        url: String::new(),
        kind,
        username: username.filter(|u| !u.is_empty()),
        password,
        new_password,
    })
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
        }
    }

    #[test]
    fn a_sign_in() {
        let s = read(&cap(
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
        let s = read(&cap(
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
        let s = read(&cap(
            vec![field("email", "email", "c@x.test"), pw],
            "Join us — sign up",
        ))
        .unwrap();
        assert_eq!(s.kind, SubmitKind::SignUp);
        // new-password on a plain sign-in page is still a sign-in.
        let mut pw = field("password", "password", "p");
        pw.autocomplete = "new-password".into();
        assert_eq!(
            read(&cap(vec![pw], "Log in")).unwrap().kind,
            SubmitKind::SignIn
        );
    }

    #[test]
    fn a_change_of_password() {
        let s = read(&cap(
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
        assert!(read(&cap(
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
        let s = read(&cap(vec![user, field("password", "pw", "p")], "Sign in")).unwrap();
        assert_eq!(s.username.as_deref(), Some("ann"));
    }

    #[test]
    fn no_typed_password_nothing_to_read() {
        assert!(read(&cap(
            vec![
                field("email", "email", "a@b.c"),
                field("password", "pw", "")
            ],
            ""
        ))
        .is_none());
        assert!(read(&cap(vec![field("text", "q", "search me")], "")).is_none());
    }
}
