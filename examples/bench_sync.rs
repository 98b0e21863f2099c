//! Sync speed against the test server (tests/server/bwserver.py, Vaultwarden mode), natively: a
//! 10,000-item account's first sync and decrypt after the KDF, and the no-change sync (one small
//! request). Also leaves the seeded server database in `target/bench/sync-10000.sqlite` for the
//! extension's run (`node scripts/bench-sync.mjs`). Run: `cargo run --release --example bench_sync`.

#[path = "../tests/api_support/bwserver.rs"]
mod bwserver;
#[path = "../tests/support/rng.rs"]
mod rng;
#[path = "support/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use bwserver::{Mode, Server};
use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, ServerUrls, SyncOutcome};
use keyfill::keys::{unwrap_user_key, Keyring};
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::encrypt::{encrypt_cipher, EncryptOptions};
use serde_json::{json, Value};
use synthetic::{EMAIL, PASSWORD};

const ITEMS: usize = 10_000;

fn client(server: &Server, device: &str) -> Client<NativeTransport> {
    Client::new(
        NativeTransport::default(),
        ServerUrls::parse(&server.base()).unwrap(),
        Device::browser(2, "chrome", device),
    )
}

fn main() {
    let server = Server::start(Mode::Vaultwarden);
    server.register(EMAIL, PASSWORD);
    let seeder = client(&server, "00000000-0000-4000-8000-00000000000a");
    let li = block_on(seeder.log_in(EMAIL, PASSWORD, None)).unwrap();
    let key = unwrap_user_key(
        li.credentials.master_key(),
        li.login.wrapped_user_key.as_deref().unwrap(),
    )
    .unwrap();
    let ring = Keyring::new(key);
    let opts = EncryptOptions {
        existing_key: None,
        use_cipher_key: false,
        last_known_revision_date: None,
    };
    let t = Instant::now();
    let bodies: Vec<Value> = synthetic::items(ITEMS)
        .iter()
        .map(|v| encrypt_cipher(v, &ring, &opts).unwrap())
        .collect();
    for chunk in bodies.chunks(1000) {
        let body = json!({ "ciphers": chunk, "folders": [], "folderRelationships": [] });
        block_on(seeder.import(&body)).unwrap();
    }
    println!("seeded {ITEMS} items in {:.1} s", t.elapsed().as_secs_f64());

    let mut runs = Vec::new();
    for run in 0..3 {
        let c = client(
            &server,
            &format!("00000000-0000-4000-8000-0000000000b{run}"),
        );
        let t0 = Instant::now();
        let creds = block_on(c.credentials(
            EMAIL,
            PASSWORD,
            &keyfill::crypto::CoreKdf,
            Default::default(),
        ))
        .unwrap();
        let kdf = t0.elapsed();
        let t1 = Instant::now();
        block_on(c.login(&creds, None)).unwrap();
        let login = t1.elapsed();
        let t2 = Instant::now();
        let SyncOutcome::Synced { text, state } = block_on(c.sync_if_changed(None)).unwrap() else {
            unreachable!()
        };
        let fetched = t2.elapsed();
        let bytes = text.len();
        let t3 = Instant::now();
        let material = AccountMaterial::parse(&creds.prelogin.text, text).unwrap();
        let mut session = Session::new();
        session
            .unlock_with_master_key(creds.master_key(), material)
            .unwrap();
        assert_eq!(session.summaries().unwrap().len(), ITEMS);
        let opened = t3.elapsed();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        runs.push(ms(login) + ms(fetched) + ms(opened));
        println!(
            "run {run}: prelogin + KDF (PBKDF2 100,000) {:.0} ms; after it: login {:.0} ms + sync {:.0} ms ({:.1} MB, the server's time included) + parse and decrypt {:.0} ms = {:.0} ms",
            ms(kdf), ms(login), ms(fetched), bytes as f64 / 1e6, ms(opened), runs[run]
        );

        server.reset_log();
        let t4 = Instant::now();
        let again = block_on(c.sync_if_changed(Some(&state))).unwrap();
        assert!(matches!(again, SyncOutcome::Unchanged));
        println!(
            "  no-change sync: {:.1} ms, requests: {:?}",
            ms(t4.elapsed()),
            server.requests()
        );
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "first sync and decrypt of {ITEMS} items after the KDF, native: {:.0} ms (median of 3)",
        runs[1]
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(server.db_path(), out.join("sync-10000.sqlite")).unwrap();
    println!("seeded database: target/bench/sync-10000.sqlite");
}
