//! `check`: how complete and how current the catalog is, what deserves a warning, and (with
//! `--unknowns`) every unknown fact with the note that says why.

use std::collections::BTreeMap;

use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

use crate::catalog::{Catalog, DECISIVE_FACTS};
use crate::compare::fact_label;
use crate::date::Date;
use crate::format;
use crate::health::{self, Health};
use crate::render::table::{fitted, layout_width, new_table, wrap};
use crate::say;
use crate::vocab::{Lang, SourceKind};
use crate::wording;

/// The state of a valid catalog (an invalid one is an error before any of this).
#[derive(Debug, Clone, Serialize)]
pub struct CatalogCheck {
    /// The language of labels.
    pub lang: Lang,
    /// The date ages are measured from.
    pub as_of: Date,
    /// Evidence older than this many months is stale.
    pub max_age_months: u32,
    /// Tools, retired ones included.
    pub tools: usize,
    /// Retired tools.
    pub retired: usize,
    /// Offerings of all tools.
    pub offerings: usize,
    /// Facts written in the files.
    pub facts: usize,
    /// Of those, unknown.
    pub unknown: usize,
    /// `unknown` of `facts` in percent.
    pub unknown_percent: f64,
    /// The oldest check date.
    pub checked_from: Option<Date>,
    /// The newest check date.
    pub checked_to: Option<Date>,
    /// Criteria loaded.
    pub criteria: usize,
    /// Per decisive fact, over the offerings in use.
    pub decisive: Vec<DecisiveEntry>,
    /// Decisive facts over the offerings in use, all together.
    pub decisive_facts: usize,
    /// Of those, unknown or uncertain.
    pub decisive_unknown: usize,
    /// `decisive_unknown` of `decisive_facts` in percent.
    pub decisive_percent: f64,
    /// Sources in all.
    pub sources: usize,
    /// Sources by kind (`vendor`, `operator`, …; `none` for sources without a kind).
    pub sources_by_kind: BTreeMap<String, usize>,
    /// Sources that show no date of their own.
    pub undated_sources: usize,
    /// Decisive facts whose only source is a blog, forum or copy (counted as uncertain).
    pub weak_facts: Vec<WeakFact>,
    /// What deserves a warning (also written to stderr).
    pub warnings: Vec<Warning>,
    /// With `--unknowns`: every unknown fact, per tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknowns: Option<Vec<ToolUnknowns>>,
}

/// One decisive fact over the offerings in use.
#[derive(Debug, Clone, Serialize)]
pub struct DecisiveEntry {
    /// Fact key.
    pub key: String,
    /// Offerings it applies to.
    pub offerings: usize,
    /// Of those, where it is unknown or absent.
    pub unknown: usize,
    /// Of those, where it rests only on a weak source.
    pub weak: usize,
    /// Unknown and uncertain together, in percent.
    pub percent: f64,
}

/// A decisive fact resting only on a weak source.
#[derive(Debug, Clone, Serialize)]
pub struct WeakFact {
    /// Catalog id of the tool.
    pub tool: String,
    /// Offering id.
    pub offering: String,
    /// Fact key.
    pub key: String,
}

/// Something in the catalog that deserves attention.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Facts whose evidence is older than the limit.
    Stale {
        /// Catalog id.
        tool: String,
        /// Where the entry was loaded from.
        origin: String,
        /// How many facts.
        facts: usize,
        /// How many of them are decisive.
        decisive: usize,
        /// The oldest evidence date among them.
        oldest: Date,
    },
    /// A fact checked after the date ages are measured from.
    CheckedInFuture {
        /// Catalog id.
        tool: String,
        /// The fact's path in the file (`facts.<key>` or `offerings.<id>.<key>`).
        fact: String,
    },
    /// Sources without a `kind`.
    SourcesWithoutKind {
        /// Catalog id.
        tool: String,
        /// Where the entry was loaded from.
        origin: String,
        /// How many.
        sources: usize,
    },
}

/// A tool's unknown facts.
#[derive(Debug, Clone, Serialize)]
pub struct ToolUnknowns {
    /// Catalog id.
    pub tool: String,
    /// Decisive ones first, then by key.
    pub facts: Vec<UnknownFact>,
}

/// One unknown fact of a tool.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownFact {
    /// Fact key.
    pub key: String,
    /// Whether it is one of the facts that decide whether an offering can work at all.
    pub decisive: bool,
    /// The offerings it is unknown for; empty when it is unknown for all.
    pub offerings: Vec<String>,
    /// Whether the entry has the fact at all (a decisive fact may be missing entirely).
    pub in_catalog: bool,
    /// The catalog's note on why it is unknown (in English).
    pub note: Option<String>,
}

