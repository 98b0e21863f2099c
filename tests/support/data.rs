//! The project's test data under `tests/data/` (vectors and fixture accounts; each file's origin is
//! in `tests/data/README.md`).

#![allow(dead_code)]

use std::path::PathBuf;

/// `tests/data/<relative>`.
pub fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// The text of `tests/data/<relative>`.
pub fn read(relative: &str) -> String {
    let path = path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A file of the SDK-written account, `tests/data/fixtures/sdk-account/<name>`.
pub fn sdk_account(name: &str) -> String {
    read(&format!("fixtures/sdk-account/{name}"))
}
