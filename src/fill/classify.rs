//! What one field looks like: its autocomplete tokens and the words of its name, id, label,
//! placeholder, aria-label and title, reduced to the few signals the planner decides on.

use super::page::PageField;

/// Words that mark a username / e-mail field (English and French, as the scenarios need).
const USERNAME_WORDS: &[&str] = &[
    "user",
    "login",
    "email",
    "e-mail",
    "e_mail",
    "account",
    "identifiant",
    "courriel",
    "utilisateur",
    "signin",
    "sign-in",
];
const SEARCH_WORDS: &[&str] = &["search", "recherche", "query", "rechercher", "buscar"];
/// Exact names/ids of search boxes (`q` Google style, `s` WordPress).
const SEARCH_NAMES: &[&str] = &["q", "s", "query", "search", "k", "keywords"];
const NEWSLETTER_WORDS: &[&str] = &[
    "newsletter",
    "subscribe",
    "subscription",
    "abonne",
    "abonnez",
    "infolettre",
    "mailing list",
    "mailing-list",
    "sign up for updates",
];
const COMMENT_WORDS: &[&str] = &[
    "comment",
    "reply",
    "commentaire",
    "répondre",
    "repondre",
    "leave a message",
];
/// Security questions, captchas and the like: text fields that sit near a login but must stay
/// empty.
const NOT_USERNAME_WORDS: &[&str] = &[
    "question", "answer", "réponse", "reponse", "maiden", "secret", "captcha", "security",
    "honeypot", "birth", "promo", "coupon",
];
const OTP_WORDS: &[&str] = &[
    "otp",
    "one-time",
    "onetime",
    "one_time",
    "2fa",
    "mfa",
    "two-factor",
    "twofactor",
    "verification",
    "verify",
    "authenticat",
    "passcode",
    "digit",
    "token",
    "code",
];
/// A "code" that is not a one-time code.
const NOT_OTP_WORDS: &[&str] = &[
    "postal", "zip", "promo", "coupon", "voucher", "gift", "discount", "country", "area",
    "referral", "invite", "captcha", "post",
];
const NEW_PASSWORD_WORDS: &[&str] = &["new", "nouveau", "nouvel", "create", "choose", "choisi"];
const CONFIRM_WORDS: &[&str] = &[
    "confirm",
    "repeat",
    "retype",
    "re-enter",
    "again",
    "verify",
    "confirmer",
    "répéter",
    "repeter",
    "2",
];
const CURRENT_PASSWORD_WORDS: &[&str] = &["current", "old", "actuel", "ancien", "existing"];

pub(crate) fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// What a password field is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PasswordRole {
    Current,
    New,
    /// A second "new" field: gets the same generated password.
    Confirm,
    Unknown,
}

/// One field with the signals the planner uses.
pub(crate) struct Field<'a> {
    /// Index in `PageDetails::fields` (document order).
    pub idx: usize,
    pub f: &'a PageField,
    /// Visible, enabled, writable `<input>` of a kind we may type into (rule 6).
    pub usable: bool,
    /// A password input, or a text input marked current-/new-password (a "show password" toggle).
    pub password: bool,
    pub role: PasswordRole,
    /// A text-like input: text, email, tel or untyped.
    pub text_like: bool,
    /// `autocomplete` says username or email.
    pub ac_username: bool,
    pub ac_otp: bool,
    /// Name, id, label, placeholder, aria-label and title, lower-cased, space-separated.
    words: String,
}

