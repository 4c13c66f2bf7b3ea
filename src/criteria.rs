//! Weighted criteria, kept as data under `criteria/`: titles, default weights, knock-outs,
//! weight adjustments from the answers and score rules on a fixed scale.
//!
//! Rules are minijinja expressions, so a contact office can change a weight or add a criterion
//! without recompiling. Every expression is compiled and tried once at load time, so a typo
//! in a rule fails there with the file and line, not in the middle of a group's report.

use std::collections::BTreeSet;
use std::path::Path;

use crate::source::Spanned;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics, line_col};
use crate::source::{Format, SourceText};
use crate::vocab::Text;

/// A number or an expression that computes one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum NumberOrExpr {
    /// A fixed number.
    Number(f64),
    /// A minijinja expression.
    Expr(String),
}

/// A flag or an expression that decides it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum FlagOrExpr {
    /// Fixed.
    Flag(bool),
    /// A minijinja expression.
    Expr(String),
}

/// Excludes an offering when `when` holds (for each element of `each`, if given); leaves it
/// open, a question to clarify first, when `unclear` holds instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Knockout {
    /// An expression over the answers; its elements are bound to `item`.
    pub each: Option<String>,
    /// The condition that excludes the offering: known facts fail the group's requirement.
    pub when: String,
    /// A sentence for the group, a template over the same context.
    pub reason: Text,
    /// The condition under which the requirement is active for this group but the facts that
    /// decide it are unknown or uncertain: the offering may fit, the advisor clarifies first.
    pub unclear: Option<String>,
    /// What to clarify, in one plain sentence (a template): required with `unclear`.
    pub ask: Option<Text>,
}

/// Multiplies the criterion's weight when the answers match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjust {
    /// A condition over the answers (`a`) only.
    pub when: String,
    /// The factor, >= 0.
    pub factor: f64,
}

/// One score rule; the first whose `when` holds decides the criterion's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRule {
    /// The condition; the last rule has none.
    pub when: Option<String>,
    /// The score on the criterion's scale (clamped to it).
    pub score: NumberOrExpr,
    /// Whether this score rests on unknown facts.
    #[serde(default = "no_flag")]
    pub unknown: FlagOrExpr,
    /// A short sentence for the group, a template.
    pub because: Text,
}

fn no_flag() -> FlagOrExpr {
    FlagOrExpr::Flag(false)
}

fn default_scale() -> f64 {
    10.0
}

/// One criterion, as loaded from `criteria/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Snake-case id, equal to the file stem.
    pub id: String,
    /// Display order (lower first).
    pub order: u32,
    /// Title.
    pub title: Text,
    /// Why it matters, in one sentence.
    pub about: Text,
    /// Default weight, >= 0.
    pub weight: f64,
    /// The top of the fixed scale (scores run from 0 to this).
    #[serde(default = "default_scale")]
    pub scale: f64,
    /// Knock-outs.
    #[serde(default)]
    pub knockout: Vec<Knockout>,
    /// Weight adjustments.
    #[serde(default)]
    pub adjust: Vec<Adjust>,
    /// Score rules, tried in order.
    pub score: Vec<ScoreRule>,
    /// Where it was loaded from.
    #[serde(skip_deserializing, default)]
    #[schemars(skip)]
    pub origin: String,
}

/// All criteria, ordered by `order` then id.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    /// The criteria.
    pub list: Vec<Criterion>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCriteriaFile {
    criteria: Vec<Spanned<Criterion>>,
}

impl Criteria {
    /// One file per criterion, the file stem being the id; each is parsed with positions for
    /// messages, and every rule is tried.
    pub fn from_sources(sources: Vec<SourceText>) -> Result<Criteria, Diagnostics> {
        let mut problems = Vec::new();
        let mut list = Vec::new();
        for source in sources {
            match source.parse::<Criterion>(Format::Toml) {
                Ok(mut c) => {
                    c.origin = source.name.clone();
                    let stem = Path::new(&source.name)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if c.id != stem {
                        problems.push(Diagnostic::new(
                            &source.name,
                            format!("criterion id `{}` must equal the file name `{stem}`", c.id),
                        ));
                    }
                    list.push(c);
                }
                Err(d) => problems.push(d),
            }
        }
        Self::finish("<builtin>/criteria", list, problems)
    }

