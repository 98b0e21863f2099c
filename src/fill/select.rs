//! Which fields get which kind of value (docs/autofill.md rules 6, 8 and the Login, Multi-step and
//! Negatives scenarios), from the classifier's kinds: a sign-in gets the stored login, a
//! change-password form the current password only, a sign-up or reset form a generated password
//! only when the user asked for one, and nothing else gets anything. Pure structure: no values
//! here, they are produced after the policy checks have passed.

use super::analysis::{classify_fields, PageKinds};
use super::classify::{text_mentions_otp, Field, PasswordRole};
use super::field_kind::FieldKind;
use super::form_kind::FormKind;
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
    /// A generated password the user asked for.
    Generated,
}

pub(crate) struct Selection {
    pub step: Step,
    /// `(field index, source)`, in document order.
    pub targets: Vec<(usize, Source)>,
}

/// What the fill is asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Want {
    /// The item can produce a one-time code.
    pub has_totp: bool,
    /// A login is stored for this site (the item being filled).
    pub stored_login: bool,
    /// The user asked for a generated password.
    pub generate: bool,
    /// Only if the focused field is a new password (the shortcut on a site with no login).
    pub focused_new_only: bool,
}

/// Why nothing was selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nothing {
    /// No form to fill.
    NoFields,
    /// The form to fill is a sign-up (or a reset's new password): it takes a generated password
    /// the user asks for, never the stored login.
    SignUp,
}

/// Password fields of one group that are filled.
const MAX_GROUP_PASSWORDS: usize = 3;
/// How far apart (in fields) formless password fields may sit and still be one widget.
const FORMLESS_GAP: usize = 3;
/// Split one-time-code inputs: this many single-character boxes in a row, at least and at most.
const SPLIT_OTP_MIN: usize = 4;
const SPLIT_OTP_MAX: usize = 12;

/// Picks the fields to fill.
pub(crate) fn select(details: &PageDetails, want: Want) -> Result<Selection, Nothing> {
    let fields: Vec<Field> = details
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field::new(i, f))
        .collect();
    let kinds = classify_fields(details, &fields, want.stored_login);
    let focused = fields.iter().find(|f| f.f.focused && f.usable);
    let usable_in = |g: usize| kinds.groups[g].fields.iter().any(|&i| fields[i].usable);
    if want.generate {
        return generated(&fields, &kinds, focused, want);
    }

    let fillable = |g: usize| -> bool {
        let k = kinds.groups[g].kind;
        let has = |kind: FieldKind| {
            kinds.groups[g]
                .fields
                .iter()
                .any(|&i| fields[i].usable && kinds.fields[i] == kind)
        };
        match k {
            FormKind::SignIn => has(FieldKind::CurrentPassword) || has(FieldKind::Username),
            FormKind::ChangePassword => has(FieldKind::CurrentPassword),
            FormKind::Otp => want.has_totp && usable_in(g),
            _ => false,
        }
    };
    let sign_up = |g: usize| {
        matches!(kinds.groups[g].kind, FormKind::SignUp | FormKind::Reset)
            && kinds.groups[g].fields.iter().any(|&i| {
                fields[i].usable
                    && matches!(
                        kinds.fields[i],
                        FieldKind::NewPassword | FieldKind::ConfirmPassword
                    )
            })
    };
    let order = [FormKind::SignIn, FormKind::ChangePassword, FormKind::Otp];
    let Some(g) = choose(&kinds, focused, &fillable, &order) else {
        if want.has_totp {
            // A code step the classifier did not name: the page may still say "code".
            let all: Vec<&Field> = fields.iter().collect();
            let targets = otp_targets(&all, text_mentions_otp(&details.page_text), Some(details));
            if !targets.is_empty() {
                return Ok(Selection {
                    step: Step::Otp,
                    targets,
                });
            }
        }
        // The user's field (or the page's only candidate) is a sign-up: say so.
        let near = choose(
            &kinds,
            focused,
            &sign_up,
            &[FormKind::SignUp, FormKind::Reset],
        );
        return Err(near.map_or(Nothing::NoFields, |_| Nothing::SignUp));
    };
    let group = &kinds.groups[g];
    let members: Vec<&Field> = group.fields.iter().map(|&i| &fields[i]).collect();
    match group.kind {
        FormKind::Otp => {
            let loose = text_mentions_otp(&details.page_text);
            let targets = otp_targets(&members, true, Some(details));
            let targets = if targets.is_empty() {
                otp_targets(&members, loose, Some(details))
            } else {
                targets
            };
            if targets.is_empty() {
                return Err(Nothing::NoFields);
            }
            Ok(Selection {
                step: Step::Otp,
                targets,
            })
        }
        FormKind::ChangePassword => {
            let targets = members
                .iter()
                .filter(|f| f.usable && kinds.fields[f.idx] == FieldKind::CurrentPassword)
                .take(1)
                .map(|f| (f.idx, Source::Password))
                .collect();
            Ok(Selection {
                step: Step::Login,
                targets,
            })
        }
        _ => Ok(sign_in(&fields, &kinds, &members, focused, want)),
    }
}

