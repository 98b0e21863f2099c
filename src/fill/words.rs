//! The words forms and fields are read by, in English, French, German, Spanish and Italian, and
//! the small text reader that finds them. Lists are by concern; each entry is matched against
//! lower-cased text whose separators (`_`, `-`, `[`, `$`, camelCase humps…) became spaces, so
//! `ctl00$txtUserName`, `login[username]` and `dwfrm_login_password` read as words.
//!
//! An entry matches where a word of the text starts with it ("user" matches "username" but not
//! "superuser"); an entry starting with `=` must be a whole word ("=id" matches "id" only).

/// Text reduced for matching: lower case, words split on separators and camelCase humps, with a
/// leading and trailing space so a word start is always preceded by a space.
#[derive(Debug, Clone, Default)]
pub(crate) struct Words(String);

impl Words {
    pub fn new(parts: &[&str]) -> Words {
        let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 2);
        out.push(' ');
        for part in parts {
            let mut prev_lower = false;
            for c in part.chars() {
                if c.is_alphanumeric() {
                    // A hump (userName) starts a word; an all-caps run (SSN) does not split.
                    if c.is_uppercase() && prev_lower {
                        out.push(' ');
                    }
                    prev_lower = c.is_lowercase() || c.is_numeric();
                    out.extend(c.to_lowercase());
                } else {
                    prev_lower = false;
                    // Apostrophes join ("d'utilisateur" keeps "utilisateur" as a word start).
                    if !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
            }
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        Words(out)
    }

    /// Whether any entry of `list` occurs (see the module notes).
    pub fn any(&self, list: &[&str]) -> bool {
        list.iter().any(|w| self.has(w))
    }

    /// Which field lists match, as bits of [`L`], in one pass over the word starts: a field's
    /// words are read once, not once per question (a page may have thousands of fields).
    pub fn flags(&self) -> u32 {
        let idx = index();
        let text = self.0.as_str();
        let bytes = text.as_bytes();
        let mut out = 0;
        for (start, _) in text.match_indices(' ') {
            let at = start + 1;
            let Some(&b) = bytes.get(at) else { break };
            for (w, whole, bit) in &idx[usize::from(b)] {
                if out & bit != 0 || !text[at..].starts_with(w) {
                    continue;
                }
                if !whole || text[at + w.len()..].starts_with(' ') {
                    out |= bit;
                }
            }
        }
        out
    }

    pub fn has(&self, entry: &str) -> bool {
        let (whole, w) = match entry.strip_prefix('=') {
            Some(rest) => (true, rest),
            None => (false, entry),
        };
        let mut from = 0;
        while let Some(at) = self.0[from..].find(w) {
            let start = from + at;
            let end = start + w.len();
            let starts_word = start == 0 || self.0[..start].ends_with(' ');
            let ends_word = self.0[end..].starts_with(' ');
            // Multi-word entries match across the spaces the reader put in.
            if starts_word && (!whole || ends_word) {
                return true;
            }
            from = start + w.chars().next().map_or(1, char::len_utf8);
        }
        false
    }
}

// ---- Field words ----

/// The account identifier of a login: user name, e-mail, login, phone.
pub(crate) const USERNAME: &[&str] = &[
    "user",
    "login",
    "log in",
    "logon",
    "signin",
    "sign in",
    "email",
    "e mail",
    "mail",
    "account",
    "identifier",
    "=id",
    "=uid",
    "uname",
    "usr",
    "member",
    "handle",
    "phone or",
    "mobile or",
    "or phone",
    "or mobile",
    "or username",
    "identifiant",
    "utilisateur",
    "courriel",
    "adresse électronique",
    "benutzer",
    "nutzer",
    "anmeldename",
    "kennung",
    "konto",
    "usuario",
    "correo",
    "cuenta",
    "utente",
    "posta elettronica",
    "pseudo",
    "nickname",
    "customer id",
    "customer number",
    "member number",
    "kundennummer",
    "numéro client",
    "numero cliente",
    "número de cliente",
];

/// An e-mail field of any kind.
pub(crate) const EMAIL: &[&str] = &[
    "email",
    "e mail",
    "mail",
    "courriel",
    "adresse électronique",
    "correo",
    "posta elettronica",
];

pub(crate) const PASSWORD: &[&str] = &[
    "password",
    "passwort",
    "passwd",
    "pass",
    "pwd",
    "=pw",
    "mot de passe",
    "mdp",
    "kennwort",
    "contraseña",
    "contrasena",
    "clave",
    "parola d",
];

/// A password being chosen.
pub(crate) const NEW: &[&str] = &[
    "=new", "newpass", "newpw", "new pass", "new pw", "create", "choose", "pick a", "set a",
    "set your", "nouveau", "nouvel", "créer", "choisi", "neues", "neue", "neu", "wählen", "nueva",
    "nuevo", "crea", "elige", "nuova", "scegli",
];

/// A second copy of a value: "confirm password", "repeat e-mail".
pub(crate) const CONFIRM: &[&str] = &[
    "confirm",
    "conf",
    "repeat",
    "retype",
    "re type",
    "re enter",
    "reenter",
    "again",
    "verify",
    "verification",
    "password2",
    "pass2",
    "pwd2",
    "confirmer",
    "confirmation",
    "répéter",
    "repeter",
    "retapez",
    "ressaisir",
    "wiederholen",
    "bestätigen",
    "bestatigen",
    "wiederholung",
    "repetir",
    "repite",
    "confirmar",
    "ripeti",
    "conferma",
];

/// The password in use now, in a change form.
pub(crate) const CURRENT: &[&str] = &[
    "current", "=old", "oldpass", "oldpw", "existing", "present", "actuel", "ancien", "aktuell",
    "bisherig", "alte", "altes", "actual", "anterior", "attuale", "vecchia",
];

/// Words that make a text field anything but a username.
pub(crate) const NOT_USERNAME: &[&str] = &[
    "question",
    "answer",
    "réponse",
    "reponse",
    "antwort",
    "respuesta",
    "risposta",
    "maiden",
    "secret",
    "captcha",
    "security",
    "honeypot",
    "birth",
    "promo",
    "coupon",
    "search",
    "friend",
    "recipient",
    "ami",
    "freund",
    "amigo",
    "amico",
];

pub(crate) const OTP: &[&str] = &[
    "otp",
    "one time",
    "onetime",
    "2fa",
    "mfa",
    "tfa",
    "two factor",
    "twofactor",
    "verification",
    "verify",
    "authenticat",
    "passcode",
    "digit",
    "token",
    "code",
    "totp",
    "sms",
    "pin",
    "vérification",
    "bestätigungscode",
    "sicherheitscode",
    "verifizierung",
    "código",
    "codigo",
    "verificación",
    "codice",
    "verifica",
];

/// A "code" that is not a one-time code.
pub(crate) const NOT_OTP: &[&str] = &[
    "postal",
    "zip",
    "postcode",
    "promo",
    "coupon",
    "voucher",
    "gift",
    "discount",
    "country",
    "area",
    "referral",
    "invite",
    "captcha",
    "post",
    "plz",
    "cap",
    "security question",
    "cvc",
    "cvv",
    "card",
];

pub(crate) const SEARCH: &[&str] = &[
    "search",
    "query",
    "find",
    "recherche",
    "rechercher",
    "suche",
    "suchen",
    "buscar",
    "búsqueda",
    "busqueda",
    "cerca",
    "ricerca",
];
/// Exact names/ids of search boxes (`q` Google style, `s` WordPress).
pub(crate) const SEARCH_NAMES: &[&str] = &["q", "s", "query", "search", "k", "keywords", "term"];

pub(crate) const CARD: &[&str] = &[
    "card",
    "=cc",
    "cc num",
    "ccnum",
    "cc exp",
    "cc cvc",
    "cc name",
    "cvc",
    "cvv",
    "csc",
    "cvn",
    "expir",
    "=exp",
    "mm yy",
    "mm aa",
    "carte",
    "cryptogramme",
    "karte",
    "kreditkarte",
    "prüfnummer",
    "tarjeta",
    "vencimiento",
    "caducidad",
    "carta",
    "scadenza",
    "titolare",
    "titular",
    "holder",
    "name on card",
    "titulaire",
    "intestatario",
    "credit",
    "debit",
    "security code",
];

pub(crate) const ADDRESS: &[&str] = &[
    "address",
    "addr",
    "street",
    "city",
    "town",
    "=zip",
    "zipcode",
    "postal",
    "postcode",
    "=state",
    "province",
    "country",
    "region",
    "county",
    "first name",
    "firstname",
    "fname",
    "last name",
    "lastname",
    "lname",
    "surname",
    "full name",
    "fullname",
    "given name",
    "family name",
    "company",
    "phone",
    "=tel",
    "telephone",
    "mobile",
    "apartment",
    "suite",
    "adresse",
    "=rue",
    "ville",
    "code postal",
    "=pays",
    "prénom",
    "prenom",
    "=nom",
    "téléphone",
    "strasse",
    "straße",
    "hausnummer",
    "stadt",
    "=ort",
    "=plz",
    "postleitzahl",
    "=land",
    "vorname",
    "nachname",
    "telefon",
    "dirección",
    "direccion",
    "calle",
    "ciudad",
    "provincia",
    "país",
    "=pais",
    "nombre",
    "apellido",
    "teléfono",
    "indirizzo",
    "=via",
    "localidad",
    "población",
    "poblacion",
    "municipio",
    "località",
    "localita",
    "comune",
    "citofono",
    "wohnort",
    "ortschaft",
    "città",
    "citta",
    "=cap",
    "paese",
    "cognome",
    "telefono",
    "=name",
    "your name",
    "=nom",
    "destinataire",
    "recipient",
    "empfänger",
    "destinatario",
];

/// Fields a sign-up asks for beside the login: name, birthday, phone, terms.
pub(crate) const PERSONAL: &[&str] = &[
    "first name",
    "firstname",
    "fname",
    "last name",
    "lastname",
    "surname",
    "full name",
    "fullname",
    "your name",
    "display name",
    "nickname",
    "birth",
    "birthday",
    "dob",
    "age",
    "gender",
    "phone",
    "mobile",
    "prénom",
    "prenom",
    "=nom",
    "naissance",
    "vorname",
    "nachname",
    "geburt",
    "nombre",
    "apellido",
    "nacimiento",
    "cognome",
    "nascita",
];

/// A login named as such, not merely an e-mail.
pub(crate) const LOGIN_NAME: &[&str] = &["user", "login"];

pub(crate) const COMMENT: &[&str] = &["comment", "commentaire", "reply"];

/// Someone else's address: a friend's, a recipient's.
pub(crate) const FRIEND: &[&str] = &[
    "friend",
    "recipient",
    "ami",
    "freund",
    "amigo",
    "amico",
    "destinat",
    "empfänger",
];

/// The sender of a gift or a message: not the order's postal identity.
pub(crate) const SENDER: &[&str] = &[
    "from",
    "sender",
    "expéditeur",
    "de la part",
    "absender",
    "remitente",
    "mittente",
];

/// A message's own fields: subject, message.
pub(crate) const MESSAGE: &[&str] = &[
    "subject",
    "message",
    "your message",
    "betreff",
    "nachricht",
    "asunto",
    "mensaje",
    "oggetto",
    "messaggio",
    "objet",
    "sujet",
];

/// An expiry's month or year.
pub(crate) const MONTH_YEAR: &[&str] = &[
    "month",
    "year",
    "=mm",
    "=yy",
    "=yyyy",
    "mois",
    "année",
    "annee",
    "monat",
    "jahr",
    "=mes",
    "año",
    "=ano",
    "mese",
    "anno",
    "valid thru",
    "valid until",
    "gültig bis",
    "gueltig bis",
    "gultig bis",
    "valable jusqu",
    "válida hasta",
    "valida hasta",
    "valida fino",
];

/// A secret typed into a password input that is no account's password: a Wi-Fi or device key,
/// an API secret or token, a licence key. Not "secret" alone: a bank's "code secret" is a login's.
pub(crate) const NOT_PASSWORD: &[&str] =
    &["key", "clé", "schlüssel", "schlussel", "chiave", "=llave"];

/// A network's, a device's or a service's secret: a password input named so is no login's even
/// when it says "password" ("Wi-Fi password", "API password").
pub(crate) const DEVICE_SECRET: &[&str] = &[
    "psk", "wpa", "wep", "wifi", "wi fi", "wlan", "ssid", "hotspot", "api", "token", "licence",
    "license",
];

/// A card's security code.
pub(crate) const CARD_CODE: &[&str] = &[
    "cvv",
    "cvc",
    "csc",
    "cvn",
    "cid",
    "card code",
    "security code",
];

/// The field word lists, for [`Words::flags`]: each list's bit is `1 << (L as u32)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum L {
    Username,
    Email,
    Password,
    New,
    Confirm,
    Current,
    NotUsername,
    Otp,
    NotOtp,
    Search,
    Card,
    Address,
    Personal,
    Newsletter,
    LoginName,
    Comment,
    Friend,
    CardCode,
    Sender,
    Message,
    MonthYear,
    NotPassword,
    DeviceSecret,
}

