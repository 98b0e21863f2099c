//! The few fields of a cipher that lists and matching need, read without copying: unlock reads
//! these for every item and leaves the rest of the item as text until it is opened.

use std::borrow::Cow;

use serde::Deserialize;

use crate::server_json::{lenient_bool, lenient_int};

type Text<'a> = Option<Cow<'a, str>>;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CipherHead<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(rename = "type", deserialize_with = "lenient_int::deserialize")]
    pub kind: Option<i64>,
    #[serde(borrow)]
    pub organization_id: Text<'a>,
    #[serde(borrow)]
    pub folder_id: Text<'a>,
    #[serde(deserialize_with = "lenient_bool::deserialize")]
    pub favorite: bool,
    #[serde(borrow)]
    pub key: Text<'a>,
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(borrow)]
    pub deleted_date: Text<'a>,
    #[serde(borrow)]
    pub revision_date: Text<'a>,
    #[serde(borrow)]
    pub login: Option<LoginHead<'a>>,
    #[serde(borrow)]
    pub card: Option<CardHead<'a>>,
    #[serde(borrow)]
    pub identity: Option<IdentityHead<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct LoginHead<'a> {
    #[serde(borrow)]
    pub username: Text<'a>,
    #[serde(borrow)]
    pub uris: Option<Vec<UriHead<'a>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct UriHead<'a> {
    #[serde(borrow)]
    pub uri: Text<'a>,
    #[serde(borrow)]
    pub uri_checksum: Text<'a>,
    #[serde(rename = "match", deserialize_with = "lenient_int::deserialize")]
    pub match_type: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CardHead<'a> {
    #[serde(borrow)]
    pub brand: Text<'a>,
    #[serde(borrow)]
    pub number: Text<'a>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct IdentityHead<'a> {
    #[serde(borrow)]
    pub first_name: Text<'a>,
    #[serde(borrow)]
    pub last_name: Text<'a>,
    #[serde(borrow)]
    pub email: Text<'a>,
}
