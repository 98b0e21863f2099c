//! `keyfill export`: decrypt an account's prelogin + sync responses into Bitwarden's unencrypted
//! JSON export.

use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::export;

use crate::args::Args;
use crate::{master_password, read_file, write_stdout, Failure};

pub fn run(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["email", "prelogin", "sync"]).map_err(crate::bad_input)?;
    if let Some(extra) = args.positional.first() {
        return Err(crate::bad_input(format!("unexpected argument {extra:?}")));
    }
    let email = args.require("email").map_err(crate::bad_input)?;
    let prelogin = read_file(args.require("prelogin").map_err(crate::bad_input)?)?;
    let sync = read_file(args.require("sync").map_err(crate::bad_input)?)?;
    let material = AccountMaterial::parse(&prelogin, sync)?;
    let password = zeroize::Zeroizing::new(master_password()?);
    // The same unlock path as the extension's.
    let mut session = Session::new();
    session.unlock(email, &password, material)?;
    write_export(&session)
}

/// Writes the open vault to stdout as Bitwarden's unencrypted JSON export, warning on stderr
/// about items or fields that could not be read.
pub fn write_export(session: &Session) -> Result<(), Failure> {
    let vault = session.vault()?;
    let (json, notes) = export::to_json_export(&vault);
    for id in &notes.skipped {
        eprintln!("keyfill: warning: item {id} could not be read and was left out");
    }
    for (id, fields) in &notes.partial {
        eprintln!(
            "keyfill: warning: item {id}: {} could not be decrypted",
            fields.join(", ")
        );
    }
    let text = serde_json::to_string_pretty(&json).map_err(|_| Failure {
        code: 1,
        message: "could not write the export".into(),
    })?;
    write_stdout(&text)
}
