//! Access to `../shared/` (vectors and fixtures), which CI places beside the checkout.

#![allow(dead_code)]

use std::path::PathBuf;

pub fn shared_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("KEYFILL_SHARED") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

pub fn shared(relative: &str) -> String {
    let path = shared_dir().join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is needed beside the checkout: {e}", path.display()))
}
