//! From answers, catalog and criteria to an [`Evaluation`]: a verdict per offering (fits,
//! verify, excluded), scores on fixed scales, each tool placed by its best offering. No I/O.
//!
//! An offering is *excluded* when a known fact fails a requirement of the group, *verify*
//! when no known fact fails but an active requirement rests on unknown or uncertain facts
//! (the knock-out's `unclear` condition), and *fits* otherwise. The score of an offering
//! depends only on its own facts and the group's answers (a weighted sum over fixed
//! scales), so adding or removing a tool never reorders the others.

pub mod model;

use std::collections::BTreeSet;

pub use model::{
    AssessmentInfo, Contribution, CriterionWeight, ExcludedTool, Freshness, JoinGuide,
    OfferingVerdict, RankedTool, SourceInfo, Status,
};

use crate::answers::Answers;
use crate::catalog::{Catalog, DECISIVE_FACTS, FactValue, Offering, Tool};
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::rules::{self, Compiled};
use crate::vocab::{CaveatTopic, Confidentiality, Device, Hosting, Lang};

/// Settings of one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Report language.
    pub lang: Lang,
    /// The date to judge freshness against; `None`: the catalog's newest check date.
    pub date: Option<Date>,
    /// Facts older than this are flagged.
    pub max_age_months: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lang: Lang::De,
            date: None,
            max_age_months: 18,
        }
    }
}

/// What the evaluation found for one group: the analysis reads it, the report carries it.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The language of every sentence.
    pub lang: Lang,
    /// The criteria with the weights used for this group.
    pub criteria: Vec<CriterionWeight>,
    /// Tools that fit, best first, then tools to verify, best first.
    pub ranking: Vec<RankedTool>,
    /// Tools with no offering that can work, with every reason.
    pub excluded: Vec<ExcludedTool>,
    /// How current the catalog is.
    pub freshness: Freshness,
}

impl Evaluation {
    /// The recommendation: the best tool that fits, if any.
    pub fn recommended(&self) -> Option<&RankedTool> {
        self.ranking.first().filter(|r| r.status == Status::Fits)
    }
}

/// Where one tool stands, without the sentences: what the tipping-point search compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// Catalog id.
    pub tool: String,
    /// Display name.
    pub name: String,
    /// `Fits` or `Verify`.
    pub status: Status,
    /// Score of the offering shown.
    pub score: f64,
    /// That offering's name in the report language.
    pub offering_name: String,
    /// Whether that offering's price is known.
    pub price_known: bool,
}

/// An offering's scores; the sentences explaining them are rendered only for the offering a
/// report shows.
struct Scored {
    score: f64,
    normalized: Vec<f64>,
    rule_scores: Vec<rules::Score>,
    unknown_points: f64,
}

/// What the criteria say about one offering.
enum Judged {
    /// Known facts fail: the sentences, each with the index of its criterion.
    Excluded(Vec<(usize, String)>),
    /// No known fact fails; the questions left open (empty: fits).
    Admitted {
        questions: Vec<String>,
        scored: Scored,
        ctx: minijinja::Value,
    },
}

/// Evaluates every tool of the catalog for the group.
pub fn evaluate(
    catalog: &Catalog,
    criteria: &Criteria,
    answers: &Answers,
    options: &Options,
) -> Result<Evaluation, Diagnostic> {
    let compiled = rules::compile_for(criteria, options.lang).map_err(first)?;
    evaluate_compiled(&compiled, catalog, answers, options)
}

/// What every tool's judgement reads.
struct Shared<'s, 'e> {
    compiled: &'s Compiled<'e>,
    catalog: &'s Catalog,
    answers: &'s Answers,
    a: minijinja::Value,
    weights: Vec<f64>,
    total_weight: f64,
    lang: Lang,
    /// Rule results for these answers, shared by offerings that look alike to a rule.
    memo: rules::Memo<'s>,
}

