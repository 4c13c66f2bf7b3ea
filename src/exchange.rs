//! `catalog export` and `catalog import`: the catalog as a spreadsheet (one row per tool
//! offering, every fact with source, check date and note) and back to TOML files, so an office
//! can keep its local instances in a spreadsheet.
//!
//! The row carries a tool's whole entry: plain columns for names and facts, JSON in the few
//! cells that hold lists (sources, caveats, joining steps, assessments, retirement). Import
//! writes facts shared by every offering of a tool into the tool's `[facts]` and the rest into
//! the offerings, so the merged facts of each offering are exactly what was exported.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::catalog::{Catalog, Fact, FactValue, Limit, Offering, Tool};
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::csv::Dialect;
use crate::say;

const TOOL_COLUMNS: &[&str] = &[
    "tool",
    "name",
    "kind",
    "homepage",
    "description_de",
    "description_en",
    "offering",
    "offering_name_de",
    "offering_name_en",
    "hosting",
];
const JSON_COLUMNS: &[&str] = &[
    "sources",
    "caveats",
    "join_steps",
    "host_steps",
    "assessments",
    "retired",
];
/// JSON cells of the offering itself; optional on import (older exports lack them).
const OFFERING_JSON_COLUMN: &str = "offering_host_steps";

fn value_text(v: &FactValue, dialect: Dialect) -> String {
    match v {
        FactValue::Number(x) => dialect.number(format!("{x}")),
        FactValue::Limit(Limit::Count(n)) => n.to_string(),
        FactValue::Limit(Limit::Unlimited(_)) => "unlimited".into(),
        FactValue::Count(n) => n.to_string(),
        FactValue::Status(s) => s.word().into(),
        FactValue::Dpa(d) => d.word().into(),
        FactValue::Support(s) => s.word().into(),
        FactValue::Text(t) => t.clone(),
        FactValue::Region(r) => r.word().into(),
        FactValue::Ease(e) => e.word().into(),
        FactValue::Effort(e) => e.word().into(),
        FactValue::Organisations(list) => {
            list.iter().map(|o| o.word()).collect::<Vec<_>>().join(",")
        }
    }
}

/// The CSV export, in `dialect` (numbers with a decimal comma for Excel).
pub fn to_csv(catalog: &Catalog, dialect: Dialect) -> String {
    let facts = crate::catalog::all_fact_keys();
    let mut w = dialect.writer();
    let mut header: Vec<String> = TOOL_COLUMNS.iter().map(|s| s.to_string()).collect();
    for k in &facts {
        header.extend([
            k.clone(),
            format!("{k}.src"),
            format!("{k}.checked"),
            format!("{k}.note"),
        ]);
    }
    header.extend(JSON_COLUMNS.iter().map(|s| s.to_string()));
    header.push(OFFERING_JSON_COLUMN.to_string());
    crate::render::csv::write_row(&mut w, &header);
    let json = |v: &dyn erased::Json| v.to_json();
    for tool in catalog.tools.values() {
        for o in &tool.offerings {
            let mut row = vec![
                tool.id.clone(),
                tool.name.clone(),
                tool.kind.word().to_string(),
                tool.homepage.clone().unwrap_or_default(),
                tool.description.de.clone(),
                tool.description.en.clone(),
                o.id.clone(),
                o.name.de.clone(),
                o.name.en.clone(),
                o.hosting.word().to_string(),
            ];
            for k in &facts {
                match o.facts.get(k) {
                    None => {
                        row.extend([String::new(), String::new(), String::new(), String::new()])
                    }
                    Some(f) => row.extend([
                        f.value
                            .as_ref()
                            .map_or("unknown".into(), |v| value_text(v, dialect)),
                        f.src.as_deref().unwrap_or_default().to_string(),
                        f.checked.to_string(),
                        f.note.as_deref().unwrap_or_default().to_string(),
                    ]),
                }
            }
            row.push(json(&tool.sources));
            row.push(json(&tool.caveats));
            row.push(json(&tool.join_steps));
            row.push(tool.host_steps.as_ref().map_or(String::new(), |s| json(s)));
            row.push(json(&tool.assessments));
            row.push(tool.retired.as_ref().map_or(String::new(), |r| json(r)));
            row.push(o.host_steps.as_ref().map_or(String::new(), |s| json(s)));
            crate::render::csv::write_row(&mut w, &row);
        }
    }
    crate::render::csv::finish(w)
}

mod erased {
    /// Serialises any catalog part as compact JSON for a spreadsheet cell.
    pub trait Json {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).expect("catalog parts serialise")
        }
    }
}

