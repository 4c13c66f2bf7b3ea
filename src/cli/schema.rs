//! `schema`: JSON Schemas for editors.

use super::*;

pub(super) fn schema(args: &SchemaArgs) -> Result<ExitCode> {
    let schema = match args.kind {
        SchemaKind::Answers => answers::json_schema(),
        SchemaKind::Catalog => crate::catalog::json_schema(),
        SchemaKind::Criteria => crate::criteria::json_schema(),
    };
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    output::write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