fn unknowns(catalog: &Catalog) -> Vec<ToolUnknowns> {
    let mut out = Vec::new();
    for tool in catalog.tools.values() {
        // Decisive unknowns first: they are what turns an offering into a question.
        let mut lines: BTreeMap<(bool, String, bool, Option<String>), Vec<String>> =
            BTreeMap::new();
        for o in &tool.offerings {
            for (key, fact) in o.facts.iter() {
                if fact.value.is_none() {
                    let decisive = DECISIVE_FACTS.contains(&key);
                    lines
                        .entry((
                            !decisive,
                            key.to_string(),
                            true,
                            fact.note.as_deref().map(str::to_string),
                        ))
                        .or_default()
                        .push(o.id.clone());
                }
            }
            for key in DECISIVE_FACTS {
                if !o.facts.contains_key(key) && health::in_use(tool, o) && health::applies(key, o)
                {
                    lines
                        .entry((false, key.to_string(), false, None))
                        .or_default()
                        .push(o.id.clone());
                }
            }
        }
        if lines.is_empty() {
            continue;
        }
        let facts = lines
            .into_iter()
            .map(|((other, key, in_catalog, note), offerings)| UnknownFact {
                key,
                decisive: !other,
                offerings: if offerings.len() == tool.offerings.len() {
                    Vec::new()
                } else {
                    offerings
                },
                in_catalog,
                note,
            })
            .collect();
        out.push(ToolUnknowns {
            tool: tool.id.clone(),
            facts,
        });
    }
    out
}

/// Examines the catalog as of `as_of`.
pub fn check(
    catalog: &Catalog,
    criteria: usize,
    as_of: Date,
    max_age_months: u32,
    with_unknowns: bool,
    lang: Lang,
) -> CatalogCheck {
    let h: Health = health::examine(catalog, as_of, max_age_months);
    let mut warnings = Vec::new();
    for t in &h.stale {
        warnings.push(Warning::Stale {
            tool: t.tool.clone(),
            origin: t.origin.clone(),
            facts: t.facts,
            decisive: t.decisive,
            oldest: t.oldest,
        });
    }
    for f in &h.checked_in_future {
        let (tool, fact) = f.split_once(": ").unwrap_or(("", f));
        warnings.push(Warning::CheckedInFuture {
            tool: tool.to_string(),
            fact: fact.to_string(),
        });
    }
    for tool in catalog.tools.values() {
        let missing = tool.sources.values().filter(|s| s.kind.is_none()).count();
        if missing > 0 {
            warnings.push(Warning::SourcesWithoutKind {
                tool: tool.id.clone(),
                origin: tool.origin.clone(),
                sources: missing,
            });
        }
    }
    let (n, u) = h.decisive_totals();
    CatalogCheck {
        lang,
        as_of,
        max_age_months,
        tools: h.tools,
        retired: h.retired,
        offerings: h.offerings,
        facts: h.facts,
        unknown: h.unknown,
        unknown_percent: health::percent(h.unknown, h.facts),
        checked_from: h.checked_range.map(|r| r.0),
        checked_to: h.checked_range.map(|r| r.1),
        criteria,
        decisive: h
            .decisive
            .iter()
            .map(|d| DecisiveEntry {
                key: d.key.to_string(),
                offerings: d.offerings,
                unknown: d.unknown,
                weak: d.weak,
                percent: d.percent(),
            })
            .collect(),
        decisive_facts: n,
        decisive_unknown: u,
        decisive_percent: health::percent(u, n),
        sources: h.sources,
        sources_by_kind: h
            .sources_by_kind
            .iter()
            .map(|(k, n)| (k.map_or("none", |k| k.word()).to_string(), *n))
            .collect(),
        undated_sources: h.undated_sources,
        weak_facts: h
            .weak_facts
            .iter()
            .map(|w| {
                let (place, key) = w.split_once(": ").unwrap_or((w, ""));
                let (tool, offering) = place.split_once('/').unwrap_or((place, ""));
                WeakFact {
                    tool: tool.to_string(),
                    offering: offering.to_string(),
                    key: key.to_string(),
                }
            })
            .collect(),
        warnings,
        unknowns: with_unknowns.then(|| unknowns(catalog)),
    }
}

impl Warning {
    /// The warning in a sentence, in `lang` (the language of messages).
    pub fn sentence(&self, max_age_months: u32, as_of: Date, lang: Lang) -> String {
        match self {
            Warning::Stale {
                origin,
                facts,
                decisive,
                oldest,
                ..
            } => say!(
                lang,
                "term.check.warning.stale",
                origin = origin,
                facts = facts,
                months = max_age_months,
                decisive = decisive,
                oldest = format::long_date(*oldest, lang)
            ),
            Warning::CheckedInFuture { tool, fact } => say!(
                lang,
                "term.check.warning.future",
                tool = tool,
                fact = fact,
                date = format::long_date(as_of, lang)
            ),
            Warning::SourcesWithoutKind {
                origin, sources, ..
            } => say!(
                lang,
                "term.check.warning.no_kind",
                origin = origin,
                sources = sources
            ),
        }
    }
}