/// A sign-in group: the stored password into its password fields (formless: the cluster by the
/// focused or first one), the username into its username field, and the code if it asks for one.
fn sign_in(
    fields: &[Field],
    kinds: &PageKinds,
    members: &[&Field],
    focused: Option<&Field>,
    want: Want,
) -> Selection {
    let pws: Vec<&Field> = members
        .iter()
        .copied()
        .filter(|f| f.usable && kinds.fields[f.idx] == FieldKind::CurrentPassword)
        .collect();
    let user = members
        .iter()
        .find(|f| f.usable && kinds.fields[f.idx] == FieldKind::Username);
    let Some(first) = pws.first() else {
        return Selection {
            step: Step::UsernameOnly,
            targets: user
                .map(|u| vec![(u.idx, Source::Username)])
                .unwrap_or_default(),
        };
    };
    let formless = first.form().is_none();
    let cluster: Vec<&Field> = if formless {
        // Two formless widgets on one page are not one change-password form: the password
        // fields close together from the focused (or first) one on.
        let anchor = focused
            .and_then(|foc| pws.iter().find(|p| p.idx >= foc.idx))
            .unwrap_or(first);
        let mut out: Vec<&Field> = vec![anchor];
        for p in pws.iter().filter(|p| p.idx > anchor.idx) {
            if p.idx - out[out.len() - 1].idx > FORMLESS_GAP || out.len() == MAX_GROUP_PASSWORDS {
                break;
            }
            out.push(p);
        }
        out
    } else {
        // More visible password inputs is no login form we know, and a hostile page should not
        // get a value copied into thousands of fields.
        pws.iter().copied().take(MAX_GROUP_PASSWORDS).collect()
    };
    let mut targets: Vec<(usize, Source)> =
        cluster.iter().map(|p| (p.idx, Source::Password)).collect();
    let user = if formless && cluster[0].idx != first.idx {
        super::field_kind::username_for(fields, members, cluster[0], false)
    } else {
        user.map(|u| u.idx)
    };
    if let Some(u) = user {
        targets.push((u, Source::Username));
    }
    if want.has_totp && !formless {
        // A login form that also asks for the code (username, password, code).
        for t in otp_targets(members, false, None) {
            if !targets.iter().any(|(i, _)| *i == t.0) {
                targets.push(t);
            }
        }
    }
    targets.sort_by_key(|(i, _)| *i);
    Selection {
        step: Step::Login,
        targets,
    }
}