impl<'s, 'e> Shared<'s, 'e> {
    fn new(
        compiled: &'s Compiled<'e>,
        catalog: &'s Catalog,
        answers: &'s Answers,
        lang: Lang,
    ) -> Result<Self, Diagnostic> {
        let a = rules::answers_value(answers);
        let weights = compiled.weights(answers, &a)?;
        let total_weight: f64 = weights.iter().sum();
        if total_weight <= 0.0 {
            return Err(Diagnostic::new(
                "weights",
                crate::say!(crate::wording::messages_lang(), "weights.all_zero"),
            )
            .with_help("give at least one criterion a weight above 0"));
        }
        Ok(Shared {
            compiled,
            catalog,
            answers,
            a,
            weights,
            total_weight,
            lang,
            memo: rules::Memo::default(),
        })
    }

    /// Knock-outs first, then, for offerings no knock-out excludes, open questions and scores.
    fn judge(&self, tool: &'s Tool, offering: &'s Offering) -> Result<Judged, Diagnostic> {
        let f = rules::facts_value(offering);
        let ctx = rules::context(&self.a, tool, offering, &f, self.lang);
        let at = rules::Subject {
            tool,
            offering,
            ctx: &ctx,
            lang: self.lang,
        };
        let compiled = self.compiled;
        let mut reasons = Vec::new();
        for (i, cc) in compiled.criteria.iter().enumerate() {
            reasons.extend(
                compiled
                    .knockouts_in(&self.memo, cc, &at)?
                    .into_iter()
                    .map(|r| (i, r)),
            );
        }
        if !reasons.is_empty() {
            return Ok(Judged::Excluded(reasons));
        }
        let mut questions = Vec::new();
        for cc in &compiled.criteria {
            questions.extend(compiled.open_questions_in(&self.memo, cc, &at)?);
        }
        let scored = self.score(&at)?;
        Ok(Judged::Admitted {
            questions,
            scored,
            ctx,
        })
    }

    fn score(&self, at: &rules::Subject<'s, '_>) -> Result<Scored, Diagnostic> {
        let mut score = 0.0;
        let mut unknown_points = 0.0;
        let n = self.compiled.criteria.len();
        let mut normalized = Vec::with_capacity(n);
        let mut rule_scores = Vec::with_capacity(n);
        for (cc, weight) in self.compiled.criteria.iter().zip(&self.weights) {
            let outcome = self.compiled.score_in(&self.memo, cc, at)?;
            let c = cc.criterion;
            let max_points = weight / self.total_weight * 100.0;
            score += max_points * outcome.score / c.scale;
            normalized.push(outcome.score / c.scale);
            if outcome.unknown {
                unknown_points += max_points;
            }
            rule_scores.push(outcome);
        }
        Ok(Scored {
            score: round2(score),
            normalized,
            rule_scores,
            unknown_points: round2(unknown_points),
        })
    }
}

/// One tool's judged offerings, and which of them it is placed by.
struct ToolJudgement<'t> {
    offerings: Vec<(&'t Offering, Judged)>,
    /// Index into `offerings` of the best admitted offering: the best that fits, else the
    /// best to verify; ties go to the offering listed first.
    best: Option<usize>,
}

impl<'t> ToolJudgement<'t> {
    fn of(shared: &Shared<'t, '_>, tool: &'t Tool) -> Result<Self, Diagnostic> {
        let offerings = tool
            .offerings
            .iter()
            .map(|o| Ok((o, shared.judge(tool, o)?)))
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        let best = offerings
            .iter()
            .enumerate()
            .filter_map(|(i, (_, j))| match j {
                Judged::Admitted {
                    questions, scored, ..
                } => Some((i, status_of(questions), scored.score)),
                Judged::Excluded(_) => None,
            })
            .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)))
            .map(|(i, _, _)| i);
        Ok(ToolJudgement { offerings, best })
    }
}

fn status_of(questions: &[String]) -> Status {
    if questions.is_empty() {
        Status::Fits
    } else {
        Status::Verify
    }
}

