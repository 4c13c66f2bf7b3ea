//! The compact binary form of the shipped catalog (postcard).
//!
//! `build.rs` parses and validates `catalog/*.toml` with the same code as `konf-wahl check`
//! (it includes this module and `catalog.rs`), so a broken shipped file fails the build, and
//! writes the validated tools in this form; the binary decodes them without reading any text.
//! The mirror types exist because the report's JSON writes some values untagged (a limit is
//! `10` or `"unlimited"`), which a format without field names cannot read back.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::{
    Assessment, Caveat, Fact, FactKey, FactValue, Facts, JoinSteps, Limit, Offering, Retirement,
    SourceRef, Steps, Tool, UnlimitedWord,
};
use crate::criteria::{Adjust, Criteria, Criterion, FlagOrExpr, Knockout, NumberOrExpr, ScoreRule};
use crate::date::Date;
use crate::vocab::{
    Dpa, Ease, Effort, Hosting, Organisation, Region, ServiceStatus, Support, Text, ToolKind,
};

/// A validated tool as stored.
#[derive(Serialize, Deserialize)]
pub struct StoredTool {
    id: String,
    name: String,
    kind: ToolKind,
    homepage: Option<String>,
    description: Text,
    retired: Option<Retirement>,
    join_steps: JoinSteps,
    host_steps: Option<Steps>,
    caveats: Vec<Caveat>,
    assessments: Vec<Assessment>,
    facts: Vec<(FactKey, StoredFact)>,
    offerings: Vec<StoredOffering>,
    sources: Vec<(String, SourceRef)>,
    origin: String,
    retired_at: Option<(usize, usize)>,
}

/// An offering, with only the facts that are not the tool's own (its own facts, and a price
/// derived from the licences): the tool's facts are shared again when decoding.
#[derive(Serialize, Deserialize)]
struct StoredOffering {
    id: String,
    name: Text,
    hosting: Hosting,
    host_steps: Option<Steps>,
    facts: Vec<(FactKey, StoredFact)>,
}

#[derive(Serialize, Deserialize)]
struct StoredFact {
    value: Option<StoredValue>,
    src: Option<Box<str>>,
    /// Dates as numbers: there are thousands, and they need no parsing this way.
    checked: (i32, u32, u32),
    note: Option<Box<str>>,
    evidence: (i32, u32, u32),
    weak: bool,
}

/// [`FactValue`] with a tag for every case.
#[derive(Serialize, Deserialize)]
enum StoredValue {
    Number(f64),
    LimitCount(u32),
    Unlimited,
    Count(u32),
    Status(ServiceStatus),
    Dpa(Dpa),
    Support(Support),
    Text(String),
    Region(Region),
    Ease(Ease),
    Effort(Effort),
    Organisations(Vec<Organisation>),
}

impl StoredValue {
    fn from_value(value: &FactValue) -> StoredValue {
        match value {
            FactValue::Number(x) => StoredValue::Number(*x),
            FactValue::Limit(Limit::Count(n)) => StoredValue::LimitCount(*n),
            FactValue::Limit(Limit::Unlimited(_)) => StoredValue::Unlimited,
            FactValue::Count(n) => StoredValue::Count(*n),
            FactValue::Status(s) => StoredValue::Status(*s),
            FactValue::Dpa(d) => StoredValue::Dpa(*d),
            FactValue::Support(s) => StoredValue::Support(*s),
            FactValue::Text(t) => StoredValue::Text(t.clone()),
            FactValue::Region(r) => StoredValue::Region(*r),
            FactValue::Ease(e) => StoredValue::Ease(*e),
            FactValue::Effort(e) => StoredValue::Effort(*e),
            FactValue::Organisations(o) => StoredValue::Organisations(o.clone()),
        }
    }

