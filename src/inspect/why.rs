//! `why`: where one tool stands for a group and why, and the smallest changes of one answer
//! or one weight that would change that.

use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

use crate::analysis::{self, Goal};
use crate::answers::Answers;
use crate::catalog::{Catalog, Tool};
use crate::diag::Diagnostic;
use crate::evaluate::{self, Contribution, OfferingVerdict, Options, Status};
use crate::format;
use crate::render::table::{NARROW_WIDTH, fitted, indent_for, layout_width, new_table, wrap};
use crate::rules::Compiled;
use crate::say;
use crate::vocab::Lang;
use crate::wording;

/// Why a tool stands where it stands for a group.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The language of every sentence.
    pub lang: Lang,
    /// The group's name, if given.
    pub group: Option<String>,
    /// Catalog id of the tool.
    pub tool: String,
    /// Its name.
    pub name: String,
    /// `fits`, `verify` (ranked once a question is clarified) or `excluded`.
    pub status: Status,
    /// Its place in the ranking, unless excluded.
    pub rank: Option<usize>,
    /// How many tools are ranked.
    pub ranked: usize,
    /// Its score (0 to 100), unless excluded.
    pub score: Option<f64>,
    /// The id of the offering it is ranked by, unless excluded.
    pub offering: Option<String>,
    /// That offering's name.
    pub offering_name: Option<String>,
    /// Each criterion's part of the score (empty when excluded).
    pub contributions: Vec<Contribution>,
    /// The tool's other offerings (empty when excluded).
    pub other_offerings: Vec<OfferingVerdict>,
    /// What to clarify before it can be relied on (`verify`).
    pub verify: Vec<String>,
    /// Why it is out, per offering (`excluded`).
    pub reasons: Vec<String>,
    /// What the changes below achieve: `lose_first_place` for the tool in first place,
    /// `win_first_place` for another ranked tool, `admit` for one that is out or to verify.
    pub goal: GoalKind,
    /// The smallest single changes that reach the goal, smallest first.
    pub changes: Vec<Change>,
}

/// What the changes of an explanation achieve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    /// Another tool would come first.
    LoseFirstPlace,
    /// This tool would come first.
    WinFirstPlace,
    /// This tool would be ranked (or fit for sure).
    Admit,
}

/// One change that would reach the goal.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A different answer.
    Answer {
        /// The answer's key.
        key: String,
        /// The current value, as the answers file has it.
        from: String,
        /// The value that would do it.
        to: String,
        /// The tool first in the ranking then.
        new_winner: String,
        /// The name of the tool's offering then, if it would be ranked.
        offering_name: Option<String>,
        /// The tool's verdict then, if it would be ranked.
        status: Option<Status>,
        /// Whether that offering's price is unknown (then a budget change proves little).
        price_unknown: bool,
        /// The change in a sentence.
        sentence: String,
    },
    /// A different weight for one criterion.
    Weight {
        /// The criterion's id.
        criterion: String,
        /// The weight now.
        from: f64,
        /// The weight that would do it.
        to: f64,
        /// The tool first in the ranking then.
        new_winner: String,
        /// The change in a sentence.
        sentence: String,
    },
}

impl Change {
    fn sentence(&self) -> &str {
        match self {
            Change::Answer { sentence, .. } | Change::Weight { sentence, .. } => sentence,
        }
    }
}

/// `true` and `false` of an answer in words.
fn answer_value(value: &str, lang: Lang) -> String {
    match value {
        "true" => wording::text(lang, "term.value.yes").to_string(),
        "false" => wording::text(lang, "term.value.no").to_string(),
        _ => value.to_string(),
    }
}

fn rounded_weight(w: f64) -> f64 {
    (w * 100.0).round() / 100.0
}

