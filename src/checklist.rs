//! The handout's checklist: advice items from `templates/checklist.toml`, each chosen by an
//! expression over the answers and the top-ranked tool. Kept as data beside the templates so
//! a contact office can adapt it with `--templates DIR`.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::value::Value;
use serde::Deserialize;

use crate::answers::Answers;
use crate::diag::{Diagnostic, Diagnostics};
use crate::expr::Expr;
use crate::report::{ChecklistItem, RankedTool};
use crate::source::{Format, SourceText};
use crate::vocab::{Lang, Text};

/// The shipped checklist.
pub const BUILTIN: &str = include_str!("../templates/checklist.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    topic: String,
    /// A condition in the rule language of the criteria (`src/expr.rs`).
    when: Option<String>,
    de: String,
    en: String,
    /// `when`, parsed when the checklist is loaded.
    #[serde(skip)]
    rule: Option<Expr>,
}

/// The checklist data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    headings: BTreeMap<String, Text>,
    item: Vec<Item>,
}

impl Checklist {
    /// The shipped checklist, or `DIR/checklist.toml` if it exists.
    pub fn load(dir: Option<&Path>) -> Result<Checklist, Diagnostics> {
        let source = match dir
            .map(|d| d.join("checklist.toml"))
            .filter(|p| p.is_file())
        {
            Some(path) => SourceText::read(&path).map_err(|d| Diagnostics(vec![d]))?,
            None => SourceText {
                name: "<builtin>/templates/checklist.toml".into(),
                text: BUILTIN.into(),
            },
        };
        let mut list: Checklist = source
            .parse(Format::Toml)
            .map_err(|d| Diagnostics(vec![d]))?;
        let mut problems = Vec::new();
        for item in &list.item {
            if !list.headings.contains_key(&item.topic) {
                let topics: Vec<&str> = list.headings.keys().map(String::as_str).collect();
                problems.push(
                    Diagnostic::new(
                        &source.name,
                        format!("checklist topic `{}` has no heading", item.topic),
                    )
                    .suggest(&item.topic, &topics),
                );
            }
        }
        for item in &mut list.item {
            if let Some(when) = &item.when {
                match Expr::parse(when, &[]) {
                    Ok(rule) => item.rule = Some(rule),
                    Err(e) => problems.push(Diagnostic::new(
                        &source.name,
                        format!("checklist rule `{when}`: {e}"),
                    )),
                }
            }
        }
        if problems.is_empty() {
            Ok(list)
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// The items that apply to these answers and the tool the report leads with, grouped by
    /// topic in the order of the file.
    pub fn select(
        &self,
        answers: &Answers,
        top: Option<&RankedTool>,
        lang: Lang,
    ) -> Result<Vec<ChecklistItem>, Diagnostic> {
        let top = top.map_or(Value::from(()), |r| {
            Value::from(BTreeMap::from([
                ("tool", Value::from(r.tool.as_str())),
                ("hosting", Value::from(r.hosting.word())),
                ("kind", Value::from(r.kind.word())),
                ("dial_in", Value::from(r.dial_in)),
            ]))
        });
        let ctx = Value::from(BTreeMap::from([
            ("a", Value::from(minijinja::value::Serde(answers))),
            ("top", top),
        ]));
        let mut chosen = Vec::new();
        for item in &self.item {
            let applies = match (&item.when, &item.rule) {
                (Some(when), Some(rule)) => rule
                    .eval(&ctx)
                    .map_err(|e| {
                        Diagnostic::new("checklist.toml", format!("rule `{when}` failed: {e}"))
                    })?
                    .is_true(),
                _ => true,
            };
            if applies {
                chosen.push(item);
            }
        }
        // Group by topic, topics in order of first appearance in the heading table's file order.
        let mut order: Vec<&str> = Vec::new();
        for item in &self.item {
            if !order.contains(&item.topic.as_str()) {
                order.push(&item.topic);
            }
        }
        let mut out = Vec::new();
        for topic in order {
            for item in chosen.iter().filter(|i| i.topic == topic) {
                out.push(ChecklistItem {
                    topic: topic.to_string(),
                    heading: self
                        .headings
                        .get(topic)
                        .map(|h| h.get(lang).to_string())
                        .unwrap_or_default(),
                    text: if lang == Lang::De {
                        item.de.clone()
                    } else {
                        item.en.clone()
                    },
                });
            }
        }
        Ok(out)
    }
}
