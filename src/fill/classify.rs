//! What one field looks like: its autocomplete tokens and the words of its name, id, class,
//! label, placeholder, aria-label and title, reduced to the few signals the form and field
//! classifiers decide on.

use super::page::PageField;
use super::words::{self, Words, L};

/// What a password field's own markup says it is for (the form around it may overrule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PasswordRole {
    Current,
    New,
    /// A second "new" field: gets the same generated password.
    Confirm,
    Unknown,
}

/// One field with the signals the classifiers use.
pub(crate) struct Field<'a> {
    /// Index in `PageDetails::fields` (document order).
    pub idx: usize,
    pub f: &'a PageField,
    /// On screen, enabled, and of a kind we may type into (rule 6). A read-only password counts:
    /// sites keep one read-only until it is focused, and the content script checks again after
    /// focusing it.
    pub usable: bool,
    /// On screen and enabled, maybe read-only: what the user sees as the form's field.
    pub shown: bool,
    /// A card security code, whatever its input type.
    pub card_code: bool,
    /// A password input holding a key or secret that is no login's password (never filled).
    pub secret: bool,
    /// A password input, or a text input marked current-/new-password (a "show password" toggle).
    pub password: bool,
    pub role: PasswordRole,
    /// A text-like input: text, email, tel or untyped.
    pub text_like: bool,
    /// `autocomplete` says username or email.
    pub ac_username: bool,
    pub ac_email: bool,
    pub ac_otp: bool,
    pub ac_new: bool,
    pub ac_current: bool,
    /// `autocomplete` names a card part (`cc-*`).
    pub ac_card: bool,
    /// `autocomplete` names an address or contact part, or a `shipping`/`billing` section.
    pub ac_address: bool,
    /// Which word lists its name, id, class, label, placeholder, aria-label and title hold
    /// (bits of [`L`]).
    flags: u32,
}

