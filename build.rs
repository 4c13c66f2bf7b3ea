//! Validates the shipped catalog at build time and embeds it in binary form.
//!
//! The catalog code itself (`src/catalog.rs` and the modules it needs) is compiled into this
//! script, so `catalog/*.toml` is checked exactly as `konf-wahl check` checks a user's folder:
//! a broken shipped file fails the build with the same messages. The validated tools are
//! written with `src/stored.rs` to `$OUT_DIR/catalog.bin`, which `src/builtin.rs` embeds and
//! decodes without reading any text.

// Only the parts needed to validate and encode the catalog are used here.
#![allow(dead_code, unused_imports, unused_macros)]

#[path = "src/catalog.rs"]
mod catalog;
#[path = "src/date.rs"]
mod date;
#[path = "src/diag.rs"]
mod diag;
#[path = "src/format.rs"]
mod format;
#[path = "src/parallel.rs"]
mod parallel;
#[path = "src/source.rs"]
mod source;
#[path = "src/stored.rs"]
mod stored;
#[path = "src/vocab.rs"]
mod vocab;
#[path = "src/wording.rs"]
mod wording;

use std::path::Path;

fn main() {
    for path in [
        "catalog",
        "wording",
        "src/catalog.rs",
        "src/date.rs",
        "src/diag.rs",
        "src/format.rs",
        "src/parallel.rs",
        "src/source.rs",
        "src/stored.rs",
        "src/vocab.rs",
        "src/wording.rs",
    ] {
        println!("cargo::rerun-if-changed={path}");
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut names: Vec<String> = std::fs::read_dir("catalog")
        .unwrap_or_else(|e| panic!("the catalog folder is readable: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let sources = names
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(Path::new("catalog").join(name))
                .unwrap_or_else(|e| panic!("catalog/{name} is readable: {e}"));
            let stem = name.trim_end_matches(".toml").to_string();
            let source = source::SourceText {
                name: format!("<builtin>/catalog/{name}"),
                text,
            };
            (stem, source)
        })
        .collect();
    let catalog = match catalog::Catalog::from_sources(sources) {
        Ok(catalog) => catalog,
        Err(problems) => panic!("the shipped catalog does not validate:\n{problems}"),
    };
    let tools: Vec<&catalog::Tool> = catalog.tools.values().collect();
    std::fs::write(
        Path::new(&out_dir).join("catalog.bin"),
        stored::encode(&tools),
    )
    .expect("OUT_DIR is writable");
}