fn percent(x: f64, lang: Lang) -> String {
    say!(
        lang,
        "term.recommend.percent",
        value = format::score(x, lang)
    )
}

fn date_or_dash(date: Option<Date>, lang: Lang) -> String {
    date.map_or("–".to_string(), |d| format::long_date(d, lang))
}

impl CatalogCheck {
    /// The summary for the terminal, in the report language.
    pub fn render_terminal(&self, width: Option<u16>) -> String {
        let lang = self.lang;
        let total = layout_width(width);
        let mut out = String::new();
        let para = |out: &mut String, text: &str| out.push_str(&wrap(text, total, "", ""));
        para(
            &mut out,
            &say!(
                lang,
                "term.check.summary",
                tools = self.tools,
                retired = self.retired,
                offerings = self.offerings,
                facts = self.facts,
                unknown = self.unknown,
                percent = percent(self.unknown_percent, lang)
            ),
        );
        para(
            &mut out,
            &say!(
                lang,
                "term.check.dates",
                from = date_or_dash(self.checked_from, lang),
                to = date_or_dash(self.checked_to, lang),
                criteria = self.criteria,
                warnings = self.warnings.len(),
                as_of = format::long_date(self.as_of, lang),
                months = self.max_age_months
            ),
        );
        out.push('\n');
        para(
            &mut out,
            &say!(
                lang,
                "term.check.decisive",
                facts = self.decisive_facts,
                unknown = self.decisive_unknown,
                percent = percent(self.decisive_percent, lang)
            ),
        );
        let mut table = new_table(width);
        table.set_header([
            wording::text(lang, "term.compare.fact"),
            wording::text(lang, "term.check.col.offerings"),
            wording::text(lang, "term.check.col.unknown"),
            wording::text(lang, "term.check.col.uncertain"),
            wording::text(lang, "term.check.col.share"),
        ]);
        let right = |v: String| Cell::new(v).set_alignment(CellAlignment::Right);
        for d in &self.decisive {
            table.add_row(vec![
                Cell::new(fact_label(&d.key, lang)),
                right(d.offerings.to_string()),
                right(d.unknown.to_string()),
                right(d.weak.to_string()),
                right(percent(d.percent, lang)),
            ]);
        }
        match fitted(table, width) {
            Some(text) => out.push_str(&text),
            None => {
                for d in &self.decisive {
                    let line = say!(
                        lang,
                        "term.check.decisive_line",
                        fact = fact_label(&d.key, lang),
                        unknown = d.unknown,
                        offerings = d.offerings,
                        weak = d.weak,
                        percent = percent(d.percent, lang)
                    );
                    out.push_str(&wrap(&line, total, "- ", "  "));
                }
            }
        }
        out.push('\n');
        // In the order of the word list (vendor first), sources without a kind last.
        let mut kinds: Vec<String> = SourceKind::ALL
            .iter()
            .filter_map(|k| {
                let n = self.sources_by_kind.get(k.word())?;
                Some(format!("{} {n}", k.label(lang)))
            })
            .collect();
        if let Some(n) = self.sources_by_kind.get("none") {
            kinds.push(format!("{} {n}", wording::text(lang, "term.check.no_kind")));
        }
        para(
            &mut out,
            &say!(
                lang,
                "term.check.sources",
                sources = self.sources,
                kinds = kinds.join(", "),
                undated = self.undated_sources
            ),
        );
        para(
            &mut out,
            &say!(lang, "term.check.weak", count = self.weak_facts.len()),
        );
        for w in &self.weak_facts {
            let line = format!("{}/{}: {}", w.tool, w.offering, fact_label(&w.key, lang));
            out.push_str(&wrap(&line, total, "- ", "  "));
        }
        if let Some(tools) = &self.unknowns {
            out.push('\n');
            para(&mut out, wording::text(lang, "term.check.unknowns"));
            for t in tools {
                out.push('\n');
                para(
                    &mut out,
                    &say!(
                        lang,
                        "term.check.tool_unknowns",
                        tool = t.tool,
                        count = t.facts.len()
                    ),
                );
                for f in &t.facts {
                    let mut line = fact_label(&f.key, lang);
                    if f.decisive {
                        line.push(' ');
                        line.push_str(wording::text(lang, "term.check.decisive_mark"));
                    }
                    if !f.offerings.is_empty() {
                        line.push_str(&format!(" [{}]", f.offerings.join(", ")));
                    }
                    out.push_str(&wrap(&line, total, "- ", "  "));
                    let why = match (&f.note, f.in_catalog) {
                        (_, false) => wording::text(lang, "term.check.absent").to_string(),
                        (Some(note), true) => say!(lang, "term.show.note", note = note),
                        (None, true) => wording::text(lang, "term.check.no_note").to_string(),
                    };
                    out.push_str(&wrap(&why, total, "  ", "  "));
                }
            }
        }
        out
    }
}
