//! `konf-wahl serve`: the questionnaire and the advice as a small web application on the
//! advisor's own computer. The pages come from the same questions ([`crate::questionnaire`]),
//! the same report ([`crate::report::Report`]) and the same templates as the command line;
//! nothing is stored, nothing is logged, nothing leaves the machine.
//!
//! Stack: axum's router and extractors on hyper, on a current-thread tokio runtime that only
//! this subcommand starts; reports are made on tokio's blocking threads so one slow annex does
//! not hold up the other pages. The connection loop is hyper's own (not `axum::serve`) because
//! only that sets a timeout for the request head.

mod form;
pub mod pages;
mod routes;
pub mod security;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::catalog::Catalog;
use crate::checklist::Checklist;
use crate::cli::{ServeArgs, UsageError};
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diag::Diagnostics;
use crate::output::eprint_line;
use crate::questionnaire::Tools;
use crate::recent::Recent;
use crate::rules::{self, Compiled};
use crate::say;
use crate::templates::Templates;
use crate::vocab::Lang;
use crate::wording;

/// Everything the pages are made from, loaded once at the start.
pub struct App {
    /// The catalog, with `--catalog`.
    pub catalog: Catalog,
    /// The criteria, with `--criteria`.
    pub criteria: &'static Criteria,
    /// The compiled rules of the criteria.
    pub compiled: Compiled<'static>,
    /// Handout and page templates, with `--templates` and the office profile.
    pub templates: Templates,
    /// The checklist of the handouts.
    pub checklist: Checklist,
    /// The tools the questionnaire names.
    pub tools: Tools,
    /// The security checks.
    pub guard: security::Guard,
    /// The date freshness is judged against (`SOURCE_DATE_EPOCH`, as on the command line).
    pub date: Option<Date>,
    /// The language a page has until the advisor switches.
    pub lang: Lang,
    /// The advice for answers asked for recently (a report depends on the answers file text
    /// and the language alone: catalog, criteria and date are fixed while the server runs).
    pub advice: Recent<Arc<crate::report::Report>>,
    /// The main pages for forms sent recently (a page is a function of its form alone).
    /// Small: 64 entries of some 100 KB at most in either cache.
    pub pages: Recent<Arc<String>>,
}

/// How many recent reports and pages the server keeps.
const RECENT: usize = 64;

/// `konf-wahl serve`.
pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let lang = args.data.lang;
    let remote = !args.bind.is_loopback();
    let token = match (&args.token, remote) {
        (Some(_), false) => {
            return Err(UsageError(say!(lang, "serve.token_without_bind")).into());
        }
        (Some(t), true) if !security::token_is_valid(t) => {
            return Err(UsageError(say!(lang, "serve.token_short")).into());
        }
        (Some(t), true) => Some(t.clone()),
        (None, true) => Some(security::random_hex(24)),
        (None, false) => None,
    };
    let catalog = Catalog::load(args.data.catalog.as_deref()).map_err(anyhow::Error::new)?;
    // The server runs until the process ends: its criteria live as long.
    let criteria: &'static Criteria = Box::leak(Box::new(
        Criteria::load(args.data.criteria.as_deref()).map_err(anyhow::Error::new)?,
    ));
    let compiled = rules::compile(criteria).map_err(Diagnostics)?;
    let templates = Templates::for_office(args.templates.as_deref(), args.office.as_deref())?;
    let checklist = Checklist::load(args.templates.as_deref())?;
    let date = crate::cli::requested_date(None)?;

    let listener =
        std::net::TcpListener::bind(SocketAddr::new(args.bind, args.port)).map_err(|e| {
            anyhow!(say!(
                lang,
                "serve.cannot_bind",
                addr = SocketAddr::new(args.bind, args.port),
                reason = e
            ))
        })?;
    let local = listener.local_addr()?;
    let url = match &token {
        Some(t) => format!("http://{local}/?token={t}"),
        None => format!("http://{local}/"),
    };
    // The address is the first line on stdout, for people and for scripts (`--port 0`).
    crate::output::write_stdout(format!("{url}\n").as_bytes())?;
    eprint_line(wording::text(lang, "serve.started"));
    if remote {
        eprint_line(&say!(lang, "serve.remote_warning", addr = local));
    }
    let app = Arc::new(App {
        tools: Tools::of(&catalog),
        catalog,
        criteria,
        compiled,
        templates,
        checklist,
        guard: security::Guard {
            bind: args.bind,
            port: local.port(),
            token,
            csrf: security::random_hex(16),
            lang,
        },
        date,
        lang,
        advice: Recent::new(RECENT),
        pages: Recent::new(RECENT),
    });
    if args.open && open_browser(&url).is_err() {
        eprint_line(wording::text(lang, "serve.open_failed"));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(crate::parallel::workers().max(2))
        .build()?;
    runtime.block_on(serve(listener, routes::router(app)))?;
    eprint_line(wording::text(lang, "serve.stopped"));
    Ok(ExitCode::SUCCESS)
}

/// Opens the default browser on `url` (xdg-open, open, or start on Windows).
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Serves connections until Ctrl-C or SIGTERM, then lets the requests under way finish (at
/// most five seconds) and returns.
async fn serve(listener: std::net::TcpListener, router: axum::Router) -> Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let (close_tx, close_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file handles, for example: wait a little instead of spinning.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = hyper_util::service::TowerToHyperService::new(router.clone());
                let mut close = close_rx.clone();
                connections.spawn(async move {
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder
                        .timer(TokioTimer::new())
                        .header_read_timeout(security::HEADER_TIMEOUT)
                        .max_buf_size(64 * 1024);
                    let conn = builder.serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = close.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = conn.await;
                        }
                    }
                });
                while connections.try_join_next().is_some() {}
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    let _ = close_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}
