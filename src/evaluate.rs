//! From answers, catalog and criteria to a [`Report`]: knock-outs per offering, scores on
//! fixed scales, each tool ranked by its best offering. No I/O.
//!
//! The score of an offering depends only on its own facts and the group's answers (a
//! weighted sum over fixed scales), so adding or removing a tool never reorders the others.

use std::collections::BTreeSet;

use crate::answers::Answers;
use crate::catalog::{Catalog, Offering, Tool};
use crate::criteria::Criteria;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::report::{
    AssessmentInfo, Contribution, CriterionWeight, ExcludedTool, Freshness, JoinGuide,
    OfferingVerdict, RankedTool, Report, SCHEMA_VERSION, SourceInfo,
};
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

/// An admitted offering's scores; the sentences explaining them are rendered only for the
/// offering a report shows.
struct Scored {
    score: f64,
    normalized: Vec<f64>,
    rule_scores: Vec<rules::Score>,
    unknown_points: f64,
    /// Filled in for the shown offering only.
    contributions: Vec<Contribution>,
}

/// Evaluates every tool of the catalog for the group.
pub fn evaluate(
    catalog: &Catalog,
    criteria: &Criteria,
    answers: &Answers,
    options: &Options,
) -> Result<Report, Diagnostic> {
    let env = rules::environment(criteria).map_err(first)?;
    let compiled = rules::compile(&env, criteria).map_err(first)?;
    evaluate_compiled(&compiled, catalog, answers, options)
}

/// Like [`evaluate`], with rules compiled once for many evaluations (analysis, batch runs).
pub fn evaluate_compiled(
    compiled: &Compiled<'_>,
    catalog: &Catalog,
    answers: &Answers,
    options: &Options,
) -> Result<Report, Diagnostic> {
    let lang = options.lang;
    let a = rules::answers_value(answers);
    let weights = compiled.weights(answers, &a)?;
    let total_weight: f64 = weights.iter().sum();
    if total_weight <= 0.0 {
        return Err(
            Diagnostic::new("weights", "all weights are 0: nothing can be scored")
                .with_help("give at least one criterion a weight above 0"),
        );
    }
    let catalog_date = catalog.newest_check();
    let as_of = options.date.or(catalog_date);

    // Tools are judged independently, so the work is split across the cores; results are
    // collected in catalog order, so the output does not depend on scheduling.
    let tools: Vec<&Tool> = catalog.tools.values().collect();
    let shared = Shared {
        compiled,
        catalog,
        answers,
        a: &a,
        weights: &weights,
        total_weight,
        as_of,
        options,
    };
    let verdicts: Vec<Result<Verdict, Diagnostic>> =
        crate::parallel::map(&tools, 64, |t| judge_tool(&shared, t));
    let mut ranking = Vec::new();
    let mut excluded = Vec::new();
    for verdict in verdicts {
        match verdict? {
            Verdict::Ranked(r) => ranking.push(*r),
            Verdict::Excluded(e) => excluded.push(e),
        }
    }
    ranking.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.tool.cmp(&b.tool))
    });
    for (i, r) in ranking.iter_mut().enumerate() {
        r.rank = i + 1;
    }

    let criteria_out = compiled
        .criteria
        .iter()
        .zip(&weights)
        .map(|(cc, w)| CriterionWeight {
            id: cc.criterion.id.clone(),
            title: cc.criterion.title.get(lang).to_string(),
            about: cc.criterion.about.get(lang).to_string(),
            weight: *w,
            default_weight: cc.criterion.weight,
            share: round2(w / total_weight * 100.0),
        })
        .collect();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        lang,
        group: answers.group.clone(),
        answers: answers.clone(),
        criteria: criteria_out,
        ranking,
        excluded,
        freshness: Freshness {
            as_of,
            catalog_date,
            oldest_check: catalog.oldest_check(),
            max_age_months: options.max_age_months,
            tools: catalog.tools.len(),
        },
        checklist: Vec::new(),
        analysis: None,
    })
}

/// What every tool's judgement reads.
struct Shared<'s, 'e> {
    compiled: &'s Compiled<'e>,
    catalog: &'s Catalog,
    answers: &'s Answers,
    a: &'s minijinja::Value,
    weights: &'s [f64],
    total_weight: f64,
    as_of: Option<Date>,
    options: &'s Options,
}

