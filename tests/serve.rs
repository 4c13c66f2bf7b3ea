//! `konf-wahl serve` over real HTTP: the binary started on a free port (the address is the
//! first line of its output), spoken to by a small HTTP/1.1 client over `TcpStream`, so no
//! HTTP client crate is needed.

mod common;
use common::{konf_wahl, temp_dir};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `konf-wahl serve`; stopped with SIGTERM when dropped.
struct Server {
    child: Option<Child>,
    /// `127.0.0.1:PORT`
    addr: String,
    stderr: Option<std::process::ChildStderr>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_konf-wahl"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("XDG_CONFIG_HOME", "/nonexistent/konf-wahl-tests")
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let addr = first
            .trim()
            .strip_prefix("http://")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("first line is no address: {first:?}"))
            .to_string();
        let stderr = child.stderr.take();
        Server {
            child: Some(child),
            addr,
            stderr,
        }
    }

    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn port(&self) -> u16 {
        self.addr.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Sends raw bytes, returns the parsed answer.
    fn raw(&self, request: &[u8]) -> Response {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        // A server that answers before reading everything may close early: that is fine.
        let _ = stream.write_all(request);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Response::parse(&bytes)
    }

    fn get(&self, path: &str) -> Response {
        self.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        )
    }

    /// A form post from the page itself (right Host and Origin).
    fn post(&self, path: &str, body: &str) -> Response {
        self.post_with(path, body, &[("Origin", &self.origin())])
    }

    fn post_with(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> Response {
        let mut head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body.as_bytes());
        self.raw(&request)
    }

    /// The CSRF token of the pages of this run.
    fn csrf(&self) -> String {
        let page = self.get("/").body_text();
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + 32].to_string()
    }

    /// Stops the server with SIGTERM; its exit status and what it wrote on stderr.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        let mut child = self.child.take().unwrap();
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let status = child.wait().unwrap();
        let mut err = String::new();
        if let Some(mut e) = self.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        (status, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = bytes[end + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn body_text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&body[..line_end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// Form encoding of the answers a browser sends.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The answers of the example family group, as the questionnaire sends them.
fn family(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("group", "Familien mit Seltenen Erkrankungen".into()),
        ("participants", "8".into()),
        ("meeting_minutes", "90".into()),
        ("devices", "computer".into()),
        ("devices", "smartphone".into()),
        ("confidentiality", "strict".into()),
        ("budget_eur_per_month", "0".into()),
        ("install_allowed", "nein".into()),
        ("accounts_allowed", "nein".into()),
    ]
}

fn body_of(pairs: &[(&'static str, String)], more: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(more);
    form(&all)
}

#[test]
fn the_first_line_is_the_address_and_the_page_is_safe_to_show() {
    let server = Server::start(&[]);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("http") && !csp.contains("unsafe"), "{csp}");
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let text = page.body_text();
    assert!(text.contains("<html lang=\"de\">"));
    assert!(text.contains("Wie viele Personen kommen höchstens zu einem Treffen"));
    // Nothing from elsewhere: no address but this server's own paths.
    assert!(!text.contains("http://") && !text.contains("https://"));
    assert!(
        server
            .get("/?lang=en")
            .body_text()
            .contains("<html lang=\"en\">")
    );
    assert_eq!(server.get("/static/serve.css").status, 200);
    assert_eq!(server.get("/static/serve.js").status, 200);
    assert_eq!(server.get("/nothing-here").status, 404);
    let put = server.raw(
        format!(
            "DELETE / HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nConnection: close\r\n\r\n",
            server.addr,
            server.origin()
        )
        .as_bytes(),
    );
    assert_eq!(put.status, 405);
}

#[test]
fn another_host_name_is_refused() {
    let server = Server::start(&[]);
    let port = server.port();
    for host in [
        format!("rebind.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("localhost.example:{port}"),
        String::new(),
    ] {
        let r = server
            .raw(format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(r.status, 403, "{host}");
        assert!(
            r.body_text()
                .contains("Diese Adresse bedient konf-wahl nicht")
        );
    }
    let r = server.raw(
        format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn posts_need_this_origin_and_this_runs_csrf_token() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    let body = body_of(&family(&csrf), &[]);
    assert_eq!(server.post("/", &body).status, 200);
    // No origin at all, another site, another port.
    assert_eq!(server.post_with("/", &body, &[]).status, 403);
    for origin in [
        "http://evil.example".to_string(),
        format!("http://127.0.0.1:{}", server.port().wrapping_add(1)),
        "null".to_string(),
    ] {
        let r = server.post_with("/", &body, &[("Origin", &origin)]);
        assert_eq!(r.status, 403, "{origin}");
        assert!(r.body_text().contains("kam nicht von dieser Seite"));
    }
    // A browser that sends only a Referer of this page.
    let referer = format!("{}/", server.origin());
    assert_eq!(
        server
            .post_with("/", &body, &[("Referer", &referer)])
            .status,
        200
    );
    // The right origin, but no token or a wrong one.
    let forged = body_of(&family("0123456789abcdef0123456789abcdef"), &[]);
    let r = server.post("/", &forged);
    assert_eq!(r.status, 403);
    assert!(r.body_text().contains("nicht mehr gültig"));
    let without: Vec<_> = family(&csrf).into_iter().skip(1).collect();
    assert_eq!(server.post("/", &body_of(&without, &[])).status, 403);
    for path in ["/handout", "/annex", "/download", "/why", "/compare"] {
        assert_eq!(server.post(path, &forged).status, 403, "{path}");
    }
}

#[test]
fn bodies_over_one_mebibyte_are_refused() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    // Declared too large: refused before the body is read.
    let r = server.raw(
        format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            server.addr,
            server.origin(),
            2 * 1024 * 1024
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 413);
    // Sent in chunks without a length: refused when the limit is passed.
    let big = format!("csrf={csrf}&group={}", "x".repeat(1024 * 1024 + 10));
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        server.addr,
        server.origin()
    )
    .into_bytes();
    for chunk in big.as_bytes().chunks(64 * 1024) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let r = server.raw(&request);
    assert_eq!(r.status, 413);
    assert!(r.body_text().contains("höchstens 1 MiB"));
    // Just under the limit is an ordinary (if long-named) group.
    let fine = body_of(&family(&csrf), &[]);
    assert_eq!(server.post("/", &fine).status, 200);
}

#[test]
fn a_wrong_answer_gets_the_message_of_init_next_to_the_field_and_keeps_what_was_typed() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    let mut answers = family(&csrf);
    answers[2].1 = "acht".into();
    let r = server.post("/", &body_of(&answers, &[]));
    assert_eq!(r.status, 422);
    let text = r.body_text();
    let field = text.find("id=\"f-participants\"").unwrap();
    let rest = &text[field..];
    assert!(rest.starts_with("id=\"f-participants\" name=\"participants\" type=\"text\""));
    assert!(rest[..300].contains("value=\"acht\""), "{}", &rest[..300]);
    assert!(rest[..300].contains("aria-invalid=\"true\""));
    let error = &rest[rest.find("id=\"e-participants\"").unwrap()..][..200];
    assert!(
        error.contains("Bitte geben Sie eine Zahl ab 1 ein, zum Beispiel 8."),
        "{error}"
    );
    // The other answers are kept as they were.
    assert!(text.contains("value=\"Familien mit Seltenen Erkrankungen\""));
    assert!(text.contains("value=\"strict\" checked"));
    // No devices: the message of init.
    let no_devices: Vec<_> = family(&csrf)
        .into_iter()
        .filter(|(k, _)| *k != "devices")
        .collect();
    let r = server.post("/", &body_of(&no_devices, &[]));
    assert_eq!(r.status, 422);
    assert!(
        r.body_text()
            .contains("Bitte wählen Sie mindestens ein Gerät")
    );
}

#[test]
fn the_ranking_follows_the_number_of_people() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    // The ranking as the page shows it: each list and the tools in it, in order.
    let ranking = |people: &str| {
        let mut answers = family(&csrf);
        answers[2].1 = people.into();
        let text = server.post("/", &body_of(&answers, &[])).body_text();
        let mut shown = Vec::new();
        for list in text.split("<ol class=\"ranking\" id=\"").skip(1) {
            let name = list.split('"').next().unwrap().to_string();
            let items = list.split("</ol>").next().unwrap();
            for item in items.split("<li data-tool=\"").skip(1) {
                shown.push(format!("{name}:{}", item.split('"').next().unwrap()));
            }
        }
        shown
    };
    let small = ranking("2");
    assert!(small[0] == "ranking-fits:jitsi-meet", "{small:?}");
    assert_ne!(small, ranking("8"));
    let big = ranking("300");
    assert!(
        !big.iter().any(|t| t.starts_with("ranking-fits:")),
        "{big:?}"
    );
}

/// A multipart body with one file and the form's other fields.
fn multipart(fields: &[(&str, &str)], file: (&str, &str)) -> (String, String) {
    let boundary = "----konfwahltestboundary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/toml\r\n\r\n{}\r\n--{boundary}--\r\n",
        file.0, file.1
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(server: &Server, csrf: &str, name: &str, text: &str) -> Response {
    let (kind, body) = multipart(&[("csrf", csrf), ("lang", "de")], (name, text));
    let mut request = format!(
        "POST /upload HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr,
        server.origin(),
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body.as_bytes());
    server.raw(&request)
}

#[test]
fn an_uploaded_file_fills_the_form_and_a_bad_one_is_named_with_line_and_column() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    let good = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/familiengruppe.toml"),
    )
    .unwrap();
    let r = upload(&server, &csrf, "familiengruppe.toml", &good);
    assert_eq!(r.status, 200);
    let text = r.body_text();
    assert!(text.contains("Die Antworten aus „familiengruppe.toml“ sind übernommen."));
    assert!(text.contains("class=\"winner\""));

    let bad = "participants = 8\nconfidentiality = \"geheim\"\n";
    let r = upload(&server, &csrf, "gruppe.toml", bad);
    assert_eq!(r.status, 422);
    let text = r.body_text();
    assert!(
        text.contains("Die Datei ließ sich nicht übernehmen:"),
        "{text}"
    );
    // The command line's message: file, line and column, and the word meant.
    let dir = temp_dir();
    std::fs::write(dir.path().join("gruppe.toml"), bad).unwrap();
    let out = konf_wahl()
        .current_dir(dir.path())
        .args(["recommend", "gruppe.toml"])
        .output()
        .unwrap();
    let cli = String::from_utf8_lossy(&out.stderr);
    let cli_first = cli
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("Fehler: ")
        .to_string();
    assert!(
        text.contains(&cli_first.replace('"', "&quot;")) || text.contains(&cli_first),
        "{cli_first} not in {text}"
    );
    assert!(text.contains("gruppe.toml:2:19:"), "{text}");
    assert!(text.contains("strict"), "{text}");
    // A path sent as the file name is cut to the name.
    let r = upload(&server, &csrf, "../../x/böse.yaml", "participants: [\n");
    assert_eq!(r.status, 422);
    assert!(r.body_text().contains("böse.yaml:"));
    // A forged upload.
    let r = upload(&server, "0123456789abcdef0123456789abcdef", "a.toml", &good);
    assert_eq!(r.status, 403);
}

fn download(server: &Server, csrf: &str, file: &str) -> Response {
    let r = server.post("/download", &body_of(&family(csrf), &[("file", file)]));
    assert_eq!(
        r.status,
        200,
        "{file}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r
}

#[test]
fn downloads_are_what_the_command_line_writes_for_the_saved_answers() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    let dir = temp_dir();
    let toml = download(&server, &csrf, "answers.toml");
    assert_eq!(
        toml.header("content-disposition"),
        Some("attachment; filename=\"familien-mit-seltenen-erkrankungen.toml\"")
    );
    let file = dir.path().join("gruppe.toml");
    std::fs::write(&file, &toml.body).unwrap();
    let text = toml.body_text();
    assert!(text.starts_with("# "), "commented like init's file: {text}");
    assert!(text.contains("participants = 8\n"));
    // It round-trips: recommend reads it, and the handout is the page's handout.
    for (what, args) in [
        ("handout.html", vec!["--format", "html"]),
        ("handout.md", vec!["--format", "markdown"]),
        ("annex.html", vec!["--format", "html", "--annex"]),
        ("ranking.csv", vec!["--format", "csv"]),
    ] {
        let out = konf_wahl()
            .arg("recommend")
            .arg(&file)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let served = download(&server, &csrf, what);
        assert!(
            served.body == out.stdout,
            "{what} differs from recommend {args:?}"
        );
    }
    let handout = server.post("/handout", &body_of(&family(&csrf), &[]));
    assert_eq!(handout.status, 200);
    let text = handout.body_text();
    let nonce = handout
        .header("content-security-policy")
        .unwrap()
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    assert!(text.contains(&format!("<style nonce=\"{nonce}\">")));
    assert!(text.contains("Familien mit Seltenen Erkrankungen"));
    assert_eq!(
        server
            .post(
                "/download",
                &body_of(&family(&csrf), &[("file", "../etc/passwd")])
            )
            .status,
        404
    );
}

#[test]
fn why_and_compare() {
    let server = Server::start(&[]);
    let csrf = server.csrf();
    let r = server.post("/why", &body_of(&family(&csrf), &[("tool", "zoom")]));
    assert_eq!(r.status, 200);
    let text = r.body_text();
    assert!(
        text.contains("Warum Zoom dort steht, wo es steht"),
        "{text}"
    );
    assert!(text.contains("Treffen enden nach 40 Minuten"), "{text}");
    // The way back keeps the answers.
    assert!(text.contains("name=\"group\" value=\"Familien mit Seltenen Erkrankungen\""));
    let r = server.post(
        "/why",
        &body_of(&family(&csrf), &[("tool", "no-such-tool")]),
    );
    assert_eq!(r.status, 404);

    let r = server.post(
        "/compare",
        &body_of(
            &family(&csrf),
            &[("compare", "zoom"), ("compare", "jitsi-meet")],
        ),
    );
    assert_eq!(r.status, 200);
    assert!(r.body_text().contains("Zoom") && r.body_text().contains("Jitsi Meet"));
    let r = server.post("/compare", &body_of(&family(&csrf), &[("compare", "zoom")]));
    assert_eq!(r.status, 422);
    assert!(
        r.body_text()
            .contains("bitte zwei oder drei Werkzeuge ankreuzen")
    );
}

#[test]
fn english_pages_and_the_switch_keep_the_answers() {
    let server = Server::start(&["--lang", "en"]);
    let csrf = server.csrf();
    assert!(server.get("/").body_text().contains("<html lang=\"en\">"));
    let r = server.post("/", &body_of(&family(&csrf), &[("switch_lang", "de")]));
    let text = r.body_text();
    assert!(text.contains("<html lang=\"de\">"));
    assert!(text.contains("value=\"Familien mit Seltenen Erkrankungen\""));
}

#[cfg(target_os = "linux")]
#[test]
fn it_listens_on_loopback_only_and_stops_cleanly_on_sigterm() {
    let server = Server::start(&[]);
    let port = format!(":{:04X}", server.port());
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap()
        + &std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    // Listening sockets (state 0A) on our port: only 127.0.0.1 (0100007F).
    let listening: Vec<&str> = tcp
        .lines()
        .filter(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols.len() > 3 && cols[1].ends_with(&port) && cols[3] == "0A"
        })
        .collect();
    assert_eq!(listening.len(), 1, "{listening:?}");
    assert!(
        listening[0]
            .split_whitespace()
            .nth(1)
            .unwrap()
            .starts_with("0100007F:"),
        "{listening:?}"
    );
    let (status, err) = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(err.contains("konf-wahl serve ist beendet."), "{err}");
    // Nothing the group answered is on the terminal.
    assert!(!err.contains("Familien"));
}

#[test]
fn other_computers_only_with_a_long_token() {
    for (args, message) in [
        (
            vec!["serve", "--token", "abcdefghijklmnopqrstuvwxyz"],
            "--token gilt nur mit --bind",
        ),
        (
            vec!["serve", "--bind", "0.0.0.0", "--token", "kurz"],
            "mindestens 24 Zeichen",
        ),
    ] {
        let out = konf_wahl().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{err}");
    }
}
