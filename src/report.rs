//! The one report model every renderer reads: plain data, in output order, computed once.
//! Its JSON form is the `--format json` contract and the context of the handout templates.

use serde::Serialize;

use crate::analysis::{self, Analysis};
use crate::answers::Answers;
use crate::catalog::Catalog;
pub use crate::checklist::ChecklistItem;
use crate::checklist::{Checklist, Top};
use crate::diag::Diagnostic;
use crate::evaluate::{self, Evaluation, Options};
pub use crate::evaluate::{
    AssessmentInfo, Contribution, CriterionWeight, ExcludedTool, Freshness, JoinGuide,
    OfferingVerdict, RankedTool, SourceInfo, Status,
};
use crate::rules::Compiled;
use crate::vocab::Lang;

/// Bumped when a field of the JSON contract changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 2;

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
    /// Tools that fit, best first, then tools to verify (`status`), each with its best
    /// offering.
    pub ranking: Vec<RankedTool>,
    /// Tools with no admissible offering, with every reason.
    pub excluded: Vec<ExcludedTool>,
    /// How current the catalog is.
    pub freshness: Freshness,
    /// Advice tailored to the answers (agreements, access, recording, GDPR duties).
    pub checklist: Vec<ChecklistItem>,
    /// How much to trust the ranking (sensitivity, close calls, tipping points).
    pub analysis: Option<Analysis>,
}

/// What a run asks for beyond the evaluation.
pub struct Extras<'a> {
    /// The sensitivity analysis, if wanted.
    pub analysis: Option<analysis::Settings>,
    /// The checklist to select from, if wanted.
    pub checklist: Option<&'a Checklist>,
}

impl Extras<'_> {
    /// The evaluation alone.
    pub const NONE: Extras<'static> = Extras {
        analysis: None,
        checklist: None,
    };
}

impl Report {
    /// The one place a report is put together: evaluation, then the analysis that reads it,
    /// then the checklist for the recommended tool.
    pub fn build(
        compiled: &Compiled<'_>,
        catalog: &Catalog,
        answers: &Answers,
        options: &Options,
        extras: &Extras<'_>,
    ) -> Result<Report, Diagnostic> {
        let evaluation = evaluate::evaluate_compiled(compiled, catalog, answers, options)?;
        let analysis = match &extras.analysis {
            Some(settings) => Some(analysis::analyse(
                &evaluation,
                compiled,
                catalog,
                answers,
                options,
                settings,
            )?),
            None => None,
        };
        let checklist = match extras.checklist {
            Some(list) => {
                let top = evaluation.ranking.first().map(|r| Top {
                    tool: &r.tool,
                    hosting: r.hosting,
                    kind: r.kind,
                    dial_in: r.dial_in,
                });
                list.select(answers, top, evaluation.lang)?
            }
            None => Vec::new(),
        };
        Ok(Report::assemble(answers, evaluation, analysis, checklist))
    }

    /// The report from its parts.
    pub fn assemble(
        answers: &Answers,
        evaluation: Evaluation,
        analysis: Option<Analysis>,
        checklist: Vec<ChecklistItem>,
    ) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            lang: evaluation.lang,
            group: answers.group.clone(),
            answers: answers.clone(),
            criteria: evaluation.criteria,
            ranking: evaluation.ranking,
            excluded: evaluation.excluded,
            freshness: evaluation.freshness,
            checklist,
            analysis,
        }
    }
}
