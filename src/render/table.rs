//! The terminal table: rank, tool, offering, score and the strongest reasons, then the
//! excluded tools with their first reason. Plain characters, fixed width when not on a
//! terminal, so piped output is the same on every machine.
//!
//! Also the layout helpers every terminal view shares: the width to lay out for, tables whose
//! columns are never narrower than their longest word (so no word is ever cut in two), and
//! text wrapped at spaces for the compact layouts used where a table would not fit.

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use crate::format;
use crate::report::{RankedTool, Report, Status};
use crate::say;
use crate::vocab::Lang;
use crate::wording;

/// Width used when stdout is not a terminal (and in tests).
pub const DEFAULT_WIDTH: u16 = 110;

/// Below this width, views with many columns (`compare`, `why`) switch to one block per
/// entry instead of a table whose columns would be a word or two wide.
pub const NARROW_WIDTH: usize = 100;

/// The narrowest layout: below this, text would be one word a line anyway.
const MIN_WIDTH: u16 = 20;

/// The width to lay out terminal text for, when it goes to stdout (`to_stdout`): `COLUMNS`
/// when it is set to a number (as `ls` and `man` do, so a script or a test can ask for a
/// width), else the terminal's width, else `None`, the fixed [`DEFAULT_WIDTH`] that keeps
/// piped output the same everywhere. A file written with `-o` always gets the fixed width.
pub fn stdout_width(to_stdout: bool) -> Option<u16> {
    if !to_stdout {
        return None;
    }
    let columns = std::env::var("COLUMNS").ok();
    width_from(columns.as_deref(), || {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            Table::new().width()
        } else {
            None
        }
    })
}

fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<u16>) -> Option<u16> {
    match columns.and_then(|c| c.trim().parse::<u16>().ok()) {
        Some(w) if w > 0 => Some(w.max(MIN_WIDTH)),
        _ => terminal().map(|w| w.max(MIN_WIDTH)),
    }
}

/// The width in columns a layout may use: the terminal's, or the fixed one.
pub fn layout_width(width: Option<u16>) -> usize {
    usize::from(width.unwrap_or(DEFAULT_WIDTH).max(MIN_WIDTH))
}

/// A table in the house style: the terminal's `width`, or a fixed width without a terminal.
pub(crate) fn new_table(width: Option<u16>) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    match width {
        Some(w) => {
            table.set_width(w.max(MIN_WIDTH));
        }
        None => {
            table.force_no_tty();
            table.set_width(DEFAULT_WIDTH);
        }
    }
    table
}

/// The table as text (ending in a newline) if every column can be at least as wide as its
/// longest word within the width; `None` if not, and the caller lays the rows out as blocks.
/// comfy-table cuts a word that is wider than its column; with these lower bounds it only
/// ever breaks lines at spaces.
pub(crate) fn fitted(mut table: Table, width: Option<u16>) -> Option<String> {
    let columns = table.column_count();
    let longest: Vec<usize> = (0..columns)
        .map(|i| {
            table
                .column_cells_with_header_iter(i)
                .flatten()
                .flat_map(|cell| {
                    cell.content()
                        .split_whitespace()
                        .map(text_width)
                        .collect::<Vec<_>>()
                })
                .max()
                .unwrap_or(1)
                .max(1)
        })
        .collect();
    // Each column has one space of padding on either side; borders left, right and between.
    let needed: usize = longest.iter().map(|w| w + 2).sum::<usize>() + columns + 1;
    if needed > layout_width(width) {
        return None;
    }
    for (i, w) in longest.iter().enumerate() {
        if let Some(column) = table.column_mut(i) {
            let lower = u16::try_from(w + 2).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(lower)));
        }
    }
    let mut text = table.to_string();
    text.push('\n');
    Some(text)
}

/// Display width of terminal text: one column a character, two for East Asian wide
/// characters and emoji, none for combining marks and zero-width characters.
pub(crate) fn text_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// `text` broken at spaces into lines of at most `width` columns, for the terminal: the first
/// line starts with `first`, every further line with `rest` (both count towards the width).
/// A word longer than a line stands alone on its line and is never cut (a web address stays
/// whole). Line breaks in the text start a new line. Every line ends in a newline.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut prefix = first;
    for paragraph in text.split('\n') {
        let mut line = String::from(prefix);
        let mut used = text_width(prefix);
        let start = used;
        for word in paragraph.split_whitespace() {
            let w = text_width(word);
            if used > start && used + 1 + w > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(rest);
                used = text_width(rest);
            } else if used > start {
                line.push(' ');
                used += 1;
            }
            line.push_str(word);
            used += w;
        }
        out.push_str(line.trim_end());
        out.push('\n');
        prefix = rest;
    }
    out
}

/// Spaces to indent continuation lines under a prefix such as `"- "` or `"1. "`.
pub(crate) fn indent_for(prefix: &str) -> String {
    " ".repeat(text_width(prefix))
}

