//! Shared code of the konf-wahl fuzz targets.
//!
//! Each `fuzz_*` function feeds one input through the same public API the command line uses
//! and only asks that nothing panics: invalid input must come back as an `Err` whose message
//! can be printed. The shipped catalog, criteria, templates and checklist are loaded once per
//! process. `tests/fuzz_regressions.rs` in the main crate repeats these code paths in-process
//! for every input under `tests/fuzz_regressions/`.

use std::sync::OnceLock;

use konf_wahl::analysis::Settings;
use konf_wahl::answers::{self, Answers, KnownIds};
use konf_wahl::catalog::{self, Catalog};
use konf_wahl::checklist::Checklist;
use konf_wahl::criteria::Criteria;
use konf_wahl::evaluate::Options;
use konf_wahl::expr::Expr;
use konf_wahl::render;
use konf_wahl::report::{Extras, Report};
use konf_wahl::rules::{self, Compiled};
use konf_wahl::sentence::Sentence;
use konf_wahl::source::{Format, SourceText};
use konf_wahl::templates::Templates;
use konf_wahl::vocab::Lang;

/// The shipped data, loaded once.
pub struct Shipped {
    /// The embedded catalog.
    pub catalog: Catalog,
    /// The embedded criteria.
    pub criteria: &'static Criteria,
    /// Their rules, compiled once.
    pub compiled: Compiled<'static>,
    /// The builtin templates.
    pub templates: Templates,
    /// The builtin checklist.
    pub checklist: Checklist,
    /// `examples/familiengruppe.toml`: the answers used when the catalog or criteria are fuzzed.
    pub answers: Answers,
}

const EXAMPLE_ANSWERS: &str = include_str!("../../examples/familiengruppe.toml");

/// The shipped data of this process.
pub fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let catalog = Catalog::load(None).expect("shipped catalog is valid");
        let criteria: &'static Criteria = Box::leak(Box::new(
            Criteria::load(None).expect("shipped criteria are valid"),
        ));
        let compiled = rules::compile(criteria).expect("shipped rules compile");
        let templates = Templates::new(None).expect("builtin templates load");
        let checklist = Checklist::load(None).expect("builtin checklist loads");
        let answers = {
            let known = known_ids(&catalog, criteria);
            let source = SourceText {
                name: "examples/familiengruppe.toml".into(),
                text: EXAMPLE_ANSWERS.into(),
            };
            answers::parse(&source, Format::Toml, &[], &known).expect("example answers are valid")
        };
        Shipped {
            catalog,
            criteria,
            compiled,
            templates,
            checklist,
            answers,
        }
    })
}

/// The ids answers are checked against, as `recommend` builds them.
pub fn known_ids<'a>(catalog: &'a Catalog, criteria: &'a Criteria) -> KnownIds<'a> {
    KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    }
}

/// The value of the first `id = "..."` line: the file stem a catalog or criterion file
/// needs so that its id check passes and validation goes on to the interesting parts.
pub fn guess_id(text: &str) -> &str {
    text.lines()
        .map(str::trim_start)
        .find_map(|l| {
            let rest = l.strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
            let rest = rest.strip_prefix('"')?;
            rest.split('"').next()
        })
        .filter(|s| !s.is_empty() && !s.contains(['/', '\\', '.']))
        .unwrap_or("fuzz")
}

/// The bytes as UTF-8 text, as `SourceText::read` checks them; `None` (after printing the
/// error into a string) when they are not.
pub fn source(name: &str, data: &[u8]) -> Option<SourceText> {
    match SourceText::from_bytes(name.to_string(), data.to_vec()) {
        Ok(s) => Some(s),
        Err(d) => {
            let _ = d.to_string();
            None
        }
    }
}

