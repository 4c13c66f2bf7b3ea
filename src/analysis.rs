//! How much to trust a recommendation: weight sensitivity by sampling, close calls, tipping
//! points found by searching the answer space, and the share of each score that rests on
//! unknown facts.
//!
//! Sampling method: every weight above 0 is multiplied by an independent factor drawn
//! uniformly from [1 - spread, 1 + spread] (default ±50 %), with a SplitMix64 generator and a
//! fixed seed, so the same input gives the same figures. Each sample re-ranks the tools from
//! their offerings' cached criterion scores, so no rule is evaluated again. The draws do not
//! depend on the number of tools: adding a dominated tool changes no tool's share.

use serde::Serialize;

use crate::answers::Answers;
use crate::catalog::{Catalog, FactValue, Limit};
use crate::diag::Diagnostic;
use crate::evaluate::{Evaluation, Grid, Options, RankedTool, Standing, Status};
use crate::format;
use crate::rules::{self, Compiled};
use crate::say;
use crate::vocab::{Confidentiality, Lang, MediaLiteracy, SelfHosting};

/// Settings of the analysis.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Number of weight samples.
    pub samples: usize,
    /// Each weight varies within ± this share.
    pub spread: f64,
    /// Seed of the random generator.
    pub seed: u64,
    /// Whether to search for tipping points in the answers (costs one evaluation per candidate).
    pub tipping_points: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            samples: 10_000,
            spread: 0.5,
            seed: 2026,
            tipping_points: true,
        }
    }
}

/// The result, part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// How the weights were sampled.
    pub method: String,
    /// Number of samples.
    pub samples: usize,
    /// The seed used.
    pub seed: u64,
    /// Per ranked tool, in ranking order.
    pub tools: Vec<ToolSensitivity>,
    /// Set when the first two are within the noise.
    pub close_call: Option<CloseCall>,
    /// Smallest changes that change the winner.
    pub tipping_points: Vec<TippingPoint>,
    /// Tools that could overtake the winner if their unknown facts turned out favourable
    /// (unknowns are scored as the worst known value, so only others' unknowns can matter).
    pub could_overtake: Vec<String>,
    /// A plain summary sentence.
    pub summary: String,
}

/// How a tool fares when the weights move.
#[derive(Debug, Clone, Serialize)]
pub struct ToolSensitivity {
    /// Catalog id.
    pub tool: String,
    /// Name.
    pub name: String,
    /// Share of samples in which it comes first, 0 to 100.
    pub first_percent: f64,
    /// Best rank in any sample.
    pub rank_min: usize,
    /// Worst rank in any sample.
    pub rank_max: usize,
    /// Points of its score that rest on unknown facts.
    pub unknown_points: f64,
    /// Its score if every unknown turned out in its favour.
    pub best_case: f64,
    /// Its score as it stands: unknowns already count as the worst known value.
    pub worst_case: f64,
}

/// Two tools that lie level.
#[derive(Debug, Clone, Serialize)]
pub struct CloseCall {
    /// The first.
    pub first: String,
    /// The second.
    pub second: String,
    /// Their score difference.
    pub gap: f64,
    /// The criteria that separate them most, with the tool each favours.
    pub separating: Vec<Separator>,
    /// A sentence for the group.
    pub sentence: String,
}

/// A criterion on which two tools differ.
#[derive(Debug, Clone, Serialize)]
pub struct Separator {
    /// Criterion id.
    pub criterion: String,
    /// Its title.
    pub title: String,
    /// The tool it favours.
    pub favours: String,
    /// Point difference.
    pub points: f64,
}

/// A change of one answer or weight that changes who comes first.
#[derive(Debug, Clone, Serialize)]
pub struct TippingPoint {
    /// Whose position it concerns: the winner losing or the runner-up winning.
    pub concerns: String,
    /// The answer key or `weights.<criterion>`.
    pub key: String,
    /// The current value.
    pub from: String,
    /// The value that tips it.
    pub to: String,
    /// Who comes first then.
    pub new_winner: String,
    /// A sentence for the group.
    pub sentence: String,
}