const FIELD_LISTS: [(L, &[&str]); 23] = [
    (L::Username, USERNAME),
    (L::Email, EMAIL),
    (L::Password, PASSWORD),
    (L::New, NEW),
    (L::Confirm, CONFIRM),
    (L::Current, CURRENT),
    (L::NotUsername, NOT_USERNAME),
    (L::Otp, OTP),
    (L::NotOtp, NOT_OTP),
    (L::Search, SEARCH),
    (L::Card, CARD),
    (L::Address, ADDRESS),
    (L::Personal, PERSONAL),
    (L::Newsletter, NEWSLETTER),
    (L::LoginName, LOGIN_NAME),
    (L::Comment, COMMENT),
    (L::Friend, FRIEND),
    (L::CardCode, CARD_CODE),
    (L::Sender, SENDER),
    (L::Message, MESSAGE),
    (L::MonthYear, MONTH_YEAR),
    (L::NotPassword, NOT_PASSWORD),
    (L::DeviceSecret, DEVICE_SECRET),
];

/// Every field-list entry by its first byte: (entry, whole word only, list bit).
type Index = Vec<Vec<(&'static str, bool, u32)>>;

fn index() -> &'static Index {
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut idx: Index = vec![Vec::new(); 256];
        for (list, entries) in FIELD_LISTS {
            for e in entries {
                let (whole, w) = match e.strip_prefix('=') {
                    Some(rest) => (true, rest),
                    None => (false, *e),
                };
                idx[usize::from(w.as_bytes()[0])].push((w, whole, 1 << list as u32));
            }
        }
        idx
    })
}

