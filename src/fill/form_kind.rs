//! What a group of fields is for: each kind gets a score from the group's fields (how many
//! password fields, their roles, card and address parts, a textarea…) and the words around it
//! (buttons weigh most, then headings, the action path and the form's names; links say what the
//! form is *not*: "Forgot password?" sits by a sign-in, "Already have an account?" by a sign-up).
//! Autocomplete tokens are weighed with the rest: sites misuse `new-password` on sign-ins.

use serde::Serialize;

use super::classify::{Field, PasswordRole};
use super::groups::GroupText;
use super::words::{self, Words, L};

/// What a form (or a group of formless fields) is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormKind {
    SignIn,
    SignUp,
    ChangePassword,
    /// "Forgot password": asks for the account, or sets a new password from a reset link.
    Reset,
    /// A one-time-code step.
    Otp,
    Search,
    Newsletter,
    /// Contact, comment, send-to-a-friend.
    Contact,
    /// Checkout, shipping or billing address, payment.
    Checkout,
    Other,
}

impl FormKind {
    pub const ALL: [FormKind; 10] = [
        FormKind::SignIn,
        FormKind::ChangePassword,
        FormKind::SignUp,
        FormKind::Reset,
        FormKind::Otp,
        FormKind::Search,
        FormKind::Newsletter,
        FormKind::Contact,
        FormKind::Checkout,
        FormKind::Other,
    ];

    /// The kebab-case name (`sign-in`, `change-password`…).
    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::SignIn => "sign-in",
            FormKind::SignUp => "sign-up",
            FormKind::ChangePassword => "change-password",
            FormKind::Reset => "reset",
            FormKind::Otp => "otp",
            FormKind::Search => "search",
            FormKind::Newsletter => "newsletter",
            FormKind::Contact => "contact",
            FormKind::Checkout => "checkout",
            FormKind::Other => "other",
        }
    }
}

/// What the group's fields say, counted once.
#[derive(Default, Debug)]
pub(crate) struct Counts {
    /// Usable password fields.
    pub passwords: usize,
    /// Password fields not on screen (a next step, a honeypot).
    pub hidden_passwords: usize,
    /// Password inputs holding a device key or an API secret (no login's password).
    pub secrets: usize,
    pub current: usize,
    pub new: usize,
    pub confirm: usize,
    pub ac_new: usize,
    pub ac_current: usize,
    pub texts: usize,
    pub usernames: usize,
    /// Username fields named for a login, not merely an e-mail ("user", "login", `username`).
    pub login_names: usize,
    pub emails: usize,
    pub otp: usize,
    pub digit_boxes: usize,
    pub search: usize,
    pub search_typed: usize,
    pub card: usize,
    pub address: usize,
    pub personal: usize,
    pub textarea: usize,
    pub friend: usize,
    /// Subject and message fields.
    pub message: usize,
    pub newsletter: usize,
    pub confirm_email: usize,
    pub selects: usize,
}

pub(crate) fn count(fields: &[&Field]) -> Counts {
    let mut c = Counts::default();
    for f in fields {
        if f.is_card() {
            c.card += usize::from(f.shown);
            continue;
        }
        if f.secret {
            c.secrets += usize::from(f.shown || f.f.visible);
            continue;
        }
        if f.password {
            if !f.usable {
                if !f.f.visible {
                    c.hidden_passwords += 1;
                }
                continue;
            }
            c.passwords += 1;
            c.ac_new += usize::from(f.ac_new);
            c.ac_current += usize::from(f.ac_current);
            match f.role {
                PasswordRole::Current => c.current += 1,
                PasswordRole::New => c.new += 1,
                PasswordRole::Confirm => c.confirm += 1,
                PasswordRole::Unknown => {}
            }
            continue;
        }
        if f.is_textarea() && f.f.visible {
            c.textarea += 1;
            c.message += usize::from(f.is(L::Message));
        }
        if f.f.tag.eq_ignore_ascii_case("select") && f.f.visible {
            c.selects += 1;
        }
        if !f.shown {
            continue;
        }
        c.texts += usize::from(f.text_like);
        if f.is_search() {
            c.search += 1;
            c.search_typed += usize::from(f.f.kind.eq_ignore_ascii_case("search"));
            continue;
        }
        if f.f.max_length == Some(1) {
            c.digit_boxes += 1;
        } else if f.otp_signal() {
            c.otp += 1;
        }
        if f.is_address() {
            c.address += 1;
        }
        c.personal += usize::from(f.is_personal());
        c.friend += usize::from(f.is(L::Friend));
        c.message += usize::from(f.is(L::Message));
        c.newsletter += usize::from(f.is_newsletter());
        if f.text_like && f.strong_username() && !f.is_card() {
            if f.is(L::Confirm) {
                c.confirm_email += 1;
            } else {
                c.usernames += 1;
                let named = f.ac_username && !f.ac_email || (f.is(L::Username) && !f.is(L::Email));
                c.login_names += usize::from(named);
            }
        }
        c.emails += usize::from(f.is_email_type() || f.is(L::Email));
    }
    c
}

