//! `--format csv`: one row per tool and offering, for an office's own spreadsheet.

use crate::report::{Report, Status};

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
    w.write_record(&header).expect("writing to memory");
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
        w.write_record(&row).expect("writing to memory");
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
            w.write_record(&row).expect("writing to memory");
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
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory"))
        .expect("CSV of UTF-8 strings is UTF-8")
}