    fn into_value(self) -> FactValue {
        match self {
            StoredValue::Number(x) => FactValue::Number(x),
            StoredValue::LimitCount(n) => FactValue::Limit(Limit::Count(n)),
            StoredValue::Unlimited => FactValue::Limit(Limit::Unlimited(UnlimitedWord::Unlimited)),
            StoredValue::Count(n) => FactValue::Count(n),
            StoredValue::Status(s) => FactValue::Status(s),
            StoredValue::Dpa(d) => FactValue::Dpa(d),
            StoredValue::Support(s) => FactValue::Support(s),
            StoredValue::Text(t) => FactValue::Text(t),
            StoredValue::Region(r) => FactValue::Region(r),
            StoredValue::Ease(e) => FactValue::Ease(e),
            StoredValue::Effort(e) => FactValue::Effort(e),
            StoredValue::Organisations(o) => FactValue::Organisations(o),
        }
    }
}

impl StoredFact {
    fn from_fact(f: &Fact) -> StoredFact {
        StoredFact {
            value: f.value.as_ref().map(StoredValue::from_value),
            src: f.src.clone(),
            checked: f.checked.to_parts(),
            note: f.note.clone(),
            evidence: f.evidence.to_parts(),
            weak: f.weak,
        }
    }

    fn into_fact(self) -> Fact {
        Fact {
            value: self.value.map(StoredValue::into_value),
            src: self.src,
            checked: Date::from_parts(self.checked),
            note: self.note,
            evidence: Date::from_parts(self.evidence),
            weak: self.weak,
        }
    }
}

fn decode_facts(stored: Vec<(FactKey, StoredFact)>) -> Facts {
    stored
        .into_iter()
        .map(|(k, f)| (k, Arc::new(f.into_fact())))
        .collect()
}

impl StoredTool {
    /// The stored form of a validated tool.
    pub fn from_tool(tool: &Tool) -> StoredTool {
        let facts = tool
            .facts
            .entries()
            .map(|(k, f)| (k, StoredFact::from_fact(f)))
            .collect();
        let offerings = tool
            .offerings
            .iter()
            .map(|o| StoredOffering {
                id: o.id.clone(),
                name: o.name.clone(),
                hosting: o.hosting,
                host_steps: o.host_steps.clone(),
                facts: tool
                    .own_facts(o)
                    .map(|(k, f)| (k, StoredFact::from_fact(f)))
                    .collect(),
            })
            .collect();
        StoredTool {
            id: tool.id.clone(),
            name: tool.name.clone(),
            kind: tool.kind,
            homepage: tool.homepage.clone(),
            description: tool.description.clone(),
            retired: tool.retired.clone(),
            join_steps: tool.join_steps.clone(),
            host_steps: tool.host_steps.clone(),
            caveats: tool.caveats.clone(),
            assessments: tool.assessments.clone(),
            facts,
            offerings,
            sources: tool
                .sources
                .iter()
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect(),
            origin: tool.origin.clone(),
            retired_at: tool.retired_at,
        }
    }

    /// The tool again; an offering shares the tool's facts, as after validation.
    pub fn into_tool(self) -> Tool {
        let facts = decode_facts(self.facts);
        let offerings = self
            .offerings
            .into_iter()
            .map(|o| {
                let mut merged = facts.clone();
                merged.extend(decode_facts(o.facts));
                Offering {
                    id: o.id,
                    name: o.name,
                    hosting: o.hosting,
                    host_steps: o.host_steps,
                    facts: Arc::new(merged),
                }
            })
            .collect();
        Tool {
            id: self.id,
            name: self.name,
            kind: self.kind,
            homepage: self.homepage,
            description: self.description,
            retired: self.retired,
            join_steps: self.join_steps,
            host_steps: self.host_steps,
            caveats: self.caveats,
            assessments: self.assessments,
            facts,
            offerings,
            sources: self.sources.into_iter().collect::<BTreeMap<_, _>>(),
            origin: self.origin,
            retired_at: self.retired_at,
        }
    }
}

/// Encodes validated tools.
pub fn encode(tools: &[&Tool]) -> Vec<u8> {
    let stored: Vec<StoredTool> = tools.iter().map(|t| StoredTool::from_tool(t)).collect();
    postcard::to_allocvec(&stored).expect("the stored form has no unencodable value")
}