/// Address and contact tokens of the autocomplete standard.
const AC_ADDRESS: &[&str] = &[
    "shipping",
    "billing",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level1",
    "address-level2",
    "address-level3",
    "address-level4",
    "country",
    "country-name",
    "postal-code",
    "given-name",
    "family-name",
    "additional-name",
    "name",
    "organization",
    "tel",
    "tel-national",
];

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
        let words = Words::new(&[
            &f.name,
            &f.html_id,
            &f.label,
            &f.placeholder,
            &f.aria_label,
            &f.title,
            &f.class_name,
        ]);
        // A card's security code is often a password input: it is a card part.
        let flags = words.flags();
        let is = |l: L| flags & (1 << l as u32) != 0;
        // "cid" is a card's code, and a customer's id: a field naming an account is no card part.
        let card_code = is(L::CardCode) && !is(L::Password) && !is(L::Username);
        // A text input marked current-/new-password is a shown password ("show password"
        // toggles), unless it names a user name: sites put new-password on a sign-up's
        // username-availability field.
        let names_user = is(L::Username) && !is(L::Password);
        // A password input for a network's, a device's or a service's secret (a Wi-Fi key or
        // password, an API secret), or a key that names no password, not marked as a password
        // by its tokens: nobody's login.
        let secret = (is(L::DeviceSecret) || (is(L::NotPassword) && !is(L::Password)))
            && !ac_new
            && !ac_current;
        let password = is_input
            && !ac_otp
            && !card_code
            && !secret
            && (kind == "password" || (text_like && (ac_new || ac_current) && !names_user));
        let fillable_kind = text_like || password || (is_input && kind == "number");
        let shown = fillable_kind && f.visible && !f.disabled;
        let role = if !password {
            PasswordRole::Unknown
        } else if ac_new {
            PasswordRole::New
        } else if ac_current {
            PasswordRole::Current
        } else if is(L::Confirm) && !words.has("2fa") {
            PasswordRole::Confirm
        } else if is(L::Current) {
            PasswordRole::Current
        } else if is(L::New) {
            PasswordRole::New
        } else {
            PasswordRole::Unknown
        };
        let writable = !f.read_only || password;
        Field {
            idx,
            f,
            usable: shown && writable,
            shown,
            card_code,
            secret: secret && kind == "password",
            password,
            role,
            text_like,
            ac_username: has("username") || has("email"),
            ac_email: has("email"),
            ac_otp,
            ac_new,
            ac_current,
            ac_card: tokens.iter().any(|t| t.starts_with("cc-")),
            ac_address: tokens.iter().any(|t| AC_ADDRESS.contains(&t.as_str())),
            flags,
        }
    }

    /// Whether the field's words hold an entry of `list`.
    pub fn is(&self, list: L) -> bool {
        self.flags & (1 << list as u32) != 0
    }

    pub fn form(&self) -> Option<&'a str> {
        self.f.form.as_deref()
    }

    pub fn is_email_type(&self) -> bool {
        self.f.kind.eq_ignore_ascii_case("email") || self.ac_email
    }

    /// Its name, id, placeholder or aria-label (not only a label, which may be help text
    /// beside it: "Get new notes by e-mail") says e-mail.
    pub fn names_email(&self) -> bool {
        Words::new(&[
            &self.f.name,
            &self.f.html_id,
            &self.f.placeholder,
            &self.f.aria_label,
        ])
        .any(words::EMAIL)
    }

    /// A phone number: `type=tel` or the `tel` token.
    pub fn is_tel(&self) -> bool {
        self.f.kind.eq_ignore_ascii_case("tel")
            || self
                .f
                .autocomplete
                .split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("tel"))
    }

    /// One identifier asked either way: "mobile number or e-mail".
    pub fn either_email_or_phone(&self) -> bool {
        self.text_like
            && !self.is_email_type()
            && self.is(L::Email)
            && self.is(L::Username)
            && Words::new(&[
                &self.f.name,
                &self.f.label,
                &self.f.placeholder,
                &self.f.aria_label,
            ])
            .any(&["phone or", "mobile or", "or phone", "or mobile"])
    }

    pub fn is_search(&self) -> bool {
        let name = self.f.name.to_ascii_lowercase();
        let id = self.f.html_id.to_ascii_lowercase();
        let named = words::SEARCH_NAMES.contains(&name.as_str())
            || words::SEARCH_NAMES.contains(&id.as_str());
        // `s` or `q` as a name says search only when nothing the user reads says otherwise.
        let read = [&self.f.label, &self.f.placeholder, &self.f.aria_label];
        let unlabelled = read.iter().all(|t| t.trim().is_empty());
        self.f.kind.eq_ignore_ascii_case("search")
            || (!self.ac_username && !self.password && self.is(L::Search))
            || (named && !self.password && (unlabelled || self.is(L::Search)))
    }

    pub fn is_newsletter(&self) -> bool {
        self.is(L::Newsletter)
    }

    /// A card part: by its token, or by its words when nothing says login.
    pub fn is_card(&self) -> bool {
        self.card_code
            || !self.password
                && (self.ac_card
                    || (!self.ac_username && !self.ac_otp && self.is(L::Card))
                    || card_number_hint(&self.f.placeholder))
    }

    /// An address or contact part (name, street, city, phone…), not the e-mail.
    pub fn is_address(&self) -> bool {
        !self.password
            && !self.ac_username
            && !self.ac_otp
            && !self.is(L::Sender)
            && (self.ac_address
                || (!self.is(L::Email) && !self.is(L::LoginName) && self.is(L::Address)))
    }

    /// Name, birthday, phone: what a sign-up asks beside the login.
    pub fn is_personal(&self) -> bool {
        !self.password && !self.ac_username && self.is(L::Personal)
    }

    /// A field that may hold the username: text-like, usable, and nothing says otherwise.
    pub fn username_candidate(&self) -> bool {
        self.shown
            && self.text_like
            && !self.password
            && !self.ac_otp
            && !self.ac_card
            && self.f.max_length != Some(1)
            && !self.is_search()
            && !self.is_newsletter()
            && (self.ac_username || !(self.is(L::NotUsername) || self.is(L::Comment)))
    }

    /// `autocomplete=username|email`, an e-mail input, or words naming a login.
    pub fn strong_username(&self) -> bool {
        self.ac_username || self.is(L::Username)
    }

    /// Something says this is a one-time-code box.
    pub fn otp_signal(&self) -> bool {
        // A card's security code is no one-time code, whatever its label says.
        !self.ac_card
            && !self.card_code
            && !self.secret
            && (self.ac_otp || (self.is(L::Otp) && !self.is(L::NotOtp) && !self.is(L::Password)))
    }

    /// A box that may receive a one-time code (or one digit of it).
    pub fn otp_capable(&self) -> bool {
        self.usable
            // `password` already excludes one-time-code fields.
            && !self.password
            && !self.secret
            && (self.text_like
                || self.ac_otp
                || self.f.kind.eq_ignore_ascii_case("number")
                || self.f.kind.eq_ignore_ascii_case("password"))
    }

    pub fn is_textarea(&self) -> bool {
        self.f.tag.eq_ignore_ascii_case("textarea")
    }
}

