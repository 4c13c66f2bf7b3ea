//! `recommend`: one group or a batch of answers files to reports.

use super::*;

/// What every answers file of one run shares: data, options, templates.
struct RunContext<'a> {
    args: &'a RecommendArgs,
    /// `--format`, the `-o` file's extension or the default.
    format: ReportFormat,
    csv_dialect: render::csv::Dialect,
    catalog: &'a Catalog,
    criteria: &'a Criteria,
    options: Options,
    checklist: Checklist,
    /// In batch mode, reports already built, by the answers they were built from (as JSON):
    /// groups that answered alike get the same report, built once.
    reports: Option<crate::recent::Recent<std::sync::Arc<Report>>>,
}

/// How many reports a batch keeps for reuse (a few MB): enough for groups that answer alike.
const REUSED_REPORTS: usize = 32;

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
        let lang = crate::wording::messages_lang();
        // Timings only for a single group: in batch mode they would drown the progress bar.
        let timed = |message: &dyn Fn() -> String| {
            if args.out_dir.is_none() {
                verbose(message);
            }
        };
        let started = std::time::Instant::now();
        let extras = Extras {
            // Only the documents that show it get the analysis: JSON, the handouts (their
            // "how certain" paragraph) and --explain; the table and CSV do not show it.
            analysis: (args.explain
                || matches!(
                    self.format,
                    ReportFormat::Json | ReportFormat::Markdown | ReportFormat::Html
                ))
            .then(|| analysis::Settings {
                samples: args.samples as usize,
                seed: args.seed,
                tipping_points: args.explain || args.annex,
                ..analysis::Settings::default()
            }),
            checklist: Some(&self.checklist),
        };
        let build = || Report::build(compiled, self.catalog, &answers, &self.options, &extras);
        let report = match &self.reports {
            None => std::sync::Arc::new(build()?),
            Some(reports) => {
                // Answers are plain data: equal JSON, equal answers, equal report.
                let key = serde_json::to_string(&answers).map_err(|e| anyhow!("{e}"))?;
                reports.get_or_try_insert(key, || build().map(std::sync::Arc::new))?
            }
        };
        timed(&|| say!(lang, "verbose.evaluated", time = millis(started)));
        let started = std::time::Instant::now();
        let text = match self.format {
            ReportFormat::Json => render::json::render(&report),
            ReportFormat::Csv => render::csv::render(&report, self.csv_dialect),
            ReportFormat::Markdown if args.annex => templates.render("annex.md.j2", &report)?,
            ReportFormat::Html if args.annex => templates.render("annex.html.j2", &report)?,
            ReportFormat::Markdown => templates.render("report.md.j2", &report)?,
            ReportFormat::Html => templates.render("report.html.j2", &report)?,
            ReportFormat::Table => render::table::render(&report, width),
        };
        timed(&|| say!(lang, "verbose.rendered", time = millis(started)));
        if self.reports.is_none() {
            // One group's report ends with the process, like the catalog (see `recommend`):
            // freeing it string by string took 3 % of a run on 10,000 tools.
            std::mem::forget(report);
        }
        Ok(text)
    }
}

pub(super) fn recommend(args: &RecommendArgs, quiet: bool) -> Result<ExitCode> {
    let lang = crate::wording::messages_lang();
    if args.answers.len() > 1 && args.out_dir.is_none() {
        return Err(UsageError(say!(lang, "batch.needs_out_dir")).into());
    }
    if args.output.is_some() && args.out_dir.is_some() {
        return Err(UsageError(say!(lang, "batch.file_or_folder")).into());
    }
    // Batch mode writes handouts; one group goes to the terminal unless -o names a file.
    let default = if args.out_dir.is_some() {
        ReportFormat::Html
    } else {
        ReportFormat::Table
    };
    let format = resolve_format("recommend", args.format, args.output.as_deref(), default)?;
    let csv_dialect = resolve_csv_dialect(args.csv_dialect, format, args.data.lang)?;
    if args.annex && !matches!(format, ReportFormat::Html | ReportFormat::Markdown) {
        return Err(UsageError(say!(lang, "recommend.annex_needs_document")).into());
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
        let compiled = rules::compile_for(&criteria, options.lang).map_err(Diagnostics)?;
        let ctx = RunContext {
            args,
            format,
            csv_dialect,
            catalog: &catalog,
            criteria: &criteria,
            options,
            checklist: prepared.checklist,
            reports: args
                .out_dir
                .as_ref()
                .map(|_| crate::recent::Recent::new(REUSED_REPORTS)),
        };
        let outcome = match &args.out_dir {
            None => {
                let width = render::table::stdout_width(args.output.is_none());
                let text = ctx.render(&compiled, &prepared.templates, &args.answers[0], width)?;
                let terminal = format == ReportFormat::Table;
                emit(args.output.as_deref(), &text, args.force, terminal)?;
                Ok(ExitCode::SUCCESS)
            }
            Some(dir) => batch(&ctx, &compiled, &prepared.templates, dir, quiet),
        };
        // The process ends after this command: the system takes the memory of what it loaded
        // (catalog, criteria and their compiled rules, templates) back at once, where freeing
        // their thousands of strings and trees one by one would cost a tenth of a run.
        std::mem::forget(ctx);
        std::mem::forget(compiled);
        std::mem::forget(criteria);
        std::mem::forget(prepared.templates);
        std::mem::forget(catalog);
        outcome
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
        templates: Templates::for_office(args.templates.as_deref(), args.office.as_deref())?,
        checklist: Checklist::load(args.templates.as_deref())?,
    };
    verbose(|| {
        say!(
            crate::wording::messages_lang(),
            "verbose.prepared",
            time = millis(started)
        )
    });
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
    let lang = crate::wording::messages_lang();
    std::fs::create_dir_all(dir).map_err(|e| {
        anyhow!(say!(
            lang,
            "output.cannot_create_folder",
            folder = dir.display(),
            error = e
        ))
    })?;
    let files = &ctx.args.answers;
    let mut seen = std::collections::BTreeSet::new();
    for f in files {
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !seen.insert(stem.clone()) {
            return Err(anyhow!(say!(lang, "batch.same_name", name = stem)));
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
                        let out = dir.join(format!("{stem}.{}", ctx.format.extension()));
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
        output::eprint_line(&format!("{}: {message}", say!(lang, "error.prefix")));
    }
    if !quiet {
        let failed = if failures.is_empty() {
            String::new()
        } else {
            say!(lang, "batch.summary_failed", failed = failures.len())
        };
        let summary = say!(
            lang,
            "batch.summary",
            written = files.len() - failures.len(),
            total = files.len(),
            folder = dir.display()
        );
        output::eprint_line(&format!("{summary}{failed}"));
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