/// Like [`evaluate`], with rules compiled once for many evaluations (analysis, batch runs).
pub fn evaluate_compiled(
    compiled: &Compiled<'_>,
    catalog: &Catalog,
    answers: &Answers,
    options: &Options,
) -> Result<Evaluation, Diagnostic> {
    let lang = options.lang;
    let shared = Shared::new(compiled, catalog, answers, lang)?;
    let checked = catalog.check_range();
    let catalog_date = checked.map(|(_, newest)| newest);
    let as_of = options.date.or(catalog_date);

    // Tools are judged independently, so the work is split across the cores; results are
    // collected in catalog order, so the output does not depend on scheduling.
    let tools: Vec<&Tool> = catalog.tools.values().collect();
    let placed: Vec<Result<Placed, Diagnostic>> =
        crate::parallel::map(&tools, 64, |t| place_tool(&shared, t, as_of, options));
    let mut ranking = Vec::new();
    let mut excluded = Vec::new();
    for p in placed {
        match p? {
            Placed::Ranked(r) => ranking.push(*r),
            Placed::Excluded(e) => excluded.push(e),
        }
    }
    sort_ranking(&mut ranking, |r| (r.status, r.score, r.tool.as_str()));
    for (i, r) in ranking.iter_mut().enumerate() {
        r.rank = i + 1;
    }

    let criteria = compiled
        .criteria
        .iter()
        .zip(&shared.weights)
        .map(|(cc, w)| CriterionWeight {
            id: cc.criterion.id.clone(),
            title: cc.criterion.title.get(lang).to_string(),
            about: cc.criterion.about.get(lang).to_string(),
            weight: *w,
            default_weight: cc.criterion.weight,
            share: round2(w / shared.total_weight * 100.0),
        })
        .collect();
    Ok(Evaluation {
        lang,
        criteria,
        ranking,
        excluded,
        freshness: Freshness {
            as_of,
            catalog_date,
            oldest_check: checked.map(|(oldest, _)| oldest),
            max_age_months: options.max_age_months,
            tools: catalog.tools.len(),
        },
    })
}

/// Fits before verify; within a status by score, ties by id.
fn sort_ranking<T>(list: &mut [T], key: impl Fn(&T) -> (Status, f64, &str)) {
    list.sort_by(|a, b| {
        let (sa, xa, ia) = key(a);
        let (sb, xb, ib) = key(b);
        sa.cmp(&sb).then(xb.total_cmp(&xa)).then_with(|| ia.cmp(ib))
    });
}

/// What one criterion says about one offering, without sentences.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cell {
    excludes: bool,
    unclear: bool,
    /// On the 0-1 scale; 0 where the offering is excluded and the rule could not score it.
    score: f64,
}

/// Every criterion's word on every offering of the catalog, in catalog order: what a
/// tipping-point search keeps between candidate changes, re-evaluating only the criteria
/// that read the changed answer.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Per tool (catalog order), `None` when the tool is out whatever the offering says.
    tools: Vec<Option<Vec<Vec<Cell>>>>,
    /// What rules see of each offering besides the answers, made once per catalog.
    parts: std::sync::Arc<Vec<Vec<rules::OfferingParts>>>,
}

