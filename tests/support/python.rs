//! Runs the independent Python implementation (`tests/interop/bwref.py`) and reads its JSON.

use std::process::Command;

use serde_json::Value;

pub fn python(args: &[&str]) -> Value {
    let out = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/interop/bwref.py"
        ))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "bwref.py {:?}: {}",
        args.first(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
