//! One function per subcommand. Only this module touches stdout and the file system for output.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use crate::analysis;
use crate::answers::{self, KnownIds};
use crate::catalog::{Catalog, Fact, Tool};
use crate::checklist::Checklist;
use crate::cli::{
    CatalogCommand, CheckArgs, Cli, Command, CompareArgs, CompareFormat, DataArgs, ExportArgs,
    ExportFormat, ImportArgs, RecommendArgs, ReportFormat, SchemaArgs, SchemaKind, ShowArgs,
    WhyArgs,
};
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::evaluate::{self, Options};
use crate::format;
use crate::output;
use crate::render;
use crate::report::{Extras, Report};
use crate::rules;
use crate::source::{Format, SourceText};
use crate::templates::Templates;
use crate::vocab::Lang;
use clap::CommandFactory;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    if cli.verbose {
        VERBOSE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    match cli.command {
        Command::Recommend(args) => recommend(&args, cli.quiet),
        Command::List(args) => list(&args),
        Command::Show(args) => show(&args),
        Command::Check(args) => check(&args, cli.quiet),
        Command::Init(args) => crate::init::run(&args),
        Command::Compare(args) => compare(&args),
        Command::Why(args) => why(&args),
        Command::Schema(args) => schema(&args),
        Command::Catalog(CatalogCommand::Export(args)) => export(&args),
        Command::Catalog(CatalogCommand::Import(args)) => import(&args, cli.quiet),
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "konf-wahl", &mut out);
            output::write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Manpage => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
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
        let extra = data
            .catalog
            .as_ref()
            .map_or(String::new(), |d| format!(" (with {})", d.display()));
        format!(
            "catalog: {} tools{extra}, loaded in {}",
            catalog.tools.len(),
            millis(started)
        )
    });
    Ok(catalog)
}

/// Time since `started`, for `--verbose` (never in a report: reports are deterministic).
fn millis(started: std::time::Instant) -> String {
    format!("{:.1} ms", started.elapsed().as_secs_f64() * 1000.0)
}

fn report_criteria(data: &DataArgs, criteria: &Criteria) {
    verbose(|| {
        let from = data
            .criteria
            .as_ref()
            .map_or("builtin".to_string(), |p| p.display().to_string());
        format!("criteria: {} from {from}", criteria.list.len())
    });
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

/// What every answers file of one run shares: data, options, templates.
struct RunContext<'a> {
    args: &'a RecommendArgs,
    catalog: &'a Catalog,
    criteria: &'a Criteria,
    options: Options,
    checklist: Checklist,
}

impl RunContext<'_> {
    /// Evaluates one answers file and renders it in the chosen format.
    fn render(
        &self,
        compiled: &rules::Compiled<'_>,
        templates: &Templates,
        path: &std::path::Path,
        width: Option<u16>,
    ) -> Result<String> {
        let known = KnownIds {
            tools: self.catalog.tools.keys().map(String::as_str).collect(),
            criteria: self.criteria.ids(),
        };
        let args = self.args;
        let format = Format::from_path(path)?;
        let source = SourceText::read(path)?;
        let answers = answers::parse(&source, format, &args.set, &known)?;
        // Timings only for a single group: in batch mode they would drown the progress bar.
        let timed = |what: &str, started: std::time::Instant| {
            if args.out_dir.is_none() {
                verbose(|| format!("{what} in {}", millis(started)));
            }
        };
        let started = std::time::Instant::now();
        let extras = Extras {
            analysis: (args.explain || args.format != ReportFormat::Table).then(|| {
                analysis::Settings {
                    samples: args.samples as usize,
                    seed: args.seed,
                    tipping_points: args.explain || args.annex,
                    ..analysis::Settings::default()
                }
            }),
            checklist: Some(&self.checklist),
        };
        let report = Report::build(compiled, self.catalog, &answers, &self.options, &extras)?;
        timed("evaluated and analysed", started);
        let started = std::time::Instant::now();
        let text = match args.format {
            ReportFormat::Json => render::json::render(&report),
            ReportFormat::Csv => render::csv::render(&report),
            ReportFormat::Markdown if args.annex => templates.render("annex.md.j2", &report)?,
            ReportFormat::Html if args.annex => templates.render("annex.html.j2", &report)?,
            ReportFormat::Markdown => templates.render("report.md.j2", &report)?,
            ReportFormat::Html => templates.render("report.html.j2", &report)?,
            ReportFormat::Table => render::table::render(&report, width),
        };
        timed("rendered", started);
        Ok(text)
    }
}

