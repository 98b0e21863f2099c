//! What matching and search are given from a decrypted item: never a password, hidden field or
//! card number (the last four digits only), and notes only when asked.

use std::collections::HashMap;

use super::view::{CipherView, FolderView, TYPE_CARD, TYPE_IDENTITY, TYPE_LOGIN};
use crate::matching::{host, MatchItem, UriMatch};
use crate::search::SearchEntry;

/// The last four characters of a card number (for "Visa, *1234").
pub fn last4(number: &str) -> String {
    let chars: Vec<char> = number.chars().filter(|c| !c.is_whitespace()).collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

/// The list subtitle of a card: brand and last four digits.
pub fn card_subtitle(brand: &str, last4: &str) -> String {
    match (brand.is_empty(), last4.is_empty()) {
        (_, true) => brand.to_string(),
        (true, false) => format!("*{last4}"),
        (false, false) => format!("{brand}, *{last4}"),
    }
}

/// Seconds since the epoch of an ISO-8601 UTC date (`2026-01-02T12:00:00.000000Z`), for
/// ordering; `0` when it does not parse.
pub fn epoch_seconds(date: &str) -> i64 {
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return 0;
    };
    let (hh, mm, ss) = (
        num(11..13).unwrap_or(0),
        num(14..16).unwrap_or(0),
        num(17..19).unwrap_or(0),
    );
    // Days from the civil date (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss
}

/// The matching input of a login outside the trash; `last_used` is the caller's.
pub fn match_item(view: &CipherView, last_used: i64) -> Option<MatchItem> {
    if view.kind != TYPE_LOGIN || view.is_deleted() {
        return None;
    }
    let uris = view
        .login
        .as_ref()?
        .uris
        .iter()
        .filter_map(|u| Some((u.uri.clone()?, u.match_type.and_then(UriMatch::from_i64))))
        .collect::<Vec<_>>();
    (!uris.is_empty()).then(|| MatchItem {
        id: view.id.clone(),
        uris,
        last_used,
    })
}

/// The search input of an item.
pub fn search_entry(
    view: &CipherView,
    folders: &HashMap<&str, &str>,
    with_notes: bool,
) -> SearchEntry {
    let mut e = SearchEntry {
        id: view.id.clone(),
        kind: view.kind,
        name: view.name.clone(),
        folder_id: view.folder_id.clone(),
        folder_name: view
            .folder_id
            .as_deref()
            .and_then(|f| folders.get(f))
            .map(ToString::to_string),
        notes: with_notes.then(|| view.notes.clone()).flatten(),
        favorite: view.favorite,
        deleted: view.is_deleted(),
        ..SearchEntry::default()
    };
    match view.kind {
        TYPE_LOGIN => {
            let login = view.login.as_ref();
            e.username = login.and_then(|l| l.username.clone());
            e.subtitle = e.username.clone().unwrap_or_default();
            e.uri_hosts = login
                .map(|l| {
                    l.uris
                        .iter()
                        .filter_map(|u| host(u.uri.as_deref()?))
                        .collect()
                })
                .unwrap_or_default();
            e.icon_host = e.uri_hosts.first().cloned();
        }
        TYPE_CARD => {
            let card = view.card.clone().unwrap_or_default();
            let digits = last4(card.number.as_deref().unwrap_or_default());
            e.subtitle = card_subtitle(card.brand.as_deref().unwrap_or_default(), &digits);
            e.card_brand = card.brand;
            e.card_last4 = (!digits.is_empty()).then_some(digits);
        }
        TYPE_IDENTITY => {
            let id = view.identity.clone().unwrap_or_default();
            let name = [id.first_name.as_deref(), id.last_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            e.subtitle = name.clone();
            e.identity_name = (!name.is_empty()).then_some(name);
            e.identity_email = id.email;
        }
        _ => {}
    }
    e
}

/// Folder id → name, for `search_entry`.
pub fn folder_names(folders: &[FolderView]) -> HashMap<&str, &str> {
    folders
        .iter()
        .map(|f| (f.id.as_str(), f.name.as_str()))
        .collect()
}

/// Milliseconds since the epoch → the ISO 8601 form the servers write (`2026-11-22T12:00:00.000Z`).
pub fn iso_date(millis: u64) -> String {
    let secs = (millis / 1000) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days (H. Hinnant's algorithm, the inverse of `epoch_seconds`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        millis % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_digits() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), 0);
        assert_eq!(epoch_seconds("2023-01-01T00:00:00.000Z"), 1_672_531_200);
        assert_eq!(epoch_seconds("garbage"), 0);
        assert_eq!(last4("4111 1111 1111 1234"), "1234");
        assert_eq!(last4("12"), "12");
        assert_eq!(card_subtitle("Visa", "1234"), "Visa, *1234");
    }

    #[test]
    fn iso_dates_round_trip() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_date(1_672_531_200_123), "2023-01-01T00:00:00.123Z");
        assert_eq!(iso_date(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for secs in [0i64, 59, 86_399, 951_868_799, 1_795_000_000, 4_102_444_800] {
            assert_eq!(epoch_seconds(&iso_date(secs as u64 * 1000)), secs);
        }
    }
}