impl<'a> Field<'a> {
    pub fn new(idx: usize, f: &'a PageField) -> Field<'a> {
        let tokens: Vec<String> = f
            .autocomplete
            .split_ascii_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        let has = |t: &str| tokens.iter().any(|x| x == t);
        let kind = f.kind.trim().to_ascii_lowercase();
        let tag = f.tag.trim().to_ascii_lowercase();
        let is_input = tag.is_empty() || tag == "input";
        let ac_otp = has("one-time-code");
        let ac_new = has("new-password");
        let ac_current = has("current-password");
        let text_like = is_input && matches!(kind.as_str(), "" | "text" | "email" | "tel");
        let password =
            is_input && !ac_otp && (kind == "password" || (text_like && (ac_new || ac_current)));
        let fillable_kind = text_like || password || (is_input && kind == "number");
        let words = [
            &f.name,
            &f.html_id,
            &f.label,
            &f.placeholder,
            &f.aria_label,
            &f.title,
        ]
        .iter()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
        let role = if !password {
            PasswordRole::Unknown
        } else if ac_new {
            PasswordRole::New
        } else if ac_current {
            PasswordRole::Current
        } else if contains_any(&words, CONFIRM_WORDS) && !contains_any(&words, &["2fa"]) {
            PasswordRole::Confirm
        } else if contains_any(&words, CURRENT_PASSWORD_WORDS) {
            PasswordRole::Current
        } else if contains_any(&words, NEW_PASSWORD_WORDS) {
            PasswordRole::New
        } else {
            PasswordRole::Unknown
        };
        Field {
            idx,
            f,
            usable: fillable_kind && f.visible && !f.disabled && !f.read_only,
            password,
            role,
            text_like,
            ac_username: has("username") || has("email"),
            ac_otp,
            words,
        }
    }

    pub fn form(&self) -> Option<&'a str> {
        self.f.form.as_deref()
    }

    pub fn is_search(&self) -> bool {
        let name = self.f.name.to_ascii_lowercase();
        let id = self.f.html_id.to_ascii_lowercase();
        self.f.kind.eq_ignore_ascii_case("search")
            || contains_any(&self.words, SEARCH_WORDS)
            || SEARCH_NAMES.contains(&name.as_str())
            || SEARCH_NAMES.contains(&id.as_str())
    }

    pub fn is_newsletter(&self) -> bool {
        contains_any(&self.words, NEWSLETTER_WORDS)
    }

    /// A field that may hold the username: text-like, usable, and nothing says otherwise.
    pub fn username_candidate(&self) -> bool {
        self.usable
            && self.text_like
            && !self.password
            && !self.ac_otp
            && self.f.max_length != Some(1)
            && !self.is_search()
            && !self.is_newsletter()
            && !contains_any(&self.words, NOT_USERNAME_WORDS)
            && !contains_any(&self.words, COMMENT_WORDS)
    }

    /// `autocomplete=username|email`, or a name/id/label/placeholder naming a login.
    pub fn strong_username(&self) -> bool {
        self.ac_username || contains_any(&self.words, USERNAME_WORDS)
    }

    /// Something says this is a one-time-code box.
    pub fn otp_signal(&self) -> bool {
        self.ac_otp
            || (contains_any(&self.words, OTP_WORDS) && !contains_any(&self.words, NOT_OTP_WORDS))
    }

    /// A box that may receive a one-time code (or one digit of it).
    pub fn otp_capable(&self) -> bool {
        self.usable
            // `password` already excludes one-time-code fields.
            && !self.password
            && (self.text_like
                || self.ac_otp
                || self.f.kind.eq_ignore_ascii_case("number")
                || self.f.kind.eq_ignore_ascii_case("password"))
    }

    pub fn is_textarea(&self) -> bool {
        self.f.tag.eq_ignore_ascii_case("textarea")
    }
}

/// Form or page text that says "this is not a login" (search, newsletter, comment).
pub(crate) fn text_is_negative(text: &str) -> bool {
    let t = text.to_lowercase();
    contains_any(&t, SEARCH_WORDS)
        || contains_any(&t, NEWSLETTER_WORDS)
        || contains_any(&t, COMMENT_WORDS)
}

/// Page or form text that mentions a one-time code.
pub(crate) fn text_mentions_otp(text: &str) -> bool {
    let t = text.to_lowercase();
    contains_any(
        &t,
        &[
            "verification",
            "one-time",
            "2fa",
            "two-factor",
            "authenticat",
            "security code",
            "code",
        ],
    )
}
