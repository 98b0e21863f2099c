//! The fill planner on the 2,000-input page (tests/e2e/pages/perf/many-inputs.html: 40 nested
//! open shadow roots of 50 labelled text inputs, no sign-in form), as the worker's tab request
//! carries it: reading the request, then planning a login fill (a refusal: no sign-in fields),
//! and the same page with a sign-in form after the inputs. Natively and, built for WASI
//! (`node scripts/bench-wasi.mjs bench_plan`), in wasm.
//! Run: `cargo run --release --example bench_plan`.

#[path = "../tests/support/fill.rs"]
mod fill;
#[path = "support/shipped_allocator.rs"]
mod shipped_allocator;
#[path = "support/timing.rs"]
mod timing;

use std::fmt::Write;

use keyfill::fill::{parse_tab_request, plan_tab, TabPlan};
use keyfill::matching::MatchSettings;
use timing::{median_ms, WHERE};

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

fn main() {
    let item = fill::item(&["https://login.example.com/"], None);
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