    /// All criteria in one file.
    pub fn from_file(source: &SourceText) -> Result<Criteria, Diagnostics> {
        let raw: RawCriteriaFile = source
            .parse(Format::Toml)
            .map_err(|d| Diagnostics(vec![d]))?;
        let list = raw
            .criteria
            .into_iter()
            .map(|c| {
                let (line, _) = line_col(&source.text, c.span().start);
                let mut c = c.into_inner();
                c.origin = format!("{}:{line}", source.name);
                c
            })
            .collect();
        Self::finish(&source.name, list, Vec::new())
    }

    fn finish(
        file: &str,
        mut list: Vec<Criterion>,
        mut problems: Vec<Diagnostic>,
    ) -> Result<Criteria, Diagnostics> {
        let mut ids = BTreeSet::new();
        for c in &list {
            let err = |m: String| Diagnostic::new(&c.origin, m);
            if c.id.is_empty()
                || !c
                    .id
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
            {
                problems.push(err(format!(
                    "criterion id `{}` must be lowercase snake_case",
                    c.id
                )));
            }
            if !ids.insert(c.id.clone()) {
                problems.push(err(format!("criterion id `{}` is defined twice", c.id)));
            }
            if !c.weight.is_finite() || c.weight < 0.0 || c.weight > 1000.0 {
                problems.push(err(format!(
                    "weight of `{}` must be between 0 and 1000, not {}",
                    c.id, c.weight
                )));
            }
            if !c.scale.is_finite() || c.scale <= 0.0 {
                problems.push(err(format!("scale of `{}` must be more than 0", c.id)));
            }
            for (i, k) in c.knockout.iter().enumerate() {
                if k.unclear.is_some() != k.ask.is_some() {
                    problems.push(
                        err(format!(
                            "knock-out {} of `{}` needs both `unclear` and `ask`, or neither",
                            i + 1,
                            c.id
                        ))
                        .with_help(
                            "`unclear` says when the facts do not decide the requirement, `ask` what the advisor clarifies then",
                        ),
                    );
                }
            }
            for a in &c.adjust {
                if !a.factor.is_finite() || a.factor < 0.0 || a.factor > 100.0 {
                    problems.push(err(format!(
                        "adjust factor of `{}` must be between 0 and 100",
                        c.id
                    )));
                }
            }
            match c.score.split_last() {
                None => problems.push(err(format!("criterion `{}` has no [[score]] rule", c.id))),
                Some((last, rest)) => {
                    if last.when.is_some() {
                        problems.push(
                            err(format!(
                                "the last [[score]] rule of `{}` must have no `when`",
                                c.id
                            ))
                            .with_help("it is the fallback that applies when no other rule does"),
                        );
                    }
                    if rest.iter().any(|r| r.when.is_none()) {
                        problems.push(err(format!(
                            "only the last [[score]] rule of `{}` may lack `when`; later rules could never apply",
                            c.id
                        )));
                    }
                }
            }
        }
        if list.iter().all(|c| c.weight == 0.0) && !list.is_empty() {
            problems.push(
                Diagnostic::new(file, "all weights are 0: nothing could be scored")
                    .at(Some((1, 1)))
                    .with_help("give at least one criterion a weight above 0"),
            );
        }
        if list.is_empty() {
            problems.push(
                Diagnostic::new(file, "no criteria defined")
                    .at(Some((1, 1)))
                    .with_help("add at least one [[criteria]] table"),
            );
        }
        list.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
        let criteria = Criteria { list };
        if problems.is_empty() {
            problems.extend(crate::rules::check(&criteria));
        }
        if problems.is_empty() {
            Ok(criteria)
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// The ids, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|c| c.id.as_str()).collect()
    }
}

/// The JSON Schema of one criterion file, generated from the types that parse it.
pub fn json_schema() -> schemars::Schema {
    schemars::schema_for!(Criterion)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary form must be invisible: the embedded criteria equal those parsed, checked
    /// and ordered from the shipped TOML files, including the file each names as its origin.
    #[test]
    fn embedded_criteria_equal_the_shipped_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sources = crate::catalog::builtin_sources(root, "criteria")
            .expect("the criteria folder is readable")
            .into_iter()
            .map(|(_, source)| source)
            .collect();
        let from_toml = Criteria::from_sources(sources).expect("shipped criteria are valid");
        let embedded = Criteria::load(None).expect("embedded criteria decode");
        assert!(embedded.list.len() >= 14);
        assert_eq!(embedded.list, from_toml.list);
    }

