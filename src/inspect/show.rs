//! `show`: every fact of one tool, with its source, the source's date and the check date.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, Fact, FactValue, SourceRef, Tool};
use crate::compare::fact_label;
use crate::date::{Date, Published};
use crate::format;
use crate::inspect::published_text;
use crate::render::table::{layout_width, wrap};
use crate::say;
use crate::vocab::{Hosting, Lang, ToolKind};
use crate::wording;

/// One tool as the catalog describes it.
#[derive(Debug, Clone, Serialize)]
pub struct ToolSheet {
    /// The language of names, descriptions and labels.
    pub lang: Lang,
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Video, phone, messenger or platform.
    pub kind: ToolKind,
    /// Home page.
    pub homepage: Option<String>,
    /// Neutral description.
    pub description: String,
    /// Set for retired tools.
    pub retired: Option<RetiredTool>,
    /// The facts every offering shares (an offering's own fact of the same key replaces it),
    /// in display order.
    pub facts: Vec<FactEntry>,
    /// The offerings with their own facts.
    pub offerings: Vec<OfferingSheet>,
    /// Public assessments.
    pub assessments: Vec<AssessmentEntry>,
    /// What an advisor must warn about.
    pub caveats: Vec<CaveatEntry>,
    /// The sources, by key.
    pub sources: BTreeMap<String, SourceRef>,
}

/// When and why a tool was switched off.
#[derive(Debug, Clone, Serialize)]
pub struct RetiredTool {
    /// When it was switched off.
    pub date: Date,
    /// The catalog id of the successor.
    pub successor: Option<String>,
    /// The successor's name, if it is in the catalog.
    pub successor_name: Option<String>,
    /// Source key.
    pub src: String,
    /// When this was checked.
    pub checked: Date,
    /// Remarks (catalog data, in English).
    pub note: Option<String>,
}

/// One fact.
#[derive(Debug, Clone, Serialize)]
pub struct FactEntry {
    /// The catalog key, e.g. `account_to_join` or `features.chat`.
    pub key: String,
    /// Its label in the sheet's language.
    pub label: String,
    /// The value as the catalog has it; `null` means unknown.
    pub value: Option<FactValue>,
    /// The value in words.
    pub text: String,
    /// Key into `sources`.
    pub src: Option<String>,
    /// When the fact was last verified.
    pub checked: Date,
    /// Remarks, e.g. where sources disagree or why it is unknown (catalog data, in English).
    pub note: Option<String>,
    /// A decisive fact resting only on a blog, forum or copy: recommendations treat it as
    /// unknown.
    pub weak: bool,
}

/// One offering with the facts that are its own.
#[derive(Debug, Clone, Serialize)]
pub struct OfferingSheet {
    /// Id, unique within the tool.
    pub id: String,
    /// Name.
    pub name: String,
    /// Who runs it.
    pub hosting: Hosting,
    /// Its own facts, in display order; they replace the tool's facts of the same key.
    pub facts: Vec<FactEntry>,
}

/// A public assessment.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentEntry {
    /// Who assessed.
    pub by: String,
    /// When, as the source gives it (`2023-08-24`, `2023-08`, `2023` or `undated`).
    pub date: Published,
    /// The verdict.
    pub verdict: String,
    /// What was assessed.
    pub scope: Option<String>,
    /// Source key.
    pub src: String,
    /// When this was checked.
    pub checked: Date,
}

/// A warning for advisors.
#[derive(Debug, Clone, Serialize)]
pub struct CaveatEntry {
    /// The warning.
    pub text: String,
    /// The offerings it applies to; empty means all.
    pub offerings: Vec<String>,
    /// Source key.
    pub src: String,
    /// When this was checked.
    pub checked: Date,
}