// ---- Form words (buttons, headings, links, action paths, form names) ----

pub(crate) const SIGN_IN: &[&str] = &[
    "sign in",
    "signin",
    "log in",
    "login",
    "log on",
    "logon",
    "session",
    "auth",
    "welcome back",
    "member login",
    "se connecter",
    "connecter",
    "connexion",
    "identifier",
    "identifiez",
    "s identifier",
    "anmelden",
    "anmeldung",
    "einloggen",
    "iniciar sesión",
    "iniciar sesion",
    "inicia sesión",
    "inicia sesion",
    "ingresar",
    "entrar",
    "acceder",
    "accedi",
    "accesso",
    "entra",
    "bon retour",
    "willkommen zurück",
    "bentornato",
];

pub(crate) const SIGN_UP: &[&str] = &[
    "sign up",
    "signup",
    "register",
    "registration",
    "create account",
    "create an account",
    "create your account",
    "create my account",
    "create new account",
    "new account",
    "account create",
    "accounts create",
    "users create",
    "join",
    "get started",
    "open an account",
    "enroll",
    "inscri",
    "créer un compte",
    "créer mon compte",
    "creer un compte",
    "créer votre compte",
    "nouveau compte",
    "registrieren",
    "registrierung",
    "konto erstellen",
    "konto anlegen",
    "neues konto",
    "registrar",
    "regístrate",
    "registrate",
    "crear cuenta",
    "crear una cuenta",
    "crea tu cuenta",
    "únete",
    "registrati",
    "registrazione",
    "crea account",
    "crea un account",
    "crea il tuo account",
    "iscriviti",
    "create a password",
    "create your password",
    "choose a password",
    "choose your password",
    "set a password",
    "set your password",
    "créez un mot de passe",
    "créer un mot de passe",
    "choisissez un mot de passe",
    "passwort festlegen",
    "passwort erstellen",
    "crea una contraseña",
    "crear contraseña",
    "scegli una password",
    "crea una password",
    "rejoindre",
    "beitreten",
    "unirse",
    "unisciti",
    "neu hier",
    "new here",
    "i m new",
    "je suis nouveau",
    "soy nuevo",
    "sono nuovo",
    "nuevo cliente",
    "nouveau client",
    "neukunde",
    "new customer",
];

