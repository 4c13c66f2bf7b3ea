//! The terminal table: rank, tool, offering, score and the strongest reasons, then the
//! excluded tools with their first reason. Plain characters, fixed width when not on a
//! terminal, so piped output is the same on every machine.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use crate::format;
use crate::report::{RankedTool, Report, Status};
use crate::vocab::Lang;

/// Width used when stdout is not a terminal (and in tests).
pub const DEFAULT_WIDTH: u16 = 110;

/// A table in the house style: the terminal's `width`, or a fixed width without a terminal.
pub(crate) fn new_table(width: Option<u16>) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    match width {
        Some(w) => {
            table.set_width(w);
        }
        None => {
            table.force_no_tty();
            table.set_width(DEFAULT_WIDTH);
        }
    }
    table
}

fn bullets(lines: &[String]) -> String {
    lines
        .iter()
        .map(|s| format!("• {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rank, tool, offering with its price, score, and a last column of sentences.
fn ranking_table(
    rows: &[&RankedTool],
    width: Option<u16>,
    lang: Lang,
    last: impl Fn(&RankedTool) -> String,
) -> String {
    let de = lang == Lang::De;
    let mut table = new_table(width);
    let header = match (de, rows.first().map(|r| r.status)) {
        (true, Some(Status::Verify)) => ["Rang", "Werkzeug", "Angebot", "Punkte", "Vorher klären"],
        (true, _) => ["Rang", "Werkzeug", "Angebot", "Punkte", "Warum"],
        (false, Some(Status::Verify)) => ["Rank", "Tool", "Offering", "Score", "Clarify first"],
        (false, _) => ["Rank", "Tool", "Offering", "Score", "Why"],
    };
    table.set_header(header);
    for r in rows {
        let mut offering = r.offering_name.clone();
        if let Some(price) = r.price_eur_month {
            offering = format!(
                "{offering}, {}/{}",
                format::eur(price, lang),
                if de { "Monat" } else { "month" }
            );
        }
        table.add_row(vec![
            Cell::new(r.rank).set_alignment(CellAlignment::Right),
            Cell::new(&r.name),
            Cell::new(offering),
            Cell::new(format::score(r.score, lang)).set_alignment(CellAlignment::Right),
            Cell::new(last(r)),
        ]);
    }
    let mut out = table.to_string();
    out.push('\n');
    out
}

/// Renders the report; `width` is the terminal width, `None` for a fixed layout.
pub fn render(report: &Report, width: Option<u16>) -> String {
    let lang = report.lang;
    let de = lang == Lang::De;
    let mut out = String::new();
    let title = match (&report.group, de) {
        (Some(g), true) => format!("Empfehlung für „{g}“"),
        (Some(g), false) => format!("Recommendation for “{g}”"),
        (None, true) => "Empfehlung".to_string(),
        (None, false) => "Recommendation".to_string(),
    };
    out.push_str(&title);
    out.push('\n');

    let (fits, open): (Vec<&RankedTool>, Vec<&RankedTool>) = report
        .ranking
        .iter()
        .partition(|r| r.status == Status::Fits);
    if report.ranking.is_empty() {
        out.push_str(if de {
            "Kein Werkzeug im Katalog erfüllt alle Ausschlusskriterien Ihrer Gruppe.\n"
        } else {
            "No tool in the catalog passes all of your group's knock-out criteria.\n"
        });
    }
    if !fits.is_empty() {
        out.push_str(&ranking_table(&fits, width, lang, |r| {
            if r.strengths.is_empty() {
                "–".to_string()
            } else {
                bullets(&r.strengths)
            }
        }));
    }
    if !open.is_empty() {
        out.push('\n');
        out.push_str(match (fits.is_empty(), de) {
            (true, true) => "Nach den bekannten Angaben passt kein Werkzeug sicher. Am nächsten kommen diese – vorher klären:\n",
            (true, false) => "On the known facts no tool is sure to fit. These come closest – clarify first:\n",
            (false, true) => "Kommt vielleicht in Frage – vorher klären:\n",
            (false, false) => "May be an option – clarify first:\n",
        });
        out.push_str(&ranking_table(&open, width, lang, |r| bullets(&r.verify)));
    }

    if !report.excluded.is_empty() {
        out.push('\n');
        out.push_str(if de { "Ausgeschlossen\n" } else { "Excluded\n" });
        let mut table = new_table(width);
        table.set_header(if de {
            ["Werkzeug", "Grund"]
        } else {
            ["Tool", "Reason"]
        });
        for e in &report.excluded {
            let mut reason = e.reasons.first().cloned().unwrap_or_default();
            if e.reasons.len() > 1 {
                let more = e.reasons.len() - 1;
                reason.push_str(&if de {
                    format!(" (+{more} weitere)")
                } else {
                    format!(" (+{more} more)")
                });
            }
            table.add_row(vec![Cell::new(&e.name), Cell::new(reason)]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    if let Some(a) = &report.analysis {
        out.push('\n');
        out.push_str(if de {
            "Wie sicher ist diese Empfehlung?\n"
        } else {
            "How certain is this advice?\n"
        });
        out.push_str(&a.summary);
        out.push('\n');
        let mut table = new_table(width);
        table.set_header(if de {
            [
                "Werkzeug",
                "vorn in",
                "Rang",
                "unbekannt",
                "schlechtester/bester Fall",
            ]
        } else {
            ["Tool", "first in", "rank", "unknown", "worst/best case"]
        });
        for t in a.tools.iter().take(8) {
            table.add_row(vec![
                Cell::new(&t.name),
                Cell::new(format!("{} %", format::score(t.first_percent, lang)))
                    .set_alignment(CellAlignment::Right),
                Cell::new(if t.rank_min == t.rank_max {
                    t.rank_min.to_string()
                } else {
                    format!("{}–{}", t.rank_min, t.rank_max)
                }),
                Cell::new(format!("{} P.", format::score(t.unknown_points, lang)))
                    .set_alignment(CellAlignment::Right),
                Cell::new(format!(
                    "{} / {}",
                    format::score(t.worst_case, lang),
                    format::score(t.best_case, lang)
                )),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        for t in &a.tipping_points {
            out.push_str(&format!("• {}\n", t.sentence));
        }
        out.push_str(&if de {
            format!(
                "({} Stichproben der Gewichte, Startwert {})\n",
                a.samples, a.seed
            )
        } else {
            format!("({} weight samples, seed {})\n", a.samples, a.seed)
        });
    }
    if let Some((r, date)) = report
        .ranking
        .first()
        .and_then(|r| r.evidence_date.map(|d| (r, d)))
    {
        out.push('\n');
        out.push_str(&if de {
            format!(
                "Stand der entscheidenden Angaben zu {}: {} (älteste Quelle).\n",
                r.name,
                format::month_year(date, lang)
            )
        } else {
            format!(
                "Decisive facts about {} as of {} (oldest source).\n",
                r.name,
                format::month_year(date, lang)
            )
        });
    }
    if let Some(date) = report.freshness.catalog_date {
        out.push('\n');
        out.push_str(&if de {
            format!("Stand der Katalogangaben: {date}. Angaben zu Preisen und Grenzen ändern sich; prüfen Sie sie vor der Entscheidung.\n")
        } else {
            format!("Catalog facts as of {date}. Prices and limits change; check them before deciding.\n")
        });
    }
    out
}
