//! Known-answer tests over the vectors file (`tests/data/vectors/bitwarden.json`, whose `_source`
//! names where each vector comes from). The same runner checks the native build (`cargo test`)
//! and the wasm build (Node), so both are held to the same answers.

use serde::Serialize;
use serde_json::Value;

use crate::crypto::hash::{master_password_hash, HashPurpose};
use crate::crypto::{b64, EncString, Kdf, MasterKey, PrivateKey, PublicKey, SymmetricKey};
use crate::error::Result;
use crate::keys::{unwrap_user_key, Keyring};
use crate::totp::Totp;

#[derive(Serialize, Debug)]
pub struct Outcome {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

fn n(v: &Value, k: &str) -> u32 {
    v.get(k).and_then(Value::as_u64).unwrap_or_default() as u32
}

fn argon(v: &Value) -> Kdf {
    Kdf::Argon2id {
        iterations: n(v, "iterations"),
        memory_mib: n(v, "memory_mib"),
        parallelism: n(v, "parallelism"),
    }
}

fn check(out: &mut Vec<Outcome>, name: &str, got: String, want: &str) {
    out.push(Outcome {
        name: name.to_string(),
        ok: got == want,
        detail: if got == want {
            String::new()
        } else {
            format!("got {got}, want {want}")
        },
    });
}

fn b64(v: &Value, k: &str) -> Vec<u8> {
    b64::decode(s(v, k)).unwrap_or_default()
}

fn shown<T>(r: Result<T>, f: impl FnOnce(T) -> String) -> String {
    r.map(f).unwrap_or_else(|e| e.to_string())
}

/// RSA-OAEP both ways against the vector's key, then a key pair of this platform's making used
/// as an account's: its private key wrapped under a user key, an organization key wrapped to it.
async fn rsa_oaep(out: &mut Vec<Outcome>, v: &Value) {
    let want = s(v, "plaintext_hex");
    let private = match PrivateKey::from_pkcs8_der(&b64(v, "private_key_pkcs8")).await {
        Ok(k) => k,
        Err(e) => return check(out, "rsa_oaep.private_key", e.to_string(), "a key"),
    };
    for (name, field) in [
        ("rsa_oaep.type4", "type4_oaep_sha1"),
        ("rsa_oaep.type3", "type3_oaep_sha256"),
    ] {
        let got = match s(v, field).parse::<EncString>() {
            Ok(enc) => shown(private.decrypt(&enc).await, |p| hex(&p)),
            Err(e) => e.to_string(),
        };
        check(out, name, got, want);
    }
    let ours = match PublicKey::from_spki_der(&b64(v, "public_key_spki")).await {
        Ok(public) => public.encrypt(&unhex(want)).await,
        Err(e) => Err(e),
    };
    let got = match ours {
        Ok(enc) => shown(private.decrypt(&enc).await, |p| hex(&p)),
        Err(e) => e.to_string(),
    };
    check(out, "rsa_oaep.encrypt", got, want);

    let org = [7u8; 64];
    let got = async {
        let user_key = SymmetricKey::generate()?;
        let (private, public) = PrivateKey::generate().await?;
        let public = PublicKey::from_spki_der(&public.to_spki_der()?).await?;
        let wrapped_private = user_key.encrypt(&private.to_pkcs8_der()?)?.to_string();
        let wrapped_org = public.encrypt(&org).await?.to_string();
        let ring = Keyring::open(
            user_key,
            Some(&wrapped_private),
            [("org", Some(&*wrapped_org))],
        )
        .await?;
        Ok(ring
            .owner_key(Some("org"))
            .map(|k| hex(&k.to_bytes()))
            .unwrap_or_default())
    }
    .await;
    check(out, "rsa_oaep.generated", shown(got, |h| h), &hex(&org));
}

/// Runs every vector it knows in `vectors` (the JSON text of a vectors file). A vector group
/// the runner does not know is reported as a failure, so new vectors cannot be silently skipped.
/// Async: RSA is the browser's WebCrypto in its wasm.
pub async fn run(vectors: &str) -> Vec<Outcome> {
    let mut out = Vec::new();
    let Ok(Value::Object(all)) = serde_json::from_str::<Value>(vectors) else {
        return vec![Outcome {
            name: "parse".into(),
            ok: false,
            detail: "not a JSON object".into(),
        }];
    };
    for (group, v) in &all {
        match group.as_str() {
            "_source" => {}
            "pbkdf2_master_key" => {
                let kdf = Kdf::Pbkdf2 {
                    iterations: n(v, "iterations"),
                };
                let got = MasterKey::derive(s(v, "password"), s(v, "salt"), &kdf)
                    .map(|k| hex(k.bytes()))
                    .unwrap_or_else(|e| e.to_string());
                check(&mut out, group, got, s(v, "master_key"));
            }
            "stretch" => {
                let mk: [u8; 32] = unhex(s(v, "master_key")).try_into().unwrap_or([0; 32]);
                let st = MasterKey::from_derived(mk).stretch().to_bytes();
                check(&mut out, "stretch.enc", hex(&st[..32]), s(v, "enc"));
                check(&mut out, "stretch.mac", hex(&st[32..]), s(v, "mac"));
            }
            "argon2id_master_key" => {
                let got =
                    MasterKey::derive(s(v, "password"), s(v, "salt_before_sha256"), &argon(v))
                        .map(|k| hex(k.bytes()))
                        .unwrap_or_else(|e| e.to_string());
                check(&mut out, group, got, s(v, "master_key"));
            }
            "server_hash_pbkdf2" => {
                let kdf = Kdf::Pbkdf2 {
                    iterations: n(v, "iterations"),
                };
                let pw = s(v, "password");
                for email in v["emails_equivalent"].as_array().into_iter().flatten() {
                    let email = email.as_str().unwrap_or_default();
                    match MasterKey::derive(pw, email, &kdf) {
                        Ok(k) => {
                            let server =
                                master_password_hash(&k, pw, HashPurpose::ServerAuthorization);
                            check(
                                &mut out,
                                &format!("{group}.server[{email}]"),
                                server,
                                s(v, "server_hash_b64"),
                            );
                            let local =
                                master_password_hash(&k, pw, HashPurpose::LocalAuthorization);
                            check(
                                &mut out,
                                &format!("{group}.local[{email}]"),
                                local,
                                s(v, "local_hash_b64"),
                            );
                        }
                        Err(e) => check(&mut out, group, e.to_string(), "a key"),
                    }
                }
            }
            "server_hash_argon2id" => {
                let pw = s(v, "password");
                let got = MasterKey::derive(pw, s(v, "salt"), &argon(v))
                    .map(|k| master_password_hash(&k, pw, HashPurpose::ServerAuthorization))
                    .unwrap_or_else(|e| e.to_string());
                check(&mut out, group, got, s(v, "server_hash_b64"));
            }
            "legacy_type0_user_key" => {
                let kdf = Kdf::Pbkdf2 {
                    iterations: n(v, "iterations"),
                };
                let got = MasterKey::derive(s(v, "password"), s(v, "email"), &kdf)
                    .and_then(|mk| unwrap_user_key(&mk, s(v, "key")))
                    .map(|uk| {
                        let b = uk.to_bytes();
                        format!("{} {}", hex(&b[..8]), hex(&b[32..36]))
                    })
                    .unwrap_or_else(|e| e.to_string());
                let want = format!(
                    "{} {}",
                    s(v, "user_key_enc_prefix"),
                    s(v, "user_key_mac_prefix")
                );
                check(&mut out, group, got, &want);
            }
            "type2_encstring" => {
                let got = SymmetricKey::from_bytes(&unhex(s(v, "key")))
                    .and_then(|k| {
                        let e: EncString = s(v, "enc_string").parse()?;
                        k.decrypt_string(&e)
                    })
                    .unwrap_or_else(|e| e.to_string());
                check(&mut out, group, got, s(v, "plaintext"));
            }
            "rsa_oaep" => rsa_oaep(&mut out, v).await,
            "totp_at_2023_01_01T00_00_00Z" => {
                const AT: u64 = 1_672_531_200;
                for t in v.as_array().into_iter().flatten() {
                    let got = Totp::parse(s(t, "secret"))
                        .map(|t| t.code_at(AT))
                        .unwrap_or_else(|e| e.to_string());
                    check(
                        &mut out,
                        &format!("totp[{}]", s(t, "secret")),
                        got,
                        s(t, "code"),
                    );
                }
            }
            other => out.push(Outcome {
                name: other.to_string(),
                ok: false,
                detail: "no runner for this vector group".into(),
            }),
        }
    }
    out
}