pub(crate) const CHANGE: &[&str] = &[
    "change password",
    "change your password",
    "update password",
    "update your password",
    "changepassword",
    "change pass",
    "password change",
    "modifier le mot de passe",
    "modifier votre mot de passe",
    "changer le mot de passe",
    "changer de mot de passe",
    "changer votre mot de passe",
    "passwort ändern",
    "kennwort ändern",
    "passwort aktualisieren",
    "cambiar contraseña",
    "cambiar la contraseña",
    "cambiar tu contraseña",
    "modifica password",
    "modifica la password",
    "cambia password",
    "cambia la password",
    // An expired password is changed, not chosen for a new account.
    "password has expired",
    "password expired",
    "expired password",
    "mot de passe a expiré",
    "mot de passe expiré",
    "passwort ist abgelaufen",
    "passwort abgelaufen",
    "contraseña ha caducado",
    "contraseña caducada",
    "password è scaduta",
    "password scaduta",
];

pub(crate) const RESET: &[&str] = &[
    "forgot",
    "reset",
    "recover",
    "recovery",
    "lost password",
    "lostpass",
    "lost your password",
    "trouble signing in",
    "send link",
    "send reset",
    "reset link",
    "oublié",
    "oublie",
    "réinitialiser",
    "reinitialiser",
    "réinitialisation",
    "récupérer",
    "vergessen",
    "zurücksetzen",
    "zurucksetzen",
    "wiederherstellen",
    "olvidaste",
    "olvidó",
    "olvido",
    "restablecer",
    "recuperar",
    "dimenticat",
    "reimposta",
    "recupera",
    "send me a link",
    "email me a link",
    "get a new password",
    "new password link",
    "can t access",
    "passwort anfordern",
    "neues passwort anfordern",
    "recuperar cuenta",
    "recupera account",
    "reimpostare",
    "mot de passe perdu",
];

