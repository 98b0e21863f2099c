//! The offline queue (plain data, replayed in order, ids of things created offline carried to
//! later edits) and the conflict rule (keep both versions when they differ).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use keyfill::api::native::block_on;
use keyfill::api::queue::{replay_shared, stored_item};
use keyfill::api::{
    resolve_conflict, Client, ConflictResolution, Device, HttpRequest, HttpResponse, OfflineQueue,
    PendingEdit, ServerUrls, Tokens, Transport,
};
use keyfill::vault::view::{CipherView, LoginView};
use keyfill::Error;
use serde_json::{json, Value};

type Hook = Box<dyn FnOnce()>;

#[derive(Default)]
struct Mock {
    answers: RefCell<VecDeque<Result<(u16, Value), Error>>>,
    seen: RefCell<Vec<HttpRequest>>,
    /// Run while the first request is out (the user acting meanwhile).
    during: RefCell<Option<Hook>>,
}

impl Transport for Mock {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, Error> {
        self.seen.borrow_mut().push(req);
        if let Some(hook) = self.during.borrow_mut().take() {
            hook();
        }
        let (status, body) = self.answers.borrow_mut().pop_front().expect("scripted")?;
        // A string starting with '<' is sent as it is: an HTML page.
        let body = match body {
            Value::String(page) if page.starts_with('<') => page.into_bytes(),
            json => json.to_string().into_bytes(),
        };
        Ok(HttpResponse {
            status,
            content_type: Some("application/json".into()),
            body,
        })
    }
}

fn client(answers: Vec<Result<(u16, Value), Error>>) -> Client<Mock> {
    let mock = Mock {
        answers: RefCell::new(answers.into()),
        ..Mock::default()
    };
    let c = Client::new(
        mock,
        ServerUrls::parse("https://vw.example.org").unwrap(),
        Device::browser(2, "chrome", "d"),
    )
    .with_clock(|| 1_000);
    c.set_tokens(Some(Tokens {
        access_token: "a".into(),
        refresh_token: Some("r".into()),
        expires_at: 1_000_000,
    }));
    c
}

fn seen(c: &Client<Mock>) -> Vec<(String, Option<Value>)> {
    c.transport()
        .seen
        .borrow()
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {}",
                    r.method.as_str(),
                    r.url.trim_start_matches("https://vw.example.org/api")
                ),
                r.body
                    .as_deref()
                    .map(|b| serde_json::from_slice(b).unwrap()),
            )
        })
        .collect()
}

const NOW: u64 = 1_795_000_000_000;

fn item(id: &str, name: &str, folder: Option<&str>) -> Value {
    json!({"id": id, "type": 1, "name": name, "folderId": folder, "login": {"username": null},
        "revisionDate": "2026-01-01T00:00:00.000Z", "object": "cipherDetails"})
}

fn save(id: &str, name: &str, folder: Option<&str>, is_new: bool) -> PendingEdit {
    PendingEdit::SaveCipher {
        id: id.into(),
        cipher: item(id, name, folder),
        last_known_revision_date: (!is_new).then(|| "2026-01-01T00:00:00.000Z".into()),
        is_new,
    }
}

#[test]
fn queue_is_plain_json_and_coalesces() {
    let mut q = OfflineQueue::new();
    q.push(save("a", "2.one", None, false));
    q.push(save("a", "2.two", None, false));
    assert_eq!(
        q.len(),
        1,
        "a save right after a save of the same item replaces it"
    );
    q.push(save("n", "2.new", None, true));
    q.push(PendingEdit::Trash { id: "n".into() });
    q.push(PendingEdit::Delete { id: "n".into() });
    assert_eq!(
        q.len(),
        1,
        "an item created and deleted offline never reaches the server"
    );
    q.push(PendingEdit::SaveFolder {
        id: "f".into(),
        name: "2.f".into(),
        is_new: true,
    });
    q.push(PendingEdit::Partial {
        id: "a".into(),
        folder_id: Some("f".into()),
        favorite: true,
    });
    let text = q.to_json();
    assert!(text.contains("\"op\":\"saveCipher\"") && text.contains("\"lastKnownRevisionDate\""));
    assert_eq!(OfflineQueue::from_json(&text).unwrap(), q);
    assert!(OfflineQueue::from_json("[").is_err());
    let shown = format!("{:?}", q.edits);
    assert!(!shown.contains("2.two"), "{shown}");
}

