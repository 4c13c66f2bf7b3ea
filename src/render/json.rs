//! `--format json`: the report as pretty JSON, the machine-readable contract.

use crate::report::Report;

/// The report as JSON, ending in a newline.
pub fn render(report: &Report) -> String {
    let mut text =
        serde_json::to_string_pretty(report).expect("the report model always serialises");
    text.push('\n');
    text
}
