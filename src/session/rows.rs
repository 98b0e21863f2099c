//! What unlock reads of each item: its list row, its URIs for matching, its search entry. Items
//! are decrypted in batches (`open_in_batches`), as whole vaults are.

use zeroize::Zeroizing;

use super::ItemSummary;
use super::ItemUris;
use crate::keys::Keyring;
use crate::search::SearchEntry;
use crate::vault::decrypt::{checksum_matches, decrypt_text, open_in_batches, ItemKey, Open};
use crate::vault::entries::{card_subtitle, epoch_seconds, last4};
use crate::vault::head::CipherHead;
use crate::vault::view::{TYPE_CARD, TYPE_IDENTITY, TYPE_LOGIN};

/// One item as unlock reads it.
pub(super) struct Row {
    pub summary: ItemSummary,
    pub uris: Option<ItemUris>,
    pub entry: SearchEntry,
    pub last_used: i64,
}

/// The decrypted parts of a row.
#[derive(Default)]
struct Opened {
    name: Option<String>,
    uris: Vec<(String, Option<i64>)>,
    username: Option<String>,
    brand: Option<String>,
    number: Option<Zeroizing<String>>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    damaged: bool,
}

/// The row of one item, decrypted on its own (after an edit).
pub(super) fn summarize(head: &CipherHead<'_>, ring: &Keyring) -> Row {
    match key_of(head, ring) {
        Some(key) => row_of(head, Some(&mut |text| decrypt_text(key.get(), text))),
        None => row_of(head, None),
    }
}

