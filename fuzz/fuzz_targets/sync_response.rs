//! The sync-response path of unlock: key-case normalisation, parsing, list rows and items.
//! Arbitrary bytes must give an error or a session, never a panic.
#![no_main]

use keyfill::session::{AccountMaterial, Session};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let normalized = keyfill::server_json::normalize_key_text(text);
    assert_eq!(normalized.len(), text.len());
    let _ = keyfill::vault::export::parse_json_export(text);
    // The seed corpus (fuzz/seeds/sync_response) is a synthetic account with this password and
    // the cheapest legal KDF, so mutations that keep its key reach the item parsers and decryption.
    if let Ok(material) = AccountMaterial::parse(r#"{"kdf":0,"kdfIterations":5000}"#, text) {
        let mut s = Session::new();
        if s.unlock("bench@example.test", "benchmark master password", material).is_ok() {
            for row in s.summaries().unwrap().to_vec() {
                let _ = s.item(&row.id);
            }
            let _ = s.vault().map(|v| keyfill::vault::export::to_json_export(&v));
        }
    }
});
