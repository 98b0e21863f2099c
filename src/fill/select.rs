//! Which fields get which kind of value (docs/autofill.md rules 6, 8 and the Login, Multi-step and
//! Negatives scenarios). Pure structure: no values here, they are produced after the policy
//! checks have passed.

use super::classify::{text_is_negative, text_mentions_otp, Field, PasswordRole};
use super::page::PageDetails;

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Username,
    Password,
    /// The generated password (one per plan, shared by new and confirm fields).
    NewPassword,
    Totp,
    /// One character of the TOTP code, for split one-box-per-digit inputs.
    TotpDigit(usize),
}

/// What kind of step the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// A form with a password field.
    Login,
    /// Multi-step: a username field alone.
    UsernameOnly,
    /// A one-time-code step.
    Otp,
}

pub(crate) struct Selection {
    pub step: Step,
    /// `(field index, source)`, in document order.
    pub targets: Vec<(usize, Source)>,
}

/// How far back (in fields) a formless password looks for its username.
const FORMLESS_WINDOW: usize = 6;
/// Password fields of one form that are filled.
const MAX_GROUP_PASSWORDS: usize = 3;
/// Split one-time-code inputs: this many single-character boxes in a row, at least and at most.
const SPLIT_OTP_MIN: usize = 4;
const SPLIT_OTP_MAX: usize = 12;

/// Picks the fields to fill; `has_totp` says whether the item can produce a one-time code.
pub(crate) fn select(details: &PageDetails, has_totp: bool) -> Option<Selection> {
    let fields: Vec<Field> = details
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field::new(i, f))
        .collect();
    let focused = fields.iter().find(|f| f.f.focused && f.usable);

    if let Some(sel) = login_step(&fields, focused, has_totp) {
        return Some(sel);
    }
    if has_totp {
        let all: Vec<&Field> = fields.iter().collect();
        let page_says_otp = text_mentions_otp(&details.page_text);
        let targets = otp_targets(&all, page_says_otp, Some(details));
        if !targets.is_empty() {
            return Some(Selection {
                step: Step::Otp,
                targets,
            });
        }
    }
    username_step(&fields, focused, details)
}

/// A form (or the formless part of the page) with a usable password field.
fn login_step(fields: &[Field], focused: Option<&Field>, has_totp: bool) -> Option<Selection> {
    let pws: Vec<&Field> = fields.iter().filter(|f| f.usable && f.password).collect();
    let first_pw = pws.first()?;
    // The focused field's form wins; otherwise the first form with a password that is not
    // a sign-up's, otherwise the first.
    let anchor = focused
        .and_then(|foc| {
            pws.iter()
                .find(|p| p.form() == foc.form() && (foc.form().is_some() || p.idx >= foc.idx))
        })
        .or_else(|| pws.iter().find(|p| p.role != PasswordRole::New))
        .unwrap_or(first_pw);
    let group = anchor.form();
    let group_pws: Vec<&Field> = match group {
        // Current, new and confirm at most: more visible password inputs is no login form we
        // know, and a hostile page should not get a value copied into thousands of fields.
        Some(_) => pws
            .iter()
            .copied()
            .filter(|p| p.form() == group)
            .take(MAX_GROUP_PASSWORDS)
            .collect(),
        // Formless: the password fields close together from the anchor on, so two formless
        // widgets on one page are not taken for one change-password form.
        None => {
            let mut out: Vec<&Field> = vec![anchor];
            for p in pws
                .iter()
                .filter(|p| p.form().is_none() && p.idx > anchor.idx)
            {
                if p.idx - out[out.len() - 1].idx > 3 || out.len() == MAX_GROUP_PASSWORDS {
                    break;
                }
                out.push(p);
            }
            out
        }
    };
    let first = group_pws[0];
    let mut targets: Vec<(usize, Source)> = password_sources(&group_pws)
        .into_iter()
        .map(|(p, s)| (p.idx, s))
        .collect();
    if let Some(u) = username_for(fields, first) {
        targets.push((u.idx, Source::Username));
    }
    if has_totp && group.is_some() {
        // A login form that also asks for the code (username, password, code).
        let in_group: Vec<&Field> = fields.iter().filter(|f| f.form() == group).collect();
        for t in otp_targets(&in_group, false, None) {
            if !targets.iter().any(|(i, _)| *i == t.0) {
                targets.push(t);
            }
        }
    }
    targets.sort_by_key(|(i, _)| *i);
    Some(Selection {
        step: Step::Login,
        targets,
    })
}

/// Rule 8: current-password gets the stored password, new-password (and its confirmation) the
/// generated one. Unhinted fields are read from their neighbours: a confirmation makes the field
/// before it new; after a current-password field they are new; three in a form are current /
/// new / confirm; otherwise each gets the stored password.
fn password_sources<'a, 'b>(pws: &[&'b Field<'a>]) -> Vec<(&'b Field<'a>, Source)> {
    use PasswordRole::*;
    let mut roles: Vec<PasswordRole> = pws.iter().map(|p| p.role).collect();
    if !roles.contains(&New) {
        if let Some(c) = roles.iter().position(|r| *r == Confirm) {
            if let Some(u) = roles[..c].iter().rposition(|r| *r == Unknown) {
                roles[u] = New;
            }
        }
    }
    if !roles.contains(&New) {
        if let Some(c) = roles.iter().position(|r| *r == Current) {
            for r in roles[c + 1..].iter_mut().filter(|r| **r == Unknown) {
                *r = New;
            }
        }
    }
    if !roles.contains(&New) && !roles.contains(&Current) && roles.len() >= 3 {
        roles[0] = Current;
        for r in roles[1..].iter_mut() {
            *r = New;
        }
    }
    let mut seen_new = false;
    let sources: Vec<_> = pws
        .iter()
        .zip(roles)
        .map(|(p, role)| {
            let src = match role {
                New => Source::NewPassword,
                Confirm | Unknown if seen_new => Source::NewPassword,
                _ => Source::Password,
            };
            seen_new |= src == Source::NewPassword;
            (*p, src)
        })
        .collect();
    // A change-password form (current + new): fill the current password only; the new one is
    // the user's choice, and the save prompt offers the update (docs/autofill.md, Save / update).
    if sources.iter().any(|(_, s)| *s == Source::Password) {
        return sources
            .into_iter()
            .filter(|(_, s)| *s == Source::Password)
            .collect();
    }
    sources
}