/// The rows of `heads`, in order, decrypted in batches.
pub(super) fn rows(heads: &[&CipherHead<'_>], ring: &Keyring) -> Vec<Row> {
    open_in_batches(
        heads,
        |h| key_of(h, ring),
        |h, open| drop(open_fields(h, open)),
        |h, open| row_of(h, open),
    )
}

fn key_of<'r>(head: &CipherHead<'_>, ring: &'r Keyring) -> Option<ItemKey<'r>> {
    ItemKey::resolve(head.organization_id.as_deref(), head.key.as_deref(), ring)
}

/// An item's row, its fields from `open` (`None`: the item has no usable key).
fn row_of(head: &CipherHead<'_>, open: Option<&mut Open<'_>>) -> Row {
    let opened = match open {
        Some(open) => open_fields(head, open),
        None => Opened {
            damaged: true,
            ..Opened::default()
        },
    };
    row(head, opened)
}

/// Decrypts what a row needs, asking `open` for the same fields in the same order whatever it
/// gets back (so a batch can gather them first).
fn open_fields(c: &CipherHead<'_>, open: &mut Open<'_>) -> Opened {
    let mut damaged = false;
    let mut dec = |v: Option<&str>| -> Option<String> {
        let plain = open(v?).ok();
        damaged |= plain.is_none();
        plain
    };
    let mut o = Opened {
        name: dec(c.name.as_deref()),
        ..Opened::default()
    };
    match kind(c) {
        TYPE_LOGIN => {
            let login = c.login.as_ref();
            for u in login.and_then(|l| l.uris.as_ref()).into_iter().flatten() {
                let uri = dec(u.uri.as_deref());
                // Checksums are enforced on keyed items only, as the official clients do.
                let sum = c.key.as_ref().and(u.uri_checksum.as_deref());
                let sum = sum.map(|s| dec(Some(s)));
                let Some(uri) = uri else { continue };
                if sum.is_some_and(|s| !s.is_some_and(|s| checksum_matches(&uri, &s))) {
                    continue;
                }
                o.uris.push((uri, u.match_type));
            }
            o.username = dec(login.and_then(|l| l.username.as_deref()));
        }
        TYPE_CARD => {
            let card = c.card.as_ref();
            o.brand = dec(card.and_then(|c| c.brand.as_deref()));
            o.number = dec(card.and_then(|c| c.number.as_deref())).map(Zeroizing::new);
        }
        TYPE_IDENTITY => {
            let id = c.identity.as_ref();
            o.first_name = dec(id.and_then(|i| i.first_name.as_deref()));
            o.last_name = dec(id.and_then(|i| i.last_name.as_deref()));
            o.email = dec(id.and_then(|i| i.email.as_deref()));
        }
        _ => {}
    }
    o.damaged = damaged;
    o
}

fn kind(c: &CipherHead<'_>) -> u8 {
    c.kind.and_then(|k| u8::try_from(k).ok()).unwrap_or(0)
}

fn row(c: &CipherHead<'_>, o: Opened) -> Row {
    let kind = kind(c);
    let mut entry = SearchEntry::default();
    let subtitle = match kind {
        TYPE_LOGIN => {
            let username = o.username.unwrap_or_default();
            entry.username = Some(username.clone()).filter(|u| !u.is_empty());
            username
        }
        TYPE_CARD => {
            let brand = o.brand.unwrap_or_default();
            let digits = last4(o.number.as_deref().map_or("", String::as_str));
            entry.card_brand = Some(brand.clone()).filter(|b| !b.is_empty());
            entry.card_last4 = Some(digits.clone()).filter(|d| !d.is_empty());
            card_subtitle(&brand, &digits)
        }
        TYPE_IDENTITY => {
            let (first, last) = (
                o.first_name.unwrap_or_default(),
                o.last_name.unwrap_or_default(),
            );
            let full = format!("{first} {last}").trim().to_string();
            entry.identity_name = Some(full.clone()).filter(|n| !n.is_empty());
            entry.identity_email = o.email;
            full
        }
        _ => String::new(),
    };
    let uris = (!o.uris.is_empty()).then(|| ItemUris {
        id: c.id.to_string(),
        uris: o.uris,
    });
    let summary = ItemSummary {
        id: c.id.to_string(),
        kind,
        name: o.name.unwrap_or_default(),
        subtitle,
        favorite: c.favorite,
        folder_id: c.folder_id.as_deref().map(str::to_string),
        organization_id: c.organization_id.as_deref().map(str::to_string),
        deleted: c.deleted_date.is_some(),
        damaged: o.damaged || !(1..=5).contains(&kind),
    };
    let entry = SearchEntry {
        id: summary.id.clone(),
        kind,
        name: summary.name.clone(),
        subtitle: summary.subtitle.clone(),
        folder_id: summary.folder_id.clone(),
        favorite: summary.favorite,
        deleted: summary.deleted,
        ..entry
    };
    Row {
        summary,
        uris,
        entry,
        last_used: epoch_seconds(c.revision_date.as_deref().unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SymmetricKey;
    use crate::vault::encrypt::{encrypt_cipher, EncryptOptions};
    use crate::vault::records::{Card, Identity};
    use crate::vault::view::{CipherView, LoginUriView, LoginView};
    use serde_json::{json, Value};

    fn item(n: usize) -> CipherView {
        let mut view = CipherView {
            kind: [TYPE_LOGIN, TYPE_CARD, TYPE_IDENTITY][n % 3],
            name: format!("item {n}"),
            ..CipherView::default()
        };
        match view.kind {
            TYPE_LOGIN => {
                view.login = Some(LoginView {
                    uris: (0..2)
                        .map(|u| LoginUriView {
                            uri: Some(format!("https://s{n}-{u}.example/")),
                            match_type: Some(1),
                        })
                        .collect(),
                    username: Some(format!("user{n}")),
                    ..LoginView::default()
                })
            }
            TYPE_CARD => {
                view.card = Some(Card {
                    brand: Some("Visa".into()),
                    number: Some(format!("41111111111{n:05}")),
                    ..Card::default()
                })
            }
            _ => {
                view.identity = Some(Identity {
                    first_name: Some("Ada".into()),
                    last_name: Some(format!("L{n}")),
                    email: Some("ada@example.test".into()),
                    ..Identity::default()
                })
            }
        }
        view
    }

    /// A wrong character in the MAC of the EncString at `pointer`.
    fn tamper(body: &mut Value, pointer: &str) {
        if let Some(Value::String(s)) = body.pointer_mut(pointer) {
            let at = s.len() - 4;
            let c = if &s[at..=at] == "A" { "B" } else { "A" };
            s.replace_range(at..=at, c);
        }
    }

    #[test]
    fn rows_read_together_are_the_rows_read_one_by_one() {
        let ring = Keyring::new(SymmetricKey::generate().unwrap());
        let texts: Vec<String> = (0..70)
            .map(|n| {
                let opts = EncryptOptions {
                    existing_key: None,
                    use_cipher_key: n % 3 != 2,
                    last_known_revision_date: None,
                };
                let mut body = encrypt_cipher(&item(n), &ring, &opts).unwrap();
                body["id"] = json!(format!("c{n}"));
                match n % 8 {
                    1 => tamper(&mut body, "/name"),
                    2 => tamper(&mut body, "/login/uris/1/uri"),
                    3 => tamper(&mut body, "/key"),
                    4 => tamper(&mut body, "/card/number"),
                    5 => body["organizationId"] = json!("unknown"),
                    6 => {
                        let other = body.pointer("/login/uris/1/uriChecksum").cloned();
                        if let Some(sum) = other {
                            body["login"]["uris"][0]["uriChecksum"] = sum;
                        }
                    }
                    _ => {}
                }
                body.to_string()
            })
            .collect();
        let heads: Vec<CipherHead<'_>> = texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect();
        let refs: Vec<&CipherHead<'_>> = heads.iter().collect();
        let together = rows(&refs, &ring);
        let mut damaged = 0;
        for (head, row) in heads.iter().zip(&together) {
            let alone = summarize(head, &ring);
            assert_eq!(row.summary, alone.summary);
            assert!(row.uris == alone.uris, "{}", head.id);
            assert_eq!(row.entry, alone.entry);
            assert_eq!(row.last_used, alone.last_used);
            damaged += usize::from(alone.summary.damaged);
        }
        assert!(damaged >= 30, "{damaged} damaged");
        // The swapped checksum drops that URI, and only on keyed items.
        assert!(together
            .iter()
            .any(|r| r.uris.as_ref().is_some_and(|u| u.uris.len() == 1)));
    }
}
