//! What `why`, `show`, `list` and `check` show, as models: plain serialisable data built
//! once, then rendered for the terminal (in the report language, with labels and dates in
//! words) or as JSON (`--format json`: raw keys, ISO dates, the machine format). Lists are in
//! a fixed order, so the same data gives the same bytes.

pub mod check;
pub mod list;
pub mod show;
pub mod why;

use serde::Serialize;

use crate::date::Published;
use crate::format;
use crate::vocab::Lang;
use crate::wording;

/// A model as pretty JSON, ending in a newline.
pub fn to_json<T: Serialize>(model: &T) -> String {
    let mut text = serde_json::to_string_pretty(model).expect("the models always serialise");
    text.push('\n');
    text
}

/// A source's own date in words: a day, a month, a year, or that it shows none.
pub(crate) fn published_text(published: &Published, lang: Lang) -> String {
    let text = published.as_str();
    match (text.len(), published.date()) {
        (10, Some(d)) => format::long_date(d, lang),
        (7, Some(d)) => format::month_year(d, lang),
        (4, Some(_)) => text.to_string(),
        _ => wording::text(lang, "term.source.undated").to_string(),
    }
}
