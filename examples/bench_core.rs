//! Core speed, natively: the KDFs at their default costs, and opening a 10,000-item vault.
//! Also writes the synthetic accounts to `target/bench/` for the wasm benchmark
//! (`node scripts/bench-wasm.mjs`). Run: `cargo run --release --example bench_core`.

#[path = "support/shipped_allocator.rs"]
mod shipped_allocator;
#[path = "support/timing.rs"]
mod timing;

#[path = "../tests/support/rng.rs"]
mod rng;
#[path = "support/synthetic.rs"]
mod synthetic;

use keyfill::crypto::{Kdf, MasterKey};
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::Vault;
use timing::{median_ms, WHERE};

fn main() {
    let pbkdf2 = Kdf::Pbkdf2 {
        iterations: 600_000,
    };
    let argon = Kdf::Argon2id {
        iterations: 3,
        memory_mib: 64,
        parallelism: 4,
    };
    let ms = median_ms(5, || {
        drop(MasterKey::derive("password", "a@b.c", &pbkdf2).unwrap())
    });
    println!("{WHERE} PBKDF2-SHA256 600,000: {ms:.1} ms");
    let ms = median_ms(5, || {
        drop(MasterKey::derive("password", "a@b.c", &argon).unwrap())
    });
    println!("{WHERE} Argon2id 64 MiB / 3 / 4: {ms:.1} ms");

    std::fs::create_dir_all("target/bench").unwrap();
    let cheap = Kdf::Pbkdf2 { iterations: 5_000 };
    let (prelogin, sync) = synthetic::account(10_000, cheap);
    std::fs::write("target/bench/vault-10000.prelogin.json", &prelogin).unwrap();
    std::fs::write("target/bench/vault-10000.sync.json", &sync).unwrap();
    let (_, seed) = synthetic::account(3, cheap);
    std::fs::write("target/bench/fuzz-seed.sync.json", seed).unwrap();
    for (name, kdf) in [("tiny-pbkdf2", pbkdf2), ("tiny-argon2", argon)] {
        let (p, s) = synthetic::account(1, kdf);
        std::fs::write(format!("target/bench/{name}.prelogin.json"), p).unwrap();
        std::fs::write(format!("target/bench/{name}.sync.json"), s).unwrap();
    }
    let strings = sync.matches("\"2.").count();
    println!(
        "synthetic vault: 10,000 items, {strings} EncStrings, {} KiB of JSON",
        sync.len() / 1024
    );

    let kdf_ms = median_ms(5, || {
        drop(MasterKey::derive(synthetic::PASSWORD, synthetic::EMAIL, &cheap).unwrap())
    });
    let unlock = median_ms(5, || {
        let mut s = Session::new();
        let m = AccountMaterial::parse(&prelogin, &sync).unwrap();
        s.unlock(synthetic::EMAIL, synthetic::PASSWORD, m).unwrap();
        assert_eq!(s.summaries().unwrap().len(), 10_000);
    });
    println!(
        "{WHERE} unlock (parse + list rows), KDF excluded: {:.1} ms",
        unlock - kdf_ms
    );
    let mat = AccountMaterial::parse(&prelogin, &sync).unwrap();
    let mut s = Session::new();
    s.unlock(synthetic::EMAIL, synthetic::PASSWORD, mat)
        .unwrap();
    let full = median_ms(5, || assert_eq!(s.vault().unwrap().ciphers.len(), 10_000));
    println!("{WHERE} full decryption of every field ({strings} EncStrings): {full:.1} ms");
    let _ = Vault::default();
}
