//! `show`: every fact of one tool with its source and dates.

use super::*;

pub(super) fn show(args: &ShowArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(&args.data)?;
    let tool = find_tool(&catalog, &args.tool)?;
    let sheet = crate::inspect::show::sheet(&catalog, tool, args.data.lang);
    show_model(args.format, &sheet, |s, width| s.render_terminal(width))
}
