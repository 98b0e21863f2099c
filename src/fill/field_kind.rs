//! What each field of a group is, once the group's kind is known: the kind of form decides what
//! its password fields are (a sign-in's one password is the current one whatever its
//! `autocomplete` says) and whether an e-mail field is the account's or just an e-mail.

use serde::Serialize;

use super::classify::{Field, PasswordRole};
use super::form_kind::FormKind;
use super::words::L;

/// How far back (in fields) a formless password looks for its username.
const FORMLESS_WINDOW: usize = 6;

/// What one field is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Username,
    CurrentPassword,
    NewPassword,
    ConfirmPassword,
    Otp,
    /// An e-mail field that is not an account's (shipping, newsletter, a friend's).
    Email,
    Search,
    Card,
    Address,
    Other,
}

impl FieldKind {
    pub const ALL: [FieldKind; 10] = [
        FieldKind::Username,
        FieldKind::CurrentPassword,
        FieldKind::NewPassword,
        FieldKind::ConfirmPassword,
        FieldKind::Otp,
        FieldKind::Email,
        FieldKind::Search,
        FieldKind::Card,
        FieldKind::Address,
        FieldKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Username => "username",
            FieldKind::CurrentPassword => "current-password",
            FieldKind::NewPassword => "new-password",
            FieldKind::ConfirmPassword => "confirm-password",
            FieldKind::Otp => "otp",
            FieldKind::Email => "email",
            FieldKind::Search => "search",
            FieldKind::Card => "card",
            FieldKind::Address => "address",
            FieldKind::Other => "other",
        }
    }
}

/// Forms that hold an account's identifier.
fn has_account(kind: FormKind) -> bool {
    matches!(
        kind,
        FormKind::SignIn | FormKind::SignUp | FormKind::ChangePassword | FormKind::Reset
    )
}

/// The kinds of a group's fields (`members`: indexes into `fields`, document order).
pub(crate) fn field_kinds(fields: &[Field], members: &[usize], kind: FormKind) -> Vec<FieldKind> {
    let group: Vec<&Field> = members.iter().map(|&i| &fields[i]).collect();
    let mut out = vec![FieldKind::Other; group.len()];
    let pws: Vec<usize> = (0..group.len())
        .filter(|&k| group[k].password && group[k].usable)
        .collect();
    let roles = password_roles(
        kind,
        &pws.iter().map(|&k| group[k].role).collect::<Vec<_>>(),
    );
    for (&k, role) in pws.iter().zip(roles) {
        out[k] = role;
    }
    for (k, f) in group.iter().enumerate() {
        if f.password && !f.usable {
            out[k] = match f.role {
                PasswordRole::New => FieldKind::NewPassword,
                PasswordRole::Confirm => FieldKind::ConfirmPassword,
                _ if matches!(kind, FormKind::SignUp) => FieldKind::NewPassword,
                _ => FieldKind::CurrentPassword,
            };
        }
    }
    let user = if has_account(kind) {
        // The first password on screen, else any (a hidden sign-in still has its username).
        let anchor = pws
            .first()
            .map(|&k| group[k])
            .or_else(|| group.iter().copied().find(|f| f.password));
        let prefer_name = kind == FormKind::SignUp;
        match anchor {
            Some(p) => username_for(fields, &group, p, prefer_name).or_else(|| {
                // A change form keeps the account's name in a hidden field for password managers.
                (kind == FormKind::ChangePassword)
                    .then(|| {
                        group
                            .iter()
                            .find(|f| f.idx < p.idx && f.ac_username && f.text_like && !f.f.visible)
                    })
                    .flatten()
                    .map(|f| f.idx)
            }),
            None => first_step_username(&group),
        }
    } else {
        None
    };
    let account_form = has_account(kind);
    let has_card = group.iter().any(|f| f.is_card());
    for (k, f) in group.iter().enumerate() {
        // A password input in a card form is the card's code or PIN.
        let card_pin = has_card && !account_form;
        if f.password && !card_pin {
            continue;
        }
        let email = f.text_like && (f.is_email_type() || (f.is(L::Email) && f.names_email()));
        // "Confirm e-mail" repeats an e-mail asked before it; "e-mail for the confirmation" is one.
        let repeat = f.is(L::Confirm)
            && group[..k]
                .iter()
                .any(|e| e.text_like && (e.is_email_type() || e.is(L::Email)));
        out[k] = if Some(f.idx) == user {
            FieldKind::Username
        } else if kind == FormKind::SignUp && f.either_email_or_phone() && user.is_some() {
            // "Mobile number or e-mail" beside a user name: both sign in.
            FieldKind::Username
        } else if (f.is_search() || (kind == FormKind::Search && f.text_like && !email))
            && !f.password
        {
            FieldKind::Search
        } else if f.otp_signal() || (kind == FormKind::Otp && f.text_like && f.usable) {
            FieldKind::Otp
        } else if (f.is_card()
            || f.password
            || (has_card && f.is(L::MonthYear) && !f.is(L::Address)))
            && !account_form
        {
            FieldKind::Card
        } else if f.is_address() && kind == FormKind::Checkout {
            FieldKind::Address
        } else if email && !repeat {
            FieldKind::Email
        } else {
            FieldKind::Other
        };
    }
    out
}

