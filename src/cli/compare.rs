//! `compare`: tools side by side, fact by fact.

use super::*;

pub(super) fn compare(args: &CompareArgs) -> Result<ExitCode> {
    let format = resolve_format(
        "compare",
        args.format,
        args.output.as_deref(),
        CompareFormat::Table,
    )?;
    let (catalog, _) = load_data(&args.data)?;
    let lang = args.data.lang;
    let cmp = crate::compare::compare(&catalog, &args.tools, lang)?;
    let text = match format {
        CompareFormat::Json => {
            let mut t = serde_json::to_string_pretty(&cmp)?;
            t.push('\n');
            t
        }
        CompareFormat::Markdown | CompareFormat::Html => {
            let name = if format == CompareFormat::Html {
                "compare.html.j2"
            } else {
                "compare.md.j2"
            };
            Templates::new(None)?.render_with(
                name,
                lang,
                "cmp",
                minijinja::Value::from(minijinja::value::Serde(&cmp)),
            )?
        }
        CompareFormat::Table => crate::compare::render_terminal(
            &cmp,
            render::table::stdout_width(args.output.is_none()),
        ),
    };
    emit(
        args.output.as_deref(),
        &text,
        args.force,
        format == CompareFormat::Table,
    )?;
    Ok(ExitCode::SUCCESS)
}