    #[test]
    fn shipped_criteria_pass_the_rule_trial() {
        let criteria = Criteria::load(None).unwrap();
        assert_eq!(crate::rules::check(&criteria), Vec::new());
        assert!(criteria.list.len() >= 14);
    }
}

/// The rule behind every shipped score: what the catalog does not know scores no better than
/// the worst value it could know (docs/criteria.md). Checked for each criterion, fact and
/// value it reads, over groups of every kind and offerings of every hosting, not by care.
#[cfg(test)]
mod unknown_scores {
    use std::sync::Arc;

    use crate::answers::{self, Answers};
    use crate::catalog::{Count, Fact, FactValue, Facts, Limit, Offering, Tool, UnlimitedWord};
    use crate::date::Date;
    use crate::rules;
    use crate::vocab::{
        AccessNeed, Confidentiality, Device, Dpa, Ease, Effort, Feature, MediaLiteracy,
        Organisation, Region, SelfHosting, ServiceStatus, Support, ToolKind,
    };

    use super::Criteria;

    /// Every value a fact of this key can take, as far as rules tell them apart.
    fn values(key: &str) -> Vec<FactValue> {
        let limits = [1, 2, 5, 8, 10, 25, 30, 60, 100, 150, 300, 1000]
            .map(|n| FactValue::Limit(Limit::Count(n)))
            .into_iter()
            .chain([FactValue::Limit(Limit::Unlimited(UnlimitedWord::Unlimited))]);
        let _ = Count(1);
        match key {
            "price_eur_month" | "price_per_licence_eur_month" => [0.0, 1.0, 5.0, 10.0, 20.0, 50.0]
                .map(FactValue::Number)
                .to_vec(),
            "max_participants" | "max_video_participants" | "max_minutes" => limits.collect(),
            "min_licences" | "works_for_participants" => {
                [1, 5, 8, 10, 30, 300].map(FactValue::Count).to_vec()
            }
            "dpa_offered" => Dpa::ALL.iter().map(|v| FactValue::Dpa(*v)).collect(),
            "service_status" => ServiceStatus::ALL
                .iter()
                .map(|v| FactValue::Status(*v))
                .collect(),
            "data_location" | "operator_seat" | "jurisdiction" => {
                Region::ALL.iter().map(|v| FactValue::Region(*v)).collect()
            }
            "ease_of_use" => Ease::ALL.iter().map(|v| FactValue::Ease(*v)).collect(),
            "admin_effort" => Effort::ALL.iter().map(|v| FactValue::Effort(*v)).collect(),
            "licence" | "operator" => vec![FactValue::Text("x".into())],
            "eligible" => vec![
                FactValue::Organisations(vec![Organisation::Group]),
                FactValue::Organisations(vec![Organisation::Research]),
                FactValue::Organisations(Organisation::ALL.to_vec()),
            ],
            _ => Support::ALL
                .iter()
                .map(|v| FactValue::Support(*v))
                .collect(),
        }
    }

    fn fact(value: Option<FactValue>) -> Arc<Fact> {
        let checked = Date::parse("2026-11-01").unwrap();
        Arc::new(Fact {
            value,
            src: Some("s".into()),
            checked,
            note: None,
            evidence: checked,
            weak: false,
        })
    }

