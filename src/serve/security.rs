//! The checks every request passes before a page is made, as for any local web server: only
//! the bound address by name (no DNS rebinding), the access token when other computers can
//! reach the page, same-origin and a CSRF token for everything that is posted, a limit on the
//! body and on the time, and headers that forbid loading anything from elsewhere.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;
use crate::vocab::Lang;
use crate::wording;

/// The most a request body may have: an answers file is a few kilobytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The most a request may take, body included (the slowest page, the annex, takes well under
/// a second).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The most the head of a request may take to arrive (slow clients hold no connection).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The cookie that carries the access token after the first visit with `?token=`.
const TOKEN_COOKIE: &str = "konf_wahl_token";

/// What the checks need to know: where the server listens, the access token (only when other
/// computers can reach it) and the CSRF token of this run.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The address bound to.
    pub bind: IpAddr,
    /// The port bound to (the real one, also with `--port 0`).
    pub port: u16,
    /// The access token, `None` on loopback.
    pub token: Option<String>,
    /// The CSRF token every form of this run carries.
    pub csrf: String,
    /// The language of refusals.
    pub lang: Lang,
}

/// `n` random bytes as hex, from the operating system.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    // Without randomness there is no safe token: stop rather than serve with a weak one.
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal strings, compared in a time that does not tell how much of a guess was right.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A token someone chose: long enough and plain enough for an address.
pub fn token_is_valid(token: &str) -> bool {
    token.len() >= 24
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The name and port of a `Host` header (`127.0.0.1:8470`, `[::1]:8470`, `localhost`).
fn split_host(host: &str) -> Option<(&str, u16)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => 80,
            None => return None,
        };
        return Some((name, port));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, port.parse().ok()?)),
        None => Some((host, 80)),
    }
}

impl Guard {
    /// Whether a `Host` header names this server: its port, and its address as a number or,
    /// on loopback, `localhost`. Any other name is refused: a page of another site whose
    /// name was pointed at 127.0.0.1 (DNS rebinding) sends its own name.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return self.bind.is_loopback();
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip == self.bind || self.bind.is_unspecified(),
            Err(_) => false,
        }
    }

    /// Whether a posted request comes from a page of this server: its `Origin` (or, where a
    /// browser sends none, its `Referer`) is this server's address.
    fn same_origin(&self, headers: &HeaderMap, host: &str) -> bool {
        let own = format!("http://{host}");
        match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => origin == own,
            None => headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|r| r == own || r.starts_with(&format!("{own}/"))),
        }
    }

    /// Whether the request carries the access token, in the address or in its cookie.
    fn token_of(&self, req: &Request) -> TokenSeen {
        let Some(token) = &self.token else {
            return TokenSeen::NotNeeded;
        };
        let in_query = req.uri().query().is_some_and(|q| {
            q.split('&')
                .filter_map(|p| p.strip_prefix("token="))
                .any(|t| same(t, token))
        });
        if in_query {
            return TokenSeen::InAddress;
        }
        let in_cookie = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(TOKEN_COOKIE)?.strip_prefix('='))
            .any(|t| same(t, token));
        if in_cookie {
            TokenSeen::InCookie
        } else {
            TokenSeen::Missing
        }
    }

    /// Whether a form's CSRF token is this run's.
    pub fn csrf_ok(&self, sent: &str) -> bool {
        same(sent, &self.csrf)
    }
}

enum TokenSeen {
    NotNeeded,
    InAddress,
    InCookie,
    Missing,
}

/// The nonce of one response's inline styles (the handouts carry their stylesheet inline).
#[derive(Debug, Clone)]
pub struct Nonce(pub String);

/// A refusal with a short page in plain words.
pub fn refusal(status: StatusCode, lang: Lang, message: &str) -> Response {
    let title = wording::text(lang, "serve.refused");
    let lang_code = if lang == Lang::De { "de" } else { "en" };
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang_code}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{}</p></main></body></html>\n",
        super::pages::escape(message)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The checks, in order: Host, access token, origin of posts, size; then the page within
