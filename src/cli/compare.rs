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
        CompareFormat::Table => {
            let width = if args.output.is_none() && std::io::stdout().is_terminal() {
                comfy_table::Table::new().width()
            } else {
                None
            };
            let mut table = render::table::new_table(width);
            let mut header = vec![if lang == Lang::De {
                "Angabe".to_string()
            } else {
                "Fact".to_string()
            }];
            header.extend(cmp.tools.iter().map(|t| t.name.clone()));
            table.set_header(header);
            for row in &cmp.rows {
                let mut cells = vec![row.label.clone()];
                cells.extend(row.cells.iter().map(|c| c.text.clone()));
                table.add_row(cells);
            }
            let mut text = table.to_string();
            text.push('\n');
            let sources = if lang == Lang::De {
                "Quellen"
            } else {
                "Sources"
            };
            text.push_str(&format!(
                "\n{sources}: konf-wahl show <id>, konf-wahl compare --format markdown\n"
            ));
            text
        }
    };
    emit(
        args.output.as_deref(),
        &text,
        args.force,
        format == CompareFormat::Table,
    )?;
    Ok(ExitCode::SUCCESS)
}