/// Answers: the bytes as a TOML and as a YAML answers file, each without and with
/// `--set` overrides.
pub fn fuzz_answers(data: &[u8]) {
    let shipped = shipped();
    let known = known_ids(&shipped.catalog, shipped.criteria);
    let overrides = [
        ("participants".to_string(), "12".to_string()),
        ("needs".to_string(), "chat,polls".to_string()),
    ];
    for (name, format) in [("fuzz.toml", Format::Toml), ("fuzz.yaml", Format::Yaml)] {
        let Some(source) = source(name, data) else {
            return;
        };
        for set in [&[][..], &overrides[..]] {
            if let Err(d) = answers::parse(&source, format, set, &known) {
                assert!(!d.0.is_empty(), "an error with no diagnostic");
                let _ = d.to_string();
            }
        }
    }
}

/// One catalog file: `parse_tool`, and for a valid tool the catalog checks, an evaluation
/// of that tool for the example answers and the JSON report.
pub fn fuzz_catalog(data: &[u8]) {
    let Some(source) = source("fuzz-catalog/tool.toml", data) else {
        return;
    };
    let stem = guess_id(&source.text).to_string();
    match catalog::parse_tool(&source, &stem) {
        Err(d) => {
            assert!(!d.0.is_empty(), "an error with no diagnostic");
            let _ = d.to_string();
        }
        Ok(tool) => {
            let _ = tool.check_dates().count();
            // The binary form of the catalog cache gives back the same tool.
            let back = konf_wahl::stored::decode_tool(&konf_wahl::stored::encode_tool(&tool))
                .expect("a stored tool decodes");
            assert_eq!(
                format!("{back:?}"),
                format!("{tool:?}"),
                "the stored form changed a tool"
            );
            match Catalog::from_sources(vec![(stem, source)]) {
                Err(d) => {
                    let _ = d.to_string();
                }
                Ok(cat) => {
                    let _ = cat.check_range();
                    let shipped = shipped();
                    let options = Options::default();
                    match Report::build(
                        &shipped.compiled,
                        &cat,
                        &shipped.answers,
                        &options,
                        &Extras::NONE,
                    ) {
                        Ok(report) => {
                            let _ = render::json::render(&report);
                        }
                        Err(d) => {
                            let _ = d.to_string();
                        }
                    }
                }
            }
        }
    }
}

/// A criteria file: the bytes as one file of `[[criteria]]` tables (`--criteria FILE`) and as
/// one criterion file of the shipped layout; valid criteria are then evaluated on the shipped
/// catalog for the example answers and rendered as JSON and Markdown.
pub fn fuzz_criteria(data: &[u8]) {
    let Some(source) = source("fuzz-criteria.toml", data) else {
        return;
    };
    let single = SourceText {
        name: format!("criteria/{}.toml", guess_id(&source.text)),
        text: source.text.clone(),
    };
    for result in [
        Criteria::from_file(&source),
        Criteria::from_sources(vec![single]),
    ] {
        match result {
            Err(d) => {
                assert!(!d.0.is_empty(), "an error with no diagnostic");
                let _ = d.to_string();
            }
            Ok(criteria) => evaluate_with(&criteria),
        }
    }
}

fn evaluate_with(criteria: &Criteria) {
    let shipped = shipped();
    let compiled = match rules::compile(criteria) {
        Ok(c) => c,
        Err(d) => {
            let _ = d.iter().map(ToString::to_string).count();
            return;
        }
    };
    let options = Options::default();
    match Report::build(
        &compiled,
        &shipped.catalog,
        &shipped.answers,
        &options,
        &Extras::NONE,
    ) {
        Ok(report) => {
            let _ = render::json::render(&report);
            render_template(shipped, "report.md.j2", &report);
        }
        Err(d) => {
            let _ = d.to_string();
        }
    }
}

