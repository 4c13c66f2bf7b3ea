//! Converts the shipped catalog from TOML to JSON at build time.
//!
//! Parsing TOML was half the start-up time of `recommend`; the same data as JSON parses
//! several times faster. The conversion is generic (no knowledge of the catalog format):
//! the binary parses the JSON into the same types and validates it the same way, and falls
//! back to the TOML text (also embedded) for any file that does not convert or validate, so
//! messages keep their line numbers. `src/catalog.rs` tests that both paths give equal tools.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=catalog");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let json_dir = Path::new(&out_dir).join("catalog-json");
    std::fs::create_dir_all(&json_dir).expect("OUT_DIR is writable");
    let mut names: Vec<String> = std::fs::read_dir("catalog")
        .expect("the catalog folder exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut index = String::from(
        "/// `(file name, JSON)` of each shipped catalog file that converted; written by build.rs.\n\
         pub static BUILTIN_JSON: &[(&str, &str)] = &[\n",
    );
    for name in names {
        let Ok(text) = std::fs::read_to_string(Path::new("catalog").join(&name)) else {
            continue;
        };
        // A file that does not parse is left to the runtime, which reports the error.
        let Ok(table) = toml::from_str::<toml::Table>(&text) else {
            continue;
        };
        if has_datetime(&toml::Value::Table(table.clone())) {
            continue; // JSON has no dates; the catalog uses strings, so leave it to TOML
        }
        // Not every TOML value has a JSON form (nan, inf): such files stay TOML too.
        let Ok(json) = serde_json::to_string(&table) else {
            continue;
        };
        let file = json_dir.join(name.replace(".toml", ".json"));
        std::fs::write(&file, json).expect("OUT_DIR is writable");
        writeln!(
            index,
            "    ({name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("writing to a String");
    }
    index.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("builtin_catalog.rs"), index)
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
