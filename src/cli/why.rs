//! `why`: why a tool is where it is for a group, and what would change that.

use super::*;

pub(super) fn why(args: &WhyArgs) -> Result<ExitCode> {
    let (catalog, criteria) = load_data(&args.data)?;
    let tool = find_tool(&catalog, &args.tool)?;
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let source = SourceText::read(&args.answers)?;
    let answers = answers::parse(
        &source,
        Format::from_path(&args.answers)?,
        &args.set,
        &known,
    )?;
    let options = Options {
        lang: args.data.lang,
        ..Options::default()
    };
    let compiled = rules::compile(&criteria).map_err(Diagnostics)?;
    let explanation = crate::inspect::why::explain(&compiled, &catalog, &answers, &options, tool)?;
    show_model(args.format, &explanation, |e, width| {
        e.render_terminal(width)
    })
}
