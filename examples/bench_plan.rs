//! The fill planner on the 2,000-input page (tests/e2e/pages/perf/many-inputs.html: 40 nested
//! open shadow roots of 50 labelled text inputs, no sign-in form), as the worker's tab request
//! carries it: reading the request, then planning a login fill (a refusal: no sign-in fields),
//! and the same page with a sign-in form after the inputs. Natively and, built for WASI
//! (`node scripts/bench-wasi.mjs bench_plan`), in wasm.
//! Run: `cargo run --release --example bench_plan`.

#[path = "support/shipped_allocator.rs"]
mod shipped_allocator;

use std::fmt::Write;
use std::time::Instant;

use keyfill::fill::{parse_tab_request, plan_tab, TabPlan};
use keyfill::matching::MatchSettings;
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};

const WHERE: &str = if cfg!(target_arch = "wasm32") {
    "wasm (WASI)"
} else {
    "native"
};
const URL: &str = "https://login.example.com/perf/many-inputs.html";

/// The request the worker builds for the page, field for field as the content script writes it.
fn request(sign_in: bool) -> String {
    let mut fields = String::new();
    let mut n = 0;
    for d in 0..40 {
        for i in 0..50 {
            n += 1;
            let _ = write!(
                fields,
                r#"{{"opid":"__kf{n}","tag":"input","type":"text","name":"f{d}_{i}","htmlId":"f{d}_{i}","label":"Field {d}.{i}","visible":true,"shadow":"open"}},"#
            );
        }
    }
    let mut forms = String::new();
    if sign_in {
        fields.push_str(
            r#"{"opid":"__kfu","form":"__kfF1","tag":"input","type":"email","name":"email","label":"E-mail","visible":true},{"opid":"__kfp","form":"__kfF1","tag":"input","type":"password","name":"password","label":"Password","visible":true},"#,
        );
        forms.push_str(
            r#"{"opid":"__kfF1","action":"https://login.example.com/login","buttons":["Sign in"]}"#,
        );
    }
    fields.pop();
    let details = format!(
        r#"{{"fields":[{fields}],"forms":[{forms}],"sections":[],"pageText":"Many inputs Big form"}}"#
    );
    format!(
        r#"{{"tabId":1,"topUrl":"{URL}","trigger":"shortcut","optOutSites":[],"frames":[{{"frameId":0,"documentId":"D","origin":"https://login.example.com","url":"{URL}","isTop":true,"details":{details}}}],"nowMs":1700000000000}}"#
    )
}

fn login() -> CipherView {
    CipherView {
        id: "item-1".into(),
        name: "Example".into(),
        kind: TYPE_LOGIN,
        login: Some(LoginView {
            username: Some("alice@example.com".into()),
            password: Some("correct horse".into()),
            uris: vec![LoginUriView {
                uri: Some("https://login.example.com/".into()),
                match_type: None,
            }],
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

fn main() {
    let item = login();
    let settings = MatchSettings::default();
    for sign_in in [false, true] {
        let json = request(sign_in);
        let parse = median_ms(31, || {
            parse_tab_request(&json).unwrap();
        });
        let req = parse_tab_request(&json).unwrap();
        let mut status = String::new();
        let plan = median_ms(31, || {
            let p = plan_tab(&req, "item-1", &item, &settings, &mut || Ok("x".into()));
            status = match p {
                TabPlan::Fill { .. } => "fill".into(),
                TabPlan::Confirm { .. } => "confirm".into(),
                TabPlan::Refused { reason } => format!("refused: {reason}"),
            };
        });
        println!(
            "{WHERE}: 2,000-input page{}, {} KB request: read {parse:.2} ms, plan {plan:.2} ms ({status}), median of 31",
            if sign_in { " with a sign-in form" } else { "" },
            json.len() / 1024
        );
    }
}
