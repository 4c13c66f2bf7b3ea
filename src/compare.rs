//! `konf-wahl compare`: tools side by side, fact by fact, with the source and check date of
//! every value, as a contact office would put it on one page.

use serde::Serialize;

use crate::catalog::{Catalog, Tool};
use crate::diag::Diagnostic;
use crate::say;
use crate::vocab::{AccessNeed, Feature, Lang};
use crate::wording;

/// The comparison model every format renders.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Language of labels and values.
    pub lang: Lang,
    /// The tools, in the order asked for.
    pub tools: Vec<ComparedTool>,
    /// One row per fact.
    pub rows: Vec<Row>,
}

/// A compared tool.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedTool {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Offerings, by name.
    pub offerings: Vec<String>,
    /// Retirement note, if retired.
    pub retired: Option<String>,
}

/// One fact for all tools.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Fact key.
    pub key: String,
    /// Readable label.
    pub label: String,
    /// One cell per tool.
    pub cells: Vec<CellValue>,
}

/// One tool's value(s) of a fact, with sources.
#[derive(Debug, Clone, Serialize)]
pub struct CellValue {
    /// The value; per offering where they differ.
    pub text: String,
    /// `title or url (checked date)` for each source behind the value.
    pub sources: Vec<String>,
    /// The distinct values with the offerings (by position in the tool) that have each, for
    /// the compact terminal layout; `text` says the same in words.
    #[serde(skip)]
    pub parts: Vec<(String, Vec<usize>)>,
}

/// A readable label of a fact key.
pub fn fact_label(key: &str, lang: Lang) -> String {
    if let Some(word) = key.strip_prefix("features.") {
        return Feature::from_word(word).map_or(word.to_string(), |f| f.label(lang).to_string());
    }
    if let Some(word) = key.strip_prefix("accessibility.") {
        let need = AccessNeed::from_word(word).map_or(word, |n| n.label(lang));
        return say!(lang, "term.fact.accessibility", need = need);
    }
    let label = match key {
        "price_eur_month" => wording::text(lang, "term.fact.price_eur_month"),
        "paid" => wording::text(lang, "term.fact.paid"),
        "max_participants" => wording::text(lang, "term.fact.max_participants"),
        "max_video_participants" => wording::text(lang, "term.fact.max_video_participants"),
        "max_minutes" => wording::text(lang, "term.fact.max_minutes"),
        "browser_join_desktop" => wording::text(lang, "term.fact.browser_join_desktop"),
        "browser_join_mobile" => wording::text(lang, "term.fact.browser_join_mobile"),
        "works_behind_firewall" => wording::text(lang, "term.fact.works_behind_firewall"),
        "account_to_join" => wording::text(lang, "term.fact.account_to_join"),
        "account_to_host" => wording::text(lang, "term.fact.account_to_host"),
        "app_desktop" => wording::text(lang, "term.fact.app_desktop"),
        "app_android" => wording::text(lang, "term.fact.app_android"),
        "app_ios" => wording::text(lang, "term.fact.app_ios"),
        "app_fdroid" => wording::text(lang, "term.fact.app_fdroid"),
        "dial_in" => wording::text(lang, "term.fact.dial_in"),
        "phone_only" => wording::text(lang, "term.fact.phone_only"),
        "dpa_offered" => wording::text(lang, "term.fact.dpa_offered"),
        "transport_encryption" => wording::text(lang, "term.fact.transport_encryption"),
        "e2ee" => wording::text(lang, "term.fact.e2ee"),
        "open_source" => wording::text(lang, "term.fact.open_source"),
        "licence" => wording::text(lang, "term.fact.licence"),
        "self_hostable" => wording::text(lang, "term.fact.self_hostable"),
        "admin_effort" => wording::text(lang, "term.fact.admin_effort"),
        "data_location" => wording::text(lang, "term.fact.data_location"),
        "operator" => wording::text(lang, "term.fact.operator"),
        "operator_seat" => wording::text(lang, "term.fact.operator_seat"),
        "german_ui" => wording::text(lang, "term.fact.german_ui"),
        "ease_of_use" => wording::text(lang, "term.fact.ease_of_use"),
        "eligible" => wording::text(lang, "term.fact.eligible"),
        "price_per_licence_eur_month" => {
            wording::text(lang, "term.fact.price_per_licence_eur_month")
        }
        "min_licences" => wording::text(lang, "term.fact.min_licences"),
        "works_for_participants" => wording::text(lang, "term.fact.works_for_participants"),
        "jurisdiction" => wording::text(lang, "term.fact.jurisdiction"),
        "service_status" => wording::text(lang, "term.fact.service_status"),
        "conditions_of_use" => wording::text(lang, "term.fact.conditions_of_use"),
        _ => key,
    };
    label.to_string()
}

