//! The routes: what each address does. Reading a page is `GET`; everything that carries
//! answers is a `POST` of the one questionnaire form (answers never stand in an address, so
//! they end up in no history and no log), checked for its CSRF token here and for its origin
//! in [`super::security::guard`].

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Form, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::App;
use super::form::{self, Submitted};
use super::pages::{self, Notes};
use super::security::{self, BODY_LIMIT, Nonce, refusal};
use crate::answers::{self, KnownIds};
use crate::evaluate::Options;
use crate::report::{Extras, Report};
use crate::say;
use crate::source::{Format, SourceText};
use crate::vocab::Lang;
use crate::wording;

type Fields = Vec<(String, String)>;

/// Every route, behind the security checks.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index).post(submit))
        .route("/handout", post(handout))
        .route("/annex", post(annex))
        .route("/download", post(download))
        .route("/why", post(why))
        .route("/compare", post(compare))
        .route("/upload", post(upload))
        .route("/static/serve.css", get(css))
        .route("/static/serve.js", get(script))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(app.clone(), security::guard))
        .with_state(app)
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A page that could not be made (a broken override template, say), in plain words.
fn failed(lang: Lang, d: &crate::diag::Diagnostic) -> Response {
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        &format!(
            "{} {}",
            wording::text(lang, "serve.failed"),
            pages::diagnostic_line(d)
        ),
    )
}

/// Runs report work on a blocking thread, so other requests are answered meanwhile.
async fn blocking(
    app: &Arc<App>,
    work: impl FnOnce(&App) -> Response + Send + 'static,
) -> Response {
    let app = Arc::clone(app);
    let lang = app.lang;
    match tokio::task::spawn_blocking(move || work(&app)).await {
        Ok(r) => r,
        Err(_) => refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            wording::text(lang, "serve.failed"),
        ),
    }
}

fn known(app: &App) -> KnownIds<'_> {
    KnownIds {
        tools: app.catalog.tools.keys().map(String::as_str).collect(),
        criteria: app.criteria.ids(),
    }
}

fn options(app: &App, lang: Lang) -> Options {
    Options {
        lang,
        date: app.date,
        ..Options::default()
    }
}

/// How much of a report a page needs: the advice beside the questions needs the ranking;
/// the handout and the annex need what `recommend --format html` (with `--annex`) computes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    Advice,
    Handout,
    Annex,
}

/// The report for the answers of a form; `None` while the answers are incomplete or wrong
/// in a field, `Err` with the problems when they do not validate.
fn report(app: &App, sub: &Submitted, detail: Detail) -> Option<Result<Report, Vec<String>>> {
    let answers = match sub.answers(&known(app))? {
        Ok(a) => a,
        Err(ds) => return Some(Err(ds.0.iter().map(pages::diagnostic_line).collect())),
    };
    Some(build(app, &answers, sub.lang, detail))
}

fn build(
    app: &App,
    answers: &answers::Answers,
    lang: Lang,
    detail: Detail,
) -> Result<Report, Vec<String>> {
    let extras = match detail {
        Detail::Advice => Extras::NONE,
        Detail::Handout | Detail::Annex => Extras {
            analysis: Some(crate::analysis::Settings {
                tipping_points: detail == Detail::Annex,
                ..crate::analysis::Settings::default()
            }),
            checklist: Some(&app.checklist),
        },
    };
    Report::build(
        &app.compiled,
        &app.catalog,
        answers,
        &options(app, lang),
        &extras,
    )
    .map_err(|d| vec![pages::diagnostic_line(&d)])
}

/// The advice for the answers of a form, from the cache when the same answers were asked
/// for before (the page sends them again with every change).
fn advice(app: &App, sub: &Submitted) -> Option<Result<Arc<Report>, Vec<String>>> {
    if sub.waiting || !sub.errors.is_empty() {
        return None;
    }
    let key = format!("{:?}\n{}", sub.lang, sub.answers_file());
    if let Some(hit) = app.advice.get(&key) {
        return Some(Ok(hit));
    }
    let built = report(app, sub, Detail::Advice)?.map(Arc::new);
    if let Ok(r) = &built {
        app.advice.put(key, Arc::clone(r));
    }
    Some(built)
}

