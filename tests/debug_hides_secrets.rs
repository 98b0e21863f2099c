//! `Debug` of every type that holds a secret prints its type, never the secret.

use keyfill::crypto::{Kdf, MasterKey, PrivateKey, SymmetricKey};
use keyfill::keys::Keyring;
use keyfill::totp::Totp;
use keyfill::vault::view::{CipherView, LoginView};

#[test]
fn debug_output_carries_no_secret() {
    let mk = MasterKey::derive(
        "hunter2-password",
        "a@b.c",
        &Kdf::Pbkdf2 { iterations: 5000 },
    )
    .unwrap();
    let user = SymmetricKey::generate().unwrap();
    let enc = user.encrypt_str("top-secret-value").unwrap();
    let ring = Keyring::new(SymmetricKey::generate().unwrap());
    let totp = Totp::parse("JBSWY3DPEHPK3PXP").unwrap();
    let view = CipherView {
        id: "i".into(),
        name: "top-secret-name".into(),
        login: Some(LoginView {
            password: Some("top-secret-password".into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    };
    let (private, public) = keyfill::crypto::asymmetric::ready(PrivateKey::generate()).unwrap();
    let texts = [
        format!("{mk:?}"),
        format!("{user:?}"),
        format!("{enc:?}"),
        format!("{ring:?}"),
        format!("{totp:?}"),
        format!("{view:?}"),
        format!("{:?}", view.login),
        format!("{private:?}"),
        format!("{public:?}"),
    ];
    for t in &texts {
        assert!(!t.contains("secret"), "{t}");
        assert!(!t.contains("JBSW"), "{t}");
        assert!(t.len() < 60, "Debug should be a short type label: {t}");
    }
    assert!(!format!("{enc:?}").contains(&enc.to_string()[2..10]));
}
