//! Load check of `konf-wahl serve` (issue 17): 50 clients on loopback post the answers of a
//! group to the page for 10 seconds, each over its own keep-alive connection, as a browser
//! does while answers change. Three rounds: the same answers from every client (what the page
//! sends again and again while a group talks; the server keeps recent reports), then answers
//! that differ in every request (the number of people counts up, so nearly every report is
//! new), then the same answers again. Reports errors, requests per second, median and 99th
//! percentile latency, and the server's resident memory before and after each round (memory
//! is flat when the figures after the rounds agree).
//!
//! `scripts/serve-load.sh` builds the release binary and runs this; `KONF_WAHL` names another
//! binary, `CLIENTS` and `SECONDS` change the load. Not a test: it measures, and only
//! against 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// One request over a kept connection; the status, or an error.
fn exchange(stream: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<u16> {
    stream.get_mut().write_all(request)?;
    let mut status_line = String::new();
    stream.read_line(&mut status_line)?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        stream.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(status)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

struct Round {
    requests: usize,
    errors: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

/// The request of one client's `n`-th post: always the same answers, or a different number
/// of people each time.
type Make = Arc<dyn Fn(usize, usize) -> Vec<u8> + Send + Sync>;

fn round(addr: &str, make: Make, clients: usize, seconds: u64) -> Round {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let addr = addr.to_string();
            let make = Arc::clone(&make);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0usize;
                let connect = || {
                    TcpStream::connect(&addr).map(|s| {
                        let _ = s.set_nodelay(true);
                        let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                        BufReader::new(s)
                    })
                };
                let mut stream = connect().ok();
                let mut n = 0usize;
                // Bounded in time: stops after `seconds`, whatever the server does.
                while !stop.load(Ordering::Relaxed) {
                    let Some(s) = stream.as_mut() else {
                        errors += 1;
                        std::thread::sleep(Duration::from_millis(10));
                        stream = connect().ok();
                        continue;
                    };
                    let request = make(client, n);
                    n += 1;
                    let t = Instant::now();
                    match exchange(s, &request) {
                        Ok(200) => latencies.push(t.elapsed()),
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            stream = connect().ok();
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().expect("a client thread does not panic");
        latencies.extend(l);
        errors += e;
    }
    latencies.sort();
    Round {
        requests: latencies.len(),
        errors,
        latencies,
        elapsed: started.elapsed(),
    }
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let binary =
        std::env::var("KONF_WAHL").unwrap_or_else(|_| format!("{root}/target/release/konf-wahl"));
    let clients: usize = std::env::var("CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seconds: u64 = std::env::var("SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    // `cargo bench` passes `--bench`; a filter argument would mean "not this one".
    if std::env::args().skip(1).any(|a| !a.starts_with('-')) {
        return;
    }
    let mut child = Command::new(&binary)
        .args(["serve", "--port", "0"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e} (run scripts/serve-load.sh)"));
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut first)
        .expect("the server prints its address");
    let addr = first
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "only loopback: {addr}");
    // The CSRF token of this run, from the page.
    let mut page = BufReader::new(TcpStream::connect(&addr).expect("connect"));
    let get = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    page.get_mut().write_all(get.as_bytes()).expect("send");
    let mut text = String::new();
    page.read_to_string(&mut text).expect("read");
    let at = text
        .find("name=\"csrf\" value=\"")
        .expect("the page has a CSRF token")
        + 19;
    let csrf = &text[at..at + 32];
    let post = {
        let addr = addr.clone();
        let csrf = csrf.to_string();
        move |participants: usize| {
            let body = format!(
                "csrf={csrf}&lang=de&group=Familien+mit+Seltenen+Erkrankungen&participants={participants}\
                 &meeting_minutes=90&frequency=monthly&purposes=meeting&devices=computer&devices=smartphone\
                 &media_literacy=medium&confidentiality=strict&budget_eur_per_month=0&self_hosting=none\
                 &install_allowed=nein&accounts_allowed=nein&needs=waiting_room&wishes=chat"
            );
            format!(
                "POST / HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }
    };
    let post = Arc::new(post);
    let same: Make = {
        let post = Arc::clone(&post);
        Arc::new(move |_, _| post(8))
    };
    let varied: Make = {
        let post = Arc::clone(&post);
        Arc::new(move |client, n| post(1 + (client * 997 + n) % 5000))
    };
    let pid = child.id();
    let before = rss_kib(pid);
    let mut rounds = Vec::new();
    for (name, make) in [
        ("same answers", Arc::clone(&same)),
        ("different answers", varied),
        ("same answers again", same),
    ] {
        let r = round(&addr, make, clients, seconds);
        rounds.push((name, r, rss_kib(pid)));
    }
    unsafe {
        libc::kill(pid as i32, libc::SIGTERM);
    }
    let status = child.wait().expect("the server ends");
    println!(
        "konf-wahl serve under load: {clients} clients, keep-alive, POST / with a group's answers, {seconds} s per round"
    );
    println!("resident memory before: {:.1} MiB", before as f64 / 1024.0);
    for (name, r, rss) in &rounds {
        println!(
            "{name}: {} requests in {:.1} s ({:.0}/s), {} errors, median {:.2} ms, p99 {:.2} ms, max {:.2} ms; memory after: {:.1} MiB",
            r.requests,
            r.elapsed.as_secs_f64(),
            r.requests as f64 / r.elapsed.as_secs_f64(),
            r.errors,
            percentile(&r.latencies, 0.5).as_secs_f64() * 1000.0,
            percentile(&r.latencies, 0.99).as_secs_f64() * 1000.0,
            r.latencies
                .last()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1000.0,
            *rss as f64 / 1024.0,
        );
    }
    println!("server stopped with SIGTERM: {status}");
}