fn extension(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Table => "txt",
        ReportFormat::Json => "json",
        ReportFormat::Markdown => "md",
        ReportFormat::Html => "html",
        ReportFormat::Csv => "csv",
    }
}

fn recommend(args: &RecommendArgs, quiet: bool) -> Result<ExitCode> {
    if args.answers.len() > 1 && args.out_dir.is_none() {
        return Err(anyhow!(
            "several answers files need --out-dir DIR (one output file per group)"
        ));
    }
    if args.output.is_some() && args.out_dir.is_some() {
        return Err(anyhow!(
            "use either -o FILE (one group) or --out-dir DIR (many), not both"
        ));
    }
    if args.annex && !matches!(args.format, ReportFormat::Html | ReportFormat::Markdown) {
        return Err(anyhow!(
            "--annex is a document: use it with --format html or --format markdown"
        ));
    }
    let options = Options {
        lang: args.data.lang,
        date: requested_date(args.date.as_deref())?,
        ..Options::default()
    };
    // The catalog is the biggest input: it is parsed on another thread while this one
    // prepares criteria, rules and templates.
    std::thread::scope(|scope| {
        let catalog_job = scope.spawn(|| load_catalog(&args.data));
        let prepared = prepare(args);
        let catalog = catalog_job
            .join()
            .expect("loading the catalog does not panic")?;
        let prepared = prepared?;
        let criteria = prepared.criteria;
        let env = rules::lazy_environment(&criteria);
        let compiled = rules::compile(&env, &criteria).map_err(Diagnostics)?;
        let ctx = RunContext {
            args,
            catalog: &catalog,
            criteria: &criteria,
            options,
            checklist: prepared.checklist,
        };
        match &args.out_dir {
            None => {
                let width = if args.output.is_none() && std::io::stdout().is_terminal() {
                    comfy_table::Table::new().width()
                } else {
                    None
                };
                let text = ctx.render(&compiled, &prepared.templates, &args.answers[0], width)?;
                let terminal = args.format == ReportFormat::Table;
                emit(args.output.as_deref(), &text, args.force, terminal)?;
                Ok(ExitCode::SUCCESS)
            }
            Some(dir) => batch(&ctx, &compiled, &prepared.templates, dir, quiet),
        }
    })
}

/// Everything a run needs besides the catalog and the compiled rules.
struct Prepared {
    criteria: Criteria,
    templates: Templates,
    checklist: Checklist,
}

fn prepare(args: &RecommendArgs) -> Result<Prepared> {
    let started = std::time::Instant::now();
    let criteria = Criteria::load(args.data.criteria.as_deref()).map_err(anyhow::Error::new)?;
    report_criteria(&args.data, &criteria);
    let prepared = Prepared {
        criteria,
        templates: Templates::new(args.templates.as_deref())?,
        checklist: Checklist::load(args.templates.as_deref())?,
    };
    verbose(|| format!("criteria and templates ready in {}", millis(started)));
    Ok(prepared)
}

