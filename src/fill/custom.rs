//! An item's custom fields on the page: a custom field fills the page field whose name, id or
//! label is the custom field's name (compared without case or surrounding spaces), as the
//! official clients do. Text and hidden fields give their value; a linked field gives the value
//! of the item's own field it points to (Bitwarden's linked-id numbers). Boolean fields are
//! left alone: check boxes are not reported by the content script.

use super::page::PageDetails;
use super::{ActionKind, FillAction};
use crate::vault::view::CipherView;

const TEXT: u8 = 0;
const HIDDEN: u8 = 1;
const LINKED: u8 = 3;

/// The item's own value a linked custom field points to (login 100–101, card 300–305, identity
/// 400–418, numbered as the official clients' `LinkedIdType`).
fn linked_value(item: &CipherView, id: i64) -> Option<String> {
    let s = |v: &Option<String>| v.clone();
    match id {
        100 => item.login.as_ref().and_then(|l| s(&l.username)),
        101 => item.login.as_ref().and_then(|l| s(&l.password)),
        300..=305 => {
            let c = item.card.as_ref()?;
            match id {
                300 => s(&c.cardholder_name),
                301 => s(&c.exp_month),
                302 => s(&c.exp_year),
                303 => s(&c.code),
                304 => s(&c.brand),
                _ => s(&c.number),
            }
        }
        400..=418 => {
            let i = item.identity.as_ref()?;
            let fields = [
                &i.title,
                &i.middle_name,
                &i.address1,
                &i.address2,
                &i.address3,
                &i.city,
                &i.state,
                &i.postal_code,
                &i.country,
                &i.company,
                &i.email,
                &i.phone,
                &i.ssn,
                &i.username,
                &i.passport_number,
                &i.license_number,
                &i.first_name,
                &i.last_name,
            ];
            if id == 418 {
                let parts: Vec<&str> = [&i.first_name, &i.middle_name, &i.last_name]
                    .iter()
                    .filter_map(|v| v.as_deref().map(str::trim).filter(|t| !t.is_empty()))
                    .collect();
                return Some(parts.join(" "));
            }
            s(fields[(id - 400) as usize])
        }
        _ => None,
    }
}

fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.eq_ignore_ascii_case(b)
}

/// Actions for the page fields the item's custom fields name, skipping fields `taken` already
/// has and fields that are hidden, disabled or not text (`fillable`).
pub fn custom_actions(
    details: &PageDetails,
    item: &CipherView,
    taken: &[FillAction],
    fillable: impl Fn(&super::page::PageField) -> bool,
) -> Vec<FillAction> {
    let mut out: Vec<FillAction> = Vec::new();
    for custom in &item.fields {
        let Some(name) = custom.name.as_deref().filter(|n| !n.trim().is_empty()) else {
            continue;
        };
        let value = match custom.kind {
            TEXT | HIDDEN => custom.value.clone(),
            LINKED => custom.linked_id.and_then(|id| linked_value(item, id)),
            _ => None,
        };
        let Some(value) = value.filter(|v| !v.is_empty()).map(zeroize::Zeroizing::new) else {
            continue;
        };
        let target = details.fields.iter().find(|f| {
            fillable(f)
                && f.kind != "password"
                && (same(&f.name, name) || same(&f.html_id, name) || same(&f.label, name))
                && !taken.iter().chain(&out).any(|a| a.opid == f.opid)
        });
        if let Some(f) = target {
            out.push(FillAction::new(
                f.opid.clone(),
                value.to_string(),
                ActionKind::Custom,
            ));
        }
    }
    out
}
