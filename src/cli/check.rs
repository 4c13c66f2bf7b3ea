//! `check`: validates the data and reports how current and complete the catalog is.

use super::*;

pub(super) fn check(args: &CheckArgs, quiet: bool) -> Result<ExitCode> {
    let catalog = Catalog::load_fresh(args.data.catalog.as_deref());
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
    let model = crate::inspect::check::check(
        &catalog,
        criteria.list.len(),
        as_of,
        args.max_age,
        args.unknowns,
        args.data.lang,
    );
    if !quiet {
        let lang = crate::wording::messages_lang();
        for w in &model.warnings {
            let text = w.sentence(args.max_age, as_of, lang);
            output::eprint_line(&crate::say!(lang, "term.check.warning", text = text));
        }
    }
    show_model(args.format, &model, |m, width| m.render_terminal(width))?;
    if args.strict && !model.warnings.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