/// The usable password fields' kinds, in order, from the form's kind and their own roles.
fn password_roles(kind: FormKind, roles: &[PasswordRole]) -> Vec<FieldKind> {
    use PasswordRole::*;
    let n = roles.len();
    match kind {
        FormKind::SignIn => vec![FieldKind::CurrentPassword; n],
        FormKind::SignUp | FormKind::Reset => (0..n)
            .map(|i| {
                if i == 0 {
                    FieldKind::NewPassword
                } else {
                    FieldKind::ConfirmPassword
                }
            })
            .collect(),
        _ => {
            let mut r: Vec<PasswordRole> = roles.to_vec();
            // A confirmation makes the unhinted field before it the new one.
            if !r.contains(&New) {
                if let Some(c) = r.iter().position(|x| *x == Confirm) {
                    if let Some(u) = r[..c].iter().rposition(|x| *x == Unknown) {
                        r[u] = New;
                    }
                }
            }
            // After the current password, unhinted fields are new.
            if !r.contains(&New) {
                if let Some(c) = r.iter().position(|x| *x == Current) {
                    for x in r[c + 1..].iter_mut().filter(|x| **x == Unknown) {
                        *x = New;
                    }
                }
            }
            // A change form with nothing said: current, then new.
            // (A form of new and confirm fields only, an expired password, has no current one.)
            if kind == FormKind::ChangePassword
                && !r.contains(&Current)
                && n >= 2
                && r[0] == Unknown
            {
                r[0] = Current;
                for x in r[1..].iter_mut().filter(|x| **x == Unknown) {
                    *x = New;
                }
            }
            if !r.contains(&New) && !r.contains(&Current) && n >= 3 {
                r[0] = Current;
                for x in r[1..].iter_mut() {
                    *x = New;
                }
            }
            let mut seen_new = false;
            r.iter()
                .map(|x| {
                    let k = match x {
                        New | Confirm | Unknown if seen_new => FieldKind::ConfirmPassword,
                        New => FieldKind::NewPassword,
                        Confirm => FieldKind::ConfirmPassword,
                        Current | Unknown => FieldKind::CurrentPassword,
                    };
                    seen_new |= matches!(k, FieldKind::NewPassword | FieldKind::ConfirmPassword);
                    k
                })
                .collect()
        }
    }
}

/// The username for a password field (index into `fields`): in its group (and, formless, just
/// before it), the text field with a username signal closest before it, else the one
/// immediately before it, else an `autocomplete=username` field after it.
pub(crate) fn username_for(
    fields: &[Field],
    group: &[&Field],
    pw: &Field,
    prefer_name: bool,
) -> Option<usize> {
    let formless = pw.form().is_none();
    let before: Vec<&Field> = if formless {
        let mut out: Vec<&Field> = Vec::new();
        let start = pw.idx.saturating_sub(FORMLESS_WINDOW);
        // Walk back from the password; another password or a form's field ends the window.
        for f in fields[start..pw.idx].iter().rev() {
            if f.form().is_some() || (f.password && f.usable) || f.f.section != pw.f.section {
                break;
            }
            out.push(f);
        }
        out.reverse();
        out
    } else {
        group.iter().copied().filter(|f| f.idx < pw.idx).collect()
    };
    // A hidden form (a closed drop-down) still has its username, hidden too.
    let candidate = |f: &Field| {
        if pw.shown {
            f.username_candidate()
        } else {
            f.text_like && !f.password && !f.is_search() && f.f.max_length != Some(1)
        }
    };
    let candidates: Vec<&Field> = before
        .into_iter()
        .filter(|f| candidate(f) && !f.is(L::Confirm))
        .collect();
    if prefer_name {
        // A sign-up asking for a user name and an e-mail: the name is the login.
        let named = |f: &&&Field| {
            !f.is_email_type() && !f.is(L::Email) && (f.ac_username || f.is(L::Username))
        };
        if let Some(name) = candidates.iter().rev().find(named) {
            return Some(name.idx);
        }
    }
    if let Some(strong) = candidates.iter().rev().find(|f| f.strong_username()) {
        return Some(strong.idx);
    }
    // A phone number before a name: sites that sign in by phone ask for the name beside it.
    if let Some(tel) = candidates.iter().rev().find(|f| f.is_tel()) {
        return Some(tel.idx);
    }
    if let Some(last) = candidates.last() {
        return Some(last.idx);
    }
    if formless {
        // Nothing after a formless password can be tied to it.
        return None;
    }
    group
        .iter()
        .find(|f| f.idx > pw.idx && f.ac_username && candidate(f))
        .map(|f| f.idx)
}

/// A step with no password: the first field with a username signal (on screen, else any).
fn first_step_username(group: &[&Field]) -> Option<usize> {
    let named =
        |f: &&&Field| f.strong_username() && !f.is(L::Confirm) && !f.is_search() && f.text_like;
    group
        .iter()
        .filter(|f| f.username_candidate())
        .find(named)
        .or_else(|| group.iter().filter(|f| !f.password).find(named))
        .map(|f| f.idx)
}