/// The username for a password field: in its form (or, formless, just before it), the text
/// field with a username signal closest before it, else the one immediately before it, else an
/// `autocomplete=username` field after it.
fn username_for<'a, 'b>(fields: &'b [Field<'a>], pw: &Field<'a>) -> Option<&'b Field<'a>> {
    let form = pw.form();
    let before: Vec<&Field> = match form {
        Some(_) => fields[..pw.idx]
            .iter()
            .filter(|f| f.form() == form)
            .collect(),
        None => {
            let start = pw.idx.saturating_sub(FORMLESS_WINDOW);
            let mut out: Vec<&Field> = Vec::new();
            // Walk back from the password; another password or a form field ends the window.
            for f in fields[start..pw.idx].iter().rev() {
                if f.form().is_some() || (f.password && f.usable) {
                    break;
                }
                out.push(f);
            }
            out.reverse();
            out
        }
    };
    let candidates: Vec<&Field> = before
        .into_iter()
        .filter(|f| f.username_candidate())
        .collect();
    if let Some(strong) = candidates.iter().rev().find(|f| f.strong_username()) {
        return Some(strong);
    }
    if let Some(last) = candidates.last() {
        return Some(last);
    }
    // Formless: nothing after the password can be tied to it.
    let form = form?;
    fields[pw.idx..]
        .iter()
        .find(|f| f.form() == Some(form) && f.ac_username && f.username_candidate())
}

/// One-time-code fields among `scope`: a run of single-character boxes (one digit each) or a
/// single code input. `loose` accepts a run with no signal of its own when the page talks
/// about codes; with `details`, a form's text may vouch for a run too.
fn otp_targets(
    scope: &[&Field],
    loose: bool,
    details: Option<&PageDetails>,
) -> Vec<(usize, Source)> {
    let mut i = 0;
    while i < scope.len() {
        let f = scope[i];
        if !f.otp_capable() {
            i += 1;
            continue;
        }
        if f.f.max_length == Some(1) {
            // Consecutive in the document and in one form.
            let mut j = i + 1;
            while j < scope.len()
                && scope[j].idx == scope[j - 1].idx + 1
                && scope[j].form() == f.form()
                && scope[j].otp_capable()
                && scope[j].f.max_length == Some(1)
            {
                j += 1;
            }
            let run = &scope[i..j];
            let vouched = run.iter().any(|b| b.otp_signal())
                || loose
                || details.is_some_and(|d| text_mentions_otp(form_text(d, f.form())));
            if (SPLIT_OTP_MIN..=SPLIT_OTP_MAX).contains(&run.len()) && vouched {
                return run
                    .iter()
                    .enumerate()
                    .map(|(k, b)| (b.idx, Source::TotpDigit(k)))
                    .collect();
            }
            i = j;
            continue;
        }
        if f.otp_signal() && !f.password {
            return vec![(f.idx, Source::Totp)];
        }
        i += 1;
    }
    Vec::new()
}

/// Multi-step sign-in, first step: one field with a strong username signal, in a form (or a
/// formless page) that does not look like search, a newsletter or comments.
fn username_step(
    fields: &[Field],
    focused: Option<&Field>,
    details: &PageDetails,
) -> Option<Selection> {
    let page_text = details.page_text.as_str();
    // Forms holding a textarea (a comment form), found once: pages may have thousands of fields.
    let mut with_textarea: Vec<&str> = fields
        .iter()
        .filter(|f| f.is_textarea())
        .filter_map(super::classify::Field::form)
        .collect();
    with_textarea.sort_unstable();
    with_textarea.dedup();
    let ok = |f: &Field| -> bool {
        if !(f.username_candidate() && f.strong_username()) {
            return false;
        }
        match f.form() {
            Some(form) => {
                // A textarea beside name and e-mail is a comment form.
                with_textarea.binary_search(&form).is_err()
                    && !text_is_negative(form_text(details, Some(form)))
            }
            None => !text_is_negative(page_text) || looks_like_sign_in(page_text),
        }
    };
    let pick = focused
        .filter(|f| ok(f))
        .or_else(|| fields.iter().find(|f| ok(f)))?;
    Some(Selection {
        step: Step::UsernameOnly,
        targets: vec![(pick.idx, Source::Username)],
    })
}

fn looks_like_sign_in(text: &str) -> bool {
    let t = text.to_lowercase();
    ["sign in", "log in", "login", "connexion", "se connecter"]
        .iter()
        .any(|w| t.contains(w))
}

/// The visible text of a field's form ("" when formless or unknown).
fn form_text<'a>(details: &'a PageDetails, form: Option<&str>) -> &'a str {
    form.and_then(|id| details.forms.iter().find(|f| f.opid == id))
        .map(|f| f.text.as_str())
        .unwrap_or("")
}
