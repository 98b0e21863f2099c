//! EncString parsing, serialising and decrypting: never a panic, and whatever parses prints back
//! to a string that parses to the same value.
#![no_main]

use keyfill::crypto::{EncString, SymmetricKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(enc) = text.parse::<EncString>() {
        let again: EncString = enc.to_string().parse().expect("a serialised EncString parses");
        assert_eq!(again, enc);
        let key64 = SymmetricKey::from_bytes(&[7u8; 64]).unwrap();
        let key32 = SymmetricKey::from_bytes(&[7u8; 32]).unwrap();
        let _ = key64.decrypt(&enc);
        let _ = key32.decrypt(&enc);
    }
});
