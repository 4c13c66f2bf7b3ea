//! `list`: the catalog, one line per tool.

use super::*;

pub(super) fn list(args: &ListArgs) -> Result<ExitCode> {
    let (catalog, _) = load_data(&args.data)?;
    let model = crate::inspect::list::list(&catalog, args.data.lang);
    show_model(args.format, &model, |m, width| m.render_terminal(width))
}
