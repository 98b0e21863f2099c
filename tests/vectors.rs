//! Every vector of `tests/data/vectors/` (sources listed in each file's `_source` field) passes
//! natively. `tests/e2e/wasm_core.test.mjs` runs the same files through the wasm build.

#[path = "support/data.rs"]
mod data;

use keyfill::api::native::block_on;

#[test]
fn every_vector_passes() {
    let text = data::read("vectors/bitwarden.json");
    let outcomes = block_on(keyfill::selftest::run(&text));
    assert!(
        outcomes.len() >= 15,
        "too few vectors ran: {}",
        outcomes.len()
    );
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.ok).collect();
    assert!(failed.is_empty(), "failed vectors: {failed:?}");
}

#[test]
fn rsa_vectors_pass() {
    let text = data::read("vectors/rsa_oaep.json");
    let outcomes = block_on(keyfill::selftest::run(&text));
    let names: Vec<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "rsa_oaep.type4",
            "rsa_oaep.type3",
            "rsa_oaep.encrypt",
            "rsa_oaep.generated"
        ]
    );
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.ok).collect();
    assert!(failed.is_empty(), "failed vectors: {failed:?}");
}
