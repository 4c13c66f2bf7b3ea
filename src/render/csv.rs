//! `--format csv`: one row per tool and offering, for an office's own spreadsheet; and the
//! CSV dialects shared with `catalog export` and `catalog import`.

use crate::report::{Report, Status};
use crate::vocab::Lang;

/// How CSV is written. Both end lines with CRLF and quote cells only where needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// For Excel with German settings: UTF-8 with BOM, `;` between cells, decimal comma
    Excel,
    /// RFC 4180: no BOM, `,` between cells, decimal point
    Rfc4180,
}

/// The byte order mark that tells Excel the file is UTF-8.
const BOM: &str = "\u{feff}";

impl Dialect {
    /// The dialect that suits a report's language: German Excel expects `;` and the decimal
    /// comma, English programs the RFC 4180 defaults.
    pub fn for_lang(lang: Lang) -> Self {
        match lang {
            Lang::De => Dialect::Excel,
            Lang::En => Dialect::Rfc4180,
        }
    }

    /// The byte between cells.
    pub fn delimiter(self) -> u8 {
        match self {
            Dialect::Excel => b';',
            Dialect::Rfc4180 => b',',
        }
    }

    /// The dialect of a CSV text, told by its header line: more `;` than `,` is Excel's.
    pub fn detect(text: &str) -> Self {
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let header = text.lines().next().unwrap_or("");
        if header.matches(';').count() > header.matches(',').count() {
            Dialect::Excel
        } else {
            Dialect::Rfc4180
        }
    }

    /// A number as the dialect writes it: `84.89` becomes `84,89` for Excel.
    pub fn number(self, text: String) -> String {
        match self {
            Dialect::Excel => text.replace('.', ","),
            Dialect::Rfc4180 => text,
        }
    }

    /// A writer into memory, the BOM already written if the dialect has one.
    pub(crate) fn writer(self) -> csv::Writer<Vec<u8>> {
        let start = match self {
            Dialect::Excel => BOM.as_bytes().to_vec(),
            Dialect::Rfc4180 => Vec::new(),
        };
        csv::WriterBuilder::new()
            .delimiter(self.delimiter())
            .terminator(csv::Terminator::CRLF)
            .from_writer(start)
    }

    /// A reader of this dialect's cells (the BOM, if any, must be gone already).
    pub(crate) fn reader(self, text: &str) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter())
            .from_reader(text.as_bytes())
    }
}

/// The text a [`Dialect::writer`] wrote.
pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().expect("flushing to memory"))
        .expect("CSV of UTF-8 strings is UTF-8")
}

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
pub fn render(report: &Report, dialect: Dialect) -> String {
    let mut w = dialect.writer();
    let number = |text: String| dialect.number(text);
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
            r.price_eur_month
                .map(|p| number(p.to_string()))
                .unwrap_or_default(),
            number(format!("{:.2}", r.score)),
            status_word(r.status).into(),
            r.verify.join(" "),
        ];
        row.extend(r.contributions.iter().map(|c| number(c.score.to_string())));
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
                o.score
                    .map(|s| number(format!("{s:.2}")))
                    .unwrap_or_default(),
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
    finish(w)
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
        assert_eq!(
            plain("''twice"),
            "'twice",
            "exactly one apostrophe comes off"
        );
    }

    #[test]
    fn the_header_line_tells_the_dialect() {
        assert_eq!(
            Dialect::detect("\u{feff}rank;tool;name\r\n1;a,b;c"),
            Dialect::Excel
        );
        assert_eq!(Dialect::detect("rank;tool\n"), Dialect::Excel);
        assert_eq!(
            Dialect::detect("rank,tool,name\r\n1,\"a;b;c;d\",x"),
            Dialect::Rfc4180
        );
        assert_eq!(Dialect::detect(""), Dialect::Rfc4180);
    }

    #[test]
    fn each_dialect_writes_what_its_readers_expect() {
        for (dialect, want) in [
            (Dialect::Excel, "\u{feff}a;\"b;c\";1,5\r\n"),
            (Dialect::Rfc4180, "a,b;c,1.5\r\n"),
        ] {
            let mut w = dialect.writer();
            write_row(&mut w, ["a", "b;c", &dialect.number("1.5".into())]);
            assert_eq!(finish(w), want);
        }
    }
}