/// The main page with the advice, or with the problems; 422 when an answer is wrong.
fn main_response(app: &App, sub: &Submitted, notes: Notes) -> Response {
    match main_text(app, sub, notes) {
        Ok((status, body)) => html(status, body),
        Err(r) => *r,
    }
}

/// The main page as text, with its status.
fn main_text(
    app: &App,
    sub: &Submitted,
    mut notes: Notes,
) -> Result<(StatusCode, String), Box<Response>> {
    let built = advice(app, sub);
    let report = match built {
        Some(Ok(r)) => Some(r),
        Some(Err(problems)) => {
            notes.problems.extend(problems);
            None
        }
        None => None,
    };
    let status = if sub.errors.is_empty() && notes.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    match pages::main_page(app, sub, report.as_deref(), &notes) {
        Ok(body) => Ok((status, body)),
        Err(d) => Err(Box::new(failed(sub.lang, &d))),
    }
}

/// The form of a `POST`, if its CSRF token is this run's.
fn checked(app: &App, fields: &Fields) -> Result<Submitted, Box<Response>> {
    let sub = Submitted::read(fields, app.lang);
    if app.guard.csrf_ok(&sub.csrf) {
        Ok(sub)
    } else {
        Err(Box::new(refusal(
            StatusCode::FORBIDDEN,
            sub.lang,
            wording::text(sub.lang, "serve.refused_csrf"),
        )))
    }
}

async fn index(State(app): State<Arc<App>>, Query(q): Query<BTreeMap<String, String>>) -> Response {
    let lang = q
        .get("lang")
        .and_then(|l| form::parse_lang(l))
        .unwrap_or(app.lang);
    blocking(&app, move |app| {
        main_response(app, &Submitted::fresh(lang), Notes::default())
    })
    .await
}

