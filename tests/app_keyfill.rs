//! The core facade (`keyfill::Keyfill`): a local vault and a server account behind one type, the
//! one sign-in (with two-factor and a local vault moved in), edits that go to the vault or the
//! account's queue, and lock dropping both. Runs against the test server in both dialects.

#[path = "api_support/bwserver.rs"]
mod bwserver;

use bwserver::{Server, MODES};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, KdfGuard, Method, SecondFactor, ServerUrls};
use keyfill::app::SignIn;
use keyfill::crypto::derive::kdf_for_new_vault;
use keyfill::crypto::CoreKdf;
use keyfill::totp::Totp;
use keyfill::vault::view::{CipherView, LoginView, TYPE_LOGIN};
use keyfill::Keyfill;
use serde_json::json;

const EMAIL: &str = "alice@example.test";
const PASSWORD: &str = "correct horse battery staple";
const DEVICE: &str = "00000000-0000-4000-8000-00000000f00d";

fn client(server: &Server) -> Client<NativeTransport> {
    Client::new(
        NativeTransport::default(),
        ServerUrls::parse(&server.base()).unwrap(),
        Device::cli(DEVICE),
    )
}

fn login(name: &str, user: &str) -> CipherView {
    CipherView {
        kind: TYPE_LOGIN,
        name: name.into(),
        login: Some(LoginView {
            username: Some(user.into()),
            password: Some("s3cret".into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

fn names(app: &Keyfill<NativeTransport>) -> Vec<String> {
    let mut v: Vec<String> = app
        .read()
        .summaries()
        .unwrap()
        .iter()
        .filter(|s| !s.deleted)
        .map(|s| s.name.clone())
        .collect();
    v.sort();
    v
}

fn sign_in<'a>(server: &'a str, second: Option<SecondFactor>, move_local: bool) -> SignIn<'a> {
    SignIn {
        server,
        email: EMAIL,
        password: PASSWORD,
        second_factor: second,
        move_local,
        ..SignIn::default()
    }
}

#[test]
fn a_local_vault_moves_into_an_account_and_edits_then_go_to_the_server() {
    for mode in MODES {
        let server = Server::start(mode);
        server.register(EMAIL, PASSWORD);
        let app: Keyfill<NativeTransport> = Keyfill::new();
        keyfill::crypto::asymmetric::ready(
            app.create_local("local pw", kdf_for_new_vault("").unwrap()),
        )
        .unwrap();
        app.save_item(login("Local one", "ann"), 1).unwrap();
        assert!(!app.is_connected());
        assert_eq!(app.pending_edits(), 0);
        assert_eq!(
            app.unsynced_edits().unwrap_err().code(),
            "not_found",
            "a local vault has no queue"
        );

        let base = server.base();
        let signed =
            block_on(app.sign_in(client(&server), &CoreKdf, sign_in(&base, None, true), 2))
                .unwrap();
        assert_eq!(signed.moved, 1, "{mode:?}");
        assert!(app.is_connected() && app.is_unlocked());
        assert_eq!(names(&app), ["Local one"]);

        // The same call now queues for the server; a sync sends it and it comes back.
        let id = app.save_item(login("Added", "bob"), 3).unwrap();
        assert_eq!(app.pending_edits(), 1);
        let report = block_on(app.sync(4)).unwrap();
        assert_eq!((report.sent, report.pending), (1, 0), "{mode:?}");
        // The server names new items itself; the synced copy carries its id.
        let (_, id) = report
            .created
            .iter()
            .find(|(local, _)| *local == id)
            .cloned()
            .expect("the new item's server id");
        assert_eq!(names(&app), ["Added", "Local one"]);

        // What the worker stores re-joins a fresh instance after a restart.
        let snapshot = app.snapshot().unwrap();
        let token = app.read().resume_token().unwrap().to_string();
        let material = app.read().material_json().unwrap();
        app.lock();
        assert!(!app.is_unlocked() && !app.is_connected());
        let again: Keyfill<NativeTransport> = Keyfill::new();
        let material =
            keyfill::session::AccountMaterial::parse(&signed.prelogin, material).unwrap();
        keyfill::crypto::asymmetric::ready(again.resume(&token, material)).unwrap();
        again
            .connect(
                client(&server),
                signed.prelogin.clone(),
                &snapshot,
                signed.cipher_keys,
            )
            .unwrap();
        again.set_trashed(&id, true, 5).unwrap();
        assert_eq!(block_on(again.sync(6)).unwrap().sent, 1);
        assert_eq!(names(&again), ["Local one"]);
    }
}

#[test]
fn sign_in_asks_for_the_second_factor_then_takes_it_and_the_guard_runs_first() {
    let server = Server::start(MODES[0]);
    server.register(EMAIL, PASSWORD);
    let v = server.control(
        Method::Post,
        "two-factor",
        Some(json!({"email": EMAIL, "provider": 0})),
    );
    let secret = v["secret"].as_str().unwrap().to_string();
    let base = server.base();
    let app: Keyfill<NativeTransport> = Keyfill::new();
    let e = block_on(app.sign_in(client(&server), &CoreKdf, sign_in(&base, None, false), 1))
        .unwrap_err();
    assert_eq!(e.code(), "two_factor_required");
    assert!(!app.is_unlocked());

    // A weaker KDF than the one stored at the last sign-in is refused before anything is sent.
    let stronger = r#"{"kdf":0,"kdfIterations":900000}"#;
    let guarded = SignIn {
        guard: KdfGuard {
            last_prelogin: Some(stronger),
            confirmed: false,
        },
        ..sign_in(&base, None, false)
    };
    server.reset_log();
    let e = block_on(app.sign_in(client(&server), &CoreKdf, guarded, 1)).unwrap_err();
    assert_eq!(e.code(), "kdf_downgrade");
    assert!(!server
        .requests()
        .iter()
        .any(|r| r.contains("connect/token")));

    let code = Totp::parse(&secret).unwrap().code_at(bwserver::now_secs());
    let second = SecondFactor {
        provider: 0,
        token: code,
        remember: false,
    };
    block_on(app.sign_in(
        client(&server),
        &CoreKdf,
        sign_in(&base, Some(second), false),
        1,
    ))
    .unwrap();
    assert!(app.is_connected());
}
