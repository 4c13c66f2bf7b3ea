//! `list`: the catalog's tools, one line each.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::date::Date;
use crate::format;
use crate::render::table::{layout_width, text_width, wrap};
use crate::say;
use crate::vocab::{Hosting, Lang, ToolKind};

/// The tools of the catalog, by id.
#[derive(Debug, Clone, Serialize)]
pub struct ToolList {
    /// The language of names and labels.
    pub lang: Lang,
    /// The tools, by id.
    pub tools: Vec<ListedTool>,
}

/// One tool of the list.
#[derive(Debug, Clone, Serialize)]
pub struct ListedTool {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Video, phone, messenger or platform.
    pub kind: ToolKind,
    /// When it was switched off, if retired.
    pub retired: Option<Date>,
    /// The catalog id of its successor, if retired and there is one.
    pub successor: Option<String>,
    /// Its offerings, in catalog order.
    pub offerings: Vec<ListedOffering>,
}

/// One offering of a listed tool.
#[derive(Debug, Clone, Serialize)]
pub struct ListedOffering {
    /// Id, unique within the tool.
    pub id: String,
    /// Name in the list's language.
    pub name: String,
    /// Who runs it.
    pub hosting: Hosting,
}

/// The list of the catalog's tools.
pub fn list(catalog: &Catalog, lang: Lang) -> ToolList {
    ToolList {
        lang,
        tools: catalog
            .tools
            .values()
            .map(|t| ListedTool {
                id: t.id.clone(),
                name: t.name.clone(),
                kind: t.kind,
                retired: t.retired.as_ref().map(|r| r.date),
                successor: t.retired.as_ref().and_then(|r| r.successor.clone()),
                offerings: t
                    .offerings
                    .iter()
                    .map(|o| ListedOffering {
                        id: o.id.clone(),
                        name: o.name.get(lang).to_string(),
                        hosting: o.hosting,
                    })
                    .collect(),
            })
            .collect(),
    }
}

impl ToolList {
    /// One line per tool: the id (what the other commands take), name, kind, whether it is
    /// retired, and the ids of its offerings; longer lines go on under the name.
    pub fn render_terminal(&self, width: Option<u16>) -> String {
        let lang = self.lang;
        let total = layout_width(width);
        let column = self
            .tools
            .iter()
            .map(|t| text_width(&t.id))
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for t in &self.tools {
            let offerings: Vec<&str> = t.offerings.iter().map(|o| o.id.as_str()).collect();
            let mut line = say!(
                lang,
                "term.list.tool",
                name = t.name,
                kind = t.kind.label(lang)
            );
            if let Some(date) = t.retired {
                line.push(' ');
                line.push_str(&say!(
                    lang,
                    "term.list.retired",
                    date = format::long_date(date, lang)
                ));
            }
            line = say!(
                lang,
                "term.list.offerings",
                tool = line,
                offerings = offerings.join(", ")
            );
            let head = format!("{}{}  ", t.id, " ".repeat(column - text_width(&t.id)));
            out.push_str(&wrap(&line, total, &head, &" ".repeat(column + 4)));
        }
        out
    }
}