pub(crate) const OTP_FORM: &[&str] = &[
    "verification code",
    "verify",
    "one time",
    "2fa",
    "two factor",
    "two step",
    "2 step",
    "authentication code",
    "security code",
    "enter the code",
    "enter code",
    "authenticator",
    "code de vérification",
    "code de sécurité",
    "vérifier",
    "bestätigungscode",
    "sicherheitscode",
    "verifizierungscode",
    "bestätigen",
    "código de verificación",
    "codigo de verificacion",
    "verificar",
    "codice di verifica",
    "verifica",
    "we sent",
    "sent a code",
    "sent you a code",
    "code sent",
    "text message",
    "check your email",
    "check your phone",
    "enter the 6",
    "6 digit",
    "nous avons envoyé",
    "code envoyé",
    "wir haben",
    "code gesendet",
    "te enviamos",
    "hemos enviado",
    "abbiamo inviato",
    "codice inviato",
    "confirm it s you",
    "confirm it is you",
    // A second factor's recovery codes.
    "recovery code",
    "backup code",
    "=mfa",
    "code de récupération",
    "code de secours",
    "wiederherstellungscode",
    "código de recuperación",
    "codigo de recuperacion",
    "codice di recupero",
];

pub(crate) const SEARCH_FORM: &[&str] = &[
    "search",
    "find",
    "=go",
    "recherche",
    "rechercher",
    "suche",
    "suchen",
    "buscar",
    "búsqueda",
    "busqueda",
    "cerca",
    "ricerca",
    "availability",
    "available",
    "verfügbar",
    "disponib",
    "prüfen",
    "domain",
];

pub(crate) const NEWSLETTER: &[&str] = &[
    "newsletter",
    "subscribe",
    "subscription",
    "mailing list",
    "mailinglist",
    "stay in the loop",
    "stay updated",
    "get updates",
    "sign up for updates",
    "abonne",
    "abonnez",
    "s abonner",
    "infolettre",
    "lettre d information",
    "abonnieren",
    "suscrib",
    "suscríb",
    "boletín",
    "boletin",
    "iscriviti alla newsletter",
    "abbonati",
    "abbonamento",
    "preferences",
    "unsubscribe",
    "discount",
    "off your",
    "offers",
    "deals",
    "no thanks",
    "désinscri",
    "abmelden vom",
    "darse de baja",
    "disiscriviti",
    "préférences",
];

