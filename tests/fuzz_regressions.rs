//! Inputs found by fuzzing (see `fuzz/README.md`), replayed in-process through the very code
//! the fuzz targets run: `fuzz/src/lib.rs` is compiled into this test.
//!
//! Every file `tests/fuzz_regressions/<target>-<n>.<ext>` (target: answers, catalog, criteria,
//! pipeline, expr) is fed to `fuzz_<target>`, which must not panic. The inputs are invalid files, so
//! each must also be refused with an error by the parser the target starts with. The first
//! fuzzing run found no crash, so that folder does not exist yet; add a file there for each
//! crash the fuzzers find.
//!
//! The committed, minimised fuzz corpus (`fuzz/corpus/<target>/`, about 2,400 inputs) is
//! replayed too: it covers every edge the fuzzers reached, takes a few seconds, and catches a
//! change that makes one of those inputs panic before anyone runs the fuzzer again.

#[path = "../fuzz/src/lib.rs"]
mod fuzz_paths;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use konf_wahl::answers;
use konf_wahl::catalog;
use konf_wahl::criteria::Criteria;
use konf_wahl::source::{Format, SourceText};

const DIR: &str = "tests/fuzz_regressions";
const CORPUS: &str = "fuzz/corpus";
const TARGETS: [&str; 6] = [
    "answers", "catalog", "criteria", "pipeline", "expr", "stored",
];

/// `(target, path)` of every regression input, sorted by name.
fn inputs() -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(DIR) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let (target, _) = name.split_once('-')?;
            Some((target.to_string(), p))
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// Runs one input through a target; the panic message if it panics.
fn panic_of(target: &str, data: &[u8]) -> Option<String> {
    let panic = catch_unwind(AssertUnwindSafe(|| run_target(target, data))).err()?;
    Some(
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(no message)".into()),
    )
}

fn run_target(target: &str, data: &[u8]) {
    match target {
        "answers" => fuzz_paths::fuzz_answers(data),
        "catalog" => fuzz_paths::fuzz_catalog(data),
        "criteria" => fuzz_paths::fuzz_criteria(data),
        "pipeline" => fuzz_paths::fuzz_pipeline(data),
        "expr" => fuzz_paths::fuzz_expr(data),
        "stored" => fuzz_paths::fuzz_stored(data),
        other => panic!("unknown fuzz target `{other}`"),
    }
}

/// Whether the first parser of the target refuses the input, as it must for these files.
fn refused(target: &str, path: &Path, data: &[u8]) -> bool {
    let Ok(source) = SourceText::from_bytes(path.display().to_string(), data.to_vec()) else {
        return true;
    };
    match target {
        "answers" | "pipeline" => {
            let shipped = fuzz_paths::shipped();
            let known = fuzz_paths::known_ids(&shipped.catalog, shipped.criteria);
            let format = match path.extension().and_then(|e| e.to_str()) {
                Some("yaml" | "yml") => Format::Yaml,
                _ => Format::Toml,
            };
            answers::parse(&source, format, &[], &known).is_err()
        }
        "catalog" => catalog::parse_tool(&source, fuzz_paths::guess_id(&source.text)).is_err(),
        "criteria" => Criteria::from_file(&source).is_err(),
        "expr" => konf_wahl::expr::Expr::parse(&source.text, konf_wahl::rules::FUNCTIONS).is_err(),
        _ => false,
    }
}

#[test]
fn fuzz_regression_inputs_do_not_panic() {
    let mut failures = Vec::new();
    for (target, path) in inputs() {
        let data = std::fs::read(&path).expect("readable regression input");
        if let Some(message) = panic_of(&target, &data) {
            failures.push(format!("{}: panicked: {message}", path.display()));
            continue;
        }
        if !refused(&target, &path, &data) {
            failures.push(format!("{}: accepted, expected an error", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fuzz_corpus_replays_without_panic() {
    let mut failures = Vec::new();
    let mut count = 0;
    for target in TARGETS {
        let dir = Path::new(CORPUS).join(target);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        let mut paths: Vec<PathBuf> = entries
            .map(|e| e.expect("readable directory entry").path())
            .collect();
        paths.sort();
        assert!(!paths.is_empty(), "{} is empty", dir.display());
        for path in paths {
            let data = std::fs::read(&path).expect("readable corpus input");
            count += 1;
            if let Some(message) = panic_of(target, &data) {
                failures.push(format!("{}: panicked: {message}", path.display()));
            }
        }
    }
    assert!(count > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
