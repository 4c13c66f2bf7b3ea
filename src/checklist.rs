//! The handout's checklist: advice items from `templates/checklist.toml`, each chosen by an
//! expression over the answers and the top-ranked tool. Kept as data beside the templates so
//! a contact office can adapt it with `--templates DIR`.

use std::collections::BTreeMap;

use minijinja::value::Value;
use serde::{Deserialize, Serialize};

use crate::answers::Answers;
use crate::diag::{Diagnostic, Diagnostics};
use crate::expr::Expr;
use crate::source::{Format, SourceText};
use crate::vocab::{Hosting, Lang, Text, ToolKind};

/// The shipped checklist.
pub const BUILTIN: &str = include_str!("../templates/checklist.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// The checklist data. The shipped one is checked when the program is built and embedded
/// in binary form (`build.rs`, loaded in `src/builtin.rs`); an office's file is read as text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    headings: BTreeMap<String, Text>,
    item: Vec<Item>,
}

/// One point of the tailored checklist.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    /// Groups items under a heading (`agreements`, `access`, ...).
    pub topic: String,
    /// The heading of the topic in the report language.
    pub heading: String,
    /// The advice.
    pub text: String,
}

/// What the checklist's conditions see of the tool a report leads with (`top`).
#[derive(Debug, Clone, Copy)]
pub struct Top<'a> {
    /// Its id.
    pub tool: &'a str,
    /// How the recommended offering is run.
    pub hosting: Hosting,
    /// Video, phone, ….
    pub kind: ToolKind,
    /// Whether one can join by telephone.
    pub dial_in: bool,
}

impl Checklist {
    /// A checklist file, checked: every topic has a heading, every condition parses.
    pub fn from_source(source: &SourceText) -> Result<Checklist, Diagnostics> {
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
        problems.extend(list.compile(&source.name));
        if problems.is_empty() {
            Ok(list)
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// Parses the conditions (the binary form keeps only their text).
    pub fn compile(&mut self, name: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for item in &mut self.item {
            if let Some(when) = &item.when {
                match Expr::parse(when, &[]) {
                    Ok(rule) => item.rule = Some(rule),
                    Err(e) => problems.push(Diagnostic::new(
                        name,
                        format!("checklist rule `{when}`: {e}"),
                    )),
                }
            }
        }
        problems
    }

    /// The items that apply to these answers and the tool the report leads with, grouped by
    /// topic in the order of the file.
    pub fn select(
        &self,
        answers: &Answers,
        top: Option<Top<'_>>,
        lang: Lang,
    ) -> Result<Vec<ChecklistItem>, Diagnostic> {
        let top = top.map_or(Value::from(()), |r| {
            Value::from(BTreeMap::from([
                ("tool", Value::from(r.tool)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_checklist_is_the_shipped_file() {
        let source = SourceText {
            name: "templates/checklist.toml".into(),
            text: BUILTIN.into(),
        };
        let from_file = Checklist::from_source(&source).unwrap();
        let embedded = Checklist::load(None).unwrap();
        assert_eq!(
            postcard::to_allocvec(&embedded).unwrap(),
            postcard::to_allocvec(&from_file).unwrap()
        );
        assert!(
            embedded
                .item
                .iter()
                .all(|i| i.when.is_some() == i.rule.is_some())
        );
        assert!(embedded.item.len() > 10);
    }

    #[test]
    fn a_topic_without_heading_and_a_broken_condition_are_both_reported() {
        let source = SourceText {
            name: "checklist.toml".into(),
            text: "[headings]\naccess = { de = \"Zugang\", en = \"Access\" }\n\n\
                   [[item]]\ntopic = \"acess\"\nwhen = \"a.participants >\"\nde = \"x\"\nen = \"x\"\n"
                .into(),
        };
        let problems = Checklist::from_source(&source).unwrap_err().to_string();
        assert!(problems.contains("`acess` has no heading"), "{problems}");
        assert!(
            problems.contains("checklist rule `a.participants >`"),
            "{problems}"
        );
    }
}