/// A catalog entry in the shape of a catalog file, for YAML/JSON export and TOML import.
#[derive(Debug, Serialize)]
pub struct ToolFile {
    id: String,
    name: String,
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<String>,
    description: crate::vocab::Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    retired: Option<crate::catalog::Retirement>,
    join_steps: crate::catalog::JoinSteps,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_steps: Option<crate::catalog::Steps>,
    caveats: Vec<crate::catalog::Caveat>,
    assessments: Vec<crate::catalog::Assessment>,
    facts: toml::Table,
    offerings: Vec<OfferingFile>,
    sources: BTreeMap<String, crate::catalog::SourceRef>,
}

#[derive(Debug, Serialize)]
struct OfferingFile {
    id: String,
    hosting: String,
    name: crate::vocab::Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_steps: Option<crate::catalog::Steps>,
    facts: toml::Table,
}

fn fact_table(f: &Fact) -> toml::Value {
    let mut t = toml::Table::new();
    match &f.value {
        Some(v) => {
            t.insert(
                "value".into(),
                toml::Value::try_from(v).expect("fact values are TOML values"),
            );
        }
        None => {
            t.insert("unknown".into(), toml::Value::Boolean(true));
        }
    }
    if let Some(src) = &f.src {
        t.insert("src".into(), toml::Value::String(src.to_string()));
    }
    t.insert("checked".into(), toml::Value::String(f.checked.to_string()));
    if let Some(note) = &f.note {
        t.insert("note".into(), toml::Value::String(note.to_string()));
    }
    toml::Value::Table(t)
}

fn facts_table<'k, 'a>(
    facts: impl Iterator<Item = (&'k str, &'a std::sync::Arc<Fact>)>,
) -> toml::Table {
    nest_facts(facts.map(|(key, fact)| (key.to_string(), fact_table(fact))))
}

/// Fact tables by key, with `features.chat` and `accessibility.captions` nested into
/// `[features]` and `[accessibility]` as catalog files write them.
fn nest_facts(facts: impl Iterator<Item = (String, toml::Value)>) -> toml::Table {
    let mut out = toml::Table::new();
    for (key, value) in facts {
        match key.split_once('.') {
            Some((group, word)) => {
                let sub = out
                    .entry(group.to_string())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let toml::Value::Table(t) = sub {
                    t.insert(word.to_string(), value);
                }
            }
            None => {
                out.insert(key, value);
            }
        }
    }
    out
}

/// The entry in file shape; facts equal in every offering move up to the tool.
pub fn tool_file(tool: &Tool) -> ToolFile {
    let shared: BTreeMap<&str, &std::sync::Arc<Fact>> = match tool.offerings.split_first() {
        None => BTreeMap::new(),
        Some((first, rest)) => first
            .facts
            .iter()
            .filter(|(k, f)| rest.iter().all(|o| o.facts.get(k) == Some(*f)))
            .collect(),
    };
    let offerings = tool
        .offerings
        .iter()
        .map(|o: &Offering| OfferingFile {
            id: o.id.clone(),
            hosting: o.hosting.word().to_string(),
            name: o.name.clone(),
            host_steps: o.host_steps.clone(),
            facts: facts_table(o.facts.iter().filter(|(k, _)| !shared.contains_key(k))),
        })
        .collect();
    ToolFile {
        id: tool.id.clone(),
        name: tool.name.clone(),
        kind: tool.kind.word().to_string(),
        homepage: tool.homepage.clone(),
        description: tool.description.clone(),
        retired: tool.retired.clone(),
        join_steps: tool.join_steps.clone(),
        host_steps: tool.host_steps.clone(),
        caveats: tool.caveats.clone(),
        assessments: tool.assessments.clone(),
        facts: facts_table(shared.into_iter()),
        offerings,
        sources: tool.sources.clone(),
    }
}

/// The whole catalog in file shape (for YAML and JSON export).
pub fn files(catalog: &Catalog) -> Vec<ToolFile> {
    catalog.tools.values().map(tool_file).collect()
}

/// One CSV row: the offering's own fields, and its facts by key.
type ImportedOffering = (toml::Table, BTreeMap<String, toml::Value>);

