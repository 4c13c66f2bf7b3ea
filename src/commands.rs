//! One function per subcommand. Only this module touches stdout and the file system for output.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use crate::analysis;
use crate::answers::{self, KnownIds};
use crate::catalog::{Catalog, FACT_KEYS, Fact, Tool};
use crate::checklist::Checklist;
use crate::cli::{CheckArgs, Cli, Command, DataArgs, RecommendArgs, ReportFormat, ShowArgs};
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::evaluate::{self, Options};
use crate::output;
use crate::render;
use crate::rules;
use crate::source::{Format, SourceText};
use crate::templates::Templates;
use crate::vocab::{AccessNeed, Feature, Lang};

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Recommend(args) => recommend(&args),
        Command::List(args) => list(&args),
        Command::Show(args) => show(&args),
        Command::Check(args) => check(&args),
    }
}

fn load_data(data: &DataArgs) -> Result<(Catalog, Criteria)> {
    let catalog = Catalog::load(data.catalog.as_deref()).map_err(anyhow::Error::new)?;
    let criteria = Criteria::load(data.criteria.as_deref()).map_err(anyhow::Error::new)?;
    Ok((catalog, criteria))
}

/// `--date`, else SOURCE_DATE_EPOCH (reproducible builds convention), else `None`.
fn requested_date(date: Option<&str>) -> Result<Option<Date>> {
    if let Some(text) = date {
        return Date::parse(text)
            .map(Some)
            .ok_or_else(|| anyhow!("--date `{text}` is not a date; expected YYYY-MM-DD"));
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let secs: i64 = text
                .trim()
                .parse()
                .map_err(|_| anyhow!("SOURCE_DATE_EPOCH `{text}` is not a number of seconds"))?;
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

fn recommend(args: &RecommendArgs) -> Result<ExitCode> {
    let (catalog, criteria) = load_data(&args.data)?;
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let format = Format::from_path(&args.answers)?;
    let source = SourceText::read(&args.answers)?;
    let answers = answers::parse(&source, format, &args.set, &known)?;
    let options = Options {
        lang: args.data.lang,
        date: requested_date(args.date.as_deref())?,
        ..Options::default()
    };
    let env = rules::environment(&criteria).map_err(Diagnostics)?;
    let compiled = rules::compile(&env, &criteria).map_err(Diagnostics)?;
    let mut report = evaluate::evaluate_compiled(&compiled, &catalog, &answers, &options)?;
    if args.explain || args.format != ReportFormat::Table {
        let settings = analysis::Settings {
            samples: args.samples as usize,
            seed: args.seed,
            tipping_points: args.explain,
            ..analysis::Settings::default()
        };
        report.analysis = Some(analysis::analyse(
            &report, &compiled, &catalog, &answers, &options, &settings,
        )?);
    }
    report.checklist = Checklist::load(args.templates.as_deref())?.select(&report)?;
    let text = match args.format {
        ReportFormat::Json => render::json::render(&report),
        ReportFormat::Csv => render::csv::render(&report),
        ReportFormat::Markdown => {
            Templates::new(args.templates.as_deref())?.render("report.md.j2", &report)?
        }
        ReportFormat::Html => {
            Templates::new(args.templates.as_deref())?.render("report.html.j2", &report)?
        }
        ReportFormat::Table => {
            let width = if args.output.is_none() && std::io::stdout().is_terminal() {
                comfy_table::Table::new().width()
            } else {
                None
            };
            render::table::render(&report, width)
        }
    };
    emit(args.output.as_deref(), text.as_bytes(), args.force)?;
    Ok(ExitCode::SUCCESS)
}

fn emit(path: Option<&std::path::Path>, bytes: &[u8], force: bool) -> Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => output::write_atomically(p, bytes, force),
        _ => output::write_stdout(bytes),
    }
}