/// Evaluates the answers and explains where `tool` stands.
pub fn explain(
    compiled: &Compiled<'_>,
    catalog: &Catalog,
    answers: &Answers,
    options: &Options,
    tool: &Tool,
) -> Result<Explanation, Diagnostic> {
    let lang = options.lang;
    let evaluation = evaluate::evaluate_compiled(compiled, catalog, answers, options)?;
    let mut out = Explanation {
        lang,
        group: answers.group.clone(),
        tool: tool.id.clone(),
        name: tool.name.clone(),
        status: Status::Excluded,
        rank: None,
        ranked: evaluation.ranking.len(),
        score: None,
        offering: None,
        offering_name: None,
        contributions: Vec::new(),
        other_offerings: Vec::new(),
        verify: Vec::new(),
        reasons: Vec::new(),
        goal: GoalKind::Admit,
        changes: Vec::new(),
    };
    let goal = if let Some(r) = evaluation.ranking.iter().find(|r| r.tool == tool.id) {
        out.name = r.name.clone();
        out.status = r.status;
        out.rank = Some(r.rank);
        out.score = Some(r.score);
        out.offering = Some(r.offering.clone());
        out.offering_name = Some(r.offering_name.clone());
        out.contributions = r.contributions.clone();
        out.other_offerings = r.other_offerings.clone();
        out.verify = r.verify.clone();
        match (r.status, r.rank) {
            (Status::Verify, _) => Goal::Admit(&tool.id),
            (_, 1) => Goal::Dethrone(&tool.id),
            _ => Goal::Win(&tool.id),
        }
    } else {
        let e = evaluation
            .excluded
            .iter()
            .find(|e| e.tool == tool.id)
            .expect("every tool is ranked or excluded");
        out.name = e.name.clone();
        out.reasons = e.reasons.clone();
        Goal::Admit(&tool.id)
    };
    out.goal = match goal {
        Goal::Dethrone(_) => GoalKind::LoseFirstPlace,
        Goal::Win(_) => GoalKind::WinFirstPlace,
        Goal::Admit(_) => GoalKind::Admit,
    };
    let found = analysis::search_answers(compiled, catalog, answers, options, &[goal])?.remove(0);
    for f in found.into_iter().take(4) {
        let mut sentence = match goal {
            Goal::Admit(_) => {
                let offering = f.offering.clone().unwrap_or_default();
                let answer = analysis::answer_label(&f.key, lang);
                let (from, to) = (answer_value(&f.from, lang), answer_value(&f.to, lang));
                if f.status == Some(Status::Verify) {
                    say!(
                        lang,
                        "term.why.admit_maybe",
                        answer = answer,
                        to = to,
                        from = from,
                        tool = tool.name,
                        offering = offering
                    )
                } else {
                    say!(
                        lang,
                        "term.why.admit",
                        answer = answer,
                        to = to,
                        from = from,
                        tool = tool.name,
                        offering = offering
                    )
                }
            }
            _ => analysis::change_sentence(&f, lang),
        };
        if f.price_unknown && f.key == "budget_eur_per_month" {
            sentence.push(' ');
            sentence.push_str(wording::text(lang, "term.why.price_unknown"));
        }
        out.changes.push(Change::Answer {
            key: f.key,
            from: f.from,
            to: f.to,
            new_winner: f.new_winner,
            offering_name: f.offering,
            status: f.status,
            price_unknown: f.price_unknown,
            sentence,
        });
    }
    if !matches!(goal, Goal::Admit(_)) {
        for (i, w, winner) in analysis::search_weights(&evaluation, goal)
            .into_iter()
            .take(3)
        {
            let c = &evaluation.criteria[i];
            let (from, to) = (rounded_weight(c.weight), rounded_weight(w));
            let sentence = say!(
                lang,
                "term.why.weight_change",
                to = format::number(to, lang),
                from = format::number(from, lang),
                criterion = c.title,
                winner = winner
            );
            out.changes.push(Change::Weight {
                criterion: c.id.clone(),
                from,
                to,
                new_winner: winner,
                sentence,
            });
        }
    }
    Ok(out)
}

/// A list item: `- ` and the text, wrapped with a hanging indent.
fn item(text: &str, total: usize) -> String {
    wrap(text, total, "- ", "  ")
}

