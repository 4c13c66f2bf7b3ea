//! Validates the shipped catalog and criteria at build time and embeds them in binary form.
//!
//! The catalog code itself (`src/catalog.rs` and the modules it needs) is compiled into this
//! script, so `catalog/*.toml` is checked exactly as `konf-wahl check` checks a user's folder:
//! a broken shipped file fails the build with the same messages. The validated tools are
//! written with `src/stored.rs` to `$OUT_DIR/catalog.bin`, which `src/builtin.rs` embeds and
//! decodes without reading any text. The criteria (`criteria/*.toml`) are validated and their
//! rules tried the same way, and written to `$OUT_DIR/criteria.bin` for `src/criteria.rs`.

// Only the parts needed to validate and encode the catalog are used here.
#![allow(dead_code, unused_imports, unused_macros)]

#[path = "src/answers.rs"]
mod answers;
#[path = "src/catalog.rs"]
mod catalog;
#[path = "src/checklist.rs"]
mod checklist;
#[path = "src/criteria.rs"]
mod criteria;
#[path = "src/date.rs"]
mod date;
#[path = "src/diag.rs"]
mod diag;
#[path = "src/expr.rs"]
mod expr;
#[path = "src/format.rs"]
mod format;
#[path = "src/parallel.rs"]
mod parallel;
#[path = "src/rules.rs"]
mod rules;
#[path = "src/sentence.rs"]
mod sentence;
#[path = "src/source.rs"]
mod source;
#[path = "src/stored.rs"]
mod stored;
#[path = "src/vocab.rs"]
mod vocab;
#[path = "src/wording.rs"]
mod wording;

/// This script's own messages (a shipped file that does not validate) read the wording files
/// directly; the binary gets the table written by [`embed_wording`].
mod wording_table {
    use std::sync::OnceLock;

    pub fn texts() -> &'static [crate::wording::Entry] {
        static TEXTS: OnceLock<Vec<crate::wording::Entry>> = OnceLock::new();
        TEXTS.get_or_init(|| {
            let leak = |s: String| -> &'static str { s.leak() };
            crate::read_wording()
                .into_iter()
                .map(|(key, text)| (leak(key), leak(text.de), leak(text.en)))
                .collect()
        })
    }
}

use std::path::Path;

fn main() {
    for path in [
        "catalog",
        "criteria",
        "templates/strings.toml",
        "templates/checklist.toml",
        "wording",
        "src/answers.rs",
        "src/catalog.rs",
        "src/checklist.rs",
        "src/criteria.rs",
        "src/date.rs",
        "src/diag.rs",
        "src/expr.rs",
        "src/format.rs",
        "src/parallel.rs",
        "src/rules.rs",
        "src/sentence.rs",
        "src/source.rs",
        "src/stored.rs",
        "src/vocab.rs",
        "src/wording.rs",
    ] {
        println!("cargo::rerun-if-changed={path}");
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    embed_wording(&out_dir);
    embed_catalog(&out_dir);
    embed_criteria(&out_dir);
    embed_strings(&out_dir);
    embed_checklist(&out_dir);
}

/// The texts of `wording/*.toml`, checked: sorted by key, each once, in both languages.
fn read_wording() -> Vec<(String, vocab::Text)> {
    let files = wording::FILES
        .iter()
        .map(|(_, name)| {
            let text =
                std::fs::read_to_string(name).unwrap_or_else(|e| panic!("{name} is readable: {e}"));
            let texts = toml::from_str(&text)
                .unwrap_or_else(|e| panic!("{name} is not a valid wording file: {e}"));
            (*name, texts)
        })
        .collect();
    wording::merge_files(files)
        .unwrap_or_else(|problems| panic!("the wording files are broken:\n{}", problems.join("\n")))
}

/// The wording table for `src/wording_table.rs`: a Rust slice expression, each string
/// written as a Rust literal.
fn embed_wording(out_dir: &str) {
    let mut code = String::from("&[\n");
    for (key, text) in read_wording() {
        code.push_str(&format!("    ({key:?}, {:?}, {:?}),\n", text.de, text.en));
    }
    code.push_str("]\n");
    std::fs::write(Path::new(out_dir).join("wording.rs"), code).expect("OUT_DIR is writable");
}

/// The `.toml` files of one of the package's folders, named like the embedded files.
fn toml_sources(folder: &str) -> Vec<(String, source::SourceText)> {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    catalog::builtin_sources(Path::new(&root), folder)
        .unwrap_or_else(|problems| panic!("the {folder} folder is readable:\n{problems}"))
}

fn embed_catalog(out_dir: &str) {
    let catalog = match catalog::Catalog::from_sources(toml_sources("catalog")) {
        Ok(catalog) => catalog,
        Err(problems) => panic!("the shipped catalog does not validate:\n{problems}"),
    };
    let tools: Vec<&catalog::Tool> = catalog.tools.values().collect();
    std::fs::write(
        Path::new(out_dir).join("catalog.bin"),
        stored::encode(&tools),
    )
    .expect("OUT_DIR is writable");
}

fn embed_criteria(out_dir: &str) {
    let sources = toml_sources("criteria")
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let criteria = match criteria::Criteria::from_sources(sources) {
        Ok(criteria) => criteria,
        Err(problems) => panic!("the shipped criteria do not validate:\n{problems}"),
    };
    std::fs::write(
        Path::new(out_dir).join("criteria.bin"),
        stored::encode_criteria(&criteria),
    )
    .expect("OUT_DIR is writable");
}

/// A file of the package, named like the embedded files in messages.
fn package_file(name: &str) -> source::SourceText {
    source::SourceText {
        name: format!("<builtin>/{name}"),
        text: std::fs::read_to_string(name).unwrap_or_else(|e| panic!("{name} is readable: {e}")),
    }
}

/// The handout texts (`templates/strings.toml`), a table of texts in both languages.
fn embed_strings(out_dir: &str) {
    let source = package_file("templates/strings.toml");
    let strings: std::collections::BTreeMap<String, vocab::Text> = source
        .parse(source::Format::Toml)
        .unwrap_or_else(|d| panic!("the shipped handout texts do not parse:\n{d}"));
    std::fs::write(
        Path::new(out_dir).join("strings.bin"),
        postcard::to_allocvec(&strings).expect("texts encode"),
    )
    .expect("OUT_DIR is writable");
}

/// The handout's checklist (`templates/checklist.toml`), checked as an office's file is.
fn embed_checklist(out_dir: &str) {
    let source = package_file("templates/checklist.toml");
    let list = checklist::Checklist::from_source(&source)
        .unwrap_or_else(|problems| panic!("the shipped checklist does not validate:\n{problems}"));
    std::fs::write(
        Path::new(out_dir).join("checklist.bin"),
        postcard::to_allocvec(&list).expect("the checklist encodes"),
    )
    .expect("OUT_DIR is writable");
}