#[test]
fn replay_in_order_with_new_ids_carried_forward() {
    let mut q = OfflineQueue::new();
    q.push(PendingEdit::SaveFolder {
        id: "local-f".into(),
        name: "2.f".into(),
        is_new: true,
    });
    q.push(save("local-c", "2.c", Some("local-f"), true));
    q.push(PendingEdit::Partial {
        id: "local-c".into(),
        folder_id: Some("local-f".into()),
        favorite: true,
    });
    q.push(save("local-c", "2.c2", Some("local-f"), false));
    q.push(PendingEdit::Trash {
        id: "local-c".into(),
    });
    let c = client(vec![
        Ok((200, json!({"id": "srv-f", "name": "2.f"}))),
        Ok((
            200,
            json!({"id": "srv-c", "revisionDate": "2026-03-01T00:00:00.000Z"}),
        )),
        Ok((200, json!({}))),
        Ok((
            200,
            json!({"id": "srv-c", "revisionDate": "2026-03-02T00:00:00.000Z"}),
        )),
        Ok((200, json!(null))),
    ]);
    let report = block_on(q.replay(&c, NOW));
    assert!(report.stopped.is_none(), "{report:?}");
    assert_eq!(report.done, 5);
    assert!(q.is_empty());
    assert_eq!(
        report.new_ids,
        [
            ("local-f".to_string(), "srv-f".to_string()),
            ("local-c".into(), "srv-c".into())
        ]
    );
    let s = seen(&c);
    let paths: Vec<&str> = s.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "POST /folders",
            "POST /ciphers",
            "PUT /ciphers/srv-c/partial",
            "PUT /ciphers/srv-c",
            "PUT /ciphers/srv-c/delete"
        ]
    );
    let created = s[1].1.as_ref().unwrap();
    assert_eq!(created["folderId"], "srv-f");
    assert!(created.get("id").is_none() && created.get("object").is_none());
    assert_eq!(s[2].1.as_ref().unwrap()["folderId"], "srv-f");
    // The edit after the create starts from the revision the create returned.
    assert_eq!(
        s[3].1.as_ref().unwrap()["lastKnownRevisionDate"],
        "2026-03-01T00:00:00.000Z"
    );
}

#[test]
fn refused_edits_stay_queued_and_offline_stops() {
    let mut q = OfflineQueue::new();
    q.push(save("a", "2.a", None, false));
    q.push(PendingEdit::Restore { id: "gone".into() });
    q.push(PendingEdit::Trash { id: "b".into() });
    q.push(PendingEdit::Trash { id: "c".into() });
    let out_of_date = json!({"message": "The client copy of this cipher is out of date. Resync the client and try again."});
    let c = client(vec![
        Ok((400, out_of_date)),
        Ok((404, json!({"message": "Cipher doesn't exist"}))),
        Err(Error::ServerUnreachable),
    ]);
    let report = block_on(q.replay(&c, NOW));
    assert_eq!(report.conflicts, [q.edits[0].key.clone()]);
    assert_eq!(report.failed, 2);
    assert_eq!(report.stopped, Some(Error::ServerUnreachable));
    let left: Vec<(&str, Option<&str>)> = q
        .edits
        .iter()
        .map(|e| (e.id(), e.error.as_ref().map(|e| e.code.as_str())))
        .collect();
    assert_eq!(
        left,
        [
            ("a", Some("conflict")),
            ("gone", Some("not_found")),
            ("b", None),
            ("c", None)
        ],
        "nothing leaves the queue unless stored"
    );
    assert_eq!(q.edits[1].retry_at, Some(NOW + 30_000));
    // A server failing (5xx) marks that edit and goes on with the others.
    let c = client(vec![
        Ok((503, json!({"message": "maintenance"}))),
        Ok((200, json!(null))),
    ]);
    let report = block_on(q.replay(&c, NOW));
    assert_eq!((report.failed, report.done), (1, 1), "{report:?}");
    assert_eq!(q.len(), 3);
    assert_eq!(q.edits[2].error.as_ref().unwrap().code, "server");
}

