//! `keyfill sync` and `keyfill add-login`: log in to a Bitwarden-compatible server (two-factor
//! code from `KEYFILL_TOTP`), then export the synced vault or create a login item.

use keyfill::api::native::{block_on, NativeTransport};
use keyfill::api::Credentials;
use keyfill::api::{Client, Device, Login, SecondFactor, ServerUrls};
use keyfill::keys::{unwrap_user_key, Keyring};
use keyfill::session::{AccountMaterial, Session};
use keyfill::vault::encrypt::{encrypt_cipher, EncryptOptions};
use keyfill::vault::view::{CipherView, LoginUriView, LoginView, TYPE_LOGIN};
use keyfill::Error;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::args::Args;
use crate::{bad_input, master_password, write_stdout, Failure};

/// A logged-in client and what the login gave.
struct Connected {
    client: Client<NativeTransport>,
    creds: Credentials,
    login: Login,
}

pub fn run_sync(raw: &[String]) -> Result<(), Failure> {
    let args = Args::parse(raw, &["server", "email", "ca-file"]).map_err(bad_input)?;
    no_positional(&args)?;
    let c = connect(&args)?;
    let text = block_on(c.client.sync())?;
    let material = AccountMaterial::parse(&c.creds.prelogin.text, text)?;
    // The key derived for the login opens the vault: no second KDF run.
    let mut session = Session::new();
    session.unlock_with_master_key(c.creds.master_key(), material)?;
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
    let c = connect(&args)?;
    let wrapped = c
        .login
        .wrapped_user_key
        .as_deref()
        .ok_or_else(|| Error::Unsupported("an account without a user key".into()))?;
    let ring = Keyring::new(unwrap_user_key(c.creds.master_key(), wrapped)?);
    let opts = EncryptOptions {
        existing_key: None,
        // Only where the server keeps item keys (never Cozy).
        use_cipher_key: block_on(c.client.supports_cipher_keys())?,
        last_known_revision_date: None,
    };
    let body = encrypt_cipher(&view, &ring, &opts)?;
    let saved = block_on(c.client.create_cipher(&body))?;
    write_stdout(&saved.id)
}

fn no_positional(args: &Args) -> Result<(), Failure> {
    match args.positional.first() {
        Some(extra) => Err(bad_input(format!("unexpected argument {extra:?}"))),
        None => Ok(()),
    }
}

/// Server address, password, login; a two-factor challenge is answered from `KEYFILL_TOTP`.
fn connect(args: &Args) -> Result<Connected, Failure> {
    let urls = ServerUrls::parse(args.require("server").map_err(bad_input)?)?;
    let email = args.require("email").map_err(bad_input)?.trim().to_string();
    if !email.contains('@') {
        return Err(bad_input("--email must be an e-mail address"));
    }
    let password = Zeroizing::new(master_password()?);
    let code = std::env::var("KEYFILL_TOTP")
        .ok()
        .map(|c| Zeroizing::new(c.trim().replace(' ', "")))
        .filter(|c| !c.is_empty());
    let device = Device::cli(&device_identifier(&urls, &email));
    let client = Client::new(transport(args)?, urls, device);
    let creds = block_on(client.credentials(&email, &password))?;
    // A code given is sent with the first attempt: Cozy mails a new code on every attempt
    // without one, and servers ignore it for accounts without two-factor.
    let second = |provider| {
        code.as_ref().map(|c| SecondFactor {
            provider,
            token: c.to_string(),
            remember: false,
        })
    };
    let login = match block_on(client.login(&creds, second(0).as_ref())) {
        Ok(login) => login,
        Err(Error::TwoFactorRequired { providers }) => {
            let email_only = !providers.contains(&0) && providers.contains(&1);
            match second(1).filter(|_| email_only) {
                // The code was an e-mailed one: try it as such.
                Some(sf) => block_on(client.login(&creds, Some(&sf)))?,
                None => return Err(two_factor_failure(&client, &creds, &providers, &code)),
            }
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Connected {
        client,
        creds,
        login,
    })
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

/// Exit 5, with what to do; an e-mail-only account gets a code sent (Cozy sends one itself).
fn two_factor_failure(
    client: &Client<NativeTransport>,
    creds: &Credentials,
    providers: &[u8],
    code: &Option<Zeroizing<String>>,
) -> Failure {
    let e = Error::TwoFactorRequired {
        providers: providers.to_vec(),
    };
    let what = if code.is_some() {
        "the code in KEYFILL_TOTP was refused; set it to a current one".to_string()
    } else if providers == [1] {
        // Cozy has no such request: it mailed the code when it refused the login.
        let _ = block_on(client.send_email_code(creds));
        "set KEYFILL_TOTP to the code e-mailed to the account".to_string()
    } else {
        "set KEYFILL_TOTP to the code".to_string()
    };
    Failure {
        code: 5,
        message: format!("{e} [{}]: {what}", e.code()),
    }
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