fn bullets(lines: &[String]) -> String {
    lines
        .iter()
        .map(|s| format!("• {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The offering with its price, as the ranking shows it.
fn offering_text(r: &RankedTool, lang: Lang) -> String {
    match r.price_eur_month {
        Some(price) => say!(
            lang,
            "term.recommend.offering_price",
            offering = r.offering_name,
            price = format::eur(price, lang)
        ),
        None => r.offering_name.clone(),
    }
}

/// Rank, tool, offering with its price, score, and a last column of sentences; one block per
/// tool where the table would not fit.
fn ranking_table(
    rows: &[&RankedTool],
    width: Option<u16>,
    lang: Lang,
    last: impl Fn(&RankedTool) -> Vec<String>,
) -> String {
    let last_header = match rows.first().map(|r| r.status) {
        Some(Status::Verify) => wording::text(lang, "term.col.clarify"),
        _ => wording::text(lang, "term.col.why"),
    };
    let mut table = new_table(width);
    table.set_header([
        wording::text(lang, "term.col.rank"),
        wording::text(lang, "term.col.tool"),
        wording::text(lang, "term.col.offering"),
        wording::text(lang, "term.col.score"),
        last_header,
    ]);
    for r in rows {
        let reasons = last(r);
        table.add_row(vec![
            Cell::new(r.rank).set_alignment(CellAlignment::Right),
            Cell::new(&r.name),
            Cell::new(offering_text(r, lang)),
            Cell::new(format::score(r.score, lang)).set_alignment(CellAlignment::Right),
            Cell::new(if reasons.is_empty() {
                "–".to_string()
            } else {
                bullets(&reasons)
            }),
        ]);
    }
    let total = layout_width(width);
    if total >= NARROW_WIDTH
        && let Some(text) = fitted(table, width)
    {
        return text;
    }
    let mut out = String::new();
    for r in rows {
        let head = format!("{}. ", r.rank);
        let rest = indent_for(&head);
        let title = say!(
            lang,
            "term.recommend.block_title",
            tool = r.name,
            score = format::score(r.score, lang)
        );
        out.push_str(&wrap(&title, total, &head, &rest));
        out.push_str(&wrap(&offering_text(r, lang), total, &rest, &rest));
        for reason in last(r) {
            out.push_str(&wrap(
                &reason,
                total,
                &format!("{rest}• "),
                &format!("{rest}  "),
            ));
        }
    }
    out
}

/// Renders the report; `width` is the terminal width, `None` for a fixed layout.
pub fn render(report: &Report, width: Option<u16>) -> String {
    let lang = report.lang;
    let total = layout_width(width);
    let mut out = String::new();
    let title = match &report.group {
        Some(g) => say!(lang, "term.recommend.title_group", group = g),
        None => say!(lang, "term.recommend.title"),
    };
    out.push_str(&wrap(&title, total, "", ""));

    let (fits, open): (Vec<&RankedTool>, Vec<&RankedTool>) = report
        .ranking
        .iter()
        .partition(|r| r.status == Status::Fits);
    if report.ranking.is_empty() {
        out.push_str(&wrap(
            wording::text(lang, "term.recommend.none_fits"),
            total,
            "",
            "",
        ));
    }
    if !fits.is_empty() {
        out.push_str(&ranking_table(&fits, width, lang, |r| r.strengths.clone()));
    }
    if !open.is_empty() {
        out.push('\n');
        let heading = if fits.is_empty() {
            wording::text(lang, "term.recommend.verify_only")
        } else {
            wording::text(lang, "term.maybe_clarify_first")
        };
        out.push_str(&wrap(heading, total, "", ""));
        out.push_str(&ranking_table(&open, width, lang, |r| r.verify.clone()));
    }

    if !report.excluded.is_empty() {
        out.push('\n');
        out.push_str(wording::text(lang, "term.recommend.excluded"));
        out.push('\n');
        let reason = |e: &crate::report::ExcludedTool| {
            let mut reason = e.reasons.first().cloned().unwrap_or_default();
            if e.reasons.len() > 1 {
                reason.push(' ');
                reason.push_str(&say!(
                    lang,
                    "term.recommend.more_reasons",
                    more = e.reasons.len() - 1
                ));
            }
            reason
        };
        let mut table = new_table(width);
        table.set_header([
            wording::text(lang, "term.col.tool"),
            wording::text(lang, "term.col.reason"),
        ]);
        for e in &report.excluded {
            table.add_row(vec![Cell::new(&e.name), Cell::new(reason(e))]);
        }
        match fitted(table, width).filter(|_| total >= NARROW_WIDTH) {
            Some(text) => out.push_str(&text),
            None => {
                for e in &report.excluded {
                    let line = format!("{} – {}", e.name, reason(e));
                    out.push_str(&wrap(&line, total, "- ", "  "));
                }
            }
        }
    }
    if let Some(a) = &report.analysis {
        out.push('\n');
        out.push_str(wording::text(lang, "term.recommend.certainty"));
        out.push('\n');
        out.push_str(&wrap(&a.summary, total, "", ""));
        let cells = |t: &crate::analysis::ToolSensitivity| {
            [
                say!(
                    lang,
                    "term.recommend.percent",
                    value = format::score(t.first_percent, lang)
                ),
                if t.rank_min == t.rank_max {
                    t.rank_min.to_string()
                } else {
                    format!("{}–{}", t.rank_min, t.rank_max)
                },
                say!(
                    lang,
                    "term.recommend.points_short",
                    value = format::score(t.unknown_points, lang)
                ),
                format!(
                    "{} / {}",
                    format::score(t.worst_case, lang),
                    format::score(t.best_case, lang)
                ),
            ]
        };
        let headers = [
            wording::text(lang, "term.col.first_in"),
            wording::text(lang, "term.col.rank"),
            wording::text(lang, "term.col.unknown"),
            wording::text(lang, "term.col.cases"),
        ];
        let mut table = new_table(width);
        let mut header = vec![wording::text(lang, "term.col.tool")];
        header.extend(headers);
        table.set_header(header);
        for t in a.tools.iter().take(8) {
            let [first, rank, unknown, cases] = cells(t);
            table.add_row(vec![
                Cell::new(&t.name),
                Cell::new(first).set_alignment(CellAlignment::Right),
                Cell::new(rank),
                Cell::new(unknown).set_alignment(CellAlignment::Right),
                Cell::new(cases),
            ]);
        }
        match fitted(table, width) {
            Some(text) => out.push_str(&text),
            None => {
                for t in a.tools.iter().take(8) {
                    let line = headers
                        .iter()
                        .zip(cells(t))
                        .map(|(h, v)| format!("{h} {v}"))
                        .collect::<Vec<_>>()
                        .join(" · ");
                    out.push_str(&wrap(&format!("{}: {line}", t.name), total, "- ", "  "));
                }
            }
        }
        for t in &a.tipping_points {
            out.push_str(&wrap(&t.sentence, total, "• ", "  "));
        }
        out.push_str(&wrap(
            &say!(
                lang,
                "term.recommend.samples",
                samples = a.samples,
                seed = a.seed
            ),
            total,
            "",
            "",
        ));
    }
    if let Some((r, date)) = report
        .ranking
        .first()
        .and_then(|r| r.evidence_date.map(|d| (r, d)))
    {
        out.push('\n');
        let text = say!(
            lang,
            "term.recommend.evidence_date",
            tool = r.name,
            date = format::month_year(date, lang)
        );
        out.push_str(&wrap(&text, total, "", ""));
    }
    if let Some(date) = report.freshness.catalog_date {
        out.push('\n');
        let text = say!(
            lang,
            "term.recommend.catalog_date",
            date = format::long_date(date, lang)
        );
        out.push_str(&wrap(&text, total, "", ""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_asks_for_a_width_and_a_terminal_is_the_fallback() {
        assert_eq!(width_from(Some("80"), || Some(200)), Some(80));
        assert_eq!(width_from(Some(" 120 "), || None), Some(120));
        assert_eq!(width_from(Some("5"), || None), Some(MIN_WIDTH));
        assert_eq!(width_from(Some("wide"), || Some(90)), Some(90));
        assert_eq!(width_from(Some("0"), || None), None);
        assert_eq!(width_from(None, || None), None);
    }

    #[test]
    fn wrapping_breaks_at_spaces_only() {
        assert_eq!(
            wrap("eins zwei drei vier", 11, "- ", "  "),
            "- eins zwei\n  drei vier\n"
        );
        assert_eq!(
            wrap("Gemeinschafts-Server", 8, "", ""),
            "Gemeinschafts-Server\n"
        );
        assert_eq!(wrap("a\nb c", 80, "> ", "  "), "> a\n  b c\n");
        assert_eq!(wrap("", 80, "x", ""), "x\n");
        assert_eq!(text_width("Bürger·„Ä“"), 10);
        assert_eq!(text_width("会議"), 4);
    }

    /// At every width a table either keeps within it with every word whole, or says it does
    /// not fit.
    #[test]
    fn a_fitted_table_keeps_every_word_whole_and_within_the_width() {
        let words = [
            "Gemeinschafts-Server in Deutschland, z. B. meet.ffmuc.net",
            "Auftragsverarbeitungsvertrag",
            "• Teilnahme ohne Konto und ohne Anmeldung.\n• Server in Deutschland; der Betreiber unterliegt nur EU-Recht.",
            "86,8",
            "BigBlueButton für Vereine",
        ];
        for width in 20..=140u16 {
            let mut table = new_table(Some(width));
            table.set_header(["Rang", "Werkzeug", "Angebot", "Warum"]);
            table.add_row(vec![words[3], words[4], words[0], words[2]]);
            table.add_row(vec!["2", "Jitsi Meet", words[1], "–"]);
            let Some(text) = fitted(table, Some(width)) else {
                assert!(width < 90, "a table of four short columns fits at {width}");
                continue;
            };
            for line in text.lines() {
                assert!(text_width(line) <= usize::from(width), "{width}: {line}");
            }
            let flat: String = text
                .lines()
                .flat_map(|l| l.split(['│', '┆']))
                .collect::<Vec<_>>()
                .join(" ");
            for cell in words {
                for word in cell.split_whitespace() {
                    assert!(
                        flat.split_whitespace().any(|w| w == word),
                        "{width}: `{word}` is cut\n{text}"
                    );
                }
            }
        }
    }
}