    /// Groups of every kind the answers can describe.
    fn groups() -> Vec<Answers> {
        let base = answers::sample();
        let mut out = vec![base.clone()];
        let mut relaxed = base.clone();
        relaxed.install_allowed = true;
        relaxed.accounts_allowed = true;
        relaxed.media_literacy = MediaLiteracy::Medium;
        relaxed.confidentiality = Confidentiality::Internal;
        relaxed.devices = [Device::Smartphone].into_iter().collect();
        relaxed.needs.clear();
        relaxed.wishes = [Feature::Chat, Feature::E2ee].into_iter().collect();
        relaxed.accessibility.clear();
        out.push(relaxed.clone());
        let mut public = relaxed.clone();
        public.confidentiality = Confidentiality::Public;
        public.participants = 150;
        public.meeting_minutes = 120;
        public.budget_eur_per_month = 0.0;
        public.devices = [Device::Computer, Device::Tablet].into_iter().collect();
        public.self_hosting = SelfHosting::None;
        out.push(public);
        let mut phone = base.clone();
        phone.devices = [Device::Phone].into_iter().collect();
        phone.accessibility = [AccessNeed::Captions].into_iter().collect();
        out.push(phone);
        let mut own = relaxed;
        own.self_hosting = SelfHosting::Own;
        own.partner_tools = ["sample".to_string()].into_iter().collect();
        own.devices = Device::ALL.iter().copied().collect();
        own.budget_eur_per_month = 20.0;
        out.push(own);
        out
    }

    #[test]
    fn an_unknown_never_scores_above_the_worst_known_value() {
        let criteria = Criteria::load(None).unwrap();
        let compiled = rules::compile(&criteria).unwrap();
        let keys = crate::catalog::all_fact_keys();
        let mut bases: Vec<(Tool, Offering)> = crate::catalog::samples();
        let phone: Vec<(Tool, Offering)> = bases
            .iter()
            .map(|(t, o)| {
                let mut t = t.clone();
                t.kind = ToolKind::Phone;
                (t, o.clone())
            })
            .collect();
        bases.extend(phone);
        let mut checked = 0;
        for group in groups() {
            let a = rules::answers_value(&group);
            let weights = compiled.weights(&group, &a).unwrap();
            for (tool, base) in &bases {
                for key in &keys {
                    // Where the limit itself is unknown, the video limit mirrors it.
                    if key == "max_video_participants"
                        && base
                            .facts
                            .get("max_participants")
                            .is_none_or(|f| f.value.is_none())
                    {
                        continue;
                    }
                    let with = |value: Option<FactValue>| {
                        let mut facts: Facts = (*base.facts).clone();
                        let key = crate::catalog::FactKey::of(key).expect("a fact key");
                        facts.insert(key, fact(value));
                        Offering {
                            facts: Arc::new(facts),
                            ..base.clone()
                        }
                    };
                    let score = |offering: &Offering, cc| -> Option<f64> {
                        let f = rules::facts_value(offering);
                        let ctx = rules::context(&a, tool, offering, &f, crate::vocab::Lang::De);
                        // A value that excludes the offering has no score to compare.
                        for other in &compiled.criteria {
                            if compiled.excludes(other, &ctx).unwrap() {
                                return None;
                            }
                        }
                        Some(compiled.score(cc, &ctx).unwrap().score)
                    };
                    for (cc, weight) in compiled.criteria.iter().zip(&weights) {
                        if *weight == 0.0 {
                            continue;
                        }
                        let Some(unknown) = score(&with(None), cc) else {
                            continue;
                        };
                        let known: Vec<(FactValue, f64)> = values(key)
                            .into_iter()
                            .filter_map(|v| Some((v.clone(), score(&with(Some(v)), cc)?)))
                            .collect();
                        checked += known.len();
                        if let Some((worst, lowest)) = known
                            .iter()
                            .min_by(|x, y| x.1.total_cmp(&y.1))
                            .map(|(v, s)| (v.clone(), *s))
                        {
                            assert!(
                                unknown <= lowest + 1e-9,
                                "criterion `{}`: unknown `{key}` scores {unknown}, above the known value {worst:?} ({lowest}) for {tool:?} / {:?}, answers {group:?}",
                                cc.criterion.id,
                                base.hosting,
                                tool = tool.kind,
                            );
                        }
                    }
                }
            }
        }
        assert!(
            checked > 10_000,
            "the property was tried ({checked} comparisons)"
        );
    }
}
