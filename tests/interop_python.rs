//! Interoperability both ways with an independent implementation (`tests/interop/bwref.py`,
//! Python's `cryptography`): what Keyfill writes opens there and what it writes opens here.

use keyfill::crypto::asymmetric::ready;
use keyfill::crypto::{b64, EncString, PrivateKey, PublicKey, SymmetricKey};

#[path = "support/python.rs"]
mod py;
use py::python;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

const KEY_HEX: &str = "5c1e0d3a9b8f7e6d5c4b3a29180706f5e4d3c2b1a09f8e7d6c5b4a3928170615\
a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

fn key() -> SymmetricKey {
    let bytes: Vec<u8> = (0..64)
        .map(|i| u8::from_str_radix(&KEY_HEX[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    SymmetricKey::from_bytes(&bytes).unwrap()
}

#[test]
fn keyfill_encstrings_open_in_python() {
    for text in [
        "",
        "a",
        "exactly sixteen!",
        "unicodé ☂ 🛜 \"quotes\"\nnewline",
        &"x".repeat(1000),
    ] {
        let enc = key().encrypt_str(text).unwrap().to_string();
        let got = python(&["decrypt", KEY_HEX, &enc]);
        assert_eq!(got["plaintext"], text);
    }
}

#[test]
fn python_encstrings_open_in_keyfill() {
    for text in ["hello", "", "Perso ☂", &"y".repeat(333)] {
        let got = python(&["encrypt", KEY_HEX, text]);
        let enc: EncString = got["encString"].as_str().unwrap().parse().unwrap();
        assert_eq!(key().decrypt_string(&enc).unwrap(), text);
    }
}

#[test]
fn rsa_oaep_both_ways() {
    // Python's key pair; Python encrypts to it, Keyfill decrypts with the PKCS#8 private key.
    let pair = python(&["rsa-keypair"]);
    let private = ready(PrivateKey::from_pkcs8_der(
        &b64::decode(pair["privateDer"].as_str().unwrap()).unwrap(),
    ))
    .unwrap();
    let secret = (0u8..64).collect::<Vec<_>>();
    let wrapped = python(&[
        "rsa-encrypt",
        pair["publicDer"].as_str().unwrap(),
        &hex(&secret),
    ]);
    let enc: EncString = wrapped["encString"].as_str().unwrap().parse().unwrap();
    assert_eq!(enc.type_number(), 4);
    assert_eq!(&ready(private.decrypt(&enc)).unwrap()[..], &secret[..]);
    // Keyfill encrypts to the SPKI public key (type 4), Python decrypts.
    let public = ready(PublicKey::from_spki_der(
        &b64::decode(pair["publicDer"].as_str().unwrap()).unwrap(),
    ))
    .unwrap();
    let ours = ready(public.encrypt(&secret)).unwrap().to_string();
    assert!(ours.starts_with("4."));
    let back = python(&["rsa-decrypt", pair["privateDer"].as_str().unwrap(), &ours]);
    assert_eq!(back["hex"], hex(&secret));
}
