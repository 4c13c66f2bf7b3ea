//! Converts the shipped catalog and criteria from TOML to JSON at build time.
//!
//! Parsing TOML was half the start-up time of `recommend`; the same data as JSON parses
//! several times faster. The conversion is generic (no knowledge of the formats): the binary
//! parses the JSON into the same types and validates it the same way, and falls back to the
//! TOML text (also embedded) for any file that does not convert or validate, so messages
//! keep their line numbers. `src/catalog.rs` and `src/criteria.rs` test that both paths give
//! equal data.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    convert("catalog", "BUILTIN_JSON", Path::new(&out_dir));
    convert("criteria", "BUILTIN_CRITERIA_JSON", Path::new(&out_dir));
}

/// Writes `<folder>-json/*.json` and `builtin_<folder>.rs`, which defines `name` as the list
/// of `(file name, JSON)` of each file in `folder` that converted.
fn convert(folder: &str, name: &str, out_dir: &Path) {
    println!("cargo::rerun-if-changed={folder}");
    let json_dir = out_dir.join(format!("{folder}-json"));
    std::fs::create_dir_all(&json_dir).expect("OUT_DIR is writable");
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("the {folder} folder is readable: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut index = format!(
        "/// `(file name, JSON)` of each shipped {folder} file that converted; written by build.rs.\n\
         pub static {name}: &[(&str, &str)] = &[\n"
    );
    for file_name in names {
        let Ok(text) = std::fs::read_to_string(Path::new(folder).join(&file_name)) else {
            continue;
        };
        // A file that does not parse is left to the runtime, which reports the error.
        let Ok(table) = toml::from_str::<toml::Table>(&text) else {
            continue;
        };
        if has_datetime(&toml::Value::Table(table.clone())) {
            continue; // JSON has no dates; the data uses strings, so leave it to TOML
        }
        // Not every TOML value has a JSON form (nan, inf): such files stay TOML too.
        let Ok(json) = serde_json::to_string(&table) else {
            continue;
        };
        let file = json_dir.join(file_name.replace(".toml", ".json"));
        std::fs::write(&file, json).expect("OUT_DIR is writable");
        writeln!(
            index,
            "    ({file_name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("writing to a String");
    }
    index.push_str("];\n");
    std::fs::write(out_dir.join(format!("builtin_{folder}.rs")), index)
        .expect("OUT_DIR is writable");
}

fn has_datetime(value: &toml::Value) -> bool {
    match value {
        toml::Value::Datetime(_) => true,
        toml::Value::Array(items) => items.iter().any(has_datetime),
        toml::Value::Table(table) => table.values().any(has_datetime),
        _ => false,
    }
}
