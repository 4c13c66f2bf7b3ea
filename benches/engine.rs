//! In-process benchmarks of the engine (divan): loading the embedded catalog and criteria,
//! parsing an answers file, evaluating, and rendering the report.
//!
//! Run with `cargo bench --bench engine`. Whole-process timings on synthetic catalogs of
//! 30, 1000 and 10000 tools are in `scripts/bench.sh`.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use konf_wahl::answers::{self, Answers, KnownIds};
use konf_wahl::catalog::Catalog;
use konf_wahl::criteria::Criteria;
use konf_wahl::evaluate::{self, Evaluation, Options};
use konf_wahl::report::{Extras, Report};
use konf_wahl::source::{Format, SourceText};
use konf_wahl::templates::Templates;

fn main() {
    divan::main();
}

fn answers_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/familiengruppe.toml")
}

static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::load(None).expect("embedded catalog is valid"));
static CRITERIA: LazyLock<Criteria> =
    LazyLock::new(|| Criteria::load(None).expect("embedded criteria are valid"));
static SOURCE: LazyLock<SourceText> =
    LazyLock::new(|| SourceText::read(&answers_path()).expect("example answers are readable"));
static ANSWERS: LazyLock<Answers> = LazyLock::new(parse_answers);
static EVALUATION: LazyLock<Evaluation> = LazyLock::new(|| {
    evaluate::evaluate(&CATALOG, &CRITERIA, &ANSWERS, &Options::default())
        .expect("example evaluates")
});
static REPORT: LazyLock<Report> = LazyLock::new(|| {
    let compiled = konf_wahl::rules::compile(&CRITERIA).expect("rules compile");
    Report::build(
        &compiled,
        &CATALOG,
        &ANSWERS,
        &Options::default(),
        &Extras::NONE,
    )
    .expect("example evaluates")
});

fn parse_answers() -> Answers {
    let known = KnownIds {
        tools: CATALOG.tools.keys().map(String::as_str).collect(),
        criteria: CRITERIA.ids(),
    };
    answers::parse(&SOURCE, Format::Toml, &[], &known).expect("example answers are valid")
}

/// Parse and validate the embedded catalog (every tool file).
#[divan::bench]
fn load_catalog() -> Catalog {
    Catalog::load(divan::black_box(None)).expect("embedded catalog is valid")
}

/// Parse the embedded criteria and check every rule on sample offerings.
#[divan::bench]
fn load_criteria() -> Criteria {
    Criteria::load(divan::black_box(None)).expect("embedded criteria are valid")
}

/// Parse and validate examples/familiengruppe.toml (text already read).
#[divan::bench]
fn parse_answers_file(bencher: divan::Bencher) {
    LazyLock::force(&ANSWERS);
    bencher.bench(parse_answers);
}

/// Knock-outs, scores and ranking for the example group: compiles the rules, then
/// evaluates every offering of the embedded catalog.
#[divan::bench]
fn evaluate_familiengruppe(bencher: divan::Bencher) {
    let (catalog, criteria, answers) = (&*CATALOG, &*CRITERIA, &*ANSWERS);
    bencher.bench(|| {
        evaluate::evaluate(
            divan::black_box(catalog),
            criteria,
            answers,
            &Options::default(),
        )
        .expect("example evaluates")
    });
}

/// The same with the rules compiled once outside the loop (the evaluation proper).
#[divan::bench]
fn evaluate_precompiled(bencher: divan::Bencher) {
    let (catalog, criteria, answers) = (&*CATALOG, &*CRITERIA, &*ANSWERS);
    let compiled = konf_wahl::rules::compile(criteria).expect("rules compile");
    bencher.bench(|| {
        evaluate::evaluate_compiled(
            &compiled,
            divan::black_box(catalog),
            answers,
            &Options::default(),
        )
        .expect("example evaluates")
    });
}

/// Renderers for the example report.
mod render {
    use super::*;

    #[divan::bench]
    fn json(bencher: divan::Bencher) {
        let report = &*REPORT;
        bencher.bench(|| konf_wahl::render::json::render(divan::black_box(report)));
    }

    #[divan::bench]
    fn table(bencher: divan::Bencher) {
        let report = &*REPORT;
        bencher.bench(|| konf_wahl::render::table::render(divan::black_box(report), None));
    }

    /// Template environment set-up plus rendering, as `recommend --format html` does it.
    #[divan::bench]
    fn html(bencher: divan::Bencher) {
        let report = &*REPORT;
        bencher.bench(|| {
            Templates::new(None)
                .and_then(|t| t.render("report.html.j2", divan::black_box(report)))
                .expect("html renders")
        });
    }
}

/// The sensitivity analysis: 10,000 weight samples over the full catalog (issue target: well
/// under a second on two cores), without the tipping-point search.
#[divan::bench]
fn sensitivity_10k_samples(bencher: divan::Bencher) {
    let evaluation = &*EVALUATION;
    let settings = konf_wahl::analysis::Settings {
        tipping_points: false,
        ..konf_wahl::analysis::Settings::default()
    };
    bencher.bench(|| konf_wahl::analysis::sensitivity(divan::black_box(evaluation), &settings));
}

/// The full analysis as `--explain` runs it: sensitivity plus the tipping-point search, which
/// evaluates the catalog once per candidate answer change.
#[divan::bench(sample_count = 10)]
fn explain_with_tipping_points(bencher: divan::Bencher) {
    let (catalog, criteria, answers) = (&*CATALOG, &*CRITERIA, &*ANSWERS);
    let compiled = konf_wahl::rules::compile(criteria).expect("rules compile");
    let evaluation = &*EVALUATION;
    bencher.bench(|| {
        konf_wahl::analysis::analyse(
            divan::black_box(evaluation),
            &compiled,
            catalog,
            answers,
            &Options::default(),
            &konf_wahl::analysis::Settings::default(),
        )
        .expect("analysis runs")
    });
}