/// The questionnaire sent: the page with the advice. The page is a function of the form
/// alone, so a form sent again (the script sends it after every change) gets the page made
/// for it before.
async fn submit(State(app): State<Arc<App>>, Form(fields): Form<Fields>) -> Response {
    let sub = match checked(&app, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let key = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\u{0}");
    if let Some(page) = app.pages.get(&key) {
        return html(StatusCode::OK, String::clone(&page));
    }
    blocking(&app, move |app| {
        match main_text(app, &sub, Notes::default()) {
            Ok((StatusCode::OK, body)) => {
                app.pages.put(key, Arc::new(body.clone()));
                html(StatusCode::OK, body)
            }
            Ok((status, body)) => html(status, body),
            Err(r) => *r,
        }
    })
    .await
}

/// A document of the command line for the answers, or the main page with what is missing.
fn document(
    app: &App,
    sub: &Submitted,
    detail: Detail,
    render: impl FnOnce(&Report) -> Response,
) -> Response {
    // The advice is what the page beside the questions shows: usually in the cache already.
    let built = match detail {
        Detail::Advice => advice(app, sub),
        Detail::Handout | Detail::Annex => report(app, sub, detail).map(|r| r.map(Arc::new)),
    };
    match built {
        Some(Ok(r)) => render(&r),
        Some(Err(problems)) => main_response(
            app,
            sub,
            Notes {
                problems,
                ..Notes::default()
            },
        ),
        None => main_response(app, sub, Notes::default()),
    }
}

async fn handout(
    State(app): State<Arc<App>>,
    Extension(nonce): Extension<Nonce>,
    Form(fields): Form<Fields>,
) -> Response {
    print_view(app, nonce, fields, Detail::Handout).await
}

async fn annex(
    State(app): State<Arc<App>>,
    Extension(nonce): Extension<Nonce>,
    Form(fields): Form<Fields>,
) -> Response {
    print_view(app, nonce, fields, Detail::Annex).await
}

/// The group handout or the annex, exactly as `recommend --format html` writes it, to read
/// and print in the browser.
async fn print_view(app: Arc<App>, nonce: Nonce, fields: Fields, detail: Detail) -> Response {
    let sub = match checked(&app, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    blocking(&app, move |app| {
        let name = if detail == Detail::Annex {
            "annex.html.j2"
        } else {
            "report.html.j2"
        };
        document(app, &sub, detail, |r| match app.templates.render(name, r) {
            Ok(text) => html(StatusCode::OK, pages::with_nonce(&text, &nonce.0)),
            Err(d) => failed(sub.lang, &d),
        })
    })
    .await
}

/// A file to save: its name and type.
fn attachment(name: &str, content_type: &'static str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// Downloads: the handout and the annex (HTML, Markdown), the ranking (CSV) and the answers
/// file (TOML, as `init` writes it), named after the group.
async fn download(State(app): State<Arc<App>>, Form(fields): Form<Fields>) -> Response {
    let sub = match checked(&app, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    blocking(&app, move |app| {
        let lang = sub.lang;
        let stem = pages::file_stem(&sub.gathered.group, lang);
        let what = sub.value("file").unwrap_or_default().to_string();
        let (detail, template, suffix, kind) = match what.as_str() {
            "handout.html" => (
                Detail::Handout,
                Some("report.html.j2"),
                "html",
                "text/html; charset=utf-8",
            ),
            "handout.md" => (
                Detail::Handout,
                Some("report.md.j2"),
                "md",
                "text/markdown; charset=utf-8",
            ),
            "annex.html" => (
                Detail::Annex,
                Some("annex.html.j2"),
                "annex.html",
                "text/html; charset=utf-8",
            ),
            "annex.md" => (
                Detail::Annex,
                Some("annex.md.j2"),
                "annex.md",
                "text/markdown; charset=utf-8",
            ),
            "ranking.csv" => (Detail::Advice, None, "csv", "text/csv; charset=utf-8"),
            "answers.toml" => (
                Detail::Advice,
                None,
                "toml",
                "application/toml; charset=utf-8",
            ),
            _ => {
                return refusal(
                    StatusCode::NOT_FOUND,
                    lang,
                    wording::text(lang, "serve.not_found"),
                );
            }
        };
        let name = format!("{stem}.{suffix}");
        document(app, &sub, detail, |r| {
            let text = match (what.as_str(), template) {
                ("answers.toml", _) => Ok(sub.answers_file()),
                ("ranking.csv", _) => Ok(crate::render::csv::render(
                    r,
                    crate::render::csv::Dialect::for_lang(lang),
                )),
                (_, Some(t)) => app.templates.render(t, r),
                (_, None) => Ok(String::new()),
            };
            match text {
                Ok(body) => attachment(&name, kind, body),
                Err(d) => failed(lang, &d),
            }
        })
    })
    .await
}

/// "Why?" for one tool: where it stands, where the score comes from, what would change it.
async fn why(State(app): State<Arc<App>>, Form(fields): Form<Fields>) -> Response {
    let sub = match checked(&app, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    blocking(&app, move |app| {
        let lang = sub.lang;
        let Some(tool) = sub.value("tool").and_then(|id| app.catalog.tools.get(id)) else {
            return refusal(
                StatusCode::NOT_FOUND,
                lang,
                wording::text(lang, "serve.unknown_tool"),
            );
        };
        let answers = match sub.answers(&known(app)) {
            Some(Ok(a)) => a,
            _ => return main_response(app, &sub, Notes::default()),
        };
        match crate::inspect::why::explain(
            &app.compiled,
            &app.catalog,
            &answers,
            &options(app, lang),
            tool,
        ) {
            Ok(explanation) => match pages::why_page(app, &sub, &fields, &explanation) {
                Ok(body) => html(StatusCode::OK, body),
                Err(d) => failed(lang, &d),
            },
            Err(d) => failed(lang, &d),
        }
    })
    .await
}

/// Two or three ticked tools side by side, as `compare --format html` shows them.
async fn compare(
    State(app): State<Arc<App>>,
    Extension(nonce): Extension<Nonce>,
    Form(fields): Form<Fields>,
) -> Response {
    let sub = match checked(&app, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    blocking(&app, move |app| {
        let lang = sub.lang;
        let mut ids: Vec<String> = Vec::new();
        for id in sub.values("compare") {
            if app.catalog.tools.contains_key(id) && !ids.iter().any(|i| i == id) {
                ids.push(id.to_string());
            }
        }
        if !(2..=3).contains(&ids.len()) {
            let notes = Notes {
                problems: vec![wording::text(lang, "serve.compare_count").to_string()],
                ..Notes::default()
            };
            return main_response(app, &sub, notes);
        }
        let shown = crate::compare::compare(&app.catalog, &ids, lang).and_then(|cmp| {
            app.templates.render_with(
                "compare.html.j2",
                lang,
                "cmp",
                minijinja::Value::from(minijinja::value::Serde(&cmp)),
            )
        });
        match shown {
            Ok(text) => html(StatusCode::OK, pages::with_nonce(&text, &nonce.0)),
            Err(d) => failed(lang, &d),
        }
    })
    .await
}

/// An answers file from the advisor's computer fills in the questions; a file that is not
/// valid gets the command line's messages, with line and column.
async fn upload(State(app): State<Arc<App>>, mut multipart: Multipart) -> Response {
    let mut fields: Fields = Vec::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().map(str::to_string);
                let Ok(bytes) = field.bytes().await else {
                    return bad_request(&app);
                };
                match (name.as_str(), file_name) {
                    ("file", Some(file_name)) => file = Some((file_name, bytes.to_vec())),
                    _ => fields.push((name, String::from_utf8_lossy(&bytes).into_owned())),
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return refusal(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    app.lang,
                    wording::text(app.lang, "serve.too_large"),
                );
            }
            Err(_) => return bad_request(&app),
        }
    }
    let sub = match checked(&app, &fields) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    blocking(&app, move |app| {
        let lang = sub.lang;
        let fresh = Submitted::fresh(lang);
        let Some((name, bytes)) = file.filter(|(n, _)| !n.is_empty()) else {
            let notes = Notes {
                problems: vec![wording::text(lang, "serve.load_missing").to_string()],
                ..Notes::default()
            };
            return main_response(app, &fresh, notes);
        };
        // Only the file's own name: a browser may send a path.
        let name = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_string();
        let parsed = Format::from_path(std::path::Path::new(&name))
            .and_then(|format| Ok((format, SourceText::from_bytes(name.clone(), bytes)?)))
            .map_err(|d| crate::diag::Diagnostics(vec![d]))
            .and_then(|(format, source)| answers::parse(&source, format, &[], &known(app)));
        match parsed {
            Ok(a) => {
                let mut notices = vec![say!(lang, "serve.loaded", file = name)];
                if !a.weights.is_empty() {
                    notices.push(wording::text(lang, "serve.loaded_weights").to_string());
                }
                let mut loaded = Submitted::from_answers(&a, lang);
                loaded.csrf = sub.csrf.clone();
                main_response(
                    app,
                    &loaded,
                    Notes {
                        notices,
                        ..Notes::default()
                    },
                )
            }
            Err(ds) => main_response(
                app,
                &fresh,
                Notes {
                    problems: ds.0.iter().map(pages::diagnostic_line).collect(),
                    from_file: true,
                    notices: Vec::new(),
                },
            ),
        }
    })
    .await
}

fn bad_request(app: &App) -> Response {
    refusal(
        StatusCode::BAD_REQUEST,
        app.lang,
        wording::text(app.lang, "serve.bad_request"),
    )
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::CSS,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        pages::SCRIPT,
    )
        .into_response()
}

async fn not_found(State(app): State<Arc<App>>) -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        app.lang,
        wording::text(app.lang, "serve.not_found"),
    )
}
