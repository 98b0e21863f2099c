//! The native `Transport` (CLI, tests): blocking HTTP over ureq with rustls, and a tiny
//! `block_on` to drive the client's futures without an async runtime.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use ureq::tls::{RootCerts, TlsConfig};

use super::{HttpRequest, HttpResponse, Transport};
use crate::error::{Error, Result};

/// The largest answer read (a big vault's sync is tens of megabytes).
const MAX_BODY: u64 = 256 * 1024 * 1024;

pub struct NativeTransport {
    agent: ureq::Agent,
}

impl std::fmt::Debug for NativeTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NativeTransport")
    }
}

impl Default for NativeTransport {
    fn default() -> Self {
        Self::new(Duration::from_secs(30))
    }
}

impl NativeTransport {
    /// `timeout` bounds each whole request (connect, TLS, answer).
    pub fn new(timeout: Duration) -> Self {
        Self::build(timeout, RootCerts::WebPki)
    }

    /// Trusts the certificates of `pem` (a private CA, as for a self-hosted server behind one)
    /// instead of the built-in roots; certificates are still checked, names included.
    pub fn with_ca_pem(timeout: Duration, pem: &[u8]) -> Result<Self> {
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
                Ok(_) => {}
                Err(_) => return Err(Error::Tls("the CA file is not valid PEM".into())),
            }
        }
        if certs.is_empty() {
            return Err(Error::Tls("the CA file holds no certificate".into()));
        }
        Ok(Self::build(timeout, RootCerts::new_with_certs(&certs)))
    }

    fn build(timeout: Duration, roots: RootCerts) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // Statuses are answers for the client to read, not transport errors.
            .http_status_as_error(false)
            .user_agent(concat!("keyfill/", env!("CARGO_PKG_VERSION")))
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            .build()
            .new_agent();
        NativeTransport { agent }
    }

    pub fn send_blocking(&self, req: HttpRequest) -> Result<HttpResponse> {
        let mut b = ureq::http::Request::builder()
            .method(req.method.as_str())
            .uri(&req.url);
        for (name, value) in &req.headers {
            b = b.header(name.as_str(), value.as_str());
        }
        let bad = |_| Error::UnknownServer("the request could not be built".into());
        let result = match req.body {
            Some(body) => self.agent.run(b.body(body).map_err(bad)?),
            None => self.agent.run(b.body(()).map_err(bad)?),
        };
        let mut resp = result.map_err(map_error)?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(map_error)?;
        Ok(HttpResponse {
            status,
            content_type,
            body,
        })
    }
}

impl Transport for NativeTransport {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse> {
        self.send_blocking(req)
    }
}

/// Sorts ureq's failures into "no answer" and "not a trusted secure connection".
fn map_error(e: ureq::Error) -> Error {
    use ureq::Error as U;
    match e {
        U::Tls(what) => Error::Tls(what.into()),
        U::Rustls(e) => Error::Tls(describe_tls(&e)),
        U::Pem(_) | U::TlsRequired => Error::Tls("certificate handling".into()),
        // rustls reports handshake failures through the socket's I/O errors.
        U::Io(io) => match io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            Some(tls) => Error::Tls(describe_tls(tls)),
            None => Error::ServerUnreachable,
        },
        U::Timeout(_) | U::HostNotFound | U::ConnectionFailed => Error::ServerUnreachable,
        U::BadUri(_) | U::Http(_) => Error::UnknownServer("not a usable web address".into()),
        U::BodyExceedsLimit(_) => Error::Server("the answer is too large".into()),
        U::Protocol(_) => Error::Server("the answer is not valid HTTP".into()),
        U::TooManyRedirects | U::RedirectFailed => Error::Server("too many redirects".into()),
        _ => Error::ServerUnreachable,
    }
}

/// A short, fixed description (rustls messages can quote names from the certificate).
fn describe_tls(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(_) => "the server's certificate is not trusted",
        rustls::Error::NoCertificatesPresented => "the server presented no certificate",
        rustls::Error::AlertReceived(_) => "the server refused the secure connection",
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "the server does not speak TLS here"
        }
        _ => "the secure connection failed",
    }
    .into()
}

struct ThreadWaker(std::thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on this thread (the native transport never waits on a reactor,
/// so this is all the CLI needs).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Method;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn get(url: String) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url,
            headers: vec![("X-Test".into(), "1".into())],
            body: None,
        }
    }

    #[test]
    fn closed_port_is_unreachable() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let t = NativeTransport::new(Duration::from_secs(5));
        let e = t
            .send_blocking(get(format!("http://127.0.0.1:{port}/x")))
            .unwrap_err();
        assert_eq!(e, Error::ServerUnreachable);
    }

    /// A plain-HTTP server reached over https: the handshake fails as a TLS error.
    #[test]
    fn not_tls_is_a_tls_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        });
        let t = NativeTransport::new(Duration::from_secs(5));
        let e = t
            .send_blocking(get(format!("https://127.0.0.1:{port}/x")))
            .unwrap_err();
        assert_eq!(e.code(), "tls", "{e:?}");
        server.join().unwrap();
    }

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let t = Duration::from_secs(5);
        for pem in [
            &b""[..],
            b"not pem at all",
            b"-----BEGIN CERTIFICATE-----\n%%\n",
        ] {
            let e = NativeTransport::with_ca_pem(t, pem).unwrap_err();
            assert_eq!(e.code(), "tls", "{e:?}");
        }
    }

    #[test]
    fn statuses_are_answers() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            let head = String::from_utf8_lossy(&buf[..n]).to_lowercase();
            assert!(head.contains("x-test: 1"), "{head}");
            let _ = s.write_all(
                b"HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 4\r\nconnection: close\r\n\r\nnope",
            );
        });
        let t = NativeTransport::new(Duration::from_secs(5));
        let r = block_on(t.send(get(format!("http://127.0.0.1:{port}/x")))).unwrap();
        assert_eq!((r.status, r.body.as_slice()), (404, &b"nope"[..]));
        assert_eq!(r.content_type.as_deref(), Some("text/plain"));
        server.join().unwrap();
    }
}