/// the time limit, with the security headers on every answer.
pub async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let g = &app.guard;
    let lang = g.lang;
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let nonce = random_hex(16);
    if !g.host_allowed(&host) {
        return secured(
            refusal(
                StatusCode::FORBIDDEN,
                lang,
                wording::text(lang, "serve.refused_host"),
            ),
            &nonce,
        );
    }
    match g.token_of(&req) {
        TokenSeen::NotNeeded | TokenSeen::InCookie => {}
        TokenSeen::Missing => {
            return secured(
                refusal(
                    StatusCode::FORBIDDEN,
                    lang,
                    wording::text(lang, "serve.refused_token"),
                ),
                &nonce,
            );
        }
        TokenSeen::InAddress => {
            // Once: the token goes into a cookie for this address and out of the address bar.
            let token = g.token.clone().unwrap_or_default();
            let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            let mut response = Response::builder()
                .status(StatusCode::SEE_OTHER)
                .header(header::LOCATION, req.uri().path())
                .body(Body::empty())
                .unwrap_or_default();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, v);
            }
            return secured(response, &nonce);
        }
    }
    let safe_method = matches!(*req.method(), Method::GET | Method::HEAD);
    if !safe_method && !g.same_origin(req.headers(), &host) {
        return secured(
            refusal(
                StatusCode::FORBIDDEN,
                lang,
                wording::text(lang, "serve.refused_origin"),
            ),
            &nonce,
        );
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return secured(
            refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                lang,
                wording::text(lang, "serve.too_large"),
            ),
            &nonce,
        );
    }
    req.extensions_mut().insert(Nonce(nonce.clone()));
    let response = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            lang,
            wording::text(lang, "serve.too_large"),
        ),
        Ok(r) => r,
        Err(_) => refusal(
            StatusCode::REQUEST_TIMEOUT,
            lang,
            wording::text(lang, "serve.timeout"),
        ),
    };
    secured(response, &nonce)
}

/// The headers of every answer: nothing from elsewhere (scripts and styles only from this
/// server, inline styles only with this answer's nonce), no framing, no caching of answers.
fn secured(mut response: Response, nonce: &str) -> Response {
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bind: &str) -> Guard {
        Guard {
            bind: bind.parse().unwrap(),
            port: 8470,
            token: None,
            csrf: "x".into(),
            lang: Lang::De,
        }
    }

    #[test]
    fn only_the_bound_address_is_served() {
        let g = guard("127.0.0.1");
        for ok in ["127.0.0.1:8470", "localhost:8470", "LOCALHOST:8470"] {
            assert!(g.host_allowed(ok), "{ok}");
        }
        for bad in [
            "127.0.0.1:8471",
            "127.0.0.1",
            "evil.example:8470",
            "localhost.evil.example:8470",
            "[::1]:8470",
            "",
            "127.0.0.1:8470:1",
        ] {
            assert!(!g.host_allowed(bad), "{bad}");
        }
        let g = guard("::1");
        assert!(g.host_allowed("[::1]:8470") && g.host_allowed("localhost:8470"));
        let g = guard("192.168.1.5");
        assert!(g.host_allowed("192.168.1.5:8470"));
        assert!(!g.host_allowed("localhost:8470"));
        let g = guard("0.0.0.0");
        assert!(g.host_allowed("10.0.0.7:8470") && !g.host_allowed("rebind.example:8470"));
    }

    #[test]
    fn the_access_token_is_taken_from_the_address_or_its_cookie() {
        let token = random_hex(24);
        let g = Guard {
            token: Some(token.clone()),
            ..guard("0.0.0.0")
        };
        let req = |uri: &str, cookie: Option<&str>| {
            let mut b = Request::builder().uri(uri);
            if let Some(c) = cookie {
                b = b.header(header::COOKIE, c);
            }
            b.body(Body::empty()).unwrap()
        };
        let seen = |r: &Request| match g.token_of(r) {
            TokenSeen::NotNeeded => "not needed",
            TokenSeen::InAddress => "address",
            TokenSeen::InCookie => "cookie",
            TokenSeen::Missing => "missing",
        };
        assert_eq!(seen(&req(&format!("/?token={token}"), None)), "address");
        let cookie = format!("a=b; {TOKEN_COOKIE}={token}");
        assert_eq!(seen(&req("/", Some(&cookie))), "cookie");
        assert_eq!(seen(&req("/", None)), "missing");
        assert_eq!(seen(&req("/?token=guess", None)), "missing");
        let wrong = format!("{TOKEN_COOKIE}={}", random_hex(24));
        assert_eq!(seen(&req("/", Some(&wrong))), "missing");
        // On loopback no token is asked for.
        assert_eq!(
            match guard("127.0.0.1").token_of(&req("/", None)) {
                TokenSeen::NotNeeded => "not needed",
                _ => "asked",
            },
            "not needed"
        );
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let a = random_hex(16);
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_hex(16));
        assert!(same(&a, &a.clone()) && !same(&a, &a[1..]) && !same("ab", "ac"));
        assert!(token_is_valid(&a) && !token_is_valid("short") && !token_is_valid(&"ä".repeat(30)));
    }
}