impl Grid {
    /// Every criterion for every offering; with `reuse`, only the criteria marked in
    /// `changed` are evaluated again and the others are taken from the earlier grid.
    pub fn new(
        compiled: &Compiled<'_>,
        catalog: &Catalog,
        answers: &Answers,
        lang: Lang,
        reuse: Option<(&Grid, &[bool])>,
    ) -> Result<Grid, Diagnostic> {
        if let Some((grid, changed)) = reuse
            && !changed.contains(&true)
        {
            return Ok(grid.clone());
        }
        let a = rules::answers_value(answers);
        let memo = rules::Memo::default();
        let tools: Vec<(usize, &Tool)> = catalog.tools.values().enumerate().collect();
        let parts = match reuse {
            Some((grid, _)) => std::sync::Arc::clone(&grid.parts),
            None => std::sync::Arc::new(
                catalog
                    .tools
                    .values()
                    .map(|tool| {
                        tool.offerings
                            .iter()
                            .map(|o| rules::OfferingParts::new(tool, o, lang))
                            .collect()
                    })
                    .collect(),
            ),
        };
        let rows = crate::parallel::map(&tools, 64, |&(t, tool)| {
            if tool_level_exclusion(tool, answers, catalog, lang).is_some() {
                return Ok(None);
            }
            let earlier = reuse.and_then(|(grid, _)| grid.tools[t].as_ref());
            tool.offerings
                .iter()
                .enumerate()
                .map(|(o, _)| {
                    // Excluded by a criterion that does not read the changed answer: it stays
                    // excluded, whatever the others say now.
                    if let (Some(row), Some((_, changed))) = (earlier, reuse)
                        && row[o]
                            .iter()
                            .zip(changed)
                            .any(|(c, changed)| c.excludes && !changed)
                    {
                        return Ok(row[o].clone());
                    }
                    let ctx = parts[t][o].context(&a);
                    let at = rules::Subject {
                        tool,
                        offering: &tool.offerings[o],
                        ctx: &ctx,
                        lang,
                    };
                    let cells: Vec<Option<Cell>> = compiled
                        .criteria
                        .iter()
                        .enumerate()
                        .map(|(c, cc)| {
                            let keep = reuse.is_some_and(|(_, changed)| !changed[c]);
                            match earlier {
                                Some(row) if keep => Ok(Some(row[o][c])),
                                _ => Ok(compiled.excludes_in(&memo, cc, &at)?.then_some(Cell {
                                    excludes: true,
                                    unclear: false,
                                    score: 0.0,
                                })),
                            }
                        })
                        .collect::<Result<_, Diagnostic>>()?;
                    let excluded = cells.iter().flatten().any(|c| c.excludes);
                    compiled
                        .criteria
                        .iter()
                        .zip(cells)
                        .map(|(cc, cell)| match cell {
                            Some(cell) => Ok(cell),
                            None => {
                                let scored = compiled.score_in(&memo, cc, &at);
                                // An excluded offering needs no score; a rule that cannot
                                // score it must not stop the search.
                                let score = match scored {
                                    Ok(s) => s.score / cc.criterion.scale,
                                    Err(_) if excluded => 0.0,
                                    Err(e) => return Err(e),
                                };
                                Ok(Cell {
                                    excludes: false,
                                    unclear: compiled.is_unclear_in(&memo, cc, &at)?,
                                    score,
                                })
                            }
                        })
                        .collect::<Result<Vec<Cell>, Diagnostic>>()
                })
                .collect::<Result<Vec<_>, Diagnostic>>()
                .map(Some)
        });
        Ok(Grid {
            tools: rows.into_iter().collect::<Result<_, Diagnostic>>()?,
            parts,
        })
    }

    /// Where every tool stands with these weights, in ranking order.
    pub fn standings(&self, catalog: &Catalog, weights: &[f64], lang: Lang) -> Vec<Standing> {
        let total: f64 = weights.iter().sum();
        let mut out: Vec<Standing> = catalog
            .tools
            .values()
            .zip(&self.tools)
            .filter_map(|(tool, row)| {
                let row = row.as_ref()?;
                let (o, status, score) = row
                    .iter()
                    .enumerate()
                    .filter(|(_, cells)| !cells.iter().any(|c| c.excludes))
                    .map(|(o, cells)| {
                        let status = if cells.iter().any(|c| c.unclear) {
                            Status::Verify
                        } else {
                            Status::Fits
                        };
                        let sum: f64 = cells.iter().zip(weights).map(|(c, w)| c.score * w).sum();
                        (o, status, round2(sum / total * 100.0))
                    })
                    .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)))?;
                let offering = &tool.offerings[o];
                Some(Standing {
                    tool: tool.id.clone(),
                    name: tool.name.clone(),
                    status,
                    score,
                    offering_name: offering.name.get(lang).to_string(),
                    price_known: price_of(offering).is_some(),
                })
            })
            .collect();
        sort_ranking(&mut out, |s| (s.status, s.score, s.tool.as_str()));
        out
    }
}

/// Where every tool stands for these answers, in ranking order, without writing any sentence.
pub fn standings(
    compiled: &Compiled<'_>,
    catalog: &Catalog,
    answers: &Answers,
    lang: Lang,
) -> Result<Vec<Standing>, Diagnostic> {
    let weights = Shared::new(compiled, catalog, answers, lang)?.weights;
    let grid = Grid::new(compiled, catalog, answers, lang, None)?;
    Ok(grid.standings(catalog, &weights, lang))
}