fn entry(key: &str, fact: &Fact, lang: Lang) -> FactEntry {
    FactEntry {
        key: key.to_string(),
        label: fact_label(key, lang),
        value: fact.value.clone(),
        text: fact.value.as_ref().map_or_else(
            || wording::text(lang, "term.value.unknown").to_string(),
            |v| v.display(lang),
        ),
        src: fact.src.as_deref().map(str::to_string),
        checked: fact.checked,
        note: fact.note.as_deref().map(str::to_string),
        weak: fact.weak,
    }
}

/// The sheet of `tool`.
pub fn sheet(catalog: &Catalog, tool: &Tool, lang: Lang) -> ToolSheet {
    let keys = crate::catalog::all_fact_keys();
    let facts = keys
        .iter()
        .filter_map(|k| tool.facts.get(k).map(|f| entry(k, f, lang)))
        .collect();
    let offerings = tool
        .offerings
        .iter()
        .map(|o| OfferingSheet {
            id: o.id.clone(),
            name: o.name.get(lang).to_string(),
            hosting: o.hosting,
            facts: keys
                .iter()
                .filter_map(|k| {
                    let own = o.facts.get(k).filter(|f| tool.facts.get(k) != Some(*f))?;
                    Some(entry(k, own, lang))
                })
                .collect(),
        })
        .collect();
    ToolSheet {
        lang,
        id: tool.id.clone(),
        name: tool.name.clone(),
        kind: tool.kind,
        homepage: tool.homepage.clone(),
        description: tool.description.get(lang).to_string(),
        retired: tool.retired.as_ref().map(|r| RetiredTool {
            date: r.date,
            successor: r.successor.clone(),
            successor_name: r
                .successor
                .as_ref()
                .and_then(|s| catalog.tools.get(s))
                .map(|s| s.name.clone()),
            src: r.src.clone(),
            checked: r.checked,
            note: r.note.clone(),
        }),
        facts,
        offerings,
        assessments: tool
            .assessments
            .iter()
            .map(|a| AssessmentEntry {
                by: a.by.clone(),
                date: a.date.clone(),
                verdict: a.verdict.get(lang).to_string(),
                scope: a.scope.clone(),
                src: a.src.clone(),
                checked: a.checked,
            })
            .collect(),
        caveats: tool
            .caveats
            .iter()
            .map(|c| CaveatEntry {
                text: match lang {
                    Lang::De => c.de.clone(),
                    Lang::En => c.en.clone(),
                },
                offerings: c.offerings.clone(),
                src: c.src.clone(),
                checked: c.checked,
            })
            .collect(),
        sources: tool.sources.clone(),
    }
}

impl ToolSheet {
    /// Where a source is: its title, else its address or document.
    fn source_name(&self, key: &str) -> Option<String> {
        let s = self.sources.get(key)?;
        s.title
            .clone()
            .or_else(|| s.url.clone())
            .or_else(|| s.document.clone())
    }

    fn fact_text(&self, out: &mut String, fact: &FactEntry, total: usize) {
        let lang = self.lang;
        out.push_str(&wrap(
            &format!("{}: {}", fact.label, fact.text),
            total,
            "  ",
            "      ",
        ));
        let checked = format::long_date(fact.checked, lang);
        let source = match fact.src.as_deref() {
            Some(key) => {
                let name = self.source_name(key).unwrap_or_else(|| key.to_string());
                let published = self
                    .sources
                    .get(key)
                    .map(|s| published_text(&s.published, lang))
                    .unwrap_or_default();
                say!(
                    lang,
                    "term.show.source",
                    source = name,
                    published = published,
                    checked = checked
                )
            }
            None => say!(lang, "term.show.no_source", checked = checked),
        };
        out.push_str(&wrap(&source, total, "    ", "      "));
        if fact.weak {
            out.push_str(&wrap(
                wording::text(lang, "term.show.weak"),
                total,
                "    ",
                "      ",
            ));
        }
        if let Some(note) = &fact.note {
            out.push_str(&wrap(
                &say!(lang, "term.show.note", note = note),
                total,
                "    ",
                "      ",
            ));
        }
    }