/// The user asked for a generated password: it goes into the new-password and confirmation
/// fields of the form nearest the focus (else the first sign-up, change-password or reset form,
/// else any with a new-password field); a change form's current field gets the stored password.
fn generated(
    fields: &[Field],
    kinds: &PageKinds,
    focused: Option<&Field>,
    want: Want,
) -> Result<Selection, Nothing> {
    let is_new = |i: usize| {
        fields[i].usable
            && matches!(
                kinds.fields[i],
                FieldKind::NewPassword | FieldKind::ConfirmPassword
            )
    };
    if want.focused_new_only && !focused.is_some_and(|f| is_new(f.idx)) {
        return Err(Nothing::NoFields);
    }
    let takes = |g: usize| kinds.groups[g].fields.iter().any(|&i| is_new(i));
    let order = [
        FormKind::SignUp,
        FormKind::ChangePassword,
        FormKind::Reset,
        FormKind::Other,
    ];
    let (g, mut targets) = match choose(kinds, focused, &takes, &order) {
        Some(g) => {
            let news = kinds.groups[g].fields.iter().filter(|&&i| is_new(i));
            (
                g,
                news.map(|&i| (i, Source::NewPassword)).collect::<Vec<_>>(),
            )
        }
        None => {
            // The form reads as a sign-in, but the user asked: the password fields whose own
            // markup says new, else the focused password field.
            let marked = |f: &&Field| {
                f.usable
                    && f.password
                    && matches!(f.role, PasswordRole::New | PasswordRole::Confirm)
            };
            let pick = focused
                .filter(|f| f.usable && f.password)
                .or_else(|| fields.iter().find(marked))
                .ok_or(Nothing::NoFields)?;
            let g = kinds.field_group[pick.idx];
            let mut news: Vec<(usize, Source)> = kinds.groups[g]
                .fields
                .iter()
                .map(|&i| &fields[i])
                .filter(marked)
                .map(|f| (f.idx, Source::NewPassword))
                .collect();
            if news.is_empty() {
                news.push((pick.idx, Source::NewPassword));
            }
            (g, news)
        }
    };
    targets.truncate(MAX_GROUP_PASSWORDS);
    let group = &kinds.groups[g];
    if want.stored_login && group.kind == FormKind::ChangePassword {
        if let Some(&cur) = group
            .fields
            .iter()
            .find(|&&i| fields[i].usable && kinds.fields[i] == FieldKind::CurrentPassword)
        {
            targets.push((cur, Source::Password));
        }
    }
    targets.sort_by_key(|(i, _)| *i);
    Ok(Selection {
        step: Step::Generated,
        targets,
    })
}

/// The group to fill among those `ok` accepts: the focused field's, else the one nearest the
/// focus (in document order), else the first of the earliest kind in `order` that has a field on
/// screen.
fn choose(
    kinds: &PageKinds,
    focused: Option<&Field>,
    ok: &dyn Fn(usize) -> bool,
    order: &[FormKind],
) -> Option<usize> {
    let candidates: Vec<usize> = (0..kinds.groups.len()).filter(|&g| ok(g)).collect();
    if let Some(foc) = focused {
        let distance = |g: usize| {
            kinds.groups[g]
                .fields
                .iter()
                .map(|&i| i.abs_diff(foc.idx))
                .min()
                .unwrap_or(usize::MAX)
        };
        if let Some(&g) = candidates.iter().min_by_key(|&&g| distance(g)) {
            return Some(g);
        }
    }
    order.iter().find_map(|kind| {
        candidates
            .iter()
            .copied()
            .find(|&g| kinds.groups[g].kind == *kind)
    })
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
                || details.is_some_and(|d| text_mentions_otp(&form_text(d, f.form())));
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
        if (f.otp_signal() || (loose && scope.len() == 1)) && !f.password {
            return vec![(f.idx, Source::Totp)];
        }
        i += 1;
    }
    Vec::new()
}

/// The words of a field's form ("" when formless or unknown).
fn form_text(details: &PageDetails, form: Option<&str>) -> String {
    form.and_then(|id| details.forms.iter().find(|f| f.opid == id))
        .map(|f| {
            let mut t = f.text.clone();
            for h in f.headings.iter().chain(&f.buttons) {
                t.push(' ');
                t.push_str(h);
            }
            t
        })
        .unwrap_or_default()
}