#[test]
fn answers_that_are_not_the_servers_store_nothing() {
    let html = |status| -> Result<(u16, Value), Error> { Ok((status, json!("<html>"))) };
    for (edit, answer) in [
        (PendingEdit::Trash { id: "t".into() }, html(200)),
        (PendingEdit::Restore { id: "t".into() }, html(200)),
        (PendingEdit::Delete { id: "t".into() }, html(200)),
        (PendingEdit::DeleteFolder { id: "t".into() }, html(200)),
        (
            PendingEdit::Partial {
                id: "t".into(),
                folder_id: None,
                favorite: true,
            },
            Ok((200, json!({"id": "another", "object": "cipherDetails"}))),
        ),
        (save("t", "2.t", None, false), html(200)),
        (
            save("t", "2.t", None, false),
            Ok((200, json!({"id": "another"}))),
        ),
        (save("n", "2.n", None, true), Ok((200, json!({"ok": true})))),
        (
            PendingEdit::SaveFolder {
                id: "f".into(),
                name: "2.f".into(),
                is_new: true,
            },
            html(201),
        ),
        (PendingEdit::Delete { id: "t".into() }, html(404)),
    ] {
        let shown = format!("{edit:?}");
        let mut q = OfflineQueue::new();
        q.push(edit);
        let c = client(vec![answer]);
        let report = block_on(q.replay(&c, NOW));
        assert_eq!((report.done, report.failed, q.len()), (0, 1, 1), "{shown}");
        assert!(q.edits[0].error.is_some(), "{shown}");
    }
    // What the protocol answers is stored: an empty body, JSON naming the item, a delete of
    // what the server says it does not hold.
    let mut q = OfflineQueue::new();
    q.push(PendingEdit::Trash { id: "t".into() });
    q.push(PendingEdit::Restore { id: "t".into() });
    q.push(PendingEdit::Delete { id: "t".into() });
    let c = client(vec![
        Ok((200, json!(null))),
        Ok((200, json!({"Id": "t", "Object": "cipher"}))),
        Ok((404, json!({"message": "Cipher doesn't exist"}))),
    ]);
    let report = block_on(q.replay(&c, NOW));
    assert_eq!((report.done, q.len()), (3, 0), "{report:?}");
}

fn login_view(name: &str, password: &str) -> CipherView {
    CipherView {
        id: "i1".into(),
        kind: 1,
        name: name.into(),
        revision_date: Some("2026-01-01T00:00:00.000Z".into()),
        login: Some(LoginView {
            username: Some("alice".into()),
            password: Some(password.into()),
            ..LoginView::default()
        }),
        ..CipherView::default()
    }
}

