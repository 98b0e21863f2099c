//! The form and field classifier scored on the labelled corpus (tests/data/forms/README.md): the
//! snapshots hold what the content script sends for each page and the truth of every field and
//! form. Prints precision and recall per field kind and per form kind, and the fill outcome of a
//! popup fill with a stored login, separately for the tuning half and the held-out half
//! (`tests/data/forms/split.json`), and fails under the thresholds below.
//!
//!   cargo test --test fill_forms_corpus -- --nocapture
//!
//! `KF_FORMS_SNAPSHOTS=DIR` scores snapshots written elsewhere (`node scripts/forms-snapshot.mjs
//! --out DIR`), to try a scanner change before committing its snapshots. The mistakes are listed
//! for the tuning half only; `KF_FORMS_SHOW_HELDOUT=1` lists the held-out half's too.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use keyfill::fill::{
    classify_page, parse_page_details, plan_fill, ActionKind, FieldKind, FillContext, FillPlan,
    FormKind, PageDetails, Trigger,
};
use keyfill::matching::MatchSettings;
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};
use serde_json::Value;

/// What each half must reach: the least precision and recall of any field kind and any form kind
/// (in percent), the least share of fields and of forms classified right, the least share of
/// sign-in pages filled exactly right, and the most frames given a wrong value. Both halves are
/// held to what the classifier reaches today (100 % everywhere) less one mistake's room: any kind
/// under 98 %, a half under 99 % of its fields or forms, or a single wrong value fails.
struct Bar {
    kind_score: f64,
    accuracy: f64,
    sign_in_exact: f64,
    wrong_frames: usize,
}
const TUNE: Bar = Bar {
    kind_score: 98.0,
    accuracy: 99.0,
    sign_in_exact: 98.0,
    wrong_frames: 0,
};
const HELDOUT: Bar = Bar {
    kind_score: 98.0,
    accuracy: 99.0,
    sign_in_exact: 98.0,
    wrong_frames: 0,
};
/// Kinds with fewer truths than this in a half are printed but not held to the threshold.
const MIN_SUPPORT: usize = 3;

// Short, so fields with a small maxLength (a 6-digit PIN, a 10-digit member number) take them.
const USER: &str = "kf-user";
const PASS: &str = "Pw0rd!";

struct Frame {
    details: PageDetails,
    truth: HashMap<String, String>,
    /// (form opid or none, field opids, kind)
    form_truth: Vec<(Option<String>, Vec<String>, String)>,
    url: String,
}

struct Page {
    name: String,
    half: String,
    stored_login: bool,
    frames: Vec<Frame>,
}

fn dir() -> PathBuf {
    match std::env::var_os("KF_FORMS_SNAPSHOTS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/forms/snapshots"),
    }
}

