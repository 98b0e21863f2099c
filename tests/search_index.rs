//! Popup search: ranking, folding, typos, filters, notes opt-in, updates, and no secrets.

use keyfill::search::{
    Filters, FolderFilter, SearchEntry, SearchIndex, KIND_CARD, KIND_IDENTITY, KIND_LOGIN,
    KIND_NOTE,
};

fn login(id: &str, name: &str, username: &str, hosts: &[&str]) -> SearchEntry {
    SearchEntry {
        id: id.into(),
        kind: KIND_LOGIN,
        name: name.into(),
        subtitle: username.into(),
        username: Some(username.into()),
        uri_hosts: hosts.iter().map(ToString::to_string).collect(),
        icon_host: hosts.first().map(ToString::to_string),
        ..SearchEntry::default()
    }
}

fn ids(index: &SearchIndex, q: &str, f: &Filters) -> Vec<String> {
    index
        .search(q, f)
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

fn all(index: &SearchIndex, q: &str) -> Vec<String> {
    ids(index, q, &Filters::default())
}

fn vault() -> SearchIndex {
    let mut card = SearchEntry {
        id: "card".into(),
        kind: KIND_CARD,
        name: "Travel card".into(),
        subtitle: "Visa, *4242".into(),
        card_brand: Some("Visa".into()),
        card_last4: Some("4242".into()),
        folder_id: Some("f-money".into()),
        folder_name: Some("Money".into()),
        ..SearchEntry::default()
    };
    card.favorite = true;
    SearchIndex::build(vec![
        login("gh", "GitHub", "octocat", &["github.com"]),
        login(
            "ghe",
            "GitHub Enterprise",
            "octo-work",
            &["github.example.com"],
        ),
        login("lab", "GitLab", "tanuki", &["gitlab.com"]),
        login("mygh", "My old github", "old", &["github.com"]),
        login("bank", "Crédit Agricole", "jean", &["credit-agricole.fr"]),
        login("wide", "ＷＩＤＥ Shop", "w", &["wide.example"]),
        login("strasse", "Straße Portal", "s", &["strasse.example"]),
        login("fb", "Facebook", "me@example.com", &["facebook.com"]),
        card,
        SearchEntry {
            id: "id".into(),
            kind: KIND_IDENTITY,
            name: "Me".into(),
            identity_name: Some("Jane Q. Public".into()),
            identity_email: Some("jane@public.example".into()),
            ..SearchEntry::default()
        },
        SearchEntry {
            id: "note".into(),
            kind: KIND_NOTE,
            name: "Wifi".into(),
            notes: Some("router admin: zebra-unicorn".into()),
            ..SearchEntry::default()
        },
        SearchEntry {
            deleted: true,
            ..login("trashed", "GitHub (old account)", "ghost", &["github.com"])
        },
    ])
}

#[test]
fn ranking_exact_prefix_word_substring_fuzzy() {
    let v = vault();
    // Exact name, then name prefixes (in name order), then word starts, then other fields.
    assert_eq!(all(&v, "github"), ["gh", "ghe", "mygh"]);
    assert_eq!(all(&v, "git"), ["gh", "ghe", "lab", "mygh"]);
    // "hub" is inside names only: substring tier.
    assert_eq!(all(&v, "hub"), ["gh", "ghe", "mygh"]);
    // Word start in the name beats a match in the username.
    assert_eq!(all(&v, "octo"), ["gh", "ghe"]);
    // Fuzzy subsequence of the name.
    assert_eq!(all(&v, "gthb"), ["gh", "ghe", "mygh"]);
    // Several terms must all match.
    assert_eq!(all(&v, "github enter"), ["ghe"]);
    assert_eq!(all(&v, "enterprise git"), ["ghe"]);
    assert!(all(&v, "github zzz").is_empty());
}

#[test]
fn case_accent_width_insensitive() {
    let v = vault();
    assert_eq!(all(&v, "credit agricole"), ["bank"]);
    assert_eq!(all(&v, "CRÉDIT"), ["bank"]);
    assert_eq!(all(&v, "wide"), ["wide"]);
    assert_eq!(all(&v, "ｗｉｄｅ ｓｈｏｐ"), ["wide"]);
    assert_eq!(all(&v, "strasse"), ["strasse"]);
    assert_eq!(all(&v, "STRAẞE"), ["strasse"]);
    assert_eq!(all(&v, "GITHUB"), ["gh", "ghe", "mygh"]);
}

#[test]
fn one_character_typos() {
    let v = vault();
    for q in [
        "facebok",
        "faceboook",
        "facebaok",
        "fcaebook",
        "facebo0k",
        "xacebook",
    ] {
        assert_eq!(all(&v, q), ["fb"], "{q}");
    }
    // Two edits are too many; short words get no typo tolerance.
    assert!(all(&v, "fcaeboko").is_empty());
    assert_eq!(all(&v, "wifx"), ["note"]);
    assert!(all(&v, "wfx").is_empty());
}

#[test]
fn other_fields_are_searched() {
    let v = vault();
    assert_eq!(all(&v, "octocat"), ["gh"]);
    assert_eq!(all(&v, "gitlab.com"), ["lab"]);
    assert_eq!(all(&v, "4242"), ["card"]);
    assert_eq!(all(&v, "visa"), ["card"]);
    assert_eq!(all(&v, "money"), ["card"]);
    assert_eq!(all(&v, "jane"), ["id"]);
    assert_eq!(all(&v, "public.example"), ["id"]);
    assert_eq!(all(&v, "me@example"), ["fb"]);
}

#[test]
fn notes_only_when_asked() {
    let v = vault();
    assert!(all(&v, "zebra").is_empty());
    let f = Filters {
        include_notes: true,
        ..Filters::default()
    };
    assert_eq!(ids(&v, "zebra", &f), ["note"]);
    assert_eq!(ids(&v, "zebra unicorn", &f), ["note"]);
}

#[test]
fn filters() {
    let v = vault();
    let cards = Filters {
        kind: Some(KIND_CARD),
        ..Filters::default()
    };
    assert_eq!(ids(&v, "", &cards), ["card"]);
    assert!(ids(&v, "github", &cards).is_empty());
    let money = Filters {
        folder: FolderFilter::Id("f-money".into()),
        ..Filters::default()
    };
    assert_eq!(ids(&v, "", &money), ["card"]);
    let unfiled = Filters {
        folder: FolderFilter::Unfiled,
        ..Filters::default()
    };
    assert!(!ids(&v, "", &unfiled).contains(&"card".to_string()));
    let favs = Filters {
        favorites_only: true,
        ..Filters::default()
    };
    assert_eq!(ids(&v, "", &favs), ["card"]);
    // Trash: hidden unless asked, and then only the trash.
    assert!(!all(&v, "old account").contains(&"trashed".to_string()));
    let trash = Filters {
        trash: true,
        ..Filters::default()
    };
    assert_eq!(ids(&v, "", &trash), ["trashed"]);
    assert_eq!(ids(&v, "github", &trash), ["trashed"]);
}

#[test]
fn empty_query_lists_favourites_then_by_name() {
    let v = vault();
    let got = all(&v, "   ");
    assert_eq!(got.len(), 11);
    assert_eq!(got[0], "card");
    let names: Vec<String> = v
        .search("", &Filters::default())
        .iter()
        .skip(1)
        .map(|s| s.name.to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names[0], "crédit agricole");
    assert_eq!(names.len(), 10);
}

#[test]
fn updates_and_removals() {
    let mut v = vault();
    assert!(v.remove("gh"));
    assert!(!v.remove("gh"));
    assert_eq!(all(&v, "github"), ["ghe", "mygh"]);
    v.insert(login("gh", "GitHub", "octocat", &["github.com"]));
    assert_eq!(all(&v, "github"), ["gh", "ghe", "mygh"]);
    v.update(login("gh", "Codeberg", "octocat", &["codeberg.org"]));
    assert_eq!(all(&v, "github"), ["ghe", "mygh"]);
    assert_eq!(all(&v, "codeberg"), ["gh"]);
    assert_eq!(v.len(), 12);
    // Many edits keep the name order intact.
    for i in 0..50 {
        v.insert(login(
            &format!("x{i}"),
            &format!("Item {}", 49 - i),
            "u",
            &[],
        ));
    }
    for i in (0..50).step_by(2) {
        v.remove(&format!("x{i}"));
    }
    let listed: Vec<String> = v
        .search("item", &Filters::default())
        .iter()
        .map(|s| s.name.to_string())
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    assert_eq!(listed.len(), 25);
}

#[test]
fn summaries_hold_no_secrets_and_serialize_camel_case() {
    // The entry type has no password field at all; a note's text is never in a summary.
    let v = vault();
    let f = Filters {
        include_notes: true,
        ..Filters::default()
    };
    let rows = v.search("zebra", &f);
    let json = serde_json::to_string(&rows).unwrap();
    assert!(!json.contains("zebra"));
    assert_eq!(
        json,
        r#"[{"id":"note","name":"Wifi","subtitle":"","kind":2,"favorite":false,"iconHost":null}]"#
    );
}

#[test]
fn duplicate_ids_and_odd_input() {
    let v = SearchIndex::build(vec![
        login("a", "First", "u", &[]),
        login("a", "Second", "u", &[]),
    ]);
    assert_eq!(v.len(), 1);
    assert_eq!(all(&v, "second"), ["a"]);
    assert!(all(&v, "first").is_empty());
    for q in [
        "\u{0}",
        "\u{301}",
        "🙂",
        "(((",
        "\u{10FFFF}",
        &"a".repeat(10_000),
    ] {
        let _ = all(&v, q);
    }
}

#[test]
fn many_removals_compact_the_arena_without_losing_entries() {
    let entries: Vec<SearchEntry> = (0..3000)
        .map(|i| {
            let host = format!("site{i}.example");
            login(
                &format!("e{i}"),
                &format!("Entry number {i:04}"),
                "user",
                &[host.as_str()],
            )
        })
        .collect();
    let mut v = SearchIndex::build(entries);
    for i in (0..3000).filter(|i| i % 4 != 0) {
        assert!(v.remove(&format!("e{i}")));
    }
    v.insert(login("late", "Entry number late", "user", &[]));
    assert_eq!(v.len(), 751);
    // Exact hits first; one-digit neighbours follow as typo matches.
    assert_eq!(all(&v, "entry number 0400")[0], "e400");
    assert_eq!(all(&v, "site2996.example")[0], "e2996");
    assert!(!all(&v, "site2997").contains(&"e2997".to_string()));
    let listed: Vec<String> = all(&v, "entry");
    assert_eq!(listed.len(), 751);
    assert_eq!(listed.last().map(String::as_str), Some("late"));
}

#[test]
fn typos_are_a_fallback_when_little_matches_as_typed() {
    let mut entries: Vec<SearchEntry> = (0..25)
        .map(|i| login(&format!("b{i}"), &format!("Bank {i}"), "u", &[]))
        .collect();
    entries.push(login("bonk", "Bonk", "u", &[]));
    let v = SearchIndex::build(entries);
    // 25 exact hits for "bank": the one-edit neighbour "bonk" is not added.
    assert_eq!(all(&v, "bank").len(), 25);
    assert!(!all(&v, "bank").contains(&"bonk".to_string()));
    // "bonkk" matches nothing as typed, so typos are considered.
    assert_eq!(all(&v, "bonkk")[0], "bonk");
}
