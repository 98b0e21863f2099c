//! The labelled form corpus is whole and consistent (tests/data/forms/README.md): every page is in
//! one half, every field the content script reported has a truth, every group names fields of its
//! frame, every kind is known and measured in both halves, and the core accepts every frame's
//! details as the worker would pass them. The scoring itself is another test's.

#[path = "support/forms.rs"]
mod forms;

use forms::{Half, FIELD_KINDS, FORM_KINDS};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn corpus_is_labelled_and_split() {
    let pages = forms::load();
    assert!(pages.len() >= 150, "{} pages", pages.len());
    let mut groups: BTreeMap<&str, BTreeSet<Half>> = BTreeMap::new();
    let mut field_halves: BTreeMap<&str, BTreeSet<Half>> = BTreeMap::new();
    let mut form_halves: BTreeMap<&str, BTreeSet<Half>> = BTreeMap::new();
    for page in &pages {
        groups.entry(&page.group).or_default().insert(page.half);
        assert!(!page.frames.is_empty(), "{}", page.path);
        for frame in &page.frames {
            let details = keyfill::fill::parse_page_details(&frame.details)
                .unwrap_or_else(|e| panic!("{} ({}): {e}", page.path, frame.url));
            let parsed: serde_json::Value = serde_json::from_str(&frame.details).unwrap();
            let fields = parsed["fields"].as_array().unwrap();
            assert_eq!(details.fields.len(), fields.len(), "{}", page.path);
            let form_of: BTreeMap<&str, Option<&str>> = fields
                .iter()
                .map(|f| (f["opid"].as_str().unwrap(), f["form"].as_str()))
                .collect();
            let opids: BTreeSet<&str> = form_of.keys().copied().collect();
            let labelled: BTreeSet<&str> = frame.truth.keys().map(String::as_str).collect();
            assert_eq!(opids, labelled, "{}: fields and truths differ", page.path);
            for kind in frame.truth.values() {
                assert!(
                    FIELD_KINDS.contains(&kind.as_str()),
                    "{}: {kind}",
                    page.path
                );
                field_halves.entry(kind).or_default().insert(page.half);
            }
            let mut grouped = BTreeSet::new();
            for g in &frame.form_truth {
                assert!(
                    FORM_KINDS.contains(&g.kind.as_str()),
                    "{}: {}",
                    page.path,
                    g.kind
                );
                form_halves.entry(&g.kind).or_default().insert(page.half);
                assert!(!g.fields.is_empty(), "{}: an empty group", page.path);
                for f in &g.fields {
                    let form = form_of.get(f.as_str()).unwrap_or_else(|| {
                        panic!("{}: group field {f} is not in the details", page.path)
                    });
                    assert_eq!(*form, g.form.as_deref(), "{}: {f}", page.path);
                    assert!(
                        grouped.insert(f.as_str()),
                        "{}: {f} in two groups",
                        page.path
                    );
                }
            }
        }
    }
    for (group, halves) in &groups {
        assert_eq!(halves.len(), 2, "group {group} is not in both halves");
    }
    for kind in FIELD_KINDS {
        assert_eq!(
            field_halves.get(kind).map(BTreeSet::len),
            Some(2),
            "field kind {kind}"
        );
    }
    for kind in FORM_KINDS {
        assert_eq!(
            form_halves.get(kind).map(BTreeSet::len),
            Some(2),
            "form kind {kind}"
        );
    }
}
