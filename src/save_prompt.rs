//! What to offer after the user submitted a sign-in, sign-up or change-password form
//! (docs/autofill.md "Save / update"): **Save** a new login, **Update** the stored one, or
//! nothing, and why. Pure: the caller gives the submission (already classified: which value was
//! the username, the current password, the new one) and the logins stored for the page.
//! `captured` reads what the content script captured into that submission.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::fill::opted_out;

pub mod captured;
pub use captured::Captured;

/// What kind of form was submitted (from the form classifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum SubmitKind {
    #[default]
    SignIn,
    SignUp,
    ChangePassword,
    /// Search, newsletter, contact, comment, checkout, anything else: never offered.
    Other,
}

/// One submit as captured: the page it happened on (as the browser reported the frame) and the
/// values of the fields that matter. Its `Debug` shows no value.
#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Submission {
    pub url: String,
    pub kind: SubmitKind,
    pub username: Option<String>,
    /// The password of a sign-in, or the current password of a change form.
    pub password: Option<String>,
    /// The new password of a sign-up or change form (its confirmation already compared).
    pub new_password: Option<String>,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Submission({:?})", self.kind)
    }
}

/// A login stored for the page, as the decision needs it.
#[derive(Clone, Copy)]
pub struct StoredLogin<'a> {
    pub id: &'a str,
    pub username: Option<&'a str>,
    pub password: Option<&'a str>,
}

/// Why nothing is offered.
pub mod nothing {
    /// The site is on the "never save" list.
    pub const NEVER_SAVE: &str = "never_save";
    /// The form is not one that signs in, signs up or changes a password.
    pub const NOT_LOGIN_FORM: &str = "not_login_form";
    /// No password was typed.
    pub const EMPTY_PASSWORD: &str = "empty_password";
    /// The page has no address a login could be saved for (not http(s)).
    pub const NO_SITE: &str = "no_site";
    /// The vault already holds exactly this login.
    pub const ALREADY_STORED: &str = "already_stored";
}

/// The decision. Its `Debug` shows no value.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "offer", rename_all = "camelCase")]
pub enum Offer {
    /// A new login: `uri` is the page's scheme and host (no path or query), `name` its host.
    #[serde(rename_all = "camelCase")]
    Save {
        name: String,
        uri: String,
        username: Option<String>,
        password: String,
    },
    /// The stored login `item_id` gets `password`; its old one goes to its password history.
    #[serde(rename_all = "camelCase")]
    Update {
        item_id: String,
        username: Option<String>,
        password: String,
    },
    Nothing {
        reason: String,
    },
}

impl std::fmt::Debug for Offer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Offer::Save { .. } => f.write_str("Offer::Save"),
            Offer::Update { item_id, .. } => write!(f, "Offer::Update({item_id})"),
            Offer::Nothing { reason } => write!(f, "Offer::Nothing({reason})"),
        }
    }
}

fn nothing(reason: &str) -> Offer {
    Offer::Nothing {
        reason: reason.to_string(),
    }
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// Usernames compare without surrounding spaces and, as e-mail addresses and most sites do,
/// without case.
fn same_user(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase)
    };
    norm(a) == norm(b)
}

/// The page's scheme and host (and port), what a new login is saved for.
fn site_uri(url: &str) -> Option<(String, String)> {
    let u = Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.to_string();
    let uri = match u.port() {
        Some(p) => format!("{}://{host}:{p}", u.scheme()),
        None => format!("{}://{host}", u.scheme()),
    };
    let name = host.strip_prefix("www.").unwrap_or(&host).to_string();
    Some((name, uri))
}