/// The whole `recommend` path: the bytes as answers (TOML, then YAML), evaluated on the
/// shipped catalog and criteria, with the analysis and checklist, rendered as JSON, Markdown
/// and HTML. An odd input length selects English.
pub fn fuzz_pipeline(data: &[u8]) {
    let shipped = shipped();
    let known = known_ids(&shipped.catalog, shipped.criteria);
    let lang = if data.len() % 2 == 1 {
        Lang::En
    } else {
        Lang::De
    };
    for (name, format) in [("fuzz.toml", Format::Toml), ("fuzz.yaml", Format::Yaml)] {
        let Some(source) = source(name, data) else {
            return;
        };
        match answers::parse(&source, format, &[], &known) {
            Err(d) => {
                let _ = d.to_string();
            }
            Ok(answers) => {
                let options = Options {
                    lang,
                    ..Options::default()
                };
                match report(shipped, &answers, &options) {
                    Ok(report) => render_all(shipped, &report),
                    Err(d) => {
                        let _ = d.to_string();
                    }
                }
            }
        }
    }
}

/// `recommend --format json|md|html` up to the rendering, with a short analysis (64 samples,
/// no tipping points).
pub fn report(
    shipped: &Shipped,
    answers: &Answers,
    options: &Options,
) -> Result<Report, konf_wahl::diag::Diagnostic> {
    // `recommend` samples 10 000 times and searches tipping points only with `--explain`;
    // both are scaled down here so that the fuzzer keeps a useful speed.
    let extras = Extras {
        analysis: Some(Settings {
            samples: 64,
            tipping_points: false,
            ..Settings::default()
        }),
        checklist: Some(&shipped.checklist),
    };
    Report::build(
        &shipped.compiled,
        &shipped.catalog,
        answers,
        options,
        &extras,
    )
}

/// JSON, Markdown and HTML.
pub fn render_all(shipped: &Shipped, report: &Report) {
    let _ = render::json::render(report);
    for name in ["report.md.j2", "report.html.j2"] {
        render_template(shipped, name, report);
    }
}

/// A builtin template must render every report that evaluation produced: an error here is a
/// bug (the handout could not be written), so it fails the run like a panic.
pub fn render_template(shipped: &Shipped, name: &str, report: &Report) {
    if let Err(d) = shipped.templates.render(name, report) {
        panic!("builtin template {name} failed on a valid report: {d}");
    }
}

/// A rule expression and a sentence: the bytes as the text of a rule, parsed with the rule
/// functions, and as a sentence (`{{ }}`, `{% if %}`, …) with the sentence filters; what parses
/// is evaluated (rendered) for every shipped offering with the example answers. Nesting, long
/// lists and odd values must end in a value or an error, quickly.
pub fn fuzz_expr(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let expr = match Expr::parse(text, rules::FUNCTIONS) {
        Ok(expr) => Some(expr),
        Err(e) => {
            assert!(e.syntax, "a parse error is a syntax error");
            assert!(!e.message.is_empty());
            None
        }
    };
    let sentence = match Sentence::parse(text, rules::FUNCTIONS, rules::SENTENCE_FILTERS) {
        Ok(s) => Some(s),
        Err(e) => {
            assert!(e.syntax, "a parse error is a syntax error");
            assert!(e.message.contains("(near character "), "{}", e.message);
            None
        }
    };
    if expr.is_none() && sentence.is_none() {
        return;
    }
    let shipped = shipped();
    let a = rules::answers_value(&shipped.answers);
    for tool in shipped.catalog.tools.values() {
        for offering in &tool.offerings {
            let f = rules::facts_value(offering);
            let ctx = rules::context(&a, tool, offering, &f, Lang::De);
            if let Some(expr) = &expr
                && let Ok(v) = expr.eval(&ctx)
            {
                let _ = v.to_string();
            }
            if let Some(sentence) = &sentence {
                let _ = sentence.render(&ctx, &[]);
            }
        }
    }
}

/// Target `stored`: any bytes as a cached tool (src/folder_cache.rs) decode to a tool or to
/// an error, never a panic.
pub fn fuzz_stored(data: &[u8]) {
    if let Ok(tool) = konf_wahl::stored::decode_tool(data) {
        let _ = format!("{tool:?}");
        let _ = tool.offerings.iter().map(|o| o.facts.len()).sum::<usize>();
    }
}