    /// The sheet for the terminal: labels in words, values in words, dates as people write
    /// them; the catalog's notes (in English) marked as such.
    pub fn render_terminal(&self, width: Option<u16>) -> String {
        let lang = self.lang;
        let total = layout_width(width);
        let mut out = String::new();
        out.push_str(&wrap(
            &say!(
                lang,
                "term.show.title",
                name = self.name,
                id = self.id,
                kind = self.kind.label(lang)
            ),
            total,
            "",
            "",
        ));
        out.push_str(&wrap(&self.description, total, "", ""));
        if let Some(home) = &self.homepage {
            out.push_str(&wrap(home, total, "", ""));
        }
        if let Some(r) = &self.retired {
            let date = format::long_date(r.date, lang);
            let line = match (&r.successor_name, &r.successor) {
                (Some(name), _) | (None, Some(name)) => {
                    say!(
                        lang,
                        "term.show.retired_successor",
                        date = date,
                        successor = name
                    )
                }
                (None, None) => say!(lang, "term.show.retired", date = date),
            };
            out.push_str(&wrap(&line, total, "", ""));
        }
        if !self.facts.is_empty() {
            out.push('\n');
            let heading = if self.offerings.len() > 1 {
                wording::text(lang, "term.show.shared_facts")
            } else {
                wording::text(lang, "term.show.facts")
            };
            out.push_str(&wrap(heading, total, "", ""));
            for fact in &self.facts {
                self.fact_text(&mut out, fact, total);
            }
        }
        for o in &self.offerings {
            out.push('\n');
            out.push_str(&wrap(
                &say!(lang, "term.show.offering", name = o.name, id = o.id),
                total,
                "",
                "",
            ));
            out.push_str(&wrap(
                &say!(lang, "term.show.hosting", hosting = o.hosting.label(lang)),
                total,
                "  ",
                "    ",
            ));
            if o.facts.is_empty() {
                out.push_str(&wrap(
                    wording::text(lang, "term.show.no_own_facts"),
                    total,
                    "  ",
                    "    ",
                ));
            }
            for fact in &o.facts {
                self.fact_text(&mut out, fact, total);
            }
        }
        if !self.assessments.is_empty() {
            out.push('\n');
            out.push_str(wording::text(lang, "term.show.assessments"));
            out.push('\n');
            for a in &self.assessments {
                let date = published_text(&a.date, lang);
                let line = say!(
                    lang,
                    "term.show.assessment",
                    by = a.by,
                    date = date,
                    verdict = a.verdict
                );
                out.push_str(&wrap(&line, total, "  - ", "    "));
            }
        }
        if !self.caveats.is_empty() {
            out.push('\n');
            out.push_str(wording::text(lang, "term.show.caveats"));
            out.push('\n');
            for c in &self.caveats {
                out.push_str(&wrap(&c.text, total, "  - ", "    "));
            }
        }
        if !self.sources.is_empty() {
            out.push('\n');
            out.push_str(wording::text(lang, "term.show.sources"));
            out.push('\n');
            // By the name the facts above give, so a source is easy to find.
            let mut sources: Vec<(String, &SourceRef)> = self
                .sources
                .iter()
                .map(|(key, s)| {
                    let name = s
                        .title
                        .clone()
                        .or_else(|| s.document.clone())
                        .or_else(|| s.url.clone())
                        .unwrap_or_else(|| key.clone());
                    (name, s)
                })
                .collect();
            sources.sort_by_key(|(name, _)| name.to_lowercase());
            for (name, s) in sources {
                let mut line = name;
                let mut about = Vec::new();
                if let Some(kind) = s.kind {
                    about.push(kind.label(lang).to_string());
                }
                about.push(published_text(&s.published, lang));
                line = format!("{line} ({})", about.join(", "));
                if let Some(url) = s
                    .url
                    .as_ref()
                    .filter(|_| s.title.is_some() || s.document.is_some())
                {
                    line.push('\n');
                    line.push_str(url);
                }
                out.push_str(&wrap(&line, total, "  - ", "    "));
            }
        }
        out
    }
}