/// Points for each place the words of `list` show up around the group.
fn said(t: &GroupText, list: &[&str], button: f32, heading: f32, action: f32, names: f32) -> f32 {
    let hit = |w: &Words, p: f32| if w.any(list) { p } else { 0.0 };
    hit(&t.buttons, button)
        + hit(&t.headings, heading)
        + hit(&t.action, action)
        + hit(&t.names, names)
        + hit(&t.page, 1.0)
}

/// How many of the group's own places (buttons, headings, action path, names) hold words of
/// `list`.
fn own(t: &GroupText, list: &[&str]) -> f32 {
    [&t.buttons, &t.headings, &t.action, &t.names]
        .iter()
        .filter(|w| w.any(list))
        .count() as f32
}

/// Scores every kind and returns the best; ties go to the earlier kind of [`FormKind::ALL`].
pub(crate) fn form_kind(c: &Counts, t: &GroupText, stored_login: bool) -> FormKind {
    let mut best = (FormKind::Other, f32::MIN);
    for kind in FormKind::ALL {
        let s = score(kind, c, t, stored_login);
        if s > best.1 {
            best = (kind, s);
        }
    }
    best.0
}

fn min(n: usize, cap: usize) -> f32 {
    n.min(cap) as f32
}

pub(crate) fn score(kind: FormKind, c: &Counts, t: &GroupText, stored_login: bool) -> f32 {
    let pw = c.passwords;
    let forgot_link = t.links.any(words::RESET);
    let signup_link = t.links.any(words::SIGN_UP) || t.links.any(words::NO_ACCOUNT);
    let signin_link = t.links.any(words::SIGN_IN) || t.links.any(words::HAVE_ACCOUNT);
    let have_account = t.headings.any(words::HAVE_ACCOUNT) || t.links.any(words::HAVE_ACCOUNT);
    match kind {
        FormKind::SignIn => {
            let mut s = 0.0;
            if pw == 1 {
                s += 3.0;
                if c.ac_current > 0 || c.current > 0 {
                    s += 2.0;
                }
                if stored_login {
                    s += 1.0;
                }
                if c.confirm == 0 && c.new == 0 {
                    s += 0.5;
                } else if !stored_login {
                    // Its markup says new and nothing is stored for the site: a sign-up's look.
                    s -= 2.5;
                }
            } else if pw == 0 {
                // A first step: one identifier, its password on the next step. Without a
                // hidden password it needs words saying sign-in.
                s -= 1.0;
                if c.usernames >= 1 && c.texts <= 2 {
                    s += 1.0;
                    if stored_login {
                        s += 1.0;
                    }
                    if c.hidden_passwords > 0 {
                        s += 2.5;
                    }
                    if c.login_names > 0 {
                        s += 1.0;
                    }
                    if c.texts == 2 {
                        s -= 1.0;
                    }
                } else {
                    s -= 2.0;
                }
            } else {
                s -= 2.0 * (pw - 1) as f32;
            }
            s += said(t, words::SIGN_IN, 3.0, 2.0, 2.0, 2.0);
            if forgot_link {
                s += 2.5;
            }
            if signup_link && !have_account {
                s += 1.0;
            }
            s -= min(c.personal, 3);
            s -= 2.0 * min(c.confirm_email, 1);
            s -= 3.0 * min(c.textarea, 1);
            s -= 3.5 * min(c.card, 1);
            // A Wi-Fi key or an API secret: a settings form, whatever it is called.
            s -= 3.0 * min(c.secrets, 1);
            // Its buttons say it does something else: search, subscribe, send, order.
            let elsewhere = [
                words::SEARCH_FORM,
                words::NEWSLETTER,
                words::CONTACT,
                words::CHECKOUT,
            ];
            if !t.buttons.any(words::SIGN_IN) && elsewhere.iter().any(|l| t.buttons.any(l)) {
                s -= 2.5;
            }
            // The form's own words say sign-up ("I'm new here", /register).
            s -= said(t, words::SIGN_UP, 2.0, 2.0, 2.0, 1.0);
            // A step without a password whose own words say "forgot" or "lost password" asks
            // for the account to reset it: a stored login never goes there.
            if pw == 0 {
                s -= 2.0 * own(t, words::RESET);
            }
            s
        }
        FormKind::SignUp => {
            let mut s = 0.0;
            if pw >= 2 && c.current == 0 && c.ac_current == 0 {
                s += 3.0;
            }
            if c.confirm > 0 {
                s += 2.0;
            }
            if c.ac_new > 0 {
                s += 1.0;
                if pw == 1 && !stored_login {
                    s += 1.0;
                }
            }
            if pw == 0 {
                s -= 2.0;
            }
            if pw >= 3 {
                s -= 2.0;
            }
            if c.ac_current > 0 {
                s -= 2.0;
            }
            s += said(t, words::SIGN_UP, 3.0, 2.0, 2.0, 2.0);
            s -= said(t, words::SIGN_IN, 1.0, 1.0, 1.0, 1.0);
            if signin_link || have_account {
                s += 1.5;
            }
            if forgot_link {
                s -= 1.0;
            }
            s += min(c.personal, 3) + 2.0 * min(c.confirm_email, 1);
            // "Change password", "your password has expired": a new password for an account
            // that exists.
            s -= 2.0 * own(t, words::CHANGE);
            // Registering with no password (shown or for a next step) and no user name is for
            // an event or a list, not an account, whatever the words say.
            if pw == 0 && c.hidden_passwords == 0 && c.login_names == 0 {
                s = s.min(1.0);
            }
            s
        }
        FormKind::ChangePassword => {
            let mut s = 0.0;
            if pw >= 3 {
                s += 3.0;
            }
            if pw >= 2 && (c.current > 0 || c.ac_current > 0) {
                s += 4.0;
            }
            if pw == 0 {
                s -= 4.0;
            }
            s += said(t, words::CHANGE, 3.0, 3.0, 2.0, 2.0);
            s
        }
        FormKind::Reset => {
            let mut s = said(t, words::RESET, 3.0, 2.0, 2.0, 2.0);
            if pw == 0 && (c.usernames + c.emails) >= 1 && c.texts <= 2 {
                s += 1.0;
            }
            if pw >= 1 && (c.current > 0 || c.ac_current > 0) {
                s -= 3.0;
            }
            if pw == 1 && c.new == 0 && c.ac_new == 0 {
                s -= 2.0;
            }
            // A code and no account field: a recovery code for a second factor, not a reset.
            if pw == 0 && c.otp > 0 && c.usernames + c.emails == 0 {
                s -= 2.0;
            }
            s
        }
        FormKind::Otp => {
            let mut s = 0.0;
            if c.otp > 0 {
                s += 3.0;
            }
            if (4..=12).contains(&c.digit_boxes) {
                s += 3.0;
            }
            s += said(t, words::OTP_FORM, 2.0, 2.0, 2.0, 2.0);
            if pw > 0 {
                s -= 4.0;
            }
            s
        }
        FormKind::Search => {
            let mut s = 0.0;
            if c.search > 0 {
                s += 3.0 + min(c.search_typed, 1);
            }
            s += said(t, words::SEARCH_FORM, 2.0, 1.0, 2.0, 2.0);
            if pw > 0 {
                s -= 5.0;
            }
            if c.texts > 2 {
                s -= 1.0;
            }
            s
        }
        FormKind::Newsletter => {
            let mut s = said(t, words::NEWSLETTER, 3.0, 2.0, 2.0, 2.0);
            s += 2.0 * min(c.newsletter, 1);
            if pw == 0 && c.emails >= 1 && c.texts <= 3 {
                s += 1.0;
            }
            if pw > 0 {
                s -= 5.0;
            }
            s -= 2.0 * min(c.textarea, 1);
            s
        }
        FormKind::Contact => {
            let mut s = min(c.textarea, 1) + 2.0 * min(c.friend, 1) + 1.5 * min(c.message, 1);
            s += said(t, words::CONTACT, 2.0, 2.0, 2.0, 2.0);
            if pw > 0 {
                s -= 5.0;
            }
            s
        }
        FormKind::Checkout => {
            let mut s = 1.5 * min(c.card, 4) + min(c.address, 5) * 0.6;
            s += said(t, words::CHECKOUT, 3.0, 2.0, 2.0, 2.0);
            if pw > 0 {
                s -= 3.0;
            }
            s
        }
        FormKind::Other => 1.5,
    }
}
