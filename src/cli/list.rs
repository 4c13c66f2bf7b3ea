//! `list`: the catalog, one line per tool.

use super::*;

pub(super) fn list(args: &DataArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(args)?;
    let lang = args.lang;
    let mut out = String::new();
    let width = catalog.tools.keys().map(|k| k.len()).max().unwrap_or(0);
    for tool in catalog.tools.values() {
        let status = match (&tool.retired, lang) {
            (Some(r), Lang::De) => format!(" [eingestellt {}]", r.date),
            (Some(r), Lang::En) => format!(" [retired {}]", r.date),
            (None, _) => String::new(),
        };
        let offerings: Vec<&str> = tool.offerings.iter().map(|o| o.id.as_str()).collect();
        writeln!(
            out,
            "{:width$}  {} ({}){status}: {}",
            tool.id,
            tool.name,
            tool.kind.label(lang),
            offerings.join(", ")
        )?;
    }
    output::write_terminal(&out)?;
    Ok(ExitCode::SUCCESS)
}
