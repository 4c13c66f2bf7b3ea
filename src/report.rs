//! The one report model every renderer reads: plain data, in output order, computed once.
//! Its JSON form is the `--format json` contract and the context of the handout templates.

use serde::Serialize;

use crate::answers::Answers;
use crate::date::Date;
use crate::vocab::{Hosting, Lang, ToolKind};

/// Bumped when a field of the JSON contract changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// A ranked, explained recommendation for one group.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The language of every sentence in the report.
    pub lang: Lang,
    /// The group's name, if given.
    pub group: Option<String>,
    /// The validated answers, defaults filled in.
    pub answers: Answers,
    /// The criteria with the weights used for this group.
    pub criteria: Vec<CriterionWeight>,
    /// Admitted tools, best first, each with its best offering.
    pub ranking: Vec<RankedTool>,
    /// Tools with no admissible offering, with every reason.
    pub excluded: Vec<ExcludedTool>,
    /// How current the catalog is.
    pub freshness: Freshness,
    /// Advice tailored to the answers (agreements, access, recording, GDPR duties).
    pub checklist: Vec<ChecklistItem>,
    /// How much to trust the ranking (sensitivity, close calls, tipping points).
    pub analysis: Option<crate::analysis::Analysis>,
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

/// A criterion and its weight for this group.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionWeight {
    /// Criterion id.
    pub id: String,
    /// Title in the report language.
    pub title: String,
    /// Why it matters.
    pub about: String,
    /// The weight used.
    pub weight: f64,
    /// The shipped default weight.
    pub default_weight: f64,
    /// Share of the total weight, in percent.
    pub share: f64,
}

/// A tool that can work for the group.
#[derive(Debug, Clone, Serialize)]
pub struct RankedTool {
    /// 1 = best.
    pub rank: usize,
    /// Catalog id.
    pub tool: String,
    /// Display name.
    pub name: String,
    /// Kind of tool.
    pub kind: ToolKind,
    /// The best-fitting offering's id.
    pub offering: String,
    /// Its name in the report language.
    pub offering_name: String,
    /// Who runs it.
    pub hosting: Hosting,
    /// 0 to 100: weighted sum of criterion scores on their fixed scales.
    pub score: f64,
    /// Monthly price of the offering, if known.
    pub price_eur_month: Option<f64>,
    /// Per criterion, in criterion order.
    pub contributions: Vec<Contribution>,
    /// The strongest reasons, as sentences.
    pub strengths: Vec<String>,
    /// Points of the score that rest on unknown facts.
    pub unknown_points: f64,
    /// Caveats that matter for this group.
    pub caveats: Vec<String>,
    /// The tool's other offerings: admitted with their score, or why they are out.
    pub other_offerings: Vec<OfferingVerdict>,
    /// Facts of this offering checked before the freshness limit.
    pub stale_facts: Vec<String>,
    /// The oldest check date among this offering's facts.
    pub oldest_check: Option<Date>,
    /// How to join, for each device the group uses that the tool supports.
    pub join_steps: Vec<JoinGuide>,
    /// The sources of this offering's facts, with their dates.
    pub sources: Vec<SourceInfo>,
    /// Public assessments (data protection authorities, consumer tests).
    pub assessments: Vec<AssessmentInfo>,
    /// Criterion scores (0 to 1, criterion order) of every admitted offering, for re-weighting
    /// in the sensitivity analysis without evaluating rules again.
    #[serde(skip)]
    pub offering_scores: Vec<Vec<f64>>,
}

/// Joining steps for one device.
#[derive(Debug, Clone, Serialize)]
pub struct JoinGuide {
    /// `computer`, `smartphone` or `phone`.
    pub device: String,
    /// Its label in the report language.
    pub label: String,
    /// One short step each.
    pub steps: Vec<String>,
}

/// A source behind the facts shown.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// Key in the catalog entry.
    pub key: String,
    /// Title, if given.
    pub title: Option<String>,
    /// URL or printed document.
    pub place: String,
    /// Publication date as given (`n.d.` when none).
    pub published: String,
    /// The newest check date of facts from this source.
    pub checked: Date,
}

/// A public assessment.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentInfo {
    /// Who assessed.
    pub by: String,
    /// When.
    pub date: String,
    /// The verdict.
    pub verdict: String,
}

/// One criterion's part of a score.
#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    /// Criterion id.
    pub criterion: String,
    /// Its title.
    pub title: String,
    /// The weight used.
    pub weight: f64,
    /// The score on the criterion's scale.
    pub score: f64,
    /// The top of that scale.
    pub scale: f64,
    /// Points this criterion adds to the 0-100 total.
    pub points: f64,
    /// Most points it could add.
    pub max_points: f64,
    /// Why, in a sentence.
    pub because: String,
    /// Whether the score rests on unknown facts.
    pub unknown: bool,
}

/// Another offering of a ranked tool.
#[derive(Debug, Clone, Serialize)]
pub struct OfferingVerdict {
    /// Offering id.
    pub offering: String,
    /// Its name.
    pub name: String,
    /// Its score, if admitted.
    pub score: Option<f64>,
    /// Why it is out (empty if admitted).
    pub reasons: Vec<String>,
}

/// A tool with no offering that works for the group.
#[derive(Debug, Clone, Serialize)]
pub struct ExcludedTool {
    /// Catalog id.
    pub tool: String,
    /// Display name.
    pub name: String,
    /// Whether the tool was retired.
    pub retired: bool,
    /// One sentence per failed knock-out, per offering.
    pub reasons: Vec<String>,
}

/// How current the facts are.
#[derive(Debug, Clone, Serialize)]
pub struct Freshness {
    /// The date the report is computed for: `--date`, SOURCE_DATE_EPOCH, or the catalog date.
    pub as_of: Option<Date>,
    /// The newest check date in the catalog.
    pub catalog_date: Option<Date>,
    /// The oldest check date in the catalog.
    pub oldest_check: Option<Date>,
    /// Facts older than this many months are flagged.
    pub max_age_months: u32,
    /// Number of tools in the catalog.
    pub tools: usize,
}