/// Decodes what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<Vec<Tool>, postcard::Error> {
    let stored: Vec<StoredTool> = postcard::from_bytes(bytes)?;
    Ok(stored.into_iter().map(StoredTool::into_tool).collect())
}

/// Encodes one validated tool (an entry of [`crate::folder_cache`]), as a list of one so that
/// it is read by the same code as the shipped catalog.
pub fn encode_tool(tool: &Tool) -> Vec<u8> {
    encode(&[tool])
}

/// Decodes what [`encode_tool`] wrote.
pub fn decode_tool(bytes: &[u8]) -> Result<Tool, postcard::Error> {
    match <[Tool; 1]>::try_from(decode(bytes)?) {
        Ok([tool]) => Ok(tool),
        Err(_) => Err(postcard::Error::DeserializeBadEncoding),
    }
}

// -------------------------------------------------------------------------------------------
// Criteria

/// A validated criterion as stored: its `origin` is kept (the file it came from), and the
/// number-or-expression values are tagged, which a format without field names needs.
#[derive(Serialize, Deserialize)]
struct StoredCriterion {
    id: String,
    order: u32,
    title: Text,
    about: Text,
    weight: f64,
    scale: f64,
    knockout: Vec<Knockout>,
    adjust: Vec<Adjust>,
    score: Vec<StoredScoreRule>,
    origin: String,
}

#[derive(Serialize, Deserialize)]
struct StoredScoreRule {
    when: Option<String>,
    score: Result<f64, String>,
    unknown: Result<bool, String>,
    because: Text,
}

impl StoredCriterion {
    fn from_criterion(c: &Criterion) -> StoredCriterion {
        StoredCriterion {
            id: c.id.clone(),
            order: c.order,
            title: c.title.clone(),
            about: c.about.clone(),
            weight: c.weight,
            scale: c.scale,
            knockout: c.knockout.clone(),
            adjust: c.adjust.clone(),
            score: c
                .score
                .iter()
                .map(|r| StoredScoreRule {
                    when: r.when.clone(),
                    score: match &r.score {
                        NumberOrExpr::Number(x) => Ok(*x),
                        NumberOrExpr::Expr(e) => Err(e.clone()),
                    },
                    unknown: match &r.unknown {
                        FlagOrExpr::Flag(b) => Ok(*b),
                        FlagOrExpr::Expr(e) => Err(e.clone()),
                    },
                    because: r.because.clone(),
                })
                .collect(),
            origin: c.origin.clone(),
        }
    }

    fn into_criterion(self) -> Criterion {
        Criterion {
            id: self.id,
            order: self.order,
            title: self.title,
            about: self.about,
            weight: self.weight,
            scale: self.scale,
            knockout: self.knockout,
            adjust: self.adjust,
            score: self
                .score
                .into_iter()
                .map(|r| ScoreRule {
                    when: r.when,
                    score: r
                        .score
                        .map_or_else(NumberOrExpr::Expr, NumberOrExpr::Number),
                    unknown: r.unknown.map_or_else(FlagOrExpr::Expr, FlagOrExpr::Flag),
                    because: r.because,
                })
                .collect(),
            origin: self.origin,
        }
    }
}

/// Encodes validated criteria, in their order.
pub fn encode_criteria(criteria: &Criteria) -> Vec<u8> {
    let stored: Vec<StoredCriterion> = criteria
        .list
        .iter()
        .map(StoredCriterion::from_criterion)
        .collect();
    postcard::to_allocvec(&stored).expect("the stored form has no unencodable value")
}

/// Decodes what [`encode_criteria`] wrote.
pub fn decode_criteria(bytes: &[u8]) -> Result<Criteria, postcard::Error> {
    let stored: Vec<StoredCriterion> = postcard::from_bytes(bytes)?;
    Ok(Criteria {
        list: stored
            .into_iter()
            .map(StoredCriterion::into_criterion)
            .collect(),
    })
}
