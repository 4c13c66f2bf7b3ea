//! `--format csv`: one row per tool and offering, for an office's own spreadsheet.

use crate::report::{Report, Status};

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would run as a formula, so it gets a leading apostrophe (as do cells that
/// start with one, so that [`plain`] can undo it exactly).
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// A cell as read back: the apostrophe [`cell`] added is removed.
pub fn plain(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}

/// Writes one row, every cell made safe for spreadsheets.
pub(crate) fn write_row<I, S>(w: &mut csv::Writer<Vec<u8>>, row: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let row: Vec<String> = row
        .into_iter()
        .map(|c| cell(c.as_ref()).into_owned())
        .collect();
    w.write_record(&row).expect("writing to memory");
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Fits => "fits",
        Status::Verify => "verify",
        Status::Excluded => "excluded",
    }
}

/// The CSV text: rank, tool, offering, score, per-criterion scores and the exclusion reason.
/// Offerings that are out have no rank and score; retired or forbidden tools get one row.
pub fn render(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "rank".to_string(),
        "tool".into(),
        "name".into(),
        "offering".into(),
        "offering_name".into(),
        "price_eur_month".into(),
        "score".into(),
        "status".into(),
        "verify".into(),
    ];
    header.extend(report.criteria.iter().map(|c| c.id.clone()));
    header.push("excluded_because".into());
    write_row(&mut w, &header);
    let blank_criteria = || vec![String::new(); report.criteria.len()];
    for r in &report.ranking {
        let mut row = vec![
            r.rank.to_string(),
            r.tool.clone(),
            r.name.clone(),
            r.offering.clone(),
            r.offering_name.clone(),
            r.price_eur_month.map(|p| p.to_string()).unwrap_or_default(),
            format!("{:.2}", r.score),
            status_word(r.status).into(),
            r.verify.join(" "),
        ];
        row.extend(r.contributions.iter().map(|c| format!("{}", c.score)));
        row.push(String::new());
        write_row(&mut w, &row);
        for o in &r.other_offerings {
            let mut row = vec![
                String::new(),
                r.tool.clone(),
                r.name.clone(),
                o.offering.clone(),
                o.name.clone(),
                String::new(),
                o.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
                status_word(o.status).into(),
                o.verify.join(" "),
            ];
            row.extend(blank_criteria());
            row.push(o.reasons.join(" "));
            write_row(&mut w, &row);
        }
    }
    for e in &report.excluded {
        let mut row = vec![
            String::new(),
            e.tool.clone(),
            e.name.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "excluded".into(),
            String::new(),
        ];
        row.extend(blank_criteria());
        row.push(e.reasons.join(" "));
        write_row(&mut w, &row);
    }
    String::from_utf8(w.into_inner().expect("flushing to memory"))
        .expect("CSV of UTF-8 strings is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_text_and_read_back_unchanged() {
        for text in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "'quoted",
            "\tx",
        ] {
            let written = cell(text);
            assert!(written.starts_with('\''), "{text}");
            assert_eq!(plain(&written), text);
        }
        assert_eq!(cell("Jitsi Meet"), "Jitsi Meet");
        assert_eq!(plain("Jitsi Meet"), "Jitsi Meet");
    }
}
