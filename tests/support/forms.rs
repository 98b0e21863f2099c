//! The labelled form corpus (`tests/data/forms/`, described in its README): every page's
//! snapshot (what the content script collected in each frame) with its truth labels and its half
//! of the split. Scoring tests build their classifier input from `Frame::details` (the exact
//! `pageDetails.details` JSON) and compare with `truth` and `form_truth`.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Field kinds a `data-kf-truth` label may hold.
pub const FIELD_KINDS: [&str; 10] = [
    "username",
    "current-password",
    "new-password",
    "confirm-password",
    "otp",
    "email",
    "search",
    "card",
    "address",
    "other",
];
/// Form kinds a `data-kf-truth-form` label may hold.
pub const FORM_KINDS: [&str; 10] = [
    "sign-in",
    "sign-up",
    "change-password",
    "reset",
    "otp",
    "search",
    "newsletter",
    "contact",
    "checkout",
    "other",
];

/// Which half of the split a page is in: tune on `Tune`, report `Heldout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Half {
    Tune,
    Heldout,
}

/// One labelled group: a form (`form` = its opid) or, on a formless page, the fields of one
/// wrapper (`form` = `None`).
#[derive(Debug, Clone)]
pub struct Group {
    pub form: Option<String>,
    pub fields: Vec<String>,
    pub kind: String,
}

/// One frame of a page: the details its content script sent and their truth, keyed by opid
/// (opids are per frame).
#[derive(Debug, Clone)]
pub struct Frame {
    pub url: String,
    /// `pageDetails.details` as JSON text, as the worker would hand it to the core.
    pub details: String,
    pub truth: BTreeMap<String, String>,
    pub form_truth: Vec<Group>,
    /// Labelled elements the content script did not report (check boxes, range inputs…).
    pub unreached: Vec<Value>,
}

/// A corpus page.
#[derive(Debug, Clone)]
pub struct Page {
    /// `<group>/<name>.html`.
    pub path: String,
    pub group: String,
    pub half: Half,
    /// Whether a login is stored for the site (`kf-stored-login`).
    pub stored_login: bool,
    pub frames: Vec<Frame>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/forms")
}

fn read_json(path: &PathBuf) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn string(v: &Value, what: &str) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} is not a string"))
        .to_owned()
}

fn frame(v: &Value, page: &str) -> Frame {
    let truth = v["truth"]
        .as_object()
        .unwrap_or_else(|| panic!("{page}: truth"))
        .iter()
        .map(|(k, kind)| (k.clone(), string(kind, "a field kind")))
        .collect();
    let form_truth = v["formTruth"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}: formTruth"))
        .iter()
        .map(|g| Group {
            form: g["form"].as_str().map(str::to_owned),
            fields: g["fields"]
                .as_array()
                .unwrap_or_else(|| panic!("{page}: formTruth fields"))
                .iter()
                .map(|f| string(f, "an opid"))
                .collect(),
            kind: string(&g["kind"], "a form kind"),
        })
        .collect();
    Frame {
        url: string(&v["url"], "url"),
        details: v["details"].to_string(),
        truth,
        form_truth,
        unreached: v["unreached"].as_array().cloned().unwrap_or_default(),
    }
}

/// Every page of the corpus, in path order, from `split.json` and `snapshots/`.
pub fn load() -> Vec<Page> {
    let split = read_json(&root().join("split.json"));
    let split = split.as_object().expect("split.json is an object");
    split
        .iter()
        .map(|(path, half)| {
            let half = match half.as_str() {
                Some("tune") => Half::Tune,
                Some("heldout") => Half::Heldout,
                other => panic!("split.json: {path}: {other:?}"),
            };
            let file = root()
                .join("snapshots")
                .join(path.trim_end_matches(".html").to_owned() + ".json");
            let snap = read_json(&file);
            assert_eq!(
                snap["page"].as_str(),
                Some(path.as_str()),
                "{}",
                file.display()
            );
            let frames = snap["frames"]
                .as_array()
                .unwrap_or_else(|| panic!("{path}: frames"))
                .iter()
                .map(|f| frame(f, path))
                .collect();
            Page {
                path: path.clone(),
                group: path.split('/').next().unwrap_or_default().to_owned(),
                half,
                stored_login: snap["storedLogin"].as_bool().unwrap_or(true),
                frames,
            }
        })
        .collect()
}