/// Reads an exported (and possibly edited) CSV and returns `(id, TOML text)` per tool. Every
/// file is validated like a catalog file before anything is written. Both dialects are read,
/// told apart by the header line; a BOM is skipped, and in Excel's dialect numbers may have a
/// decimal comma.
pub fn from_csv(name: &str, text: &str) -> Result<Vec<(String, String)>, Diagnostics> {
    let lang = crate::wording::messages_lang();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let dialect = Dialect::detect(text);
    let mut reader = dialect.reader(text);
    let err = |line: u64, m: String| {
        Diagnostics(vec![Diagnostic::new(name, m).at(Some((line as usize, 1)))])
    };
    let headers = reader
        .headers()
        .map_err(|e| err(1, say!(lang, "import.bad_header", error = e)))?
        .clone();
    let col = |h: &str| headers.iter().position(|x| x == h);
    for required in TOOL_COLUMNS.iter().chain(JSON_COLUMNS) {
        if col(required).is_none() {
            let known: Vec<&str> = headers.iter().collect();
            return Err(Diagnostics(vec![
                Diagnostic::new(name, say!(lang, "import.missing_column", column = required))
                    .at(Some((1, 1)))
                    .suggest(required, &known),
            ]));
        }
    }
    let facts = crate::catalog::all_fact_keys();
    // tool id -> (first row's tool columns, offerings as TOML tables)
    let mut tools: BTreeMap<String, (csv::StringRecord, Vec<ImportedOffering>)> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = match &record {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        }
        .map_or(i as u64 + 2, |p| line_at(text, p.byte()));
        let record = record.map_err(|e| err(line, say!(lang, "import.bad_row", error = e)))?;
        let get = |h: &str| {
            let raw = col(h).and_then(|c| record.get(c)).unwrap_or("");
            crate::render::csv::plain(raw).to_string()
        };
        let id = get("tool");
        if id.trim().is_empty() {
            return Err(err(line, "the `tool` column is empty".into()));
        }
        let mut offering = toml::Table::new();
        offering.insert("id".into(), get("offering").into());
        offering.insert("hosting".into(), get("hosting").into());
        let mut oname = toml::Table::new();
        oname.insert("de".into(), get("offering_name_de").into());
        oname.insert("en".into(), get("offering_name_en").into());
        offering.insert("name".into(), oname.into());
        let steps = get(OFFERING_JSON_COLUMN);
        if !steps.trim().is_empty() {
            let json: serde_json::Value = serde_json::from_str(&steps).map_err(|e| {
                err(
                    line,
                    say!(
                        lang,
                        "import.bad_json",
                        column = OFFERING_JSON_COLUMN,
                        error = e
                    ),
                )
            })?;
            let value = toml::Value::try_from(strip_nulls(json)).map_err(|e| {
                err(
                    line,
                    say!(
                        lang,
                        "import.bad_value",
                        column = OFFERING_JSON_COLUMN,
                        error = e
                    ),
                )
            })?;
            offering.insert("host_steps".into(), value);
        }
        let mut offering_facts = BTreeMap::new();
        for k in &facts {
            let value = get(k);
            if value.is_empty() {
                continue;
            }
            let mut f = toml::Table::new();
            if value == "unknown" {
                f.insert("unknown".into(), true.into());
            } else {
                f.insert("value".into(), typed_value(k, &value, dialect));
            }
            for (suffix, field) in [("src", "src"), ("checked", "checked"), ("note", "note")] {
                let v = get(&format!("{k}.{suffix}"));
                if !v.is_empty() {
                    f.insert(field.into(), v.into());
                }
            }
            offering_facts.insert(k.clone(), toml::Value::Table(f));
        }
        tools
            .entry(id)
            .or_insert_with(|| (record.clone(), Vec::new()))
            .1
            .push((offering, offering_facts));
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (id, (first, offerings)) in tools {
        let get = |h: &str| {
            let raw = col(h).and_then(|c| first.get(c)).unwrap_or("");
            crate::render::csv::plain(raw).to_string()
        };
        let mut doc = toml::Table::new();
        doc.insert("id".into(), id.clone().into());
        doc.insert("name".into(), get("name").into());
        doc.insert("kind".into(), get("kind").into());
        if !get("homepage").is_empty() {
            doc.insert("homepage".into(), get("homepage").into());
        }
        let mut description = toml::Table::new();
        description.insert("de".into(), get("description_de").into());
        description.insert("en".into(), get("description_en").into());
        doc.insert("description".into(), description.into());
        for key in JSON_COLUMNS {
            let text = get(key);
            if text.trim().is_empty() {
                continue;
            }
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                err(
                    1,
                    say!(
                        lang,
                        "import.bad_json_of_tool",
                        column = key,
                        tool = id,
                        error = e
                    ),
                )
            })?;
            let value = toml::Value::try_from(strip_nulls(json)).map_err(|e| {
                err(
                    1,
                    say!(
                        lang,
                        "import.bad_value_of_tool",
                        column = key,
                        tool = id,
                        error = e
                    ),
                )
            })?;
            doc.insert(key.to_string(), value);
        }
        // Facts equal in every offering become tool facts.
        let shared: Vec<String> = offerings[0]
            .1
            .iter()
            .filter(|(k, v)| offerings.iter().all(|(_, f)| f.get(*k) == Some(*v)))
            .map(|(k, _)| k.clone())
            .collect();
        let shared_facts = shared
            .iter()
            .map(|k| (k.clone(), offerings[0].1[k].clone()));
        doc.insert("facts".into(), nest_facts(shared_facts).into());
        let offerings: Vec<toml::Value> = offerings
            .into_iter()
            .map(|(mut o, facts)| {
                let own = facts.into_iter().filter(|(k, _)| !shared.contains(k));
                o.insert("facts".into(), nest_facts(own).into());
                toml::Value::Table(o)
            })
            .collect();
        doc.insert("offerings".into(), offerings.into());
        let text = toml::to_string(&doc).map_err(|e| {
            err(
                1,
                say!(lang, "import.cannot_write_tool", tool = id, error = e),
            )
        })?;
        let source = crate::source::SourceText {
            name: format!("{name} (tool `{id}`)"),
            text: text.clone(),
        };
        match crate::catalog::parse_tool(&source, &id) {
            Ok(_) => out.push((id, text)),
            Err(Diagnostics(mut d)) => problems.append(&mut d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(problems))
    }
}