pub(crate) const CONTACT: &[&str] = &[
    "contact",
    "message",
    "comment",
    "reply",
    "feedback",
    "enquiry",
    "inquiry",
    "friend",
    "share",
    "recommend",
    "tell a",
    "send to",
    "leave a",
    "post comment",
    "nous contacter",
    "contactez",
    "commentaire",
    "répondre",
    "repondre",
    "envoyer à un ami",
    "un ami",
    "kontakt",
    "nachricht",
    "kommentar",
    "freund",
    "weiterempfehlen",
    "contacto",
    "mensaje",
    "comentario",
    "amigo",
    "contatt",
    "messaggio",
    "commento",
    "amico",
    "compartir",
    "partager",
    "teilen",
    "condividi",
    "share",
    "support",
    "ticket",
    "help",
    "aide",
    "hilfe",
    "ayuda",
    "aiuto",
    "assistance",
    "kontaktformular",
    "contáctanos",
    "contactanos",
    "escríbenos",
    "escribenos",
    "scrivici",
    "écrivez",
    "nous écrire",
    "write to us",
    "get in touch",
    "review",
    "avis",
    "bewertung",
    "rezension",
    "reseña",
    "opinión",
    "recensione",
    "call me",
    "call back",
    "callback",
    "rappel",
    "rappelez",
    "rückruf",
    "ruckruf",
    "te llamamos",
    "llámame",
    "richiamami",
    "richiamata",
    "request a quote",
    "quote",
    "devis",
    "angebot anfordern",
    "presupuesto",
    "preventivo",
    "enviar mensaje",
    "invia messaggio",
    "send message",
    "nachricht senden",
];

pub(crate) const CHECKOUT: &[&str] = &[
    "checkout",
    "check out",
    "shipping",
    "billing",
    "delivery",
    "place order",
    "order",
    "payment",
    "pay now",
    "=pay",
    "cart",
    "address",
    "livraison",
    "facturation",
    "commande",
    "paiement",
    "payer",
    "lieferadresse",
    "rechnungsadresse",
    "lieferung",
    "versand",
    "kasse",
    "bestellen",
    "bestellung",
    "zahlung",
    "bezahlen",
    "envío",
    "envio",
    "facturación",
    "pago",
    "pedido",
    "spedizione",
    "fatturazione",
    "pagamento",
    "ordine",
    "cassa",
];

/// Heading or link words that point to a sign-in being elsewhere: "Already have an account?".
pub(crate) const HAVE_ACCOUNT: &[&str] = &[
    "already have",
    "already a member",
    "already registered",
    "déjà un compte",
    "déjà inscrit",
    "bereits ein konto",
    "schon ein konto",
    "ya tienes",
    "ya tiene",
    "hai già",
    "già registrato",
];

/// "No account yet?" next to a sign-in.
pub(crate) const NO_ACCOUNT: &[&str] = &[
    "no account",
    "don t have",
    "dont have",
    "new here",
    "new to",
    "new customer",
    "not a member",
    "pas de compte",
    "pas encore",
    "kein konto",
    "noch kein",
    "no tienes",
    "no tiene",
    "non hai",
    "nuovo cliente",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_separators_and_humps() {
        let w = Words::new(&["ctl00$Main$txtUserName", "login[password]"]);
        assert!(w.has("user"));
        assert!(w.has("name"));
        assert!(w.has("login"));
        assert!(w.has("password"));
        assert!(!w.has("ser"));
        let w = Words::new(&["dwfrm_login_email"]);
        assert!(w.any(USERNAME));
    }

    #[test]
    fn whole_word_entries_and_word_starts() {
        let w = Words::new(&["newsletter signup"]);
        assert!(!w.has("=new"));
        assert!(w.has("newsletter"));
        let w = Words::new(&["new-password"]);
        assert!(w.has("=new"));
        let w = Words::new(&["superuser"]);
        assert!(!w.has("user"));
        assert!(Words::new(&["Mot de passe actuel"]).any(CURRENT));
        assert!(Words::new(&["Nom d'utilisateur"]).has("utilisateur"));
        assert!(!Words::new(&["holder"]).any(CURRENT));
    }

    #[test]
    fn five_languages_name_a_sign_in() {
        for t in [
            "Sign in",
            "Se connecter",
            "Anmelden",
            "Iniciar sesión",
            "Accedi",
        ] {
            assert!(Words::new(&[t]).any(SIGN_IN), "{t}");
        }
        for t in [
            "Create account",
            "Créer un compte",
            "Konto erstellen",
            "Crear cuenta",
            "Registrati",
        ] {
            assert!(Words::new(&[t]).any(SIGN_UP), "{t}");
        }
    }
}