/// A tool's place: ranked with its best offering, or excluded with every reason.
enum Verdict {
    Ranked(Box<RankedTool>),
    Excluded(ExcludedTool),
}

/// Knock-outs and scores of every offering of one tool.
fn judge_tool(shared: &Shared<'_, '_>, tool: &Tool) -> Result<Verdict, Diagnostic> {
    let Shared {
        compiled,
        catalog,
        answers,
        a,
        weights,
        total_weight,
        as_of,
        options,
    } = *shared;
    let lang = options.lang;
    if let Some(reasons) = tool_level_exclusion(tool, answers, catalog, lang) {
        return Ok(Verdict::Excluded(ExcludedTool {
            tool: tool.id.clone(),
            name: tool.name.clone(),
            retired: tool.retired.is_some(),
            reasons,
        }));
    }
    let mut admitted: Vec<(&Offering, Scored, minijinja::Value)> = Vec::new();
    let mut verdicts: Vec<(&Offering, Vec<String>)> = Vec::new();
    for offering in &tool.offerings {
        let f = rules::facts_value(offering);
        let ctx = rules::context(a, tool, offering, &f, lang);
        let mut knockouts = Vec::new();
        for cc in &compiled.criteria {
            knockouts.extend(compiled.knockouts(cc, &ctx, lang)?);
        }
        if knockouts.is_empty() {
            let scored = score_offering(compiled, weights, total_weight, &ctx)?;
            admitted.push((offering, scored, ctx));
        } else {
            verdicts.push((offering, knockouts));
        }
    }
    // Best offering: highest score; ties go to the offering listed first in the catalog.
    let best = admitted
        .iter()
        .enumerate()
        .max_by(|(i, x), (j, y)| x.1.score.total_cmp(&y.1.score).then(j.cmp(i)))
        .map(|(i, _)| i);
    let Some(best) = best else {
        let reasons = verdicts
            .iter()
            .flat_map(|(o, reasons)| {
                reasons
                    .iter()
                    .map(move |r| format!("{}: {r}", o.name.get(lang)))
            })
            .collect();
        return Ok(Verdict::Excluded(ExcludedTool {
            tool: tool.id.clone(),
            name: tool.name.clone(),
            retired: false,
            reasons,
        }));
    };
    let offering_scores: Vec<Vec<f64>> = admitted
        .iter()
        .map(|(_, s, _)| s.normalized.clone())
        .collect();
    let (offering, mut scored, ctx) = admitted.swap_remove(best);
    scored.contributions = contributions(compiled, weights, total_weight, &scored, &ctx, lang)?;
    let mut other_offerings: Vec<OfferingVerdict> = tool
        .offerings
        .iter()
        .filter(|o| o.id != offering.id)
        .map(|o| {
            let score = admitted
                .iter()
                .find(|(a, _, _)| a.id == o.id)
                .map(|(_, s, _)| s.score);
            let reasons = verdicts
                .iter()
                .find(|(v, _)| v.id == o.id)
                .map(|(_, r)| r.clone())
                .unwrap_or_default();
            OfferingVerdict {
                offering: o.id.clone(),
                name: o.name.get(lang).to_string(),
                score,
                reasons,
            }
        })
        .collect();
    other_offerings.sort_by(|a, b| a.offering.cmp(&b.offering));
    let mut r = ranked(
        tool,
        offering,
        scored,
        other_offerings,
        answers,
        as_of,
        options,
    );
    r.offering_scores = offering_scores;
    Ok(Verdict::Ranked(Box::new(r)))
}