#[test]
fn conflicting_versions_are_both_kept() {
    let mine = login_view("Mail", "new-password");
    let mut theirs = login_view("Mail", "new-password");
    theirs.revision_date = Some("2026-05-05T00:00:00.000Z".into());
    assert!(matches!(
        resolve_conflict(&mine, &theirs, 0),
        ConflictResolution::Same
    ));
    let theirs = login_view("Mail", "other-password");
    // 2026-06-01T12:34:56Z
    match resolve_conflict(&mine, &theirs, 1_780_317_296_000) {
        ConflictResolution::KeepBoth(copy) => {
            assert_eq!(copy.name, "Mail (conflict 2026-06-01 12:34)");
            assert!(copy.id.is_empty(), "saved as a new item");
            assert_eq!(
                copy.login.unwrap().password.as_deref(),
                Some("new-password")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn stored_items_are_found_in_the_material() {
    let material =
        json!({"profile": {}, "ciphers": [item("x", "2.x", None), item("y", "2.y", None)]});
    let found = stored_item(&material.to_string(), "y").unwrap();
    assert_eq!(found["name"], "2.y");
    assert_eq!(
        stored_item(&material.to_string(), "z").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn edits_made_while_a_request_is_out_are_kept() {
    let queue = Rc::new(RefCell::new(OfflineQueue::new()));
    let first = queue.borrow_mut().push(save("a", "2.first", None, false));
    let c = client(vec![
        Ok((
            200,
            json!({"id": "a", "revisionDate": "2026-03-01T00:00:00.000Z"}),
        )),
        Ok((
            200,
            json!({"id": "a", "revisionDate": "2026-03-02T00:00:00.000Z"}),
        )),
    ]);
    let q = queue.clone();
    *c.transport().during.borrow_mut() = Some(Box::new(move || {
        let mut q = q.borrow_mut();
        // A second save of the item being sent is not merged into it (it would leave the
        // queue with the first one's answer).
        let second = q.push(save("a", "2.second", None, false));
        assert_ne!(second, first);
        assert_eq!(q.len(), 2);
        // Discarding the edit being sent is harmless: its answer finds nothing to remove.
        q.remove(&first);
    }));
    let report = block_on(replay_shared(&queue, &c, NOW));
    assert_eq!(report.done, 2, "{report:?}");
    assert!(queue.borrow().is_empty());
    let s = seen(&c);
    let paths: Vec<&str> = s.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["PUT /ciphers/a", "PUT /ciphers/a"]);
    let second = s[1].1.as_ref().unwrap();
    assert_eq!(second["name"], "2.second");
    assert_eq!(
        second["lastKnownRevisionDate"], "2026-03-01T00:00:00.000Z",
        "starts from the revision the first save made"
    );
}

/// A queue as `chrome.storage.local` holds it, with every kind of edit: it reads into the same
/// edits and writes back byte for byte, so stored queues stay readable across versions.
#[test]
fn stored_queue_of_every_kind_reads_and_writes_back_unchanged() {
    let text = concat!(
        r#"{"edits":["#,
        r#"{"key":"e0","op":"saveCipher","id":"a","cipher":{"id":"a","name":"2.n"},"lastKnownRevisionDate":null,"isNew":true},"#,
        r#"{"key":"e1","op":"saveCipher","id":"b","cipher":null,"lastKnownRevisionDate":"2026-03-01T00:00:00.000Z","isNew":false,"error":{"code":"offline","message":"m"},"attempts":2,"retryAt":1700000000000},"#,
        r#"{"key":"e2","op":"partial","id":"a","folderId":null,"favorite":false},"#,
        r#"{"key":"e3","op":"partial","id":"a","folderId":"f","favorite":true},"#,
        r#"{"key":"e4","op":"trash","id":"a","label":"2.l"},"#,
        r#"{"key":"e5","op":"restore","id":"a"},"#,
        r#"{"key":"e6","op":"delete","id":"a"},"#,
        r#"{"key":"e7","op":"saveFolder","id":"f","name":"2.f","isNew":true},"#,
        r#"{"key":"e8","op":"deleteFolder","id":"f"}"#,
        r#"],"keptBoth":["k"],"nextKey":9}"#
    );
    let q = OfflineQueue::from_json(text).unwrap();
    assert_eq!(q.to_json(), text);
    let edits: Vec<PendingEdit> = q.edits.iter().map(|e| e.edit.clone()).collect();
    assert_eq!(
        edits[1],
        PendingEdit::SaveCipher {
            id: "b".into(),
            cipher: Value::Null,
            last_known_revision_date: Some("2026-03-01T00:00:00.000Z".into()),
            is_new: false,
        }
    );
    assert_eq!(
        edits[3],
        PendingEdit::Partial {
            id: "a".into(),
            folder_id: Some("f".into()),
            favorite: true,
        }
    );
    assert_eq!(
        edits[7],
        PendingEdit::SaveFolder {
            id: "f".into(),
            name: "2.f".into(),
            is_new: true,
        }
    );
    assert_eq!(q.edits[1].attempts, 2);
    assert_eq!(q.edits[1].retry_at, Some(1_700_000_000_000));
    assert_eq!(q.edits[4].label.as_deref(), Some("2.l"));
    // Fields a kind does not have are ignored; the key may be missing (older queues).
    let old = r#"{"edits":[{"op":"trash","id":"a","favorite":true,"name":"x"}]}"#;
    let q = OfflineQueue::from_json(old).unwrap();
    assert_eq!(q.edits[0].edit, PendingEdit::Trash { id: "a".into() });
    assert_eq!(q.edits[0].key, "e0");
}

/// An edit without its kind or a field its kind needs is refused, not guessed.
#[test]
fn stored_edit_missing_what_its_kind_needs_is_refused() {
    for edit in [
        r#"{"id":"a"}"#,
        r#"{"op":"rename","id":"a"}"#,
        r#"{"op":"trash"}"#,
        r#"{"op":"saveCipher","id":"a","isNew":true}"#,
        r#"{"op":"saveCipher","id":"a","cipher":{}}"#,
        r#"{"op":"partial","id":"a","folderId":null}"#,
        r#"{"op":"saveFolder","id":"f","isNew":true}"#,
        r#"{"op":"saveFolder","id":"f","name":"2.f"}"#,
        r#"{"op":"trash","id":7}"#,
    ] {
        let text = format!(r#"{{"edits":[{edit}]}}"#);
        assert!(
            OfflineQueue::from_json(&text).is_err(),
            "{edit} was accepted"
        );
    }
}
