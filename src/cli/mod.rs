//! The command line: argument definitions (`args`), one module per subcommand, and the
//! helpers they share (loading data, `--verbose`, writing output).

mod args;
mod check;
mod compare;
mod exchange;
pub mod help;
pub mod init;
mod list;
mod office;
mod recommend;
mod schema;
mod show;
mod why;

pub use args::*;

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::say;
use anyhow::{Context as _, Result, anyhow};

use crate::analysis;
use crate::answers::{self, KnownIds};
use crate::catalog::{Catalog, Tool};
use crate::checklist::Checklist;
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::evaluate::Options;
use crate::output;
use crate::render;
use crate::report::{Extras, Report};
use crate::rules;
use crate::source::{Format, SourceText};
use crate::templates::Templates;
use clap::CommandFactory;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    if cli.verbose {
        VERBOSE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    match cli.command {
        Command::Recommend(args) => recommend::recommend(&args, cli.quiet),
        Command::List(args) => list::list(&args),
        Command::Show(args) => show::show(&args),
        Command::Check(args) => check::check(&args, cli.quiet),
        Command::Init(args) => init::run(&args),
        Command::Serve(args) => crate::serve::run(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Why(args) => why::why(&args),
        Command::Schema(args) => schema::schema(&args),
        Command::Catalog(CatalogCommand::Export(args)) => exchange::export(&args),
        Command::Catalog(CatalogCommand::Import(args)) => exchange::import(&args, cli.quiet),
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "konf-wahl", &mut out);
            output::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Office(OfficeCommand::Show(args)) => office::show(&args),
        Command::Office(OfficeCommand::Init(args)) => office::init(&args),
        Command::Templates(TemplatesCommand::Export(args)) => office::export_templates(&args),
        Command::Manpage => {
            let mut out = Vec::new();
            clap_mangen::Man::new(help::command(crate::wording::messages_lang()))
                .render(&mut out)?;
            output::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn verbose(message: impl FnOnce() -> String) {
    if VERBOSE.load(std::sync::atomic::Ordering::Relaxed) {
        output::eprint_line(&format!("konf-wahl: {}", message()));
    }
}

fn load_data(data: &DataArgs) -> Result<(Catalog, Criteria)> {
    let catalog = load_catalog(data)?;
    let criteria = Criteria::load(data.criteria.as_deref()).map_err(anyhow::Error::new)?;
    report_criteria(data, &criteria);
    Ok((catalog, criteria))
}

fn load_catalog(data: &DataArgs) -> Result<Catalog> {
    let started = std::time::Instant::now();
    let catalog = Catalog::load(data.catalog.as_deref()).map_err(anyhow::Error::new)?;
    verbose(|| {
        let lang = crate::wording::messages_lang();
        let extra = data.catalog.as_ref().map_or(String::new(), |d| {
            say!(lang, "verbose.catalog_extra", folder = d.display())
        });
        say!(
            lang,
            "verbose.catalog",
            tools = catalog.tools.len(),
            extra = extra,
            time = millis(started)
        )
    });
    Ok(catalog)
}

/// Time since `started`, for `--verbose` (never in a report: reports are deterministic).
fn millis(started: std::time::Instant) -> String {
    let ms = format!("{:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    match crate::wording::messages_lang() {
        crate::vocab::Lang::De => ms.replace('.', ","),
        crate::vocab::Lang::En => ms,
    }
}

fn report_criteria(data: &DataArgs, criteria: &Criteria) {
    verbose(|| {
        let lang = crate::wording::messages_lang();
        let from = data
            .criteria
            .as_ref()
            .map_or(say!(lang, "verbose.builtin"), |p| p.display().to_string());
        say!(
            lang,
            "verbose.criteria",
            count = criteria.list.len(),
            from = from
        )
    });
}

/// `--date`, else SOURCE_DATE_EPOCH (reproducible builds convention), else `None`.
pub(crate) fn requested_date(date: Option<&str>) -> Result<Option<Date>> {
    if let Some(text) = date {
        return Date::parse(text).map(Some).ok_or_else(|| {
            anyhow!(say!(
                crate::wording::messages_lang(),
                "date.invalid_option",
                text = text
            ))
        });
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let secs: i64 = text.trim().parse().map_err(|_| {
                anyhow!(say!(
                    crate::wording::messages_lang(),
                    "date.invalid_epoch",
                    text = text
                ))
            })?;
            Ok(Some(Date::from_unix_days(secs.div_euclid(86_400))))
        }
        Err(_) => Ok(None),
    }
}

fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Date::from_unix_days(secs.div_euclid(86_400))
}

/// Writes a result to `-o FILE` or stdout. Terminal text (tables) is made safe first; the
/// other formats escape for themselves.
fn emit(path: Option<&std::path::Path>, text: &str, force: bool, terminal: bool) -> Result<()> {
    let text = if terminal {
        output::terminal_safe(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    match path {
        Some(p) if p.as_os_str() != "-" => output::write_atomically(p, text.as_bytes(), force),
        _ => output::write_stdout(text.as_bytes()),
    }
}

/// Writes a model of `why`, `show`, `list` or `check` to stdout: as JSON, or as terminal text
/// laid out for the terminal's width.
fn show_model<T: serde::Serialize>(
    format: InspectFormat,
    model: &T,
    terminal: impl FnOnce(&T, Option<u16>) -> String,
) -> Result<ExitCode> {
    match format {
        InspectFormat::Json => output::write_stdout(crate::inspect::to_json(model).as_bytes())?,
        InspectFormat::Table => {
            output::write_terminal(&terminal(model, render::table::stdout_width(true)))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn find_tool<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Tool> {
    catalog.tools.get(id).ok_or_else(|| {
        let ids: Vec<&str> = catalog.tools.keys().map(String::as_str).collect();
        anyhow::Error::new(
            Diagnostic::new(
                "catalog",
                say!(crate::wording::messages_lang(), "catalog.no_tool", id = id),
            )
            .suggest(id, &ids),
        )
    })
}