/// Decides what to offer for `sub`, given the logins stored for its page and the user's
/// "never save" hosts.
pub fn decide(sub: &Submission, stored: &[StoredLogin<'_>], never_save: &[String]) -> Offer {
    let Some((name, uri)) = site_uri(&sub.url) else {
        return nothing(nothing::NO_SITE);
    };
    if opted_out(&sub.url, never_save) {
        return nothing(nothing::NEVER_SAVE);
    }
    // The password the login should hold from now on.
    let (password, current) = match sub.kind {
        SubmitKind::Other => return nothing(nothing::NOT_LOGIN_FORM),
        SubmitKind::SignIn => (text(&sub.password).or(text(&sub.new_password)), None),
        SubmitKind::SignUp => (text(&sub.new_password).or(text(&sub.password)), None),
        SubmitKind::ChangePassword => (text(&sub.new_password), text(&sub.password)),
    };
    let Some(password) = password else {
        return nothing(nothing::EMPTY_PASSWORD);
    };
    let username = text(&sub.username).map(|u| u.trim().to_string());
    let same: Vec<&StoredLogin> = stored
        .iter()
        .filter(|s| same_user(s.username, username.as_deref()))
        .collect();
    if same.iter().any(|s| s.password == Some(password)) {
        return nothing(nothing::ALREADY_STORED);
    }
    // No username seen (a step the page dropped), and the password is one stored for the site:
    // what the user typed is known already.
    if username.is_none() && stored.iter().any(|s| s.password == Some(password)) {
        return nothing(nothing::ALREADY_STORED);
    }
    // The login that holds the current password (a change form) wins: the username a change
    // form shows is often not the one stored (a hidden field, a display name).
    let holds_current = |s: &&StoredLogin| current.is_some() && s.password == current;
    let target = match sub.kind {
        SubmitKind::ChangePassword => same
            .iter()
            .copied()
            .find(holds_current)
            .or_else(|| stored.iter().find(holds_current))
            .or(same.first().copied()),
        _ => same.first().copied(),
    };
    match target {
        Some(t) => Offer::Update {
            item_id: t.id.to_string(),
            username: t.username.map(str::to_string).or(username),
            password: password.to_string(),
        },
        None => Offer::Save {
            name,
            uri,
            username,
            password: password.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(
        kind: SubmitKind,
        user: Option<&str>,
        pw: Option<&str>,
        new: Option<&str>,
    ) -> Submission {
        Submission {
            url: "https://www.example.com/login?next=/home".into(),
            kind,
            username: user.map(Into::into),
            password: pw.map(Into::into),
            new_password: new.map(Into::into),
        }
    }

    const ANN: StoredLogin = StoredLogin {
        id: "a",
        username: Some("Ann@Example.com"),
        password: Some("old-pw"),
    };
    const BOB: StoredLogin = StoredLogin {
        id: "b",
        username: Some("bob"),
        password: Some("bob-pw"),
    };

    #[test]
    fn unknown_credentials_are_offered_for_saving_with_the_site_only() {
        let o = decide(
            &sub(
                SubmitKind::SignIn,
                Some(" ann@example.com "),
                Some("pw1"),
                None,
            ),
            &[BOB],
            &[],
        );
        assert_eq!(
            o,
            Offer::Save {
                name: "example.com".into(),
                uri: "https://www.example.com".into(),
                username: Some("ann@example.com".into()),
                password: "pw1".into(),
            }
        );
    }

    #[test]
    fn a_changed_password_for_a_known_username_is_an_update() {
        let o = decide(
            &sub(
                SubmitKind::SignIn,
                Some("ann@example.com"),
                Some("new-pw"),
                None,
            ),
            &[ANN, BOB],
            &[],
        );
        assert_eq!(
            o,
            Offer::Update {
                item_id: "a".into(),
                username: Some("Ann@Example.com".into()),
                password: "new-pw".into()
            }
        );
    }

    #[test]
    fn what_is_stored_already_offers_nothing() {
        let o = decide(
            &sub(SubmitKind::SignIn, Some("bob"), Some("bob-pw"), None),
            &[ANN, BOB],
            &[],
        );
        assert_eq!(o, nothing(nothing::ALREADY_STORED));
    }

    #[test]
    fn sign_up_saves_the_new_password_and_change_updates_the_login_holding_the_current_one() {
        let o = decide(
            &sub(SubmitKind::SignUp, Some("carol"), None, Some("fresh")),
            &[ANN],
            &[],
        );
        assert!(matches!(o, Offer::Save { ref password, .. } if password == "fresh"));
        let o = decide(
            &sub(
                SubmitKind::ChangePassword,
                None,
                Some("bob-pw"),
                Some("next"),
            ),
            &[ANN, BOB],
            &[],
        );
        assert_eq!(
            o,
            Offer::Update {
                item_id: "b".into(),
                username: Some("bob".into()),
                password: "next".into()
            }
        );
    }

    #[test]
    fn no_offer_for_other_forms_empty_passwords_never_list_and_odd_pages() {
        assert_eq!(
            decide(
                &sub(SubmitKind::Other, Some("x"), Some("y"), None),
                &[],
                &[]
            ),
            nothing(nothing::NOT_LOGIN_FORM)
        );
        assert_eq!(
            decide(
                &sub(SubmitKind::SignIn, Some("x"), Some(""), None),
                &[],
                &[]
            ),
            nothing(nothing::EMPTY_PASSWORD)
        );
        assert_eq!(
            decide(
                &sub(SubmitKind::SignIn, Some("x"), Some("y"), None),
                &[],
                &["example.com".into()]
            ),
            nothing(nothing::NEVER_SAVE)
        );
        let mut s = sub(SubmitKind::SignIn, Some("x"), Some("y"), None);
        s.url = "about:blank".into();
        assert_eq!(decide(&s, &[], &[]), nothing(nothing::NO_SITE));
    }

    #[test]
    fn a_known_password_without_its_username_is_already_stored() {
        let o = decide(
            &sub(SubmitKind::SignIn, None, Some("bob-pw"), None),
            &[ANN, BOB],
            &[],
        );
        assert_eq!(o, nothing(nothing::ALREADY_STORED));
    }

    #[test]
    fn username_less_saves_are_allowed() {
        let o = decide(
            &sub(SubmitKind::SignIn, None, Some("pin-1234"), None),
            &[],
            &[],
        );
        assert!(matches!(o, Offer::Save { username: None, .. }));
        assert!(!format!("{o:?}").contains("pin-1234"));
    }
}