/// A placeholder that shows a card number: 13 or more digits in groups ("1234 1234 1234 1234").
fn card_number_hint(placeholder: &str) -> bool {
    let digits = placeholder.chars().filter(char::is_ascii_digit).count();
    digits >= 13
        && placeholder
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '•' || c == 'x')
}

/// Page or form text that mentions a one-time code.
pub(crate) fn text_mentions_otp(text: &str) -> bool {
    let t = Words::new(&[text]);
    t.any(words::OTP_FORM) || t.any(&["code", "one time", "authenticat", "2fa", "código"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(json: &str) -> PageField {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_read_only_password_stays_usable_a_read_only_text_does_not() {
        let pw = field(r#"{"type": "password", "visible": true, "readOnly": true}"#);
        assert!(Field::new(0, &pw).usable);
        let text = field(r#"{"type": "text", "visible": true, "readOnly": true}"#);
        assert!(!Field::new(0, &text).usable);
    }

    #[test]
    fn password_roles_from_tokens_and_words() {
        let f = field(r#"{"type": "password", "name": "user[password_confirmation]"}"#);
        assert_eq!(Field::new(0, &f).role, PasswordRole::Confirm);
        let f = field(r#"{"type": "password", "label": "Aktuelles Passwort"}"#);
        assert_eq!(Field::new(0, &f).role, PasswordRole::Current);
        let f = field(r#"{"type": "password", "label": "Nueva contraseña"}"#);
        assert_eq!(Field::new(0, &f).role, PasswordRole::New);
        let f = field(r#"{"type": "password", "name": "pw", "autocomplete": "new-password"}"#);
        assert_eq!(Field::new(0, &f).role, PasswordRole::New);
    }

    #[test]
    fn a_username_marked_new_password_is_no_password() {
        let f = field(r#"{"type": "text", "name": "username", "autocomplete": "new-password"}"#);
        assert!(!Field::new(0, &f).password);
        let f = field(r#"{"type": "text", "name": "pw", "autocomplete": "new-password"}"#);
        assert!(Field::new(0, &f).password);
        let f = field(r#"{"type": "password", "name": "cvv", "maxLength": 4}"#);
        let f = Field::new(0, &f);
        assert!(!f.password && f.is_card());
    }

    #[test]
    fn card_address_and_search_parts() {
        let f = field(r#"{"name": "cardnumber", "autocomplete": "cc-number"}"#);
        assert!(Field::new(0, &f).is_card());
        let f = field(r#"{"name": "shipping_email", "autocomplete": "shipping email"}"#);
        let f = Field::new(0, &f);
        assert!(f.ac_email && !f.is_address());
        let f = field(r#"{"name": "billing[postcode]"}"#);
        assert!(Field::new(0, &f).is_address());
        let f = field(r#"{"type": "search", "name": "term"}"#);
        assert!(Field::new(0, &f).is_search());
        let f = field(r#"{"name": "login[username]"}"#);
        assert!(!Field::new(0, &f).is_address());
    }

    #[test]
    fn otp_words_but_not_postal_codes() {
        let f = field(r#"{"name": "verification_code"}"#);
        assert!(Field::new(0, &f).otp_signal());
        let f = field(r#"{"name": "postal_code"}"#);
        assert!(!Field::new(0, &f).otp_signal());
        let f = field(r#"{"label": "Code de vérification"}"#);
        assert!(Field::new(0, &f).otp_signal());
    }
}