fn first(mut problems: Vec<Diagnostic>) -> Diagnostic {
    problems.remove(0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn score_offering(
    compiled: &Compiled<'_>,
    weights: &[f64],
    total_weight: f64,
    ctx: &minijinja::Value,
) -> Result<Scored, Diagnostic> {
    let mut score = 0.0;
    let mut unknown_points = 0.0;
    let mut normalized = Vec::with_capacity(compiled.criteria.len());
    let mut rule_scores = Vec::with_capacity(compiled.criteria.len());
    for (cc, weight) in compiled.criteria.iter().zip(weights) {
        let outcome = compiled.score(cc, ctx)?;
        let c = cc.criterion;
        let max_points = weight / total_weight * 100.0;
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
        contributions: Vec::new(),
    })
}

/// Each criterion's share of the shown offering's score, with the sentence explaining it.
fn contributions(
    compiled: &Compiled<'_>,
    weights: &[f64],
    total_weight: f64,
    scored: &Scored,
    ctx: &minijinja::Value,
    lang: Lang,
) -> Result<Vec<Contribution>, Diagnostic> {
    compiled
        .criteria
        .iter()
        .zip(weights)
        .zip(&scored.rule_scores)
        .map(|((cc, weight), outcome)| {
            let c = cc.criterion;
            let max_points = weight / total_weight * 100.0;
            Ok(Contribution {
                criterion: c.id.clone(),
                title: c.title.get(lang).to_string(),
                weight: *weight,
                score: round2(outcome.score),
                scale: c.scale,
                points: round2(max_points * outcome.score / c.scale),
                max_points: round2(max_points),
                because: compiled.because(cc, outcome, ctx, lang)?,
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
        reasons.push(match (lang, successor) {
            (Lang::De, Some(s)) => format!(
                "{} wurde am {} eingestellt; Nachfolger ist {s}.",
                tool.name, r.date
            ),
            (Lang::De, None) => format!("{} wurde am {} eingestellt.", tool.name, r.date),
            (Lang::En, Some(s)) => format!(
                "{} was retired on {}; its successor is {s}.",
                tool.name, r.date
            ),
            (Lang::En, None) => format!("{} was retired on {}.", tool.name, r.date),
        });
    }
    if answers.forbidden_tools.contains(&tool.id) {
        reasons.push(match lang {
            Lang::De => format!(
                "{} ist für Ihre Gruppe ausgeschlossen (forbidden_tools).",
                tool.name
            ),
            Lang::En => format!(
                "{} is ruled out for your group (forbidden_tools).",
                tool.name
            ),
        });
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

fn ranked(
    tool: &Tool,
    offering: &Offering,
    scored: Scored,
    other_offerings: Vec<OfferingVerdict>,
    answers: &Answers,
    as_of: Option<Date>,
    options: &Options,
) -> RankedTool {
    let lang = options.lang;
    let topics = relevant_topics(answers, offering);
    let caveats = tool
        .caveats
        .iter()
        .filter(|c| c.offerings.is_empty() || c.offerings.contains(&offering.id))
        .filter(|c| c.topics.is_empty() || c.topics.iter().any(|t| topics.contains(t)))
        .map(|c| {
            if lang == Lang::De {
                c.de.clone()
            } else {
                c.en.clone()
            }
        })
        .collect();
    let mut strongest: Vec<&Contribution> = scored
        .contributions
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
    let stale_facts = match as_of {
        Some(as_of) => offering
            .facts
            .iter()
            .filter(|(_, f)| f.checked.months_until(as_of) >= options.max_age_months as i32)
            .map(|(k, _)| k.clone())
            .collect(),
        None => Vec::new(),
    };
    let price = offering
        .facts
        .get("price_eur_month")
        .and_then(|f| match f.value {
            Some(crate::catalog::FactValue::Number(x)) => Some(x),
            _ => None,
        });
    RankedTool {
        rank: 0,
        tool: tool.id.clone(),
        name: tool.name.clone(),
        kind: tool.kind,
        offering: offering.id.clone(),
        offering_name: offering.name.get(lang).to_string(),
        hosting: offering.hosting,
        score: scored.score,
        price_eur_month: price,
        contributions: scored.contributions,
        strengths,
        unknown_points: scored.unknown_points,
        caveats,
        other_offerings,
        stale_facts,
        oldest_check: offering.facts.values().map(|f| f.checked).min(),
        join_steps: join_guides(tool, answers, lang),
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
                match lang {
                    Lang::De => "Smartphone oder Tablet",
                    Lang::En => "smartphone or tablet",
                }
            } else {
                device.label(lang)
            };
            Some(JoinGuide {
                device: device.word().to_string(),
                label: label.to_string(),
                steps: if lang == Lang::De {
                    steps.de.clone()
                } else {
                    steps.en.clone()
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
            let entry = checked.entry(src.as_str()).or_insert(fact.checked);
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
                checked: date,
            })
        })
        .collect()
}
