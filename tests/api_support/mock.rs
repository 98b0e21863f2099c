//! An in-memory `Transport` for the client tests: answers from a script, in order; every
//! request recorded. Shared by `api_client.rs` and `api_tokens.rs`.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use keyfill::api::{
    Client, Credentials, Device, HttpRequest, HttpResponse, PreloginAnswer, ServerUrls, Tokens,
    Transport,
};
use keyfill::crypto::{Kdf, MasterKey};
use keyfill::Error;
use serde_json::{json, Value};

#[derive(Default)]
pub struct Mock {
    answers: RefCell<VecDeque<Result<HttpResponse, Error>>>,
    seen: RefCell<Vec<HttpRequest>>,
}

impl Mock {
    pub fn answer(&self, status: u16, body: Value) -> &Self {
        self.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            content_type: Some("application/json".into()),
            body: body.to_string().into_bytes(),
        }));
        self
    }

    pub fn text(&self, status: u16, body: &str) -> &Self {
        self.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            content_type: Some("text/plain".into()),
            body: body.as_bytes().to_vec(),
        }));
        self
    }

    pub fn fail(&self, e: Error) -> &Self {
        self.answers.borrow_mut().push_back(Err(e));
        self
    }

    pub fn seen(&self) -> Vec<HttpRequest> {
        self.seen.borrow().clone()
    }

    pub fn paths(&self) -> Vec<String> {
        self.seen()
            .iter()
            .map(|r| format!("{} {}", r.method.as_str(), r.url))
            .collect()
    }
}

impl Transport for Mock {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, Error> {
        self.seen.borrow_mut().push(req);
        self.answers
            .borrow_mut()
            .pop_front()
            .expect("the test scripted an answer for every request")
    }
}

pub const NOW: u64 = 1_800_000_000;

pub fn client(urls: &str) -> (Client<Rc<Mock>>, Rc<Mock>, Rc<Cell<u64>>) {
    let mock = Rc::new(Mock::default());
    let clock = Rc::new(Cell::new(NOW));
    let c = clock.clone();
    let client = Client::new(
        mock.clone(),
        ServerUrls::parse(urls).unwrap(),
        Device::browser(2, "chrome", "4b1c0f7e-1111-4222-8333-444455556666"),
    )
    .with_clock(move || c.get());
    (client, mock, clock)
}

pub fn creds() -> Credentials {
    let kdf = Kdf::Pbkdf2 { iterations: 5000 };
    let master = MasterKey::derive("correct horse", "alice@example.test", &kdf).unwrap();
    let prelogin = PreloginAnswer {
        text: json!({"kdf": 0, "kdfIterations": 5000}).to_string(),
        kdf,
        salt: None,
    };
    Credentials::from_master_key("alice@example.test", "correct horse", master, prelogin)
}

pub fn form_of(req: &HttpRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req.body.as_deref().unwrap())
        .into_owned()
        .collect()
}

pub fn field(req: &HttpRequest, name: &str) -> Option<String> {
    form_of(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

pub fn logged_in(c: &Client<Rc<Mock>>, expires_at: u64) {
    c.set_tokens(Some(Tokens {
        access_token: "access-1".into(),
        refresh_token: Some("refresh-1".into()),
        expires_at,
    }));
}

pub fn token_ok(access: &str) -> Value {
    json!({"access_token": access, "expires_in": 3600, "token_type": "Bearer",
        "refresh_token": format!("r-{access}"), "scope": "api offline_access"})
}