/// A tool's place: ranked with its best offering, or excluded with every reason.
enum Placed {
    Ranked(Box<RankedTool>),
    Excluded(ExcludedTool),
}

/// Every offering of one tool judged, the tool placed by its best.
fn place_tool<'s>(
    shared: &Shared<'s, '_>,
    tool: &'s Tool,
    as_of: Option<Date>,
    options: &Options,
) -> Result<Placed, Diagnostic> {
    let lang = shared.lang;
    if let Some(reasons) = tool_level_exclusion(tool, shared.answers, shared.catalog, lang) {
        let retired = tool.retired.is_some();
        let (main, title) = if retired {
            ("retired", crate::say!(lang, "advice.excluded.retired"))
        } else {
            ("forbidden", crate::say!(lang, "advice.excluded.forbidden"))
        };
        return Ok(Placed::Excluded(ExcludedTool {
            tool: tool.id.clone(),
            name: tool.name.clone(),
            retired,
            summary: reasons.first().cloned().unwrap_or_default(),
            reasons,
            main_reason: main.into(),
            main_reason_title: title,
        }));
    }
    let judgement = ToolJudgement::of(shared, tool)?;
    let Some(best) = judgement.best else {
        let excluded: Vec<(&Offering, &Vec<(usize, String)>)> = judgement
            .offerings
            .iter()
            .filter_map(|(o, j)| match j {
                Judged::Excluded(reasons) => Some((*o, reasons)),
                Judged::Admitted { .. } => None,
            })
            .collect();
        let reasons = excluded
            .iter()
            .flat_map(|(o, reasons)| {
                reasons
                    .iter()
                    .map(move |(_, r)| format!("{}: {r}", o.name.get(lang)))
            })
            .collect();
        // The criterion that rules out most offerings (each counted by its first reason).
        let mut counts = vec![0usize; shared.compiled.criteria.len()];
        for (_, reasons) in &excluded {
            if let Some((c, _)) = reasons.first() {
                counts[*c] += 1;
            }
        }
        let main = (0..counts.len())
            .max_by(|a, b| counts[*a].cmp(&counts[*b]).then(b.cmp(a)))
            .unwrap_or(0);
        let summary = excluded
            .iter()
            .flat_map(|(_, reasons)| reasons.iter())
            .find(|(c, _)| *c == main)
            .map(|(_, r)| r.clone())
            .unwrap_or_default();
        let criterion = shared.compiled.criteria[main].criterion;
        return Ok(Placed::Excluded(ExcludedTool {
            tool: tool.id.clone(),
            name: tool.name.clone(),
            retired: false,
            reasons,
            main_reason: criterion.id.clone(),
            main_reason_title: criterion.title.get(lang).to_string(),
            summary,
        }));
    };
    let best_status = match &judgement.offerings[best].1 {
        Judged::Admitted { questions, .. } => status_of(questions),
        Judged::Excluded(_) => unreachable!("the best offering is admitted"),
    };
    // The sensitivity analysis re-weights the offerings the tool could be placed by: those
    // with the verdict of its best one.
    let offering_scores: Vec<Vec<f64>> = judgement
        .offerings
        .iter()
        .filter_map(|(_, j)| match j {
            Judged::Admitted {
                questions, scored, ..
            } if status_of(questions) == best_status => Some(scored.normalized.clone()),
            _ => None,
        })
        .collect();
    let mut other_offerings: Vec<OfferingVerdict> = judgement
        .offerings
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, (o, j))| {
            let (status, score, reasons, verify) = match j {
                Judged::Excluded(reasons) => (
                    Status::Excluded,
                    None,
                    reasons.iter().map(|(_, r)| r.clone()).collect(),
                    Vec::new(),
                ),
                Judged::Admitted {
                    questions, scored, ..
                } => (
                    status_of(questions),
                    Some(scored.score),
                    Vec::new(),
                    questions.clone(),
                ),
            };
            OfferingVerdict {
                offering: o.id.clone(),
                name: o.name.get(lang).to_string(),
                status,
                score,
                reasons,
                verify,
            }
        })
        .collect();
    other_offerings.sort_by(|a, b| a.offering.cmp(&b.offering));
    let mut offerings = judgement.offerings;
    let (offering, judged) = offerings.swap_remove(best);
    let Judged::Admitted {
        questions,
        scored,
        ctx,
    } = judged
    else {
        unreachable!("the best offering is admitted")
    };
    let contributions = contributions(shared, &scored, &ctx)?;
    let mut r = ranked(
        tool,
        offering,
        scored,
        contributions,
        questions,
        other_offerings,
        shared.answers,
        as_of,
        options,
    );
    r.offering_scores = offering_scores;
    Ok(Placed::Ranked(Box::new(r)))
}

