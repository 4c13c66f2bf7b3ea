//! What the evaluation says about each tool: plain data that the analysis reads and the
//! report carries. The JSON form of these types is part of the `--format json` contract.

use serde::Serialize;

use crate::date::Date;
use crate::vocab::{Hosting, ToolKind};

/// Whether an offering (and a tool, by its best offering) can work for the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every requirement the group's answers make active is met by known facts.
    Fits,
    /// No known fact fails, but some requirement rests on unknown or uncertain facts: the
    /// advisor clarifies it first.
    Verify,
    /// A known fact fails a requirement.
    Excluded,
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

/// A tool that can work for the group, or may after a question is clarified.
#[derive(Debug, Clone, Serialize)]
pub struct RankedTool {
    /// 1 = best; every `fits` tool ranks before every `verify` tool.
    pub rank: usize,
    /// `fits` or `verify`: the verdict of the offering shown.
    pub status: Status,
    /// What to clarify before relying on this offering, one plain sentence each; not empty
    /// exactly when the status is `verify`.
    pub verify: Vec<String>,
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
    /// How old the evidence behind this offering is: the oldest source date (else check date)
    /// among its known decisive facts. The report's "Stand" for this offering.
    pub evidence_date: Option<Date>,
    /// How to join, for each device the group uses that the tool supports.
    pub join_steps: Vec<JoinGuide>,
    /// What the organiser does: create the room, protect it, invite.
    pub host_steps: Vec<String>,
    /// Whether members can join this offering by telephone (known dial-in, or a phone
    /// conference).
    pub dial_in: bool,
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
    /// Publication date as given (`undated` when none).
    pub published: String,
    /// What kind of document it is, if the catalog says.
    pub kind: Option<crate::vocab::SourceKind>,
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
    /// Its verdict.
    pub status: Status,
    /// Its score, unless excluded.
    pub score: Option<f64>,
    /// Why it is out (empty unless excluded).
    pub reasons: Vec<String>,
    /// What to clarify (empty unless `verify`).
    pub verify: Vec<String>,
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
    /// What rules it out above all, to group the excluded tools: the id of the criterion that
    /// excludes most of its offerings, or `retired` or `forbidden`.
    pub main_reason: String,
    /// The title of that reason in the report language.
    pub main_reason_title: String,
    /// One line for the group: the main reason's first sentence.
    pub summary: String,
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