fn list(args: &DataArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(args)?;
    let lang = args.lang;
    let mut out = String::new();
    let width = catalog.tools.keys().map(|k| k.len()).max().unwrap_or(0);
    for tool in catalog.tools.values() {
        let status = match (&tool.retired, lang) {
            (Some(r), Lang::De) => format!(" [eingestellt {}]", r.date),
            (Some(r), Lang::En) => format!(" [retired {}]", r.date),
            (None, _) => String::new(),
        };
        let offerings: Vec<&str> = tool.offerings.iter().map(|o| o.id.as_str()).collect();
        writeln!(
            out,
            "{:width$}  {} ({}){status}: {}",
            tool.id,
            tool.name,
            tool.kind.label(lang),
            offerings.join(", ")
        )?;
    }
    output::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn find_tool<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Tool> {
    catalog.tools.get(id).ok_or_else(|| {
        let ids: Vec<&str> = catalog.tools.keys().map(String::as_str).collect();
        anyhow::Error::new(
            Diagnostic::new("catalog", format!("no tool with id `{id}`")).suggest(id, &ids),
        )
    })
}

fn fact_line(
    out: &mut String,
    tool: &Tool,
    key: &str,
    fact: &Fact,
    lang: Lang,
) -> std::fmt::Result {
    let value = match &fact.value {
        Some(v) => v.display(lang),
        None => {
            if lang == Lang::De {
                "unbekannt".into()
            } else {
                "unknown".into()
            }
        }
    };
    let source = fact
        .src
        .as_ref()
        .and_then(|s| tool.sources.get(s))
        .map(|s| {
            let place = s.url.as_deref().or(s.document.as_deref()).unwrap_or("");
            format!("{place} ({})", s.published.as_str())
        })
        .unwrap_or_else(|| "–".into());
    let checked = if lang == Lang::De {
        "geprüft"
    } else {
        "checked"
    };
    write!(
        out,
        "    {key}: {value}  [{checked} {}; {source}]",
        fact.checked
    )?;
    if let Some(note) = &fact.note {
        write!(out, "\n        {note}")?;
    }
    writeln!(out)
}

fn fact_keys_in_order() -> Vec<String> {
    let mut keys: Vec<String> = FACT_KEYS.iter().map(|k| k.to_string()).collect();
    keys.extend(
        Feature::ALL
            .iter()
            .map(|f| format!("features.{}", f.word())),
    );
    keys.extend(
        AccessNeed::ALL
            .iter()
            .map(|n| format!("accessibility.{}", n.word())),
    );
    keys
}

fn show(args: &ShowArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(&args.data)?;
    let tool = find_tool(&catalog, &args.tool)?;
    let lang = args.data.lang;
    let de = lang == Lang::De;
    let mut out = String::new();
    writeln!(
        out,
        "{} ({}) – {}",
        tool.name,
        tool.id,
        tool.kind.label(lang)
    )?;
    writeln!(out, "{}", tool.description.get(lang))?;
    if let Some(home) = &tool.homepage {
        writeln!(out, "{home}")?;
    }
    if let Some(r) = &tool.retired {
        writeln!(
            out,
            "{} {}{}",
            if de { "Eingestellt am" } else { "Retired on" },
            r.date,
            r.successor
                .as_ref()
                .map(|s| format!(" → {s}"))
                .unwrap_or_default()
        )?;
    }
    let keys = fact_keys_in_order();
    for offering in &tool.offerings {
        writeln!(
            out,
            "\n{} `{}` ({}):",
            if de { "Angebot" } else { "Offering" },
            offering.id,
            offering.name.get(lang)
        )?;
        writeln!(out, "    hosting: {}", offering.hosting.label(lang))?;
        for key in &keys {
            if let Some(fact) = offering.facts.get(key) {
                fact_line(&mut out, tool, key, fact, lang)?;
            }
        }
    }
    if !tool.assessments.is_empty() {
        writeln!(out, "\n{}:", if de { "Bewertungen" } else { "Assessments" })?;
        for a in &tool.assessments {
            writeln!(
                out,
                "    {} ({}): {}",
                a.by,
                a.date.as_str(),
                a.verdict.get(lang)
            )?;
        }
    }
    if !tool.caveats.is_empty() {
        writeln!(out, "\n{}:", if de { "Hinweise" } else { "Caveats" })?;
        for c in &tool.caveats {
            writeln!(out, "    - {}", if de { &c.de } else { &c.en })?;
        }
    }
    writeln!(out, "\n{}:", if de { "Quellen" } else { "Sources" })?;
    for (key, s) in &tool.sources {
        let place = s.url.as_deref().or(s.document.as_deref()).unwrap_or("");
        writeln!(
            out,
            "    [{key}] {}{place} ({})",
            s.title
                .as_ref()
                .map(|t| format!("{t}: "))
                .unwrap_or_default(),
            s.published.as_str()
        )?;
    }
    output::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let catalog = Catalog::load(args.data.catalog.as_deref());
    let criteria = Criteria::load(args.data.criteria.as_deref());
    let mut problems = Vec::new();
    if let Err(Diagnostics(d)) = &catalog {
        problems.extend(d.iter().cloned());
    }
    if let Err(Diagnostics(d)) = &criteria {
        problems.extend(d.iter().cloned());
    }
    if !problems.is_empty() {
        return Err(anyhow::Error::new(Diagnostics(problems))
            .context("the catalog or criteria are invalid"));
    }
    let catalog = catalog.expect("checked above");
    let criteria = criteria.expect("checked above");
    let as_of = requested_date(args.date.as_deref())?.unwrap_or_else(today);

    let mut warnings = Vec::new();
    let (mut offerings, mut facts, mut unknowns) = (0, 0, 0);
    for tool in catalog.tools.values() {
        offerings += tool.offerings.len();
        let mut seen = std::collections::BTreeSet::new();
        let all = tool
            .facts
            .iter()
            .map(|(k, f)| (format!("facts.{k}"), f))
            .chain(tool.offerings.iter().flat_map(|o| {
                o.facts
                    .iter()
                    .filter(|(k, f)| tool.facts.get(*k) != Some(*f))
                    .map(move |(k, f)| (format!("offerings.{}.{k}", o.id), f))
            }));
        for (key, fact) in all {
            if !seen.insert(key.clone()) {
                continue;
            }
            facts += 1;
            if fact.value.is_none() {
                unknowns += 1;
            }
            let age = fact.checked.months_until(as_of);
            if age >= args.max_age as i32 {
                warnings.push(format!(
                    "{}: {key} was checked {} ({age} months ago, limit {})",
                    tool.origin, fact.checked, args.max_age
                ));
            }
            if age < 0 {
                warnings.push(format!(
                    "{}: {key} has a check date in the future ({})",
                    tool.origin, fact.checked
                ));
            }
        }
    }
    let mut out = String::new();
    for w in &warnings {
        writeln!(out, "warning: {w}")?;
    }
    let oldest = catalog.oldest_check().map_or("–".into(), |d| d.to_string());
    let newest = catalog.newest_check().map_or("–".into(), |d| d.to_string());
    let retired = catalog
        .tools
        .values()
        .filter(|t| t.retired.is_some())
        .count();
    writeln!(
        out,
        "catalog ok: {} tools ({retired} retired), {offerings} offerings, {facts} facts, {unknowns} unknown; checked {oldest} to {newest}; {} criteria; {} warnings (as of {as_of}, limit {} months)",
        catalog.tools.len(),
        criteria.list.len(),
        warnings.len(),
        args.max_age
    )?;
    output::write_stdout(out.as_bytes())?;
    if args.strict && !warnings.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(dead_code)]
fn context_for(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[allow(unused_imports)]
use Context as _;
