//! `check`: validates the data and reports how current and complete the catalog is.

use super::*;

pub(super) fn check(args: &CheckArgs, quiet: bool) -> Result<ExitCode> {
    let catalog = Catalog::load(args.data.catalog.as_deref());
    let criteria = Criteria::load(args.data.criteria.as_deref());
    let mut problems = Vec::new();
    if let Err(Diagnostics(d)) = &catalog {
        problems.extend(d.iter().cloned());
    }
    match &criteria {
        Err(Diagnostics(d)) => problems.extend(d.iter().cloned()),
        Ok(c) => problems.extend(rules::check(c)),
    }
    if !problems.is_empty() {
        return Err(anyhow::Error::new(Diagnostics(problems))
            .context("the catalog or criteria are invalid"));
    }
    let catalog = catalog.expect("checked above");
    let criteria = criteria.expect("checked above");
    let as_of = requested_date(args.date.as_deref())?.unwrap_or_else(today);
    let health = crate::health::examine(&catalog, as_of, args.max_age);

    let mut warnings = Vec::new();
    for t in &health.stale {
        warnings.push(format!(
            "{}: {} facts rest on evidence older than {} months ({} of them decisive; oldest from {})",
            t.origin, t.facts, args.max_age, t.decisive, t.oldest
        ));
    }
    for f in &health.checked_in_future {
        warnings.push(format!("{f} has a check date after {as_of}"));
    }
    for tool in catalog.tools.values() {
        let missing = tool.sources.values().filter(|s| s.kind.is_none()).count();
        if missing > 0 {
            warnings.push(format!(
                "{}: {missing} sources have no `kind` (vendor, operator, authority, self_help, research, news, blog_forum, copy)",
                tool.origin
            ));
        }
    }
    let mut out = String::new();
    if args.unknowns {
        for tool in catalog.tools.values() {
            // Decisive unknowns first: they are what turns an offering into a question.
            let mut lines = std::collections::BTreeMap::new();
            for o in &tool.offerings {
                for (key, fact) in o.facts.iter() {
                    if fact.value.is_none() {
                        let decisive = crate::catalog::DECISIVE_FACTS.contains(&key.as_str());
                        let entry = lines
                            .entry((
                                !decisive,
                                key.clone(),
                                fact.note.clone().unwrap_or_default(),
                            ))
                            .or_insert_with(Vec::new);
                        entry.push(o.id.clone());
                    }
                }
                for key in crate::catalog::DECISIVE_FACTS {
                    if !o.facts.contains_key(*key)
                        && crate::health::in_use(tool, o)
                        && crate::health::applies(key, o)
                    {
                        lines
                            .entry((false, key.to_string(), "not in the catalog entry".into()))
                            .or_insert_with(Vec::new)
                            .push(o.id.clone());
                    }
                }
            }
            if lines.is_empty() {
                continue;
            }
            writeln!(out, "{} ({} unknown):", tool.id, lines.len())?;
            for ((other, key, note), offerings) in lines {
                let scope = if offerings.len() == tool.offerings.len() {
                    String::new()
                } else {
                    format!(" [{}]", offerings.join(", "))
                };
                let mark = if other { "" } else { " (decisive)" };
                writeln!(out, "  {key}{mark}{scope}: {note}")?;
            }
        }
    }
    if !quiet {
        for w in &warnings {
            output::eprint_line(&format!("warning: {w}"));
        }
    }
    let (oldest, newest) = health
        .checked_range
        .map_or(("–".into(), "–".into()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
    writeln!(
        out,
        "catalog ok: {} tools ({} retired), {} offerings, {} facts, {} unknown ({} %); checked {oldest} to {newest}; {} criteria; {} warnings (as of {as_of}, limit {} months)",
        health.tools,
        health.retired,
        health.offerings,
        health.facts,
        health.unknown,
        crate::health::percent(health.unknown, health.facts),
        criteria.list.len(),
        warnings.len(),
        args.max_age
    )?;
    let (n, u) = health.decisive_totals();
    writeln!(
        out,
        "decisive facts of the offerings in use: {n}, unknown or uncertain {u} ({} %)",
        crate::health::percent(u, n)
    )?;
    for d in &health.decisive {
        writeln!(
            out,
            "  {:<22} {:>3} of {:>3} unknown, {:>2} uncertain ({} %)",
            d.key,
            d.unknown,
            d.offerings,
            d.weak,
            d.percent()
        )?;
    }
    let kinds = health
        .sources_by_kind
        .iter()
        .map(|(k, n)| format!("{} {n}", k.map_or("no kind", |k| k.word())))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        out,
        "sources: {} ({kinds}); {} undated",
        health.sources, health.undated_sources
    )?;
    writeln!(
        out,
        "decisive facts resting only on a blog, forum or copy (counted as uncertain): {}",
        health.weak_facts.len()
    )?;
    for w in &health.weak_facts {
        writeln!(out, "  {w}")?;
    }
    output::write_terminal(&out)?;
    if args.strict && !warnings.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
