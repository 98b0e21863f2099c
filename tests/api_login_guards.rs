//! What a sign-in on this device guards against: a server asking for weaker key-derivation
//! settings than this device last used for the account (`kdf_downgrade` unless the user
//! confirms), and "remember this device" tokens at rest that would let anyone holding the disk
//! test password guesses offline (they are sealed under a random device secret instead of the
//! master key).

#[path = "api_support/mock.rs"]
mod mock;

use keyfill::api::native::block_on;
use keyfill::api::{KdfGuard, RememberedSeal};
use keyfill::crypto::{EncString, Kdf, MasterKey};
use mock::*;
use serde_json::{json, Value};

const SERVER: &str = "https://vault.example.test";

/// The prelogin a server answers now, checked against what this device stored before.
fn guarded(answer: Value, last: Option<Value>, confirmed: bool) -> Result<Kdf, String> {
    let (c, mock, _) = client(SERVER);
    mock.answer(200, answer);
    let last = last.map(|v| v.to_string());
    let guard = KdfGuard {
        last_prelogin: last.as_deref(),
        confirmed,
    };
    block_on(c.guarded_prelogin("alice@example.test", guard))
        .map(|p| p.kdf)
        .map_err(|e| format!("{}: {e}", e.code()))
}

fn pbkdf2(iterations: u32) -> Value {
    json!({"kdf": 0, "kdfIterations": iterations})
}

fn argon2(t: u32, m: u32, p: u32) -> Value {
    json!({"kdf": 1, "kdfIterations": t, "kdfMemory": m, "kdfParallelism": p})
}

#[test]
fn weaker_kdf_than_last_time_is_refused_unless_confirmed() {
    let downgrades = [
        (
            pbkdf2(600_000),
            pbkdf2(100_000),
            "100000 iterations instead of 600000",
        ),
        (
            argon2(3, 64, 4),
            pbkdf2(2_000_000),
            "PBKDF2 instead of Argon2id",
        ),
        (
            argon2(3, 64, 4),
            argon2(3, 16, 4),
            "16 MiB of memory instead of 64",
        ),
        (argon2(3, 64, 4), argon2(2, 64, 4), "2 passes instead of 3"),
    ];
    for (last, now, what) in downgrades {
        let err = guarded(now.clone(), Some(last.clone()), false).unwrap_err();
        assert!(err.starts_with("kdf_downgrade: "), "{err}");
        assert!(err.contains("weaker") && err.contains(what), "{err}");
        // The user saw the warning and goes on.
        assert!(guarded(now, Some(last), true).is_ok());
    }
    // Cozy's PascalCase, as stored from its prelogin.
    let cozy = json!({"Kdf": 0, "KdfIterations": 650_000});
    assert!(guarded(pbkdf2(600_000), Some(cozy), false)
        .unwrap_err()
        .starts_with("kdf_downgrade"));
}

#[test]
fn same_or_stronger_kdf_and_first_sign_ins_pass() {
    let fine = [
        (pbkdf2(600_000), pbkdf2(600_000)),
        (pbkdf2(100_000), pbkdf2(600_000)),
        (pbkdf2(600_000), argon2(3, 64, 4)),
        // Fewer lanes at the same memory and passes cost a guesser no less.
        (argon2(3, 64, 4), argon2(3, 64, 1)),
        (argon2(3, 64, 4), argon2(4, 128, 4)),
    ];
    for (last, now) in fine {
        assert!(
            guarded(now.clone(), Some(last.clone()), false).is_ok(),
            "{last} -> {now}"
        );
    }
    assert!(guarded(pbkdf2(5_000), None, false).is_ok());
    // A stored value this version cannot read guards nothing, and blocks nothing.
    let (c, mock, _) = client(SERVER);
    mock.answer(200, pbkdf2(600_000));
    let guard = KdfGuard {
        last_prelogin: Some("not json"),
        confirmed: false,
    };
    assert!(block_on(c.guarded_prelogin("alice@example.test", guard)).is_ok());
}

#[test]
fn minimums_hold_even_when_confirmed() {
    let err = guarded(pbkdf2(4_999), Some(pbkdf2(600_000)), true).unwrap_err();
    assert!(err.starts_with("kdf_rejected"), "{err}");
    let err = guarded(argon2(1, 64, 4), None, true).unwrap_err();
    assert!(err.starts_with("kdf_rejected"), "{err}");
}

#[test]
fn remembered_tokens_do_not_depend_on_the_password() {
    let secret = "q0ZrV2g5c3ZQbE1xN0RkWnR4eU5mS2hCdTNhV2pFcVo="; // 32 random bytes, base64
    let seal = RememberedSeal::new(secret, SERVER, "Alice@Example.test ").unwrap();
    let sealed = seal.seal("remember-me-token").unwrap();
    // Opened with the device secret alone: no password was involved.
    let again = RememberedSeal::new(secret, SERVER, "alice@example.test").unwrap();
    let sf = again.open(&sealed).unwrap();
    assert_eq!((sf.provider, sf.token.as_str()), (5, "remember-me-token"));
    // Neither the master key nor its stretch opens (or checks) it: no offline password oracle.
    let enc: EncString = sealed.parse().unwrap();
    let kdf = Kdf::Pbkdf2 { iterations: 5000 };
    let master = MasterKey::derive("correct horse", "alice@example.test", &kdf).unwrap();
    assert!(master.stretch().decrypt(&enc).is_err());
    assert!(creds().legacy_remembered(&sealed).is_none());
    // Another account or another device's secret does not open it.
    let bob = RememberedSeal::new(secret, SERVER, "bob@example.test").unwrap();
    assert!(bob.open(&sealed).is_none());
    let other = RememberedSeal::new(
        "b3RoZXIgZGV2aWNlIHNlY3JldCwgMzIgYnl0ZXMhISE=",
        SERVER,
        "alice@example.test",
    )
    .unwrap();
    assert!(other.open(&sealed).is_none());
    // A secret too short to be random is refused.
    assert!(RememberedSeal::new("c2hvcnQ=", SERVER, "alice@example.test").is_err());
}

#[test]
fn entries_sealed_by_earlier_versions_open_once_with_the_password() {
    // Earlier versions sealed under the stretched master key; such an entry is read at the next
    // sign-in (which has the password anyway) and written again under the device secret.
    let kdf = Kdf::Pbkdf2 { iterations: 5000 };
    let master = MasterKey::derive("correct horse", "alice@example.test", &kdf).unwrap();
    let old = master
        .stretch()
        .encrypt_str("old-token")
        .unwrap()
        .to_string();
    let sf = creds().legacy_remembered(&old).unwrap();
    assert_eq!((sf.provider, sf.token.as_str()), (5, "old-token"));
}
