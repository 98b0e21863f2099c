//! A card split over frames (docs/autofill.md rule 4): the page's own fields and a payment
//! provider's frames of another origin. One question per origin naming its host and covering
//! each of its documents; once confirmed, one gesture fills them all; a navigated frame or an
//! expired confirmation fills nothing.

#[path = "support/fill.rs"]
mod fill;

use fill::*;
use keyfill::fill::{parse_tab_request, plan_tab, TabPlan};
use keyfill::vault::records::Card;

const NOW_MS: u64 = 1_700_000_000_000;
const SHOP: &str = "https://shop.example/checkout";
const PAY: &str = "https://pay.provider.example";

fn card() -> CipherView {
    CipherView {
        id: "card-1".into(),
        kind: TYPE_CARD,
        name: "Visa".into(),
        card: Some(Card {
            cardholder_name: Some("Ada Lovelace".into()),
            number: Some("4111111111111111".into()),
            exp_month: Some("3".into()),
            exp_year: Some("2027".into()),
            code: Some("123".into()),
            ..Card::default()
        }),
        ..CipherView::default()
    }
}

fn field(opid: &str, autocomplete: &str) -> Value {
    json!({"opid": opid, "tag": "input", "type": "text", "autocomplete": autocomplete, "visible": true})
}

fn frame(id: i64, url: &str, fields: Vec<Value>) -> Value {
    let origin = url
        .split_once("://")
        .map(|(s, r)| format!("{s}://{}", r.split('/').next().unwrap_or("")))
        .unwrap();
    json!({"frameId": id, "documentId": format!("doc-{id}"), "origin": origin, "url": url,
           "isTop": id == 0, "details": {"fields": fields, "forms": []}})
}

/// The checkout: the holder's name in the page, number / expiry / code in three frames of the
/// payment provider.
fn checkout() -> Vec<Value> {
    vec![
        frame(0, SHOP, vec![field("h", "cc-name")]),
        frame(3, &format!("{PAY}/number"), vec![field("n", "cc-number")]),
        frame(4, &format!("{PAY}/expiry"), vec![field("e", "cc-exp")]),
        frame(5, &format!("{PAY}/cvc"), vec![field("c", "cc-csc")]),
    ]
}

fn request(frames: Vec<Value>, confirmation: Option<Value>) -> Value {
    let mut r = json!({"tabId": 7, "topUrl": SHOP, "trigger": "popup", "optOutSites": [],
                       "nowMs": NOW_MS, "frames": frames});
    if let Some(c) = confirmation {
        r["confirmation"] = c;
    }
    r
}

fn decide(req: &Value) -> Value {
    let req = parse_tab_request(&req.to_string()).unwrap();
    let plan: TabPlan = plan_tab(
        &req,
        "card-1",
        &card(),
        &MatchSettings::default(),
        &mut || Ok(GEN.to_string()),
    );
    // The actions' values do not serialise through Debug; read them from the JSON the worker gets.
    serde_json::to_value(&plan).unwrap()
}

fn binding(documents: &[&str]) -> Value {
    json!({"tabId": 7, "itemId": "card-1", "frameId": 3, "documentId": "doc-3",
           "origin": PAY, "reasons": ["otherOriginFrame"], "reprompted": false,
           "expires": NOW_MS + 60_000, "documents": documents})
}

#[test]
fn one_question_names_the_provider_and_covers_each_of_its_frames() {
    let plan = decide(&request(checkout(), None));
    assert_eq!(plan["status"], "confirm");
    assert_eq!(plan["reason"], "otherOriginFrame");
    assert_eq!(plan["host"], "pay.provider.example");
    assert_eq!(plan["documents"], json!(["doc-3", "doc-4", "doc-5"]));
}

#[test]
fn once_confirmed_one_gesture_fills_the_page_and_every_confirmed_frame() {
    let plan = decide(&request(
        checkout(),
        Some(binding(&["doc-3", "doc-4", "doc-5"])),
    ));
    assert_eq!(plan["status"], "fill", "{plan}");
    assert_eq!(plan["frame"]["frameId"], 0);
    assert_eq!(plan["actions"][0]["value"], "Ada Lovelace");
    let also: Vec<(i64, String)> = plan["also"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["frame"]["frameId"].as_i64().unwrap(),
                f["actions"][0]["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        also,
        [
            (3, "4111111111111111".into()),
            (4, "03/27".into()),
            (5, "123".into())
        ]
    );
}

#[test]
fn a_frame_not_covered_by_the_confirmation_is_not_filled() {
    // The confirmation covered the number's frame only; the expiry's document is another one.
    let plan = decide(&request(checkout(), Some(binding(&["doc-3"]))));
    let frames: Vec<i64> = std::iter::once(plan["frame"]["frameId"].as_i64().unwrap())
        .chain(
            plan["also"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["frame"]["frameId"].as_i64().unwrap()),
        )
        .collect();
    assert_eq!(frames, [0, 3]);
}

#[test]
fn a_navigated_frame_or_an_expired_confirmation_fills_nothing() {
    let mut moved = checkout();
    for f in moved.iter_mut().skip(1) {
        f["documentId"] = json!(format!("{}-new", f["documentId"].as_str().unwrap()));
    }
    let plan = decide(&request(moved, Some(binding(&["doc-3", "doc-4", "doc-5"]))));
    assert_eq!(
        (plan["status"].as_str(), plan["reason"].as_str()),
        (Some("refused"), Some("frame_changed"))
    );
    let mut old = binding(&["doc-3"]);
    old["expires"] = json!(NOW_MS - 1);
    let plan = decide(&request(checkout(), Some(old)));
    assert_eq!(plan["reason"], "confirmation_expired");
}

#[test]
fn a_card_form_all_in_the_page_fills_at_once() {
    let plan = decide(&request(
        vec![frame(
            0,
            SHOP,
            vec![field("n", "cc-number"), field("c", "cc-csc")],
        )],
        None,
    ));
    assert_eq!(plan["status"], "fill");
    assert!(plan.get("also").is_none(), "no other frame");
}
