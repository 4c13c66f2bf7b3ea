//! `show`: every fact of one tool with its source and dates.

use super::*;

fn fact_line(
    out: &mut String,
    tool: &Tool,
    key: &str,
    fact: &Fact,
    lang: Lang,
) -> std::fmt::Result {
    let value = match &fact.value {
        Some(v) => v.display(lang),
        None => {
            if lang == Lang::De {
                "unbekannt".into()
            } else {
                "unknown".into()
            }
        }
    };
    let source = fact
        .src
        .as_ref()
        .and_then(|s| tool.sources.get(s))
        .map(|s| {
            let place = s.url.as_deref().or(s.document.as_deref()).unwrap_or("");
            format!("{place} ({})", s.published.as_str())
        })
        .unwrap_or_else(|| "–".into());
    let checked = if lang == Lang::De {
        "geprüft"
    } else {
        "checked"
    };
    write!(
        out,
        "    {key}: {value}  [{checked} {}; {source}]",
        fact.checked
    )?;
    if let Some(note) = &fact.note {
        write!(out, "\n        {note}")?;
    }
    writeln!(out)
}

pub(super) fn show(args: &ShowArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(&args.data)?;
    let tool = find_tool(&catalog, &args.tool)?;
    let lang = args.data.lang;
    let de = lang == Lang::De;
    let mut out = String::new();
    writeln!(
        out,
        "{} ({}) – {}",
        tool.name,
        tool.id,
        tool.kind.label(lang)
    )?;
    writeln!(out, "{}", tool.description.get(lang))?;
    if let Some(home) = &tool.homepage {
        writeln!(out, "{home}")?;
    }
    if let Some(r) = &tool.retired {
        writeln!(
            out,
            "{} {}{}",
            if de { "Eingestellt am" } else { "Retired on" },
            r.date,
            r.successor
                .as_ref()
                .map(|s| format!(" → {s}"))
                .unwrap_or_default()
        )?;
    }
    let keys = crate::catalog::all_fact_keys();
    for offering in &tool.offerings {
        writeln!(
            out,
            "\n{} `{}` ({}):",
            if de { "Angebot" } else { "Offering" },
            offering.id,
            offering.name.get(lang)
        )?;
        writeln!(out, "    hosting: {}", offering.hosting.label(lang))?;
        for key in &keys {
            if let Some(fact) = offering.facts.get(key) {
                fact_line(&mut out, tool, key, fact, lang)?;
            }
        }
    }
    if !tool.assessments.is_empty() {
        writeln!(out, "\n{}:", if de { "Bewertungen" } else { "Assessments" })?;
        for a in &tool.assessments {
            writeln!(
                out,
                "    {} ({}): {}",
                a.by,
                a.date.as_str(),
                a.verdict.get(lang)
            )?;
        }
    }
    if !tool.caveats.is_empty() {
        writeln!(out, "\n{}:", if de { "Hinweise" } else { "Caveats" })?;
        for c in &tool.caveats {
            writeln!(out, "    - {}", if de { &c.de } else { &c.en })?;
        }
    }
    writeln!(out, "\n{}:", if de { "Quellen" } else { "Sources" })?;
    for (key, s) in &tool.sources {
        let place = s.url.as_deref().or(s.document.as_deref()).unwrap_or("");
        writeln!(
            out,
            "    [{key}] {}{place} ({})",
            s.title
                .as_ref()
                .map(|t| format!("{t}: "))
                .unwrap_or_default(),
            s.published.as_str()
        )?;
    }
    output::write_terminal(&out)?;
    Ok(ExitCode::SUCCESS)
}
