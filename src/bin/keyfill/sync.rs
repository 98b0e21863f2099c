//! `keyfill sync` and `keyfill add-login`: log in to a Bitwarden-compatible server (two-factor
//! code from `KEYFILL_TOTP`), then export the synced vault or create a login item.

use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::{Client, Device, KdfGuard, SecondFactor, ServerUrls};
use keyfill::app::SignIn;
use keyfill::crypto::CoreKdf;
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};
use keyfill::{Error, Keyfill};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::args::Args;
use crate::{bad_input, master_password, write_stdout, Failure};

pub fn run_sync(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["server", "email", "ca-file"]).map_err(bad_input)?;
    no_positional(&args)?;
    let app = sign_in(&args)?;
    let session = app.read();
    crate::export::write_export(&session)
}

pub fn run_add_login(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        raw,
        &[
            "server",
            "email",
            "name",
            "username",
            "password-value",
            "uri",
            "ca-file",
        ],
    )
    .map_err(bad_input)?;
    no_positional(&args)?;
    let name = args.require("name").map_err(bad_input)?.trim().to_string();
    if name.is_empty() {
        return Err(bad_input("--name must not be empty"));
    }
    let view = CipherView {
        kind: TYPE_LOGIN,
        name,
        login: Some(LoginView {
            username: args.get("username").map(str::to_string),
            password: args.get("password-value").map(str::to_string),
            uris: args
                .get("uri")
                .map(|u| LoginUriView {
                    uri: Some(u.to_string()),
                    match_type: None,
                })
                .into_iter()
                .collect(),
            ..LoginView::default()
        }),
        ..CipherView::default()
    };
    let app = sign_in(&args)?;
    let id = app.save_item(view, now_ms())?;
    // The new item goes through the account's queue like any edit; the server gives it its id.
    let report = block_on(app.sync(now_ms()))?;
    if let Some(edit) = app.unsynced_edits()?.into_iter().next() {
        // Exit 4 like any server failure, with the server's reason as the queue recorded it.
        return Err(match edit.error {
            Some(e) => Failure {
                code: 4,
                message: format!(
                    "the server did not store the login: {} [{}]",
                    e.message, e.code
                ),
            },
            None if report.offline => Failure::from(Error::ServerUnreachable),
            None => Failure::from(Error::Server("the login was not sent".into())),
        });
    }
    let id = report
        .created
        .iter()
        .find(|(local, _)| *local == id)
        .map_or(id, |(_, server)| server.clone());
    write_stdout(&id)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn no_positional(args: &Args) -> Result<(), Failure> {
    match args.positional.first() {
        Some(extra) => Err(bad_input(format!("unexpected argument {extra:?}"))),
        None => Ok(()),
    }
}

/// Server address, password, sign-in (which syncs and opens the vault); a two-factor challenge
/// is answered from `KEYFILL_TOTP`.
fn sign_in(args: &Args) -> Result<Keyfill<NativeTransport>, Failure> {
    let server = args.require("server").map_err(bad_input)?;
    let urls = ServerUrls::parse(server)?;
    let email = args.require("email").map_err(bad_input)?.trim().to_string();
    if !email.contains('@') {
        return Err(bad_input("--email must be an e-mail address"));
    }
    let password = Zeroizing::new(master_password()?);
    let code = std::env::var("KEYFILL_TOTP")
        .ok()
        .map(|c| Zeroizing::new(c.trim().replace(' ', "")))
        .filter(|c| !c.is_empty());
    let client = || -> Result<Client<NativeTransport>, Failure> {
        let device = Device::cli(&device_identifier(&urls, &email));
        Ok(Client::new(transport(args)?, urls.clone(), device))
    };
    let app = Keyfill::new();
    // A code given is sent with the first attempt: Cozy mails a new code on every attempt
    // without one, and servers ignore it for accounts without two-factor.
    let req = SignIn {
        server,
        email: &email,
        password: &password,
        second_factor: code.as_ref().map(|c| SecondFactor {
            provider: 0,
            token: c.to_string(),
            remember: false,
        }),
        ..SignIn::default()
    };
    match block_on(app.sign_in(client()?, &CoreKdf, req, now_ms())) {
        Ok(_) => Ok(app),
        Err(Error::TwoFactorRequired { providers }) => {
            let what = if code.is_some() {
                "the code in KEYFILL_TOTP was refused; set it to a current one"
            } else if providers == [1] {
                // Cozy has no such request: it mailed the code when it refused the login.
                let _ = block_on(app.send_email_code(
                    &client()?,
                    &CoreKdf,
                    &email,
                    &password,
                    KdfGuard::default(),
                ));
                "set KEYFILL_TOTP to the code e-mailed to the account"
            } else {
                "set KEYFILL_TOTP to the code"
            };
            let e = Error::TwoFactorRequired { providers };
            Err(Failure {
                code: 5,
                message: format!("{e} [{}]: {what}", e.code()),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// The HTTP client; `--ca-file` (or `KEYFILL_CA_FILE`) names the CA of a server behind a
/// private one, trusted instead of the built-in roots (certificates are still checked).
fn transport(args: &Args) -> Result<NativeTransport, Failure> {
    let from_env = std::env::var("KEYFILL_CA_FILE")
        .ok()
        .filter(|p| !p.is_empty());
    let Some(path) = args.get("ca-file").map(str::to_string).or(from_env) else {
        return Ok(NativeTransport::default());
    };
    let pem = std::fs::read(&path)
        .map_err(|e| bad_input(format!("cannot read the CA file {path}: {}", e.kind())))?;
    NativeTransport::with_ca_pem(std::time::Duration::from_secs(30), &pem).map_err(|e| match e {
        Error::Tls(what) => bad_input(format!("{path}: {what}")),
        other => other.into(),
    })
}

/// A device id that stays the same for this server and account, so the server sees one device
/// rather than a new one per run; `KEYFILL_DEVICE_ID` overrides it.
fn device_identifier(urls: &ServerUrls, email: &str) -> String {
    if let Ok(id) = std::env::var("KEYFILL_DEVICE_ID") {
        if !id.trim().is_empty() {
            return id.trim().to_string();
        }
    }
    let digest = Sha256::digest(format!(
        "keyfill-cli\0{}\0{}",
        urls.base,
        email.to_lowercase()
    ));
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    keyfill::crypto::random::uuid_from_bytes(b)
}