fn first(mut problems: Vec<Diagnostic>) -> Diagnostic {
    problems.remove(0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Each criterion's share of the shown offering's score, with the sentence explaining it.
fn contributions(
    shared: &Shared<'_, '_>,
    scored: &Scored,
    ctx: &minijinja::Value,
) -> Result<Vec<Contribution>, Diagnostic> {
    let compiled = shared.compiled;
    compiled
        .criteria
        .iter()
        .zip(&shared.weights)
        .zip(&scored.rule_scores)
        .map(|((cc, weight), outcome)| {
            let c = cc.criterion;
            let max_points = weight / shared.total_weight * 100.0;
            Ok(Contribution {
                criterion: c.id.clone(),
                title: c.title.get(shared.lang).to_string(),
                weight: *weight,
                score: round2(outcome.score),
                scale: c.scale,
                points: round2(max_points * outcome.score / c.scale),
                max_points: round2(max_points),
                because: compiled.because(cc, outcome, ctx, shared.lang)?,
                unknown: outcome.unknown,
            })
        })
        .collect()
}

/// Reasons that exclude every offering of a tool: retirement and the group's own ban.
fn tool_level_exclusion(
    tool: &Tool,
    answers: &Answers,
    catalog: &Catalog,
    lang: Lang,
) -> Option<Vec<String>> {
    let mut reasons = Vec::new();
    if let Some(r) = &tool.retired {
        let successor = r
            .successor
            .as_ref()
            .and_then(|id| catalog.tools.get(id))
            .map(|t| t.name.as_str());
        let date = crate::format::long_date(r.date, lang);
        reasons.push(match successor {
            Some(s) => crate::say!(
                lang,
                "advice.retired_successor",
                tool = tool.name,
                date = date,
                successor = s
            ),
            None => crate::say!(lang, "advice.retired", tool = tool.name, date = date),
        });
    }
    if answers.forbidden_tools.contains(&tool.id) {
        reasons.push(crate::say!(lang, "advice.forbidden", tool = tool.name));
    }
    (!reasons.is_empty()).then_some(reasons)
}

/// Caveat topics that matter for this group and offering.
fn relevant_topics(answers: &Answers, offering: &Offering) -> BTreeSet<CaveatTopic> {
    let mut topics: BTreeSet<CaveatTopic> = [
        CaveatTopic::TimeLimit,
        CaveatTopic::Stability,
        CaveatTopic::Eligibility,
        CaveatTopic::Retired,
    ]
    .into_iter()
    .collect();
    if answers.confidentiality != Confidentiality::Public {
        topics.insert(CaveatTopic::Privacy);
    }
    if !answers.accounts_allowed || answers.media_literacy != crate::vocab::MediaLiteracy::High {
        topics.insert(CaveatTopic::Account);
    }
    if !answers.install_allowed || answers.media_literacy == crate::vocab::MediaLiteracy::Low {
        topics.insert(CaveatTopic::Install);
    }
    if answers.budget_eur_per_month > 0.0 || offering.facts.contains_key("price_eur_month") {
        topics.insert(CaveatTopic::Cost);
    }
    if answers.participants > 10 {
        topics.insert(CaveatTopic::Size);
    }
    if answers.devices.contains(&Device::Phone) {
        topics.insert(CaveatTopic::Phone);
    }
    if matches!(
        offering.hosting,
        Hosting::SelfHosted | Hosting::PartnerHosted
    ) {
        topics.insert(CaveatTopic::Admin);
    }
    topics
}

fn price_of(offering: &Offering) -> Option<f64> {
    match offering.facts.get("price_eur_month")?.trusted()? {
        FactValue::Number(x) => Some(*x),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn ranked(
    tool: &Tool,
    offering: &Offering,
    scored: Scored,
    contributions: Vec<Contribution>,
    verify: Vec<String>,
    other_offerings: Vec<OfferingVerdict>,
    answers: &Answers,
    as_of: Option<Date>,
    options: &Options,
) -> RankedTool {
    let lang = options.lang;
    let topics = relevant_topics(answers, offering);
    let phone_only = answers.devices.iter().all(|d| *d == Device::Phone);
    let caveats = tool
        .caveats
        .iter()
        .filter(|c| c.offerings.is_empty() || c.offerings.contains(&offering.id))
        .filter(|c| c.topics.is_empty() || c.topics.iter().any(|t| topics.contains(t)))
        .filter(|c| !(phone_only && c.topics.contains(&CaveatTopic::Online)))
        .map(|c| {
            if lang == Lang::De {
                c.de.clone()
            } else {
                c.en.clone()
            }
        })
        .collect();
    let mut strongest: Vec<&Contribution> = contributions
        .iter()
        .filter(|c| c.points > 0.0 && !c.unknown && c.score >= c.scale * 0.7)
        .collect();
    strongest.sort_by(|a, b| {
        b.points
            .total_cmp(&a.points)
            .then_with(|| a.criterion.cmp(&b.criterion))
    });
    let strengths = strongest
        .iter()
        .take(3)
        .map(|c| c.because.clone())
        .collect();
    let decisive = || {
        offering
            .facts
            .iter()
            .filter(|(k, f)| DECISIVE_FACTS.contains(k) && f.trusted().is_some())
    };
    // A fact is as old as its evidence: re-reading an old page does not make it new.
    let stale_facts = match as_of {
        Some(as_of) => decisive()
            .filter(|(_, f)| f.evidence.months_until(as_of) >= options.max_age_months as i32)
            .map(|(k, _)| k.to_string())
            .collect(),
        None => Vec::new(),
    };
    RankedTool {
        rank: 0,
        status: status_of(&verify),
        verify,
        tool: tool.id.clone(),
        name: tool.name.clone(),
        kind: tool.kind,
        offering: offering.id.clone(),
        offering_name: offering.name.get(lang).to_string(),
        hosting: offering.hosting,
        score: scored.score,
        price_eur_month: price_of(offering),
        contributions,
        strengths,
        unknown_points: scored.unknown_points,
        caveats,
        other_offerings,
        stale_facts,
        oldest_check: offering.facts.values().map(|f| f.checked).min(),
        evidence_date: decisive().map(|(_, f)| f.evidence).min(),
        join_steps: join_guides(tool, answers, lang),
        host_steps: offering
            .host_steps
            .as_ref()
            .or(tool.host_steps.as_ref())
            .map(|s| {
                if lang == Lang::De {
                    s.de.clone()
                } else {
                    s.en.clone()
                }
            })
            .unwrap_or_default(),
        dial_in: tool.kind == crate::vocab::ToolKind::Phone
            || offering
                .facts
                .get("dial_in")
                .and_then(|f| f.trusted())
                .is_some_and(|v| matches!(v, FactValue::Support(crate::vocab::Support::Yes))),
        sources: sources_of(tool, offering),
        offering_scores: Vec::new(),
        assessments: tool
            .assessments
            .iter()
            .map(|a| AssessmentInfo {
                by: a.by.clone(),
                date: a.date.as_str().to_string(),
                verdict: a.verdict.get(lang).to_string(),
            })
            .collect(),
    }
}

/// Steps for the devices the group uses; tablets use the smartphone steps.
fn join_guides(tool: &Tool, answers: &Answers, lang: Lang) -> Vec<JoinGuide> {
    let wanted = [
        (Device::Computer, tool.join_steps.computer.as_ref()),
        (Device::Smartphone, tool.join_steps.smartphone.as_ref()),
        (Device::Phone, tool.join_steps.phone.as_ref()),
    ];
    wanted
        .into_iter()
        .filter(|(device, _)| {
            answers.devices.contains(device)
                || (*device == Device::Smartphone && answers.devices.contains(&Device::Tablet))
        })
        .filter_map(|(device, steps)| {
            let steps = steps?;
            let label = if device == Device::Smartphone {
                crate::wording::text(lang, "advice.device.smartphone_or_tablet")
            } else {
                device.label(lang)
            };
            Some(JoinGuide {
                device: device.word().to_string(),
                label: label.to_string(),
                steps: match lang {
                    Lang::De => steps.de.clone(),
                    Lang::En => steps.en.clone(),
                },
            })
        })
        .collect()
}

/// The sources behind an offering's known facts, newest check date per source.
fn sources_of(tool: &Tool, offering: &Offering) -> Vec<SourceInfo> {
    let mut checked: std::collections::BTreeMap<&str, Date> = std::collections::BTreeMap::new();
    for fact in offering.facts.values() {
        if let Some(src) = &fact.src {
            let entry = checked.entry(&**src).or_insert(fact.checked);
            *entry = (*entry).max(fact.checked);
        }
    }
    checked
        .into_iter()
        .filter_map(|(key, date)| {
            let s = tool.sources.get(key)?;
            Some(SourceInfo {
                key: key.to_string(),
                title: s.title.clone(),
                place: s
                    .url
                    .clone()
                    .or_else(|| s.document.clone())
                    .unwrap_or_default(),
                published: s.published.as_str().to_string(),
                kind: s.kind,
                checked: date,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::KnownIds;
    use crate::source::{Format, SourceText};

    fn example(name: &str, catalog: &Catalog, criteria: &Criteria) -> Answers {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name);
        let source = SourceText::read(&path).unwrap();
        let known = KnownIds {
            tools: catalog.tools.keys().map(String::as_str).collect(),
            criteria: criteria.ids(),
        };
        crate::answers::parse(&source, Format::from_path(&path).unwrap(), &[], &known).unwrap()
    }

    /// The lean standings the tipping-point search compares must place every tool exactly as
    /// the full evaluation does, and a grid that re-evaluates only the criteria reading a
    /// changed answer must equal a grid made from scratch.
    #[test]
    fn standings_and_reused_grids_agree_with_the_full_evaluation() {
        let catalog = Catalog::load(None).unwrap();
        let criteria = Criteria::load(None).unwrap();
        let compiled = rules::compile(&criteria).unwrap();
        for name in [
            "familiengruppe.toml",
            "telefongruppe.toml",
            "verwaltung.toml",
            "infoabend.yaml",
        ] {
            let answers = example(name, &catalog, &criteria);
            let full =
                evaluate_compiled(&compiled, &catalog, &answers, &Options::default()).unwrap();
            let lean = standings(&compiled, &catalog, &answers, Lang::De).unwrap();
            let placed = |s: &Standing| (s.tool.clone(), s.status, s.score);
            let full_placed: Vec<_> = full
                .ranking
                .iter()
                .map(|r| (r.tool.clone(), r.status, r.score))
                .collect();
            assert_eq!(
                lean.iter().map(placed).collect::<Vec<_>>(),
                full_placed,
                "{name}"
            );

            let base = Grid::new(&compiled, &catalog, &answers, Lang::De, None).unwrap();
            let mut changed = answers.clone();
            changed.participants = answers.participants * 3;
            changed.budget_eur_per_month += 30.0;
            let stale: Vec<bool> = compiled
                .criteria
                .iter()
                .map(|cc| {
                    cc.reads_answer("participants") || cc.reads_answer("budget_eur_per_month")
                })
                .collect();
            let weights = compiled
                .weights(&changed, &rules::answers_value(&changed))
                .unwrap();
            let reused = Grid::new(
                &compiled,
                &catalog,
                &changed,
                Lang::De,
                Some((&base, &stale)),
            )
            .unwrap()
            .standings(&catalog, &weights, Lang::De);
            let fresh = standings(&compiled, &catalog, &changed, Lang::De).unwrap();
            assert_eq!(reused, fresh, "{name}");
        }
    }
}