/// SplitMix64: tiny, fast, and the same sequence on every machine.
pub struct Rng(u64);

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl Rng {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator `draws` steps after `new(seed)`: SplitMix64's state is a counter.
    pub fn at(seed: u64, draws: u64) -> Self {
        Rng(seed.wrapping_add(draws.wrapping_mul(GOLDEN_GAMMA)))
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A tool's score for given weights: its best offering's weighted mean, 0 to 100. (Rounding
/// keeps order, so scaling the best sum equals taking the best scaled sum.)
fn score_for(offering_scores: &[Vec<f64>], weights: &[f64], total: f64) -> f64 {
    best_weighted_sum(offering_scores, weights) / total * 100.0
}

/// The offerings' score vectors without those that another offering matches or beats on
/// every criterion (the first of equal ones stays). With weights of 0 or more, a left-out
/// offering's weighted sum is never above the one that covers it, also in floating point
/// (rounding is monotonic), so the best sum is the same.
fn undominated(offering_scores: &[Vec<f64>]) -> Vec<&[f64]> {
    let covers = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| x >= y);
    offering_scores
        .iter()
        .enumerate()
        .filter(|&(i, s)| {
            !offering_scores
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && covers(other, s) && (j < i || !covers(s, other)))
        })
        .map(|(_, s)| s.as_slice())
        .collect()
}

/// The best offering's weighted sum of normalised scores (its score times total weight / 100).
fn best_weighted_sum<S: AsRef<[f64]>>(offering_scores: &[S], weights: &[f64]) -> f64 {
    offering_scores
        .iter()
        .map(|s| {
            s.as_ref()
                .iter()
                .zip(weights)
                .map(|(x, w)| x * w)
                .sum::<f64>()
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

/// Ranks by score, ties by position in the report (which is by id among equals).
fn order(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    idx
}

/// How many of the best-ranked tools the sensitivity analysis covers.
pub const MAX_ANALYSED: usize = 40;

/// How many nearest values per answer the tipping-point search tries.
pub const MAX_CANDIDATES_PER_KEY: usize = 12;

/// The tools that compete for first place: those with the verdict of the first entry (the
/// tools that fit, or the tools to verify when nothing fits), at most [`MAX_ANALYSED`].
fn contenders(evaluation: &Evaluation) -> Vec<&RankedTool> {
    let Some(status) = evaluation.ranking.first().map(|r| r.status) else {
        return Vec::new();
    };
    evaluation
        .ranking
        .iter()
        .take_while(|r| r.status == status)
        .take(MAX_ANALYSED)
        .collect()
}

/// Per analysed tool: samples in which it came first, best and worst rank.
struct Tally {
    first: Vec<usize>,
    rank_min: Vec<usize>,
    rank_max: Vec<usize>,
}

impl Tally {
    fn merge(mut self, other: Tally) -> Tally {
        for i in 0..self.first.len() {
            self.first[i] += other.first[i];
            self.rank_min[i] = self.rank_min[i].min(other.rank_min[i]);
            self.rank_max[i] = self.rank_max[i].max(other.rank_max[i]);
        }
        self
    }
}

/// Runs the samples numbered `range` for the `tools`.
fn tally(
    tools: &[&RankedTool],
    base: &[f64],
    settings: &Settings,
    range: std::ops::Range<usize>,
) -> Tally {
    let n = tools.len();
    // An offering no better than another of its tool on every criterion never gives the
    // tool's best score (weights are never negative), so it is left out of the loop.
    let offerings: Vec<Vec<&[f64]>> = tools
        .iter()
        .map(|r| undominated(&r.offering_scores))
        .collect();
    let mut first = vec![0usize; n];
    let mut rank_min = vec![usize::MAX; n];
    let mut rank_max = vec![0usize; n];
    let mut rng = Rng::at(settings.seed, (range.start * base.len()) as u64);
    let mut weights = base.to_vec();
    let mut scores = vec![0.0; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for _ in range {
        for (w, b) in weights.iter_mut().zip(base) {
            let factor = 1.0 - settings.spread + 2.0 * settings.spread * rng.next_f64();
            *w = b * factor;
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            continue;
        }
        // Ranks only compare tools: the weighted sums rank like the scores (which divide
        // each by the same total), and skipping the division halves the loop's time.
        for (s, o) in scores.iter_mut().zip(&offerings) {
            *s = best_weighted_sum(o, &weights);
        }
        // Higher score first, ties to the earlier tool (as in `order`); the buffer is reused,
        // so the hot loop does not allocate.
        order.clear();
        order.extend(0..n);
        order.sort_unstable_by(|&i, &j| {
            scores[j]
                .partial_cmp(&scores[i])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(i.cmp(&j))
        });
        if let Some(&top) = order.first() {
            first[top] += 1;
        }
        for (place, &i) in order.iter().enumerate() {
            rank_min[i] = rank_min[i].min(place + 1);
            rank_max[i] = rank_max[i].max(place + 1);
        }
    }
    Tally {
        first,
        rank_min,
        rank_max,
    }
}

/// Per contending tool: share of samples in which it is first, and its rank range among
/// the contenders.
pub fn sensitivity(evaluation: &Evaluation, settings: &Settings) -> Vec<ToolSensitivity> {
    let base: Vec<f64> = evaluation.criteria.iter().map(|c| c.weight).collect();
    let tools = contenders(evaluation);
    let tally = if tools.len() == 1
        && settings.samples > 0
        && base.iter().all(|w| *w >= 0.0)
        && base.iter().sum::<f64>() > 0.0
    {
        // A single contender comes first in every sample (every sampled total weight stays
        // above 0), so there is nothing to draw.
        Tally {
            first: vec![settings.samples],
            rank_min: vec![1],
            rank_max: vec![1],
        }
    } else {
        sample(&tools, &base, settings)
    };
    let Tally {
        first,
        rank_min,
        rank_max,
    } = tally;
    tools
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let unknown_max: f64 = r
                .contributions
                .iter()
                .filter(|c| c.unknown)
                .map(|c| c.max_points)
                .sum();
            let unknown_now: f64 = r
                .contributions
                .iter()
                .filter(|c| c.unknown)
                .map(|c| c.points)
                .sum();
            ToolSensitivity {
                tool: r.tool.clone(),
                name: r.name.clone(),
                first_percent: round1(first[i] as f64 * 100.0 / settings.samples.max(1) as f64),
                rank_min: if rank_min[i] == usize::MAX {
                    r.rank
                } else {
                    rank_min[i]
                },
                rank_max: rank_max[i].max(1),
                unknown_points: round1(r.unknown_points),
                best_case: round1(r.score - unknown_now + unknown_max),
                worst_case: round1(r.score),
            }
        })
        .collect()
}

/// Runs every sample. Samples are independent: they are split across the cores. Each part
/// starts the generator where the sequence would be, so the result does not depend on the
/// split.
fn sample(tools: &[&RankedTool], base: &[f64], settings: &Settings) -> Tally {
    let per_part = settings
        .samples
        .div_ceil(crate::parallel::workers())
        .max(2_000);
    let parts: Vec<std::ops::Range<usize>> = (0..settings.samples)
        .step_by(per_part.max(1))
        .map(|start| start..(start + per_part).min(settings.samples))
        .collect();
    crate::parallel::map(&parts, 1, |range| {
        tally(tools, base, settings, range.clone())
    })
    .into_iter()
    .reduce(Tally::merge)
    .unwrap_or_else(|| tally(tools, base, settings, 0..0))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One candidate change of the answers.
struct Change {
    key: &'static str,
    from: String,
    to: String,
    /// How big the change is: relative for numbers, 1 for a switch.
    size: f64,
    apply: Box<dyn Fn(&mut Answers) + Sync>,
}

fn numbers_in(catalog: &Catalog, key: &str) -> Vec<f64> {
    let mut out: Vec<f64> = catalog
        .tools
        .values()
        .flat_map(|t| t.offerings.iter())
        .filter_map(|o| match o.facts.get(key)?.trusted()? {
            FactValue::Number(x) => Some(*x),
            FactValue::Limit(Limit::Count(n)) => Some(f64::from(*n)),
            _ => None,
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// The candidate changes, only in directions that make sense as advice: a group may grow,
/// meet longer, spend more, become more confident or more careful, allow or forbid installs
/// and accounts, or find someone to run a server; it does not shrink, spend less to afford
/// the costlier tool, or lower its confidentiality. Numbers are the values where some
/// offering's limit or price is crossed (taken from the catalog, not hand-written).
fn candidates(catalog: &Catalog, answers: &Answers, lang: Lang) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let participants = answers.participants;
    let mut values: Vec<u32> = numbers_in(catalog, "max_participants")
        .into_iter()
        .chain(numbers_in(catalog, "max_video_participants"))
        .map(|v| v as u32 + 1)
        .chain([participants.saturating_mul(2)])
        .filter(|v| *v > participants && *v <= 100_000)
        .collect();
    values.sort_unstable();
    values.dedup();
    for v in values {
        out.push(Change {
            key: "participants",
            from: participants.to_string(),
            to: v.to_string(),
            size: (f64::from(v) - f64::from(participants)) / f64::from(participants),
            apply: Box::new(move |a| a.participants = v),
        });
    }
    let minutes = answers.meeting_minutes;
    let mut values: Vec<u32> = numbers_in(catalog, "max_minutes")
        .into_iter()
        .map(|v| v as u32 + 1)
        .filter(|v| *v > minutes && *v <= 100_000)
        .collect();
    values.sort_unstable();
    values.dedup();
    for v in values {
        out.push(Change {
            key: "meeting_minutes",
            from: minutes.to_string(),
            to: v.to_string(),
            size: (f64::from(v) - f64::from(minutes)) / f64::from(minutes),
            apply: Box::new(move |a| a.meeting_minutes = v),
        });
    }
    let budget = answers.budget_eur_per_month;
    for v in numbers_in(catalog, "price_eur_month") {
        if v <= budget + 1e-9 || v > 10_000.0 {
            continue;
        }
        out.push(Change {
            key: "budget_eur_per_month",
            from: format::eur(budget, lang),
            to: format::eur(v, lang),
            size: (v - budget) / budget.max(5.0),
            apply: Box::new(move |a| a.budget_eur_per_month = v),
        });
    }
    let install = answers.install_allowed;
    out.push(Change {
        key: "install_allowed",
        from: install.to_string(),
        to: (!install).to_string(),
        size: 1.0,
        apply: Box::new(move |a| a.install_allowed = !install),
    });
    let accounts = answers.accounts_allowed;
    out.push(Change {
        key: "accounts_allowed",
        from: accounts.to_string(),
        to: (!accounts).to_string(),
        size: 1.0,
        apply: Box::new(move |a| a.accounts_allowed = !accounts),
    });
    for v in SelfHosting::ALL
        .iter()
        .copied()
        .filter(|v| *v > answers.self_hosting)
    {
        out.push(Change {
            key: "self_hosting",
            from: answers.self_hosting.label(lang).into(),
            to: v.label(lang).into(),
            size: 1.0,
            apply: Box::new(move |a| a.self_hosting = v),
        });
    }
    for v in Confidentiality::ALL
        .iter()
        .copied()
        .filter(|v| *v > answers.confidentiality)
    {
        out.push(Change {
            key: "confidentiality",
            from: answers.confidentiality.label(lang).into(),
            to: v.label(lang).into(),
            size: 1.0,
            apply: Box::new(move |a| a.confidentiality = v),
        });
    }
    for v in MediaLiteracy::ALL
        .iter()
        .copied()
        .filter(|v| *v > answers.media_literacy)
    {
        out.push(Change {
            key: "media_literacy",
            from: answers.media_literacy.label(lang).into(),
            to: v.label(lang).into(),
            size: 1.0,
            apply: Box::new(move |a| a.media_literacy = v),
        });
    }
    out.sort_by(|a, b| a.size.total_cmp(&b.size).then_with(|| a.key.cmp(b.key)));
    // Each candidate costs one evaluation of the whole catalog: keep the nearest per answer.
    let mut per_key: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    out.retain(|c| {
        let n = per_key.entry(c.key).or_insert(0);
        *n += 1;
        *n <= MAX_CANDIDATES_PER_KEY
    });
    out
}

/// What a search is looking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal<'a> {
    /// Another tool that fits comes first.
    Dethrone(&'a str),
    /// This tool fits and comes first.
    Win(&'a str),
    /// This tool is ranked at all: it fits, or may after a question is clarified.
    Admit(&'a str),
}

impl Goal<'_> {
    fn tool(&self) -> &str {
        match self {
            Goal::Dethrone(t) | Goal::Win(t) | Goal::Admit(t) => t,
        }
    }

    /// Whether the standings after a change reach the goal. Only a tool that fits can be
    /// the new winner: a tipping point never hands first place to an open question.
    fn reached(&self, after: &[Standing]) -> bool {
        let winner = after.first().filter(|s| s.status == Status::Fits);
        match self {
            Goal::Dethrone(t) => winner.is_some_and(|w| w.tool != *t),
            Goal::Win(t) => winner.is_some_and(|w| w.tool == *t),
            Goal::Admit(t) => after.iter().any(|s| s.tool == *t),
        }
    }
}

/// A found change: the key, from, to and the new winner.
pub struct Found {
    /// Answer key.
    pub key: String,
    /// Current value.
    pub from: String,
    /// New value.
    pub to: String,
    /// Who is first then.
    pub new_winner: String,
    /// The tool's offering then, if ranked.
    pub offering: Option<String>,
    /// Whether that offering's price is unknown (then a budget change proves little).
    pub price_unknown: bool,
    /// The tool's verdict then, if ranked.
    pub status: Option<Status>,
}

/// For each goal, the smallest single answer changes (one per key) that reach it, smallest
/// first. Each candidate change is evaluated once for all goals, without writing sentences,
/// so the search grows linearly with the catalog.
pub fn search_answers(
    compiled: &Compiled<'_>,
    catalog: &Catalog,
    answers: &Answers,
    options: &Options,
    goals: &[Goal<'_>],
) -> Result<Vec<Vec<Found>>, Diagnostic> {
    let lang = options.lang;
    let mut found: Vec<Vec<Found>> = goals.iter().map(|_| Vec::new()).collect();
    let base = Grid::new(compiled, catalog, answers, lang, None)?;
    for change in candidates(catalog, answers, lang) {
        let open: Vec<usize> = (0..goals.len())
            .filter(|&g| !found[g].iter().any(|f| f.key == change.key))
            .collect();
        if open.is_empty() {
            continue;
        }
        let mut changed = answers.clone();
        (change.apply)(&mut changed);
        // Only the criteria whose knock-outs or scores read the changed answer are asked
        // again; the weights are recomputed for every change.
        let stale: Vec<bool> = compiled
            .criteria
            .iter()
            .map(|cc| cc.reads_answer(change.key))
            .collect();
        let grid = Grid::new(compiled, catalog, &changed, lang, Some((&base, &stale)))?;
        let weights = compiled.weights(&changed, &rules::answers_value(&changed))?;
        if weights.iter().sum::<f64>() <= 0.0 {
            continue;
        }
        let after = grid.standings(catalog, &weights, lang);
        for g in open {
            let goal = goals[g];
            if !goal.reached(&after) {
                continue;
            }
            let tool = after.iter().find(|s| s.tool == goal.tool());
            found[g].push(Found {
                key: change.key.to_string(),
                from: change.from.clone(),
                to: change.to.clone(),
                new_winner: after.first().map(|s| s.name.clone()).unwrap_or_default(),
                offering: tool.map(|s| s.offering_name.clone()),
                price_unknown: tool.is_some_and(|s| !s.price_known),
                status: tool.map(|s| s.status),
            });
        }
    }
    Ok(found)
}

/// For each criterion, the smallest change of its weight (by a factor from a fixed ladder)
/// that reaches `goal` among the contenders: `(criterion index, new weight, new winner)`,
/// from the cached scores.
pub fn search_weights(evaluation: &Evaluation, goal: Goal<'_>) -> Vec<(usize, f64, String)> {
    const LADDER: [f64; 12] = [
        0.9, 1.1, 0.75, 1.25, 0.5, 1.5, 2.0, 0.25, 3.0, 0.0, 4.0, 6.0,
    ];
    let tools = contenders(evaluation);
    if tools.first().is_none_or(|t| t.status != Status::Fits) {
        return Vec::new();
    }
    let base: Vec<f64> = evaluation.criteria.iter().map(|c| c.weight).collect();
    let mut out = Vec::new();
    for i in 0..base.len() {
        for factor in LADDER {
            let mut w = base.clone();
            w[i] = if base[i] == 0.0 {
                factor
            } else {
                base[i] * factor
            };
            let total: f64 = w.iter().sum();
            if total <= 0.0 {
                continue;
            }
            let scores: Vec<f64> = tools
                .iter()
                .map(|r| score_for(&r.offering_scores, &w, total))
                .collect();
            let Some(&first) = order(&scores).first() else {
                continue;
            };
            let first_tool = tools[first].tool.as_str();
            let hit = match goal {
                Goal::Dethrone(t) => first_tool != t,
                Goal::Win(t) => first_tool == t,
                Goal::Admit(_) => false,
            };
            if hit {
                out.push((i, w[i], tools[first].name.clone()));
                break;
            }
        }
    }
    out
}

/// The readable name of an answer key.
pub fn answer_label(key: &str, lang: Lang) -> &'static str {
    use crate::wording::text;
    match key {
        "participants" => text(lang, "advice.answer.participants"),
        "meeting_minutes" => text(lang, "advice.answer.meeting_minutes"),
        "budget_eur_per_month" => text(lang, "advice.answer.budget_eur_per_month"),
        "install_allowed" => text(lang, "advice.answer.install_allowed"),
        "accounts_allowed" => text(lang, "advice.answer.accounts_allowed"),
        "self_hosting" => text(lang, "advice.answer.self_hosting"),
        "confidentiality" => text(lang, "advice.answer.confidentiality"),
        "media_literacy" => text(lang, "advice.answer.media_literacy"),
        _ => text(lang, "advice.answer.other"),
    }
}

fn value_text(value: &str, lang: Lang) -> String {
    match value {
        "true" => say!(lang, "advice.yes"),
        "false" => say!(lang, "advice.no"),
        _ => value.to_string(),
    }
}

/// A sentence for a found answer change. A server is not a setting: the sentence says that
/// someone would have to run it.
pub fn change_sentence(f: &Found, lang: Lang) -> String {
    let label = answer_label(&f.key, lang);
    let (from, to) = (value_text(&f.from, lang), value_text(&f.to, lang));
    let winner = &f.new_winner;
    match f.key.as_str() {
        "self_hosting" => say!(lang, "advice.change.server", to = to, winner = winner),
        _ => say!(
            lang,
            "advice.change.answer",
            label = label,
            to = to,
            from = from,
            winner = winner
        ),
    }
}

/// The whole analysis for an evaluation.
pub fn analyse(
    evaluation: &Evaluation,
    compiled: &Compiled<'_>,
    catalog: &Catalog,
    answers: &Answers,
    options: &Options,
    settings: &Settings,
) -> Result<Analysis, Diagnostic> {
    let lang = options.lang;
    let tools = sensitivity(evaluation, settings);
    let contending = contenders(evaluation);
    let mut close_call = None;
    let mut tipping_points = Vec::new();
    let mut could_overtake = Vec::new();
    let fits = contending
        .first()
        .is_some_and(|first| first.status == Status::Fits);
    if let (true, Some(first), Some(second)) = (fits, contending.first(), contending.get(1)) {
        let gap = (first.score - second.score).abs();
        let share = tools[0].first_percent;
        if gap < 3.0 || share < 70.0 {
            // Only what is known separates them: a difference that comes from an unknown
            // fact is a question, not a reason.
            let mut separating: Vec<Separator> = first
                .contributions
                .iter()
                .zip(&second.contributions)
                .filter(|(a, b)| !a.unknown && !b.unknown && (a.points - b.points).abs() >= 0.5)
                .map(|(a, b)| Separator {
                    criterion: a.criterion.clone(),
                    title: a.title.clone(),
                    favours: if a.points > b.points {
                        first.name.clone()
                    } else {
                        second.name.clone()
                    },
                    points: round1((a.points - b.points).abs()),
                })
                .collect();
            separating.sort_by(|a, b| {
                b.points
                    .total_cmp(&a.points)
                    .then_with(|| a.criterion.cmp(&b.criterion))
            });
            separating.truncate(3);
            let list = separating
                .iter()
                .map(|s| {
                    say!(
                        lang,
                        "advice.favours",
                        criterion = s.title,
                        tool = s.favours
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sentence = if list.is_empty() {
                say!(
                    lang,
                    "advice.close.nothing",
                    first = first.name,
                    second = second.name
                )
            } else {
                say!(
                    lang,
                    "advice.close.decide",
                    first = first.name,
                    second = second.name,
                    list = list
                )
            };
            close_call = Some(CloseCall {
                first: first.tool.clone(),
                second: second.tool.clone(),
                gap: round1(gap),
                separating,
                sentence,
            });
        }
    }
    if fits && let Some(first) = contending.first() {
        could_overtake = tools
            .iter()
            .skip(1)
            .filter(|t| t.best_case > first.score)
            .map(|t| t.name.clone())
            .collect();

        if settings.tipping_points {
            let runner_up = contending.get(1).map(|r| r.tool.as_str());
            let mut goals = vec![(Goal::Dethrone(&first.tool), first.tool.as_str())];
            if let Some(second) = runner_up {
                goals.push((Goal::Win(second), second));
            }
            let only_goals: Vec<Goal<'_>> = goals.iter().map(|(g, _)| *g).collect();
            let found = search_answers(compiled, catalog, answers, options, &only_goals)?;
            for ((goal, concerns), found) in goals.iter().zip(found) {
                if let Some(f) = found.into_iter().next() {
                    tipping_points.push(TippingPoint {
                        concerns: concerns.to_string(),
                        key: f.key.clone(),
                        from: f.from.clone(),
                        to: f.to.clone(),
                        new_winner: f.new_winner.clone(),
                        sentence: change_sentence(&f, lang),
                    });
                }
                if let Some((i, w, new_winner)) = search_weights(evaluation, *goal)
                    .into_iter()
                    .min_by(|a, b| {
                        let weight = |i: usize| evaluation.criteria[i].weight.max(1e-9);
                        let ra = (a.1 / weight(a.0)).ln().abs();
                        let rb = (b.1 / weight(b.0)).ln().abs();
                        ra.total_cmp(&rb)
                    })
                {
                    let c = &evaluation.criteria[i];
                    let (from, to) = (
                        format::number((c.weight * 100.0).round() / 100.0, lang),
                        format::number((w * 100.0).round() / 100.0, lang),
                    );
                    tipping_points.push(TippingPoint {
                        concerns: concerns.to_string(),
                        key: format!("weights.{}", c.id),
                        from: from.clone(),
                        to: to.clone(),
                        new_winner: new_winner.clone(),
                        sentence: say!(
                            lang,
                            "advice.change.weight",
                            to = to,
                            from = from,
                            criterion = c.title,
                            winner = new_winner
                        ),
                    });
                }
            }
        }
    }
    // The winner losing and the runner-up winning are often the same change: say it once.
    let mut seen = std::collections::BTreeSet::new();
    tipping_points.retain(|t| seen.insert((t.key.clone(), t.to.clone())));
    let summary = match (contending.first(), &close_call) {
        (None, _) => say!(lang, "advice.summary.none"),
        (Some(first), _) if first.status != Status::Fits => say!(lang, "advice.summary.verify"),
        (Some(_), Some(c)) => c.sentence.clone(),
        (Some(first), None) => say!(
            lang,
            "advice.summary.robust",
            spread = (settings.spread * 100.0).round(),
            tool = first.name,
            percent = format::score(tools[0].first_percent, lang)
        ),
    };
    // Unknowns count as the worst known value, so the winner's own gaps cannot carry it;
    // another tool's gaps could, if they turned out well. Say how both statements hold.
    let summary = if could_overtake.is_empty() {
        summary
    } else {
        say!(
            lang,
            "advice.summary.could_overtake",
            summary = summary,
            tools = could_overtake.join(", ")
        )
    };
    Ok(Analysis {
        method: format!(
            "each weight multiplied by an independent uniform factor in [{}, {}], SplitMix64, seed {}; \
             the {MAX_ANALYSED} best-ranked tools of the leading verdict; unknown facts count as the worst known value; \
             tipping points from the {MAX_CANDIDATES_PER_KEY} nearest catalog values per answer, in directions a group can take",
            1.0 - settings.spread,
            1.0 + settings.spread,
            settings.seed
        ),
        samples: settings.samples,
        seed: settings.seed,
        tools,
        close_call,
        tipping_points,
        could_overtake,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts of the sensitivity analysis start the generator mid-sequence; that must be the
    /// same sequence, or results would depend on the number of cores.
    #[test]
    fn generator_can_start_mid_sequence() {
        let mut walked = Rng::new(42);
        for _ in 0..1_000 {
            walked.next_f64();
        }
        let mut jumped = Rng::at(42, 1_000);
        for _ in 0..10 {
            assert_eq!(walked.next_f64().to_bits(), jumped.next_f64().to_bits());
        }
    }
}