fn cell(tool: &Tool, key: &str, lang: Lang) -> CellValue {
    let mut parts: Vec<(String, Vec<usize>)> = Vec::new();
    let mut sources = Vec::new();
    for (i, o) in tool.offerings.iter().enumerate() {
        let text = match o.facts.get(key) {
            None => "–".to_string(),
            Some(f) => {
                if let Some(src) = f
                    .src
                    .as_deref()
                    .and_then(|s| tool.sources.get(s).map(|r| (s, r)))
                {
                    let place = src
                        .1
                        .title
                        .clone()
                        .or_else(|| src.1.url.clone())
                        .or_else(|| src.1.document.clone())
                        .unwrap_or_else(|| src.0.to_string());
                    let line = say!(lang, "term.compare.source", place = place, date = f.checked);
                    if !sources.contains(&line) {
                        sources.push(line);
                    }
                }
                f.value.as_ref().map_or_else(
                    || wording::text(lang, "term.value.unknown").to_string(),
                    |v| v.display(lang),
                )
            }
        };
        match parts.iter_mut().find(|(t, _)| *t == text) {
            Some((_, offerings)) => offerings.push(i),
            None => parts.push((text, vec![i])),
        }
    }
    let text = if parts.len() == 1 {
        parts[0].0.clone()
    } else {
        parts
            .iter()
            .map(|(t, offerings)| {
                let names: Vec<&str> = offerings
                    .iter()
                    .map(|&i| tool.offerings[i].name.get(lang))
                    .collect();
                format!("{t} ({})", names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    CellValue {
        text,
        sources,
        parts,
    }
}

/// Builds the comparison; unknown ids are errors with a did-you-mean hint.
pub fn compare(catalog: &Catalog, ids: &[String], lang: Lang) -> Result<Comparison, Diagnostic> {
    let all: Vec<&str> = catalog.tools.keys().map(String::as_str).collect();
    let mut tools = Vec::new();
    for id in ids {
        let tool = catalog.tools.get(id).ok_or_else(|| {
            Diagnostic::new(
                "catalog",
                crate::say!(crate::wording::messages_lang(), "catalog.no_tool", id = id),
            )
            .suggest(id, &all)
        })?;
        tools.push(tool);
    }
    let rows = crate::catalog::all_fact_keys()
        .into_iter()
        .filter(|k| {
            tools
                .iter()
                .any(|t| t.offerings.iter().any(|o| o.facts.contains_key(k)))
        })
        .map(|key| Row {
            label: fact_label(&key, lang),
            cells: tools.iter().map(|t| cell(t, &key, lang)).collect(),
            key,
        })
        .collect();
    Ok(Comparison {
        lang,
        tools: tools
            .iter()
            .map(|t| ComparedTool {
                id: t.id.clone(),
                name: t.name.clone(),
                description: t.description.get(lang).to_string(),
                offerings: t
                    .offerings
                    .iter()
                    .map(|o| o.name.get(lang).to_string())
                    .collect(),
                retired: t.retired.as_ref().map(|r| {
                    say!(
                        lang,
                        "term.compare.retired",
                        date = crate::format::long_date(r.date, lang)
                    )
                }),
            })
            .collect(),
        rows,
    })
}

/// The letter that stands for a tool's `i`-th offering in the compact layout: A to Z, then
/// AA, AB, …
fn letter(i: usize) -> String {
    let mut n = i;
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (n % 26) as u8));
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.iter().rev().collect()
}

/// One tool's value of a fact in the compact layout: the value, or each value with the
/// letters of the offerings that have it, without spaces so a line never breaks inside them.
fn compact_cell(cell: &CellValue) -> String {
    if cell.parts.len() == 1 {
        return cell.parts[0].0.clone();
    }
    cell.parts
        .iter()
        .map(|(text, offerings)| {
            let letters: Vec<String> = offerings.iter().map(|&i| letter(i)).collect();
            format!("{text} ({})", letters.join(","))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The comparison for the terminal: first the tools' offerings with a letter each, then the
/// facts, where a tool's offerings differ as values with letters ("100 (A,B) · 300 (C)").
/// The facts are a table of facts by tools where the terminal is wide enough for every
/// word, else one line per fact where every tool has one value ("App für Computer: Zoom ja
/// · Jitsi Meet ja") and a short block per fact where offerings differ.
pub fn render_terminal(cmp: &Comparison, width: Option<u16>) -> String {
    use crate::render::table::{NARROW_WIDTH, fitted, layout_width, new_table, wrap};
    let lang = cmp.lang;
    let total = layout_width(width);
    let footer = wrap(
        wording::text(lang, "term.compare.sources_hint"),
        total,
        "",
        "",
    );
    let names: Vec<&str> = cmp.tools.iter().map(|t| t.name.as_str()).collect();
    let mut out = wrap(
        &say!(lang, "term.compare.title", tools = names.join(", ")),
        total,
        "",
        "",
    );
    out.push('\n');
    out.push_str(wording::text(lang, "term.compare.offerings"));
    out.push('\n');
    for t in &cmp.tools {
        let name = match &t.retired {
            Some(r) => format!("{} ({r})", t.name),
            None => t.name.clone(),
        };
        out.push_str(&wrap(&name, total, "", ""));
        for (i, o) in t.offerings.iter().enumerate() {
            let head = if t.offerings.len() == 1 {
                "  ".to_string()
            } else {
                format!("  {} ", letter(i))
            };
            out.push_str(&wrap(o, total, &head, &" ".repeat(head.len())));
        }
    }
    if cmp.tools.iter().any(|t| t.offerings.len() > 1) {
        out.push_str(&wrap(
            wording::text(lang, "term.compare.letters"),
            total,
            "",
            "",
        ));
    }
    if total >= NARROW_WIDTH {
        let mut table = new_table(width);
        let mut header = vec![wording::text(lang, "term.compare.fact").to_string()];
        header.extend(names.iter().map(|n| n.to_string()));
        table.set_header(header);
        for row in &cmp.rows {
            let mut cells = vec![row.label.clone()];
            cells.extend(row.cells.iter().map(compact_cell));
            table.add_row(cells);
        }
        if let Some(text) = fitted(table, width) {
            out.push('\n');
            out.push_str(&text);
            out.push('\n');
            out.push_str(&footer);
            return out;
        }
    }
    out.push('\n');
    for row in &cmp.rows {
        let single = row.cells.iter().all(|c| c.parts.len() == 1);
        let first = row.cells.first().map(|c| c.text.as_str());
        if single && row.cells.len() > 1 && row.cells.iter().all(|c| Some(c.text.as_str()) == first)
        {
            let value = say!(
                lang,
                "term.compare.same_for_all",
                value = first.unwrap_or("–")
            );
            out.push_str(&wrap(&format!("{}: {value}", row.label), total, "", "  "));
        } else if single {
            let values: Vec<String> = names
                .iter()
                .zip(&row.cells)
                .map(|(name, c)| format!("{name} {}", c.text))
                .collect();
            let line = format!("{}: {}", row.label, values.join(" · "));
            out.push_str(&wrap(&line, total, "", "  "));
        } else {
            out.push_str(&wrap(&row.label, total, "", ""));
            for (name, c) in names.iter().zip(&row.cells) {
                out.push_str(&wrap(
                    &format!("{name}: {}", compact_cell(c)),
                    total,
                    "  ",
                    "    ",
                ));
            }
        }
    }
    out.push('\n');
    out.push_str(&footer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offerings_are_lettered_like_spreadsheet_columns() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