/// Many groups at once: two or more workers, a progress bar on a terminal, a summary.
fn batch(
    ctx: &RunContext<'_>,
    compiled: &rules::Compiled<'_>,
    templates: &Templates,
    dir: &std::path::Path,
    quiet: bool,
) -> Result<ExitCode> {
    std::fs::create_dir_all(dir).map_err(|e| anyhow!("cannot create {}: {e}", dir.display()))?;
    let files = &ctx.args.answers;
    let mut seen = std::collections::BTreeSet::new();
    for f in files {
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !seen.insert(stem.clone()) {
            return Err(anyhow!(
                "two answers files are named `{stem}`; their handouts would overwrite each other"
            ));
        }
    }
    let progress = if !quiet && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(files.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .expect("valid progress template"),
    );
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = crate::parallel::workers().min(files.len());
    let failures: Vec<(usize, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Vec<(usize, String)> {
                    let mut failed = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let stem = path
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let out = dir.join(format!("{stem}.{}", extension(ctx.args.format)));
                        let result = ctx
                            .render(compiled, templates, path, None)
                            .and_then(|text| {
                                output::write_atomically(&out, text.as_bytes(), ctx.args.force)
                            });
                        if let Err(e) = result {
                            failed.push((i, format!("{e:#}")));
                        }
                        progress.inc(1);
                    }
                    failed
                })
            })
            .collect();
        let mut all: Vec<(usize, String)> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker does not panic"))
            .collect();
        all.sort();
        all
    });
    progress.finish_and_clear();
    for (_, message) in &failures {
        output::eprint_line(&format!("error: {message}"));
    }
    if !quiet {
        output::eprint_line(&format!(
            "{} of {} handouts written to {}{}",
            files.len() - failures.len(),
            files.len(),
            dir.display(),
            if failures.is_empty() {
                String::new()
            } else {
                format!("; {} failed", failures.len())
            }
        ));
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
    output::write_terminal(&out)?;
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
    let keys = crate::catalog::all_fact_keys();
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
    output::write_terminal(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs, quiet: bool) -> Result<ExitCode> {
    let catalog = Catalog::load(args.data.catalog.as_deref());
    let criteria = Criteria::load(args.data.criteria.as_deref());
    let mut problems = Vec::new();
    if let Err(Diagnostics(d)) = &catalog {
        problems.extend(d.iter().cloned());
    }
    match &criteria {
        Err(Diagnostics(d)) => problems.extend(d.iter().cloned()),
        Ok(c) => problems.extend(rules::check(c)),
    }
    if !problems.is_empty() {
        return Err(anyhow::Error::new(Diagnostics(problems))
            .context("the catalog or criteria are invalid"));
    }
    let catalog = catalog.expect("checked above");
    let criteria = criteria.expect("checked above");
    let as_of = requested_date(args.date.as_deref())?.unwrap_or_else(today);
    let health = crate::health::examine(&catalog, as_of, args.max_age);

    let mut warnings = Vec::new();
    for t in &health.stale {
        warnings.push(format!(
            "{}: {} facts rest on evidence older than {} months ({} of them decisive; oldest from {})",
            t.origin, t.facts, args.max_age, t.decisive, t.oldest
        ));
    }
    for f in &health.checked_in_future {
        warnings.push(format!("{f} has a check date after {as_of}"));
    }
    for tool in catalog.tools.values() {
        let missing = tool.sources.values().filter(|s| s.kind.is_none()).count();
        if missing > 0 {
            warnings.push(format!(
                "{}: {missing} sources have no `kind` (vendor, operator, authority, self_help, research, news, blog_forum, copy)",
                tool.origin
            ));
        }
    }
    let mut out = String::new();
    if args.unknowns {
        for tool in catalog.tools.values() {
            // Decisive unknowns first: they are what turns an offering into a question.
            let mut lines = std::collections::BTreeMap::new();
            for o in &tool.offerings {
                for (key, fact) in o.facts.iter() {
                    if fact.value.is_none() {
                        let decisive = crate::catalog::DECISIVE_FACTS.contains(&key.as_str());
                        let entry = lines
                            .entry((
                                !decisive,
                                key.clone(),
                                fact.note.clone().unwrap_or_default(),
                            ))
                            .or_insert_with(Vec::new);
                        entry.push(o.id.clone());
                    }
                }
                for key in crate::catalog::DECISIVE_FACTS {
                    if !o.facts.contains_key(*key)
                        && crate::health::in_use(tool, o)
                        && crate::health::applies(key, o)
                    {
                        lines
                            .entry((false, key.to_string(), "not in the catalog entry".into()))
                            .or_insert_with(Vec::new)
                            .push(o.id.clone());
                    }
                }
            }
            if lines.is_empty() {
                continue;
            }
            writeln!(out, "{} ({} unknown):", tool.id, lines.len())?;
            for ((other, key, note), offerings) in lines {
                let scope = if offerings.len() == tool.offerings.len() {
                    String::new()
                } else {
                    format!(" [{}]", offerings.join(", "))
                };
                let mark = if other { "" } else { " (decisive)" };
                writeln!(out, "  {key}{mark}{scope}: {note}")?;
            }
        }
    }
    if !quiet {
        for w in &warnings {
            output::eprint_line(&format!("warning: {w}"));
        }
    }
    let (oldest, newest) = health
        .checked_range
        .map_or(("–".into(), "–".into()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
    writeln!(
        out,
        "catalog ok: {} tools ({} retired), {} offerings, {} facts, {} unknown ({} %); checked {oldest} to {newest}; {} criteria; {} warnings (as of {as_of}, limit {} months)",
        health.tools,
        health.retired,
        health.offerings,
        health.facts,
        health.unknown,
        crate::health::percent(health.unknown, health.facts),
        criteria.list.len(),
        warnings.len(),
        args.max_age
    )?;
    let (n, u) = health.decisive_totals();
    writeln!(
        out,
        "decisive facts of the offerings in use: {n}, unknown or uncertain {u} ({} %)",
        crate::health::percent(u, n)
    )?;
    for d in &health.decisive {
        writeln!(
            out,
            "  {:<22} {:>3} of {:>3} unknown, {:>2} uncertain ({} %)",
            d.key,
            d.unknown,
            d.offerings,
            d.weak,
            d.percent()
        )?;
    }
    let kinds = health
        .sources_by_kind
        .iter()
        .map(|(k, n)| format!("{} {n}", k.map_or("no kind", |k| k.word())))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        out,
        "sources: {} ({kinds}); {} undated",
        health.sources, health.undated_sources
    )?;
    writeln!(
        out,
        "decisive facts resting only on a blog, forum or copy (counted as uncertain): {}",
        health.weak_facts.len()
    )?;
    for w in &health.weak_facts {
        writeln!(out, "  {w}")?;
    }
    output::write_terminal(&out)?;
    if args.strict && !warnings.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn compare(args: &CompareArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(&args.data)?;
    let lang = args.data.lang;
    let cmp = crate::compare::compare(&catalog, &args.tools, lang)?;
    let text = match args.format {
        CompareFormat::Json => {
            let mut t = serde_json::to_string_pretty(&cmp)?;
            t.push('\n');
            t
        }
        CompareFormat::Markdown | CompareFormat::Html => {
            let name = if args.format == CompareFormat::Html {
                "compare.html.j2"
            } else {
                "compare.md.j2"
            };
            Templates::new(None)?.render_with(
                name,
                lang,
                "cmp",
                minijinja::Value::from(minijinja::value::Serde(&cmp)),
            )?
        }
        CompareFormat::Table => {
            let width = if args.output.is_none() && std::io::stdout().is_terminal() {
                comfy_table::Table::new().width()
            } else {
                None
            };
            let mut table = render::table::new_table(width);
            let mut header = vec![if lang == Lang::De {
                "Angabe".to_string()
            } else {
                "Fact".to_string()
            }];
            header.extend(cmp.tools.iter().map(|t| t.name.clone()));
            table.set_header(header);
            for row in &cmp.rows {
                let mut cells = vec![row.label.clone()];
                cells.extend(row.cells.iter().map(|c| c.text.clone()));
                table.add_row(cells);
            }
            let mut text = table.to_string();
            text.push('\n');
            let sources = if lang == Lang::De {
                "Quellen"
            } else {
                "Sources"
            };
            text.push_str(&format!(
                "\n{sources}: konf-wahl show <id>, konf-wahl compare --format markdown\n"
            ));
            text
        }
    };
    emit(
        args.output.as_deref(),
        &text,
        args.force,
        args.format == CompareFormat::Table,
    )?;
    Ok(ExitCode::SUCCESS)
}

fn why(args: &WhyArgs) -> Result<ExitCode> {
    let (catalog, criteria) = load_data(&args.data)?;
    let tool = find_tool(&catalog, &args.tool)?;
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let source = SourceText::read(&args.answers)?;
    let answers = answers::parse(
        &source,
        Format::from_path(&args.answers)?,
        &args.set,
        &known,
    )?;
    let lang = args.data.lang;
    let de = lang == Lang::De;
    let options = Options {
        lang,
        ..Options::default()
    };
    let env = rules::lazy_environment(&criteria);
    let compiled = rules::compile(&env, &criteria).map_err(Diagnostics)?;
    let report = evaluate::evaluate_compiled(&compiled, &catalog, &answers, &options)?;
    let mut out = String::new();
    let total = report.ranking.len();
    let goal;
    if let Some(r) = report.ranking.iter().find(|r| r.tool == tool.id) {
        writeln!(
            out,
            "{}",
            if de {
                format!(
                    "{} steht auf Platz {} von {total} mit {} Punkten (Angebot: {}).",
                    r.name,
                    r.rank,
                    format::score(r.score, lang),
                    r.offering_name
                )
            } else {
                format!(
                    "{} is ranked {} of {total} with {} points (offering: {}).",
                    r.name,
                    r.rank,
                    format::score(r.score, lang),
                    r.offering_name
                )
            }
        )?;
        let mut table = render::table::new_table(None);
        table.set_header(if de {
            ["Kriterium", "Bewertung", "Gewicht", "Beitrag", "Begründung"]
        } else {
            ["Criterion", "Score", "Weight", "Points", "Because"]
        });
        for c in &r.contributions {
            table.add_row(vec![
                c.title.clone(),
                format!(
                    "{}/{}{}",
                    format::number(c.score, lang),
                    format::number(c.scale, lang),
                    if c.unknown { " ?" } else { "" }
                ),
                format::number((c.weight * 100.0).round() / 100.0, lang),
                format!(
                    "{} / {}",
                    format::score(c.points, lang),
                    format::score(c.max_points, lang)
                ),
                c.because.clone(),
            ]);
        }
        writeln!(out, "{table}")?;
        if r.contributions.iter().any(|c| c.unknown) {
            writeln!(
                out,
                "{}",
                if de {
                    "? = beruht auf unbekannten Angaben"
                } else {
                    "? = rests on unknown facts"
                }
            )?;
        }
        for o in &r.other_offerings {
            match o.score {
                Some(s) => writeln!(
                    out,
                    "- {}: {} {}",
                    o.name,
                    format::score(s, lang),
                    if de { "Punkte" } else { "points" }
                )?,
                None => writeln!(out, "- {}: {}", o.name, o.reasons.join(" "))?,
            }
        }
        if !r.verify.is_empty() {
            writeln!(
                out,
                "{}",
                if de {
                    "Kommt vielleicht in Frage – vorher klären:"
                } else {
                    "May be an option – clarify first:"
                }
            )?;
            for question in &r.verify {
                writeln!(out, "- {question}")?;
            }
        }
        goal = match (r.status, r.rank) {
            (evaluate::Status::Verify, _) => analysis::Goal::Admit(&tool.id),
            (_, 1) => analysis::Goal::Dethrone(&tool.id),
            _ => analysis::Goal::Win(&tool.id),
        };
    } else {
        let e = report
            .excluded
            .iter()
            .find(|e| e.tool == tool.id)
            .expect("every tool is ranked or excluded");
        writeln!(
            out,
            "{}",
            if de {
                format!("{} kommt nicht in Frage:", e.name)
            } else {
                format!("{} is out:", e.name)
            }
        )?;
        for reason in &e.reasons {
            writeln!(out, "- {reason}")?;
        }
        goal = analysis::Goal::Admit(&tool.id);
    }
    writeln!(out)?;
    let found =
        analysis::search_answers(&compiled, &catalog, &answers, &options, &[goal])?.remove(0);
    let heading = match (goal, de) {
        (analysis::Goal::Dethrone(_), true) => "Was den ersten Platz kosten würde:",
        (analysis::Goal::Dethrone(_), false) => "What would cost the first place:",
        (analysis::Goal::Win(_), true) => "Was es auf Platz 1 bringen würde:",
        (analysis::Goal::Win(_), false) => "What would bring it to first place:",
        (analysis::Goal::Admit(_), true) => "Was es in Frage kommen ließe:",
        (analysis::Goal::Admit(_), false) => "What would admit it:",
    };
    writeln!(out, "{heading}")?;
    let mut any = false;
    for f in found.iter().take(4) {
        any = true;
        let sentence = match goal {
            analysis::Goal::Admit(_) => {
                let offering = f.offering.clone().unwrap_or_default();
                let maybe = f.status == Some(evaluate::Status::Verify);
                if de {
                    format!(
                        "mit „{}: {}“ statt „{}“ käme {} ({offering}) {}in Frage{}",
                        analysis::answer_label(&f.key, lang),
                        f.to,
                        f.from,
                        tool.name,
                        if maybe { "vielleicht " } else { "" },
                        if maybe { " – vorher klären" } else { "" }
                    )
                } else {
                    format!(
                        "with “{}: {}” instead of “{}”, {} ({offering}) {}",
                        analysis::answer_label(&f.key, lang),
                        f.to,
                        f.from,
                        tool.name,
                        if maybe {
                            "might be an option – clarify first"
                        } else {
                            "would be admitted"
                        }
                    )
                }
            }
            _ => analysis::change_sentence(f, lang),
        };
        let caution = match (f.price_unknown && f.key == "budget_eur_per_month", de) {
            (true, true) => {
                " (der Preis dieses Angebots ist nicht bekannt; fragen Sie beim Anbieter nach)"
            }
            (true, false) => " (this offering's price is not known; ask the provider)",
            (false, _) => "",
        };
        writeln!(out, "- {sentence}{caution}")?;
    }
    if !matches!(goal, analysis::Goal::Admit(_)) {
        for (i, w, winner) in analysis::search_weights(&report, goal).into_iter().take(3) {
            any = true;
            let c = &report.criteria[i];
            let (from, to) = (
                format::number((c.weight * 100.0).round() / 100.0, lang),
                format::number((w * 100.0).round() / 100.0, lang),
            );
            if de {
                writeln!(
                    out,
                    "- mit Gewicht {to} statt {from} für „{}“ läge {winner} vorn",
                    c.title
                )?;
            } else {
                writeln!(
                    out,
                    "- with weight {to} instead of {from} for “{}”, {winner} would come first",
                    c.title
                )?;
            }
        }
    }
    if !any {
        writeln!(
            out,
            "{}",
            if de {
                "- keine einzelne Änderung einer Antwort oder eines Gewichts reicht dafür aus"
            } else {
                "- no single change of one answer or weight is enough"
            }
        )?;
    }
    output::write_terminal(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn schema(args: &SchemaArgs) -> Result<ExitCode> {
    let schema = match args.kind {
        SchemaKind::Answers => answers::json_schema(),
        SchemaKind::Catalog => crate::catalog::json_schema(),
        SchemaKind::Criteria => crate::criteria::json_schema(),
    };
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    output::write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn export(args: &ExportArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(&args.data)?;
    let text = match args.format {
        ExportFormat::Csv => crate::exchange::to_csv(&catalog),
        ExportFormat::Json => {
            let mut t = serde_json::to_string_pretty(&crate::exchange::files(&catalog))?;
            t.push('\n');
            t
        }
        ExportFormat::Yaml => serde_norway::to_string(&crate::exchange::files(&catalog))?,
    };
    emit(args.output.as_deref(), &text, args.force, false)?;
    Ok(ExitCode::SUCCESS)
}

fn import(args: &ImportArgs, quiet: bool) -> Result<ExitCode> {
    let source = SourceText::read(&args.file)?;
    let files = crate::exchange::from_csv(&source.name, &source.text)?;
    crate::exchange::write_files(&args.out_dir, &files, args.force)?;
    if !quiet {
        output::eprint_line(&format!(
            "wrote {} catalog files to {}; use them with --catalog {}",
            files.len(),
            args.out_dir.display(),
            args.out_dir.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