/// The line a record starts on, from its byte offset: a cell holding line breaks does not
/// shift the numbers of the rows after it. (The reader's own line count is off by one with
/// CRLF line ends, and its offset may point at the line feed of the previous line's CRLF.)
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = (byte as usize).min(bytes.len());
    while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        start += 1;
    }
    bytes[..start].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

fn strip_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(list) => {
            serde_json::Value::Array(list.into_iter().map(strip_nulls).collect())
        }
        other => other,
    }
}

fn typed_value(key: &str, text: &str, dialect: Dialect) -> toml::Value {
    match key {
        "price_eur_month" | "price_per_licence_eur_month" => decimal(text, dialect)
            .parse::<f64>()
            .map_or_else(|_| text.into(), toml::Value::Float),
        "max_participants"
        | "max_video_participants"
        | "max_minutes"
        | "min_licences"
        | "works_for_participants" => text
            .parse::<i64>()
            .map_or_else(|_| text.into(), toml::Value::Integer),
        "eligible" => toml::Value::Array(text.split(',').map(|s| s.trim().into()).collect()),
        _ => text.into(),
    }
}

/// A number cell with a decimal point: Excel's dialect may write `4,5` for 4.5 (one comma,
/// no point; anything else is left for the catalog check to refuse).
fn decimal(text: &str, dialect: Dialect) -> std::borrow::Cow<'_, str> {
    match dialect {
        Dialect::Excel if text.matches(',').count() == 1 && !text.contains('.') => {
            text.replace(',', ".").into()
        }
        _ => text.into(),
    }
}

/// Writes the imported files into `dir`, refusing to overwrite without `force`.
/// All files or none: if one of them exists (without `force`), nothing is written.
pub fn write_files(dir: &Path, files: &[(String, String)], force: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let files: Vec<(std::path::PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(id, text)| (dir.join(format!("{id}.toml")), text.as_bytes().to_vec()))
        .collect();
    crate::output::write_all(&files, force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_by_the_line_they_start_on() {
        for text in [
            "h;a\r\n1;2\r\n3;4\r\n",
            "h;a\n1;2\n3;4\n",
            "h;a\r\n\r\n1;2\r\n3;4\r\n",
        ] {
            let mut reader = Dialect::Excel.reader(text);
            let lines: Vec<u64> = reader
                .records()
                .map(|r| line_at(text, r.unwrap().position().unwrap().byte()))
                .collect();
            let want = if text.contains("\r\n\r\n") {
                [3, 4]
            } else {
                [2, 3]
            };
            assert_eq!(lines, want, "{text:?}");
        }
        let text = "h;a\r\n1;\"two\r\nlines\"\r\n3;4\r\n";
        let mut reader = Dialect::Excel.reader(text);
        let lines: Vec<u64> = reader
            .records()
            .map(|r| line_at(text, r.unwrap().position().unwrap().byte()))
            .collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn excel_numbers_may_have_a_decimal_comma() {
        assert_eq!(decimal("7,25", Dialect::Excel), "7.25");
        assert_eq!(decimal("7.25", Dialect::Excel), "7.25");
        assert_eq!(
            decimal("1.000,5", Dialect::Excel),
            "1.000,5",
            "left to the check"
        );
        assert_eq!(decimal("7,25", Dialect::Rfc4180), "7,25");
        assert_eq!(
            typed_value("price_eur_month", "4,5", Dialect::Excel),
            toml::Value::Float(4.5)
        );
        assert_eq!(
            typed_value("max_participants", "25", Dialect::Excel),
            toml::Value::Integer(25)
        );
    }
}
