//! `keyfill`: the command-line face of the core, for scripting and debugging.
//!
//! Exit codes: 0 ok, 1 internal, 2 wrong credentials, 3 bad input, 4 server or network error,
//! 5 two-factor code needed.

mod args;
mod export;
mod lookup;
mod sync;

use std::io::Write;
use std::process::ExitCode;

use keyfill::Error;

const USAGE: &str = "usage:
  keyfill export --email EMAIL --prelogin PRELOGIN.json --sync SYNC.json
  keyfill match --vault EXPORT.json --url URL [--default-match domain|host|starts_with|exact|regex|never]
                [--equivalent-domains FILE]
  keyfill search --vault EXPORT.json QUERY
  keyfill sync --server URL --email EMAIL [--ca-file CA.pem]
  keyfill add-login --server URL --email EMAIL --name NAME [--username USER]
                    [--password-value PASS] [--uri URI] [--ca-file CA.pem]
the master password is read from KEYFILL_PASSWORD, or asked for on a terminal;
a two-factor code from KEYFILL_TOTP; --ca-file (or KEYFILL_CA_FILE) trusts a private CA
instead of the built-in roots";

/// A failure as the user sees it: one line, an exit code.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::WrongPassword => 2,
            Error::Malformed(_)
            | Error::Unsupported(_)
            | Error::KdfRejected(_)
            | Error::KdfDowngrade(_)
            | Error::KeyRejected(_)
            | Error::WrongKeyType(_)
            | Error::DecryptFailed
            | Error::UnknownServer(_) => 3,
            // The server refused these credentials.
            Error::AccountLocked => 2,
            Error::ServerUnreachable
            | Error::Tls(_)
            | Error::Server(_)
            | Error::Conflict
            | Error::LoggedOut => 4,
            Error::TwoFactorRequired { .. } => 5,
            _ => 1,
        };
        Failure {
            code,
            message: format!("{e} [{}]. {}", e.code(), e.hint()),
        }
    }
}

pub fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        code: 3,
        message: message.into(),
    }
}

/// Reads a whole input file, naming it in the error.
pub fn read_file(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("cannot read {path}: {}", e.kind())))
}

/// The master password: `KEYFILL_PASSWORD`, else a prompt when a terminal is attached.
pub fn master_password() -> Result<String, Failure> {
    if let Ok(pw) = std::env::var("KEYFILL_PASSWORD") {
        return Ok(pw);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return rpassword::prompt_password("Master password: ")
            .map_err(|_| bad_input("could not read the master password from the terminal"));
    }
    Err(bad_input(
        "no master password: set KEYFILL_PASSWORD or run on a terminal",
    ))
}

pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush())
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot write the output: {}", e.kind()),
        })
}

fn run(argv: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = argv.split_first() else {
        return Err(bad_input(USAGE));
    };
    match command.as_str() {
        "export" => export::run(rest),
        "match" => lookup::run_match(rest),
        "search" => lookup::run_search(rest),
        "sync" => sync::run_sync(rest),
        "add-login" => sync::run_add_login(rest),
        "help" | "--help" | "-h" => write_stdout(USAGE),
        other => Err(bad_input(format!("unknown command {other:?}\n{USAGE}"))),
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("keyfill: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