impl Explanation {
    /// The explanation for the terminal, laid out for `width` (see
    /// [`crate::render::table::stdout_width`]): the contributions as a table where it is wide
    /// enough, else one short block per criterion.
    pub fn render_terminal(&self, width: Option<u16>) -> String {
        let lang = self.lang;
        let total = layout_width(width);
        let mut out = String::new();
        if let (Some(rank), Some(score)) = (self.rank, self.score) {
            let head = say!(
                lang,
                "term.why.ranked",
                tool = self.name,
                rank = rank,
                total = self.ranked,
                score = format::score(score, lang),
                offering = self.offering_name.clone().unwrap_or_default()
            );
            out.push_str(&wrap(&head, total, "", ""));
            out.push_str(&self.contributions_text(width));
            if self.contributions.iter().any(|c| c.unknown) {
                out.push_str(&wrap(
                    wording::text(lang, "term.why.unknown_mark"),
                    total,
                    "",
                    "",
                ));
            }
            if !self.other_offerings.is_empty() {
                out.push('\n');
                out.push_str(&wrap(
                    &say!(lang, "term.why.other_offerings", tool = self.name),
                    total,
                    "",
                    "",
                ));
                for o in &self.other_offerings {
                    let line = match o.score {
                        Some(s) => say!(
                            lang,
                            "term.why.offering_score",
                            offering = o.name,
                            score = format::score(s, lang)
                        ),
                        None => format!("{}: {}", o.name, o.reasons.join(" ")),
                    };
                    out.push_str(&item(&line, total));
                }
            }
            if !self.verify.is_empty() {
                out.push('\n');
                out.push_str(&wrap(
                    wording::text(lang, "term.maybe_clarify_first"),
                    total,
                    "",
                    "",
                ));
                for question in &self.verify {
                    out.push_str(&item(question, total));
                }
            }
        } else {
            out.push_str(&wrap(
                &say!(lang, "term.why.out", tool = self.name),
                total,
                "",
                "",
            ));
            for reason in &self.reasons {
                out.push_str(&item(reason, total));
            }
        }
        out.push('\n');
        let heading = match self.goal {
            GoalKind::LoseFirstPlace => wording::text(lang, "term.why.goal.lose_first_place"),
            GoalKind::WinFirstPlace => wording::text(lang, "term.why.goal.win_first_place"),
            GoalKind::Admit => wording::text(lang, "term.why.goal.admit"),
        };
        out.push_str(&wrap(heading, total, "", ""));
        for change in &self.changes {
            out.push_str(&item(change.sentence(), total));
        }
        if self.changes.is_empty() {
            out.push_str(&item(wording::text(lang, "term.why.no_change"), total));
        }
        out
    }

    fn contributions_text(&self, width: Option<u16>) -> String {
        let lang = self.lang;
        let total = layout_width(width);
        let rating = |c: &Contribution| {
            let (score, scale) = (format::number(c.score, lang), format::number(c.scale, lang));
            if c.unknown {
                say!(
                    lang,
                    "term.why.rating_unknown",
                    score = score,
                    scale = scale
                )
            } else {
                say!(lang, "term.why.rating", score = score, scale = scale)
            }
        };
        let weight = |c: &Contribution| format::number(rounded_weight(c.weight), lang);
        if total >= NARROW_WIDTH {
            let mut table = new_table(width);
            table.set_header([
                wording::text(lang, "term.why.col.criterion"),
                wording::text(lang, "term.why.col.rating"),
                wording::text(lang, "term.why.col.weight"),
                wording::text(lang, "term.why.col.points"),
                wording::text(lang, "term.why.col.because"),
            ]);
            for c in &self.contributions {
                table.add_row(vec![
                    Cell::new(&c.title),
                    Cell::new(rating(c)),
                    Cell::new(weight(c)).set_alignment(CellAlignment::Right),
                    Cell::new(say!(
                        lang,
                        "term.why.points",
                        points = format::score(c.points, lang),
                        max = format::score(c.max_points, lang)
                    ))
                    .set_alignment(CellAlignment::Right),
                    Cell::new(&c.because),
                ]);
            }
            if let Some(text) = fitted(table, width) {
                return text;
            }
        }
        let mut out = String::from("\n");
        for c in &self.contributions {
            let head = say!(
                lang,
                "term.why.block",
                criterion = c.title,
                points = format::score(c.points, lang),
                max = format::score(c.max_points, lang),
                rating = rating(c),
                weight = weight(c)
            );
            out.push_str(&wrap(&head, total, "", "  "));
            let indent = indent_for("  ");
            out.push_str(&wrap(&c.because, total, &indent, &indent));
        }
        out
    }
}
