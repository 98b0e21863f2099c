//! Tampered and malformed EncStrings: each gives the right error, never plaintext, never a panic.
//! Base vector: docs/protocol.md Appendix A #7 (sdk-internal `aes256_cbc_hmac_sha256_ae.rs`).

use keyfill::crypto::{b64, EncString, SymmetricKey};
use keyfill::Error;

const VECTOR: &str = "2.2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=";

fn key() -> SymmetricKey {
    SymmetricKey::from_bytes(&(0u8..64).collect::<Vec<_>>()).unwrap()
}

fn parts() -> Vec<Vec<u8>> {
    VECTOR[2..]
        .split('|')
        .map(|p| b64::decode(p).unwrap())
        .collect()
}

fn assemble(p: &[Vec<u8>]) -> String {
    format!(
        "2.{}|{}|{}",
        b64::encode(&p[0]),
        b64::encode(&p[1]),
        b64::encode(&p[2])
    )
}

fn decrypt(text: &str) -> Result<String, Error> {
    let enc: EncString = text.parse()?;
    key().decrypt_string(&enc)
}

#[test]
fn the_untouched_vector_decrypts() {
    assert_eq!(decrypt(VECTOR).unwrap(), "Bitwarden SDK test vector");
}

#[test]
fn any_flipped_bit_in_iv_ciphertext_or_mac_fails_authentication() {
    for part in 0..3 {
        let len = parts()[part].len();
        for byte in 0..len {
            for bit in [0u8, 3, 7] {
                let mut p = parts();
                p[part][byte] ^= 1 << bit;
                assert_eq!(
                    decrypt(&assemble(&p)),
                    Err(Error::DecryptFailed),
                    "part {part} byte {byte} bit {bit}"
                );
            }
        }
    }
}

#[test]
fn a_swapped_type_is_refused() {
    let body = &VECTOR[2..];
    // Type 0 needs two parts; handing the three parts of type 2 is malformed.
    assert!(matches!(
        decrypt(&format!("0.{body}")),
        Err(Error::Malformed(_))
    ));
    // The RSA types and unknown numbers never decrypt with a symmetric key.
    for t in ["3", "4", "5", "6"] {
        let r = decrypt(&format!("{t}.{body}"));
        assert!(
            matches!(r, Err(Error::Malformed(_)) | Err(Error::WrongKeyType(_))),
            "{t}: {r:?}"
        );
    }
    assert!(matches!(
        decrypt(&format!("9.{body}")),
        Err(Error::Unsupported(_))
    ));
    assert!(matches!(
        decrypt(&format!("1.{body}")),
        Err(Error::Unsupported(_))
    ));
    // A type-0 string (iv|ct of the vector) handed to a 64-byte key: no downgrade to MAC-less.
    let p = parts();
    let t0 = format!("0.{}|{}", b64::encode(&p[0]), b64::encode(&p[1]));
    assert!(matches!(decrypt(&t0), Err(Error::WrongKeyType(_))));
    // And a type-2 string to a 32-byte key.
    let legacy = SymmetricKey::from_bytes(&[1u8; 32]).unwrap();
    let e: EncString = VECTOR.parse().unwrap();
    assert!(matches!(legacy.decrypt(&e), Err(Error::WrongKeyType(_))));
    // Type 7 is reported as unsupported account encryption, not as garbage.
    let cose: EncString = "7.oAEBAg==".parse().unwrap();
    assert!(matches!(key().decrypt(&cose), Err(Error::Unsupported(_))));
}

#[test]
fn truncated_padded_and_non_base64_strings_are_malformed() {
    let p = parts();
    let cases = vec![
        // iv of 15 bytes, mac of 31 or 33 bytes
        format!(
            "2.{}|{}|{}",
            b64::encode(&p[0][..15]),
            b64::encode(&p[1]),
            b64::encode(&p[2])
        ),
        format!(
            "2.{}|{}|{}",
            b64::encode(&p[0]),
            b64::encode(&p[1]),
            b64::encode(&p[2][..31])
        ),
        format!(
            "2.{}|{}|{}",
            b64::encode(&p[0]),
            b64::encode(&p[1]),
            b64::encode(&[p[2].clone(), vec![0]].concat())
        ),
        VECTOR[..VECTOR.len() - 46].to_string(),
        format!("{VECTOR}|AAAA"),
        VECTOR.replace('|', "||"),
        VECTOR.replace('+', "-"),
        VECTOR.replacen('2', "2.2", 1),
        format!("{VECTOR}%"),
        "2.!!!|???|***".into(),
        String::new(),
    ];
    for c in cases {
        let r = decrypt(&c);
        assert!(
            matches!(r, Err(Error::Malformed(_)) | Err(Error::Unsupported(_))),
            "{c:?}: {r:?}"
        );
    }
}

#[test]
fn ciphertext_whose_length_changed_with_a_valid_mac_is_refused() {
    // An attacker who knows the MAC key cannot happen; but a ciphertext that is not a whole
    // number of blocks, re-MACed correctly, must still fail cleanly and not panic.
    use hmac::{Hmac, Mac};
    let mut p = parts();
    let short = p[1].len() - 1;
    p[1].truncate(short);
    let mut m =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(&(32u8..64).collect::<Vec<_>>()).unwrap();
    m.update(&p[0]);
    m.update(&p[1]);
    p[2] = m.finalize().into_bytes().to_vec();
    assert_eq!(decrypt(&assemble(&p)), Err(Error::DecryptFailed));
}

#[test]
fn errors_never_carry_plaintext() {
    let mut p = parts();
    p[1][0] ^= 1;
    let err = decrypt(&assemble(&p)).unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("Bitwarden SDK"), "{text}");
    }
}
