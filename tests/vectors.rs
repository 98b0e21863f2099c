//! Every vector of `tests/data/vectors/bitwarden.json` (sources listed in its `_source` field)
//! passes natively. `tests/e2e/wasm_core.test.mjs` runs the same file through the wasm build.

#[path = "support/data.rs"]
mod data;

#[test]
fn every_vector_passes() {
    let text = data::read("vectors/bitwarden.json");
    let outcomes = keyfill::selftest::run(&text);
    assert!(
        outcomes.len() >= 15,
        "too few vectors ran: {}",
        outcomes.len()
    );
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.ok).collect();
    assert!(failed.is_empty(), "failed vectors: {failed:?}");
}