fn load() -> Vec<Page> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/forms");
    let split: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(root.join("split.json")).unwrap()).unwrap();
    let mut pages = Vec::new();
    for (name, half) in &split {
        let path = dir().join(name.replace(".html", ".json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            // Snapshots written elsewhere may predate the newest pages.
            if std::env::var_os("KF_FORMS_SNAPSHOTS").is_some() {
                continue;
            }
            panic!("no snapshot for {name} at {}", path.display());
        };
        let v: Value = serde_json::from_str(&text).unwrap();
        let frames = v["frames"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| Frame {
                details: parse_page_details(&f["details"].to_string()).unwrap(),
                truth: serde_json::from_value(f["truth"].clone()).unwrap(),
                form_truth: f["formTruth"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| {
                        (
                            g["form"].as_str().map(str::to_string),
                            serde_json::from_value(g["fields"].clone()).unwrap(),
                            g["kind"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect(),
                url: f["url"].as_str().unwrap_or_default().to_string(),
            })
            .collect();
        pages.push(Page {
            name: name.clone(),
            half: half.clone(),
            stored_login: v["storedLogin"].as_bool().unwrap_or(true),
            frames,
        });
    }
    pages
}

/// Counts per kind: (true positives, false positives, false negatives).
#[derive(Default)]
struct Confusion(BTreeMap<String, (usize, usize, usize)>);

impl Confusion {
    fn add(&mut self, truth: &str, guess: &str) {
        if truth == guess {
            self.0.entry(truth.into()).or_default().0 += 1;
        } else {
            self.0.entry(guess.into()).or_default().1 += 1;
            self.0.entry(truth.into()).or_default().2 += 1;
        }
    }

    /// Share of truths guessed right, in percent.
    fn accuracy(&self) -> f64 {
        let right: usize = self.0.values().map(|c| c.0).sum();
        let truths: usize = self.0.values().map(|c| c.0 + c.2).sum();
        pct(right, truths)
    }

    /// Prints the table; returns the kinds under `min` (with enough support).
    fn print(&self, title: &str, order: &[&str], min: f64) -> Vec<String> {
        println!(
            "  {title:<18} {:>9} {:>9} {:>7}",
            "precision", "recall", "truths"
        );
        let mut low = Vec::new();
        for kind in order {
            let (tp, fp, fneg) = self.0.get(*kind).copied().unwrap_or_default();
            let support = tp + fneg;
            if support == 0 && fp == 0 {
                continue;
            }
            let p = pct(tp, tp + fp);
            let r = pct(tp, support);
            println!("  {kind:<18} {p:>8.1}% {r:>8.1}% {support:>7}");
            if support >= MIN_SUPPORT && (p < min || r < min) {
                low.push(format!("{title} {kind}: precision {p:.1}%, recall {r:.1}%"));
            }
        }
        low
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn item(url: &str) -> CipherView {
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    CipherView {
        id: "corpus".into(),
        kind: TYPE_LOGIN,
        name: "Corpus".into(),
        login: Some(LoginView {
            uris: vec![LoginUriView {
                uri: Some(format!("{origin}/")),
                match_type: None,
            }],
            username: Some(USER.into()),
            password: Some(PASS.into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

/// What a popup fill of a stored login does on one frame: `Ok(true)` exactly right, `Ok(false)`
/// short of it (missed fields, or refused where a sign-in was), `Err` a wrong value somewhere.
fn fill_outcome(frame: &Frame, sign_in_expected: bool) -> Result<bool, String> {
    let ctx = FillContext {
        frame_url: frame.url.clone(),
        frame_origin: frame.url.split('/').take(3).collect::<Vec<_>>().join("/"),
        top_url: frame.url.clone(),
        is_top: true,
        trigger: Trigger::Popup,
        now: 59,
        ..FillContext::default()
    };
    let plan = plan_fill(
        &frame.details,
        &ctx,
        &item(&frame.url),
        &MatchSettings::default(),
        &mut || Ok("Generated-Not-Asked".into()),
    );
    let FillPlan::Fill { actions, .. } = plan else {
        return Ok(!sign_in_expected);
    };
    let group_of: HashMap<&str, usize> = frame
        .form_truth
        .iter()
        .enumerate()
        .flat_map(|(g, (_, ops, _))| ops.iter().map(move |o| (o.as_str(), g)))
        .collect();
    let mut groups = Vec::new();
    for a in &actions {
        let truth = frame.truth.get(&a.opid).map_or("?", String::as_str);
        let g = group_of.get(a.opid.as_str()).copied();
        let form_kind = g.map_or("?", |g| frame.form_truth[g].2.as_str());
        // A sign-in gets the login; a change form its current password only.
        let right = match a.kind {
            ActionKind::Username => {
                truth == "username" && a.value() == USER && form_kind == "sign-in"
            }
            ActionKind::Password => {
                truth == "current-password"
                    && a.value() == PASS
                    && matches!(form_kind, "sign-in" | "change-password")
            }
            _ => false,
        };
        if !right {
            return Err(format!(
                "{} ({truth} in {form_kind}) got {:?}",
                a.opid, a.kind
            ));
        }
        groups.push(g);
    }
    groups.dedup();
    if groups.len() != 1 {
        return Err("filled more than one form".into());
    }
    // Every username and password on screen in the group that was filled got its value.
    let g = groups[0].unwrap_or_default();
    if frame.form_truth[g].2 == "change-password" {
        return Ok(!sign_in_expected);
    }
    let filled: Vec<&str> = actions.iter().map(|a| a.opid.as_str()).collect();
    let missed = frame.form_truth[g].1.iter().any(|o| {
        let f = frame.details.fields.iter().find(|f| &f.opid == o);
        let want = matches!(
            frame.truth.get(o).map(String::as_str),
            Some("username" | "current-password")
        );
        // A value longer than the field's maxLength is left out on purpose (too_long).
        let fits = |f: &keyfill::fill::PageField| {
            f.max_length
                .is_none_or(|m| m as usize >= PASS.len().max(USER.len()))
        };
        want && f.is_some_and(|f| {
            f.visible && !f.disabled && !(f.read_only && f.kind != "password") && fits(f)
        }) && !filled.contains(&o.as_str())
    });
    Ok(!missed)
}

#[test]
fn classifier_scores_on_the_form_corpus() {
    let pages = load();
    assert!(pages.len() >= 150, "the corpus has {} pages", pages.len());
    let field_order: Vec<&str> = FieldKind::ALL.iter().map(|k| k.as_str()).collect();
    let form_order: Vec<&str> = FormKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut failures = Vec::new();
    for (half, bar) in [("tune", TUNE), ("heldout", HELDOUT)] {
        let mut fields = Confusion::default();
        let mut forms = Confusion::default();
        let (mut sign_in_pages, mut exact, mut wrong, mut other_pages, mut other_filled) =
            (0, 0, 0, 0, 0);
        let mut misses: Vec<String> = Vec::new();
        for page in pages.iter().filter(|p| p.half == half) {
            let mut page_has_sign_in = false;
            let mut page_ok = true;
            let mut page_filled_other = false;
            for (fi, frame) in page.frames.iter().enumerate() {
                let kinds = classify_page(&frame.details, page.stored_login);
                let index: HashMap<&str, usize> = frame
                    .details
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.opid.as_str(), i))
                    .collect();
                for (opid, truth) in &frame.truth {
                    let Some(&i) = index.get(opid.as_str()) else {
                        continue;
                    };
                    let guess = kinds.fields[i].as_str();
                    fields.add(truth, guess);
                    if truth != guess {
                        misses.push(format!("{} {fi}:{opid} field {truth} → {guess}", page.name));
                    }
                }
                for (_, ops, truth) in &frame.form_truth {
                    // The kind most of the group's fields were given.
                    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
                    for o in ops {
                        if let Some(&i) = index.get(o.as_str()) {
                            *votes.entry(kinds.form_of(i).as_str()).or_default() += 1;
                        }
                    }
                    let guess = votes
                        .iter()
                        .max_by_key(|(_, n)| **n)
                        .map_or("other", |(k, _)| *k);
                    forms.add(truth, guess);
                    if truth != guess {
                        misses.push(format!("{} {fi}: form {truth} → {guess}", page.name));
                    }
                }
                let sign_in_here = frame.form_truth.iter().any(|(_, ops, k)| {
                    k == "sign-in"
                        && ops.iter().any(|o| {
                            frame
                                .details
                                .fields
                                .iter()
                                .any(|f| &f.opid == o && f.visible && !f.disabled)
                        })
                });
                page_has_sign_in |= sign_in_here;
                if fi > 0 && !sign_in_here {
                    continue;
                }
                match fill_outcome(frame, sign_in_here) {
                    Ok(true) => {}
                    Ok(false) => {
                        page_ok = false;
                        misses.push(format!("{} {fi}: fill short", page.name));
                    }
                    Err(e) => {
                        page_ok = false;
                        wrong += 1;
                        page_filled_other |= !sign_in_here;
                        misses.push(format!("{} {fi}: WRONG FILL {e}", page.name));
                    }
                }
            }
            if page_has_sign_in {
                sign_in_pages += 1;
                exact += usize::from(page_ok);
            } else {
                other_pages += 1;
                other_filled += usize::from(page_filled_other);
            }
        }
        println!("\n== {half} half ==");
        let low = fields.print("field kind", &field_order, bar.kind_score);
        failures.extend(low.into_iter().map(|l| format!("{half}: {l}")));
        let low = forms.print("form kind", &form_order, bar.kind_score);
        failures.extend(low.into_iter().map(|l| format!("{half}: {l}")));
        println!(
            "  fields right: {:.1}%; forms right: {:.1}%",
            fields.accuracy(),
            forms.accuracy()
        );
        for (what, acc) in [("fields", fields.accuracy()), ("forms", forms.accuracy())] {
            if acc < bar.accuracy {
                failures.push(format!("{half}: {what} right {acc:.1}%"));
            }
        }
        let exact_pct = pct(exact, sign_in_pages);
        println!(
            "  sign-in pages filled exactly right: {exact}/{sign_in_pages} ({exact_pct:.1}%); \
             frames given a wrong value: {wrong}; pages without a sign-in filled: \
             {other_filled}/{other_pages}"
        );
        // The held-out half's mistakes stay out of sight while tuning (set KF_FORMS_SHOW_HELDOUT
        // to see them when reporting).
        if half == "tune" || std::env::var_os("KF_FORMS_SHOW_HELDOUT").is_some() {
            for m in &misses {
                println!("    {m}");
            }
        }
        if exact_pct < bar.sign_in_exact {
            failures.push(format!("{half}: sign-in pages exact {exact_pct:.1}%"));
        }
        if wrong > bar.wrong_frames {
            failures.push(format!("{half}: {wrong} frames given a wrong value"));
        }
    }
    assert!(
        failures.is_empty(),
        "under the thresholds:\n{}",
        failures.join("\n")
    );
}
