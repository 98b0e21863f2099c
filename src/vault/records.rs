//! Records whose fields are all strings, the same shape encrypted (on the wire, every field an
//! EncString) and decrypted (in views and exports). Declared once; `map` converts between the two.

use serde::{Deserialize, Serialize};

macro_rules! string_record {
    ($(#[$meta:meta])* $name:ident { $($field:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Serialize, Deserialize, Default, Clone, PartialEq, Eq)]
        #[serde(rename_all = "camelCase", default)]
        pub struct $name {
            $(pub $field: Option<String>,)+
        }

        impl $name {
            /// Applies `f` to every field (named in camelCase), e.g. to decrypt or encrypt it.
            pub fn map<E>(
                &self,
                mut f: impl FnMut(&'static str, Option<&str>) -> Result<Option<String>, E>,
            ) -> Result<Self, E> {
                Ok($name {
                    $($field: f(camel(stringify!($field)), self.$field.as_deref())?,)+
                })
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($name))
            }
        }
    };
}

/// snake_case field name to the camelCase wire name, at compile-time-known inputs only.
fn camel(snake: &'static str) -> &'static str {
    match snake {
        "cardholder_name" => "cardholderName",
        "exp_month" => "expMonth",
        "exp_year" => "expYear",
        "first_name" => "firstName",
        "middle_name" => "middleName",
        "last_name" => "lastName",
        "postal_code" => "postalCode",
        "passport_number" => "passportNumber",
        "license_number" => "licenseNumber",
        "private_key" => "privateKey",
        "public_key" => "publicKey",
        "key_fingerprint" => "keyFingerprint",
        "credential_id" => "credentialId",
        "key_type" => "keyType",
        "key_algorithm" => "keyAlgorithm",
        "key_curve" => "keyCurve",
        "key_value" => "keyValue",
        "rp_id" => "rpId",
        "user_handle" => "userHandle",
        "user_name" => "userName",
        "rp_name" => "rpName",
        "user_display_name" => "userDisplayName",
        "creation_date" => "creationDate",
        other => other,
    }
}

string_record!(
    /// Payment card (type 3).
    Card { cardholder_name, brand, number, exp_month, exp_year, code }
);

string_record!(
    /// Identity (type 4).
    Identity {
        title, first_name, middle_name, last_name, address1, address2, address3, city, state,
        postal_code, country, company, email, phone, ssn, username, passport_number,
        license_number,
    }
);

string_record!(
    /// SSH key (type 5).
    SshKey { private_key, public_key, key_fingerprint }
);

string_record!(
    /// A passkey stored on a login. `creationDate` is the one plain field.
    Fido2Credential {
        credential_id, key_type, key_algorithm, key_curve, key_value, rp_id, user_handle,
        user_name, counter, rp_name, user_display_name, discoverable, creation_date,
    }
);
