//! The rule engine: criteria expressions compiled once per run and evaluated against one
//! offering's facts and the group's answers.
//!
//! Expressions see `a` (the answers, as written in the answers file), `f` (the offering's
//! facts, every key present, `none` when unknown), `o` (offering `id`, `hosting`),
//! `t` (tool `id`, `kind`), `lang`, and in `each` knock-outs `item`. Expressions
//! (`src/expr.rs`) and sentences (`src/sentence.rs`) are parsed once, when the criteria are
//! compiled; what a criterion reads of an offering and of the answers is read from their trees.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};

use crate::expr::{self, Expr};
use crate::sentence::Sentence;

use crate::answers::Answers;
use crate::catalog::{FACT_KEYS, FactKey, FactValue, Facts, Offering, Tool};
use crate::criteria::{Criteria, Criterion, FlagOrExpr, NumberOrExpr};
use crate::diag::Diagnostic;
use crate::vocab::{AccessNeed, Feature, Lang};

/// A sentence in each language its rules were compiled for (both, or a report's own: see
/// [`compile_for`]).
#[derive(Debug, Clone)]
struct Sentences {
    de: Option<Sentence>,
    en: Option<Sentence>,
}

impl Sentences {
    /// The sentence in `lang`; asking for a language the rules were not compiled for is a
    /// mistake in this program, reported as an error of the criterion.
    fn get(&self, lang: Lang, c: &Criterion) -> Result<&Sentence, Diagnostic> {
        let sentence = match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        };
        sentence.as_ref().ok_or_else(|| {
            Diagnostic::new(
                &c.origin,
                format!(
                    "criterion `{}`: its sentences were not compiled for language {lang:?}",
                    c.id
                ),
            )
        })
    }

    fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.de.iter().chain(&self.en).flat_map(Sentence::exprs)
    }
}

/// A rule expression that does not parse.
fn expression_error(c: &Criterion, text: &str, e: &expr::Error) -> Diagnostic {
    Diagnostic::new(
        &c.origin,
        format!("criterion `{}`: syntax error in rule `{text}`", c.id),
    )
    .with_help(e.message.clone())
}

/// A sentence that does not parse: what is wrong in its first line, the whole message (with
/// what there is instead and where) as help.
fn sentence_error(c: &Criterion, text: &str, e: &expr::Error) -> Diagnostic {
    let what = e
        .message
        .split([';', '('])
        .next()
        .unwrap_or_default()
        .trim();
    Diagnostic::new(
        &c.origin,
        format!(
            "criterion `{}`: syntax error in sentence `{text}`: {what}",
            c.id
        ),
    )
    .with_help(e.message.clone())
}

/// A criterion with its expressions compiled.
pub struct CompiledCriterion<'e> {
    /// The data.
    pub criterion: &'e Criterion,
    /// Its place in [`Compiled::criteria`] (part of its memo keys).
    index: usize,
    /// The answers its knock-outs and scores read (not its weight adjustments); `None` when
    /// it reads them as a whole (`a[...]`).
    pub reads: Option<std::collections::BTreeSet<String>>,
    /// What its knock-outs (conditions and sentences) read of an offering, and what its
    /// score rules read; `None` when they read `f`, `o` or `t` as a whole (see [`Memo`]).
    gate_reads: Option<Vec<Read>>,
    score_reads: Option<Vec<Read>>,
    knockouts: Vec<CompiledKnockout>,
    adjust: Vec<Expr>,
    score: Vec<CompiledScore>,
}

struct CompiledKnockout {
    each: Option<Expr>,
    when: Expr,
    unclear: Option<Expr>,
    reason: Sentences,
    ask: Option<Sentences>,
}

struct CompiledScore {
    when: Option<Expr>,
    score: Result<f64, Expr>,
    unknown: Result<bool, Expr>,
    because: Sentences,
}

impl CompiledKnockout {
    /// The conditions, in the order of the file.
    fn conditions(&self) -> impl Iterator<Item = &Expr> {
        self.each.iter().chain([&self.when]).chain(&self.unclear)
    }
}

impl CompiledScore {
    /// The expressions that decide the score (not its sentence).
    fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.when
            .iter()
            .chain(self.score.as_ref().err())
            .chain(self.unknown.as_ref().err())
    }
}

impl CompiledCriterion<'_> {
    /// Every expression of the criterion, sentences included, in the order of the file.
    fn all_exprs(&self) -> Vec<&Expr> {
        let mut out: Vec<&Expr> = Vec::new();
        for k in &self.knockouts {
            out.extend(k.each.iter().chain([&k.when]));
            out.extend(k.reason.exprs());
            out.extend(k.unclear.iter());
            out.extend(k.ask.iter().flat_map(Sentences::exprs));
        }
        out.extend(&self.adjust);
        for r in &self.score {
            out.extend(r.exprs());
            out.extend(r.because.exprs());
        }
        out
    }
}

/// An optional part that compiled (`Some(None)`: there is none), or `None` if it failed.
fn present<T>(part: Option<Option<T>>) -> Option<Option<T>> {
    part.map_or(Some(None), |p| p.map(Some))
}

/// All criteria, compiled.
pub struct Compiled<'e> {
    /// In display order.
    pub criteria: Vec<CompiledCriterion<'e>>,
}

/// Compiles every expression and sentence of every criterion, in both languages.
pub fn compile(criteria: &Criteria) -> Result<Compiled<'_>, Vec<Diagnostic>> {
    compile_in(criteria, &[Lang::De, Lang::En])
}

/// [`compile`] with the sentences of one language only: a report is written in one, and
/// parsing the other's took a twentieth of a handout. (Criteria files are checked in both
/// languages when they are loaded.)
pub fn compile_for(criteria: &Criteria, lang: Lang) -> Result<Compiled<'_>, Vec<Diagnostic>> {
    compile_in(criteria, &[lang])
}

fn compile_in<'c>(criteria: &'c Criteria, langs: &[Lang]) -> Result<Compiled<'c>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (index, c) in criteria.list.iter().enumerate() {
        let mut failed = false;
        let mut expr = |text: &str| -> Option<Expr> {
            match Expr::parse(text, FUNCTIONS) {
                Ok(e) => Some(e),
                Err(e) => {
                    problems.push(expression_error(c, text, &e));
                    None
                }
            }
        };
        let mut knockouts = Vec::new();
        let mut score = Vec::new();
        let mut sentence_problems = Vec::new();
        let mut sentences = |text: &crate::vocab::Text| -> Option<Sentences> {
            // `Some(None)`: not wanted; `None`: wanted, and it does not parse.
            let mut one = |lang: Lang| -> Option<Option<Sentence>> {
                if !langs.contains(&lang) {
                    return Some(None);
                }
                let text = text.get(lang);
                match Sentence::parse(text, FUNCTIONS, SENTENCE_FILTERS) {
                    Ok(s) => Some(Some(s)),
                    Err(e) => {
                        sentence_problems.push(sentence_error(c, text, &e));
                        None
                    }
                }
            };
            let de = one(Lang::De);
            let en = one(Lang::En);
            Some(Sentences { de: de?, en: en? })
        };
        // Every part is compiled, so that every problem is reported; the criterion only if
        // all compiled.
        for k in &c.knockout {
            let each = k.each.as_deref().map(&mut expr);
            let when = expr(&k.when);
            let unclear = k.unclear.as_deref().map(&mut expr);
            let reason = sentences(&k.reason);
            let ask = k.ask.as_ref().map(&mut sentences);
            let built = (|| {
                Some(CompiledKnockout {
                    each: present(each)?,
                    when: when?,
                    unclear: present(unclear)?,
                    reason: reason?,
                    ask: present(ask)?,
                })
            })();
            match built {
                Some(k) => knockouts.push(k),
                None => failed = true,
            }
        }
        let adjust: Vec<Expr> = c.adjust.iter().filter_map(|a| expr(&a.when)).collect();
        failed |= adjust.len() != c.adjust.len();
        for r in &c.score {
            let when = r.when.as_deref().map(&mut expr);
            let value = match &r.score {
                NumberOrExpr::Number(x) => Some(Ok(*x)),
                NumberOrExpr::Expr(e) => expr(e).map(Err),
            };
            let unknown = match &r.unknown {
                FlagOrExpr::Flag(b) => Some(Ok(*b)),
                FlagOrExpr::Expr(e) => expr(e).map(Err),
            };
            let because = sentences(&r.because);
            let built = (|| {
                Some(CompiledScore {
                    when: present(when)?,
                    score: value?,
                    unknown: unknown?,
                    because: because?,
                })
            })();
            match built {
                Some(r) => score.push(r),
                None => failed = true,
            }
        }
        problems.append(&mut sentence_problems);
        if failed {
            continue;
        }
        let gate_reads = offering_reads(knockouts.iter().flat_map(|k| {
            let sentences = [Some(&k.reason), k.ask.as_ref()]
                .into_iter()
                .flatten()
                .flat_map(Sentences::exprs);
            k.conditions().chain(sentences).flat_map(Expr::uses)
        }));
        let score_reads = offering_reads(
            score
                .iter()
                .flat_map(CompiledScore::exprs)
                .flat_map(Expr::uses),
        );
        let verdict = knockouts
            .iter()
            .flat_map(CompiledKnockout::conditions)
            .chain(score.iter().flat_map(CompiledScore::exprs));
        out.push(CompiledCriterion {
            criterion: c,
            index,
            reads: answer_reads(verdict),
            gate_reads,
            score_reads,
            knockouts,
            adjust,
            score,
        });
    }
    if problems.is_empty() {
        Ok(Compiled { criteria: out })
    } else {
        Err(problems)
    }
}

/// The answers as rule expressions see them (computed once per run).
pub fn answers_value(answers: &Answers) -> Value {
    Value::from(minijinja::value::Serde(answers))
}

/// The facts of one offering as rule expressions see them: every fact key present (`none`
/// when unknown), `features` and `accessibility` as nested tables. Values are converted
/// when a rule reads them: rules read a handful of the sixty keys.
pub fn facts_value(offering: &Offering) -> Value {
    Value::from_object(FactsView {
        facts: Arc::clone(&offering.facts),
        group: FactGroup::Top,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FactGroup {
    Top,
    Features,
    Accessibility,
}

/// The keys of `features.<word>` and `accessibility.<need>` by table and word, made once:
/// rules read them thousands of times in a big catalog.
static NESTED: LazyLock<BTreeMap<(FactGroup, &'static str), FactKey>> = LazyLock::new(|| {
    let features = Feature::ALL.iter().map(|f| {
        let name = format!("features.{}", f.word());
        ((FactGroup::Features, f.word()), name)
    });
    let needs = AccessNeed::ALL.iter().map(|n| {
        let name = format!("accessibility.{}", n.word());
        ((FactGroup::Accessibility, n.word()), name)
    });
    // A feature that is a fact of its own (`e2ee`) has no nested key.
    features
        .chain(needs)
        .filter_map(|(k, name)| Some((k, FactKey::of(&name)?)))
        .collect()
});

/// `max_video_participants`, and `max_participants`, which rules read where the first is not
/// given.
static VIDEO: LazyLock<Option<(FactKey, FactKey)>> = LazyLock::new(|| {
    Some((
        FactKey::of("max_video_participants")?,
        FactKey::of("max_participants")?,
    ))
});

/// What reading a whole nested table (`f.features[item]`) reads: every entry in it, and for
/// features also `e2ee` and `dial_in`, which a need of that name reads. Listed once.
fn table_reads(group: FactGroup) -> impl Iterator<Item = Read> {
    static KEYS: LazyLock<[Vec<FactKey>; 2]> = LazyLock::new(|| {
        let keys = |group: FactGroup, own: &[&str]| {
            let entries = NESTED.iter().filter(|((g, _), _)| *g == group);
            entries
                .map(|(_, key)| *key)
                .chain(own.iter().filter_map(|n| FactKey::of(n)))
                .collect()
        };
        [
            keys(FactGroup::Features, &["e2ee", "dial_in"]),
            keys(FactGroup::Accessibility, &[]),
        ]
    });
    let keys = match group {
        FactGroup::Features => &KEYS[0],
        _ => &KEYS[1],
    };
    keys.iter().map(|key| Read::Nested(*key))
}

#[derive(Debug)]
struct FactsView {
    facts: Arc<Facts>,
    group: FactGroup,
}

impl FactsView {
    fn nested(&self, group: FactGroup) -> Value {
        Value::from_object(FactsView {
            facts: Arc::clone(&self.facts),
            group,
        })
    }

    fn keys(&self) -> Vec<&'static str> {
        match self.group {
            FactGroup::Top => FACT_KEYS
                .iter()
                .copied()
                .chain(["features", "accessibility"])
                .collect(),
            FactGroup::Features => Feature::ALL.iter().map(|f| f.word()).collect(),
            FactGroup::Accessibility => AccessNeed::ALL.iter().map(|n| n.word()).collect(),
        }
    }
}

impl Object for FactsView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    // Rules read facts by name (`f.price_eur_month`) a million times at 10,000 tools: looked
    // up by the name itself, without making a template value of it first.
    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let fact_key = match self.group {
            FactGroup::Top => match key {
                "features" => return Some(self.nested(FactGroup::Features)),
                "accessibility" => return Some(self.nested(FactGroup::Accessibility)),
                // Nested facts are read through their table (`f.features.chat`), as before.
                _ if key.contains('.') => return None,
                _ => FactKey::of(key)?,
            },
            // A need for `e2ee` or `dial_in` reads the fact of that name, as scores do.
            FactGroup::Features if matches!(key, "e2ee" | "dial_in") => FactKey::of(key)?,
            FactGroup::Features => *NESTED.get(&(FactGroup::Features, key))?,
            FactGroup::Accessibility => *NESTED.get(&(FactGroup::Accessibility, key))?,
        };
        // No `max_video_participants` means video for everyone who fits (the catalog format
        // records it only where it is lower); an explicit unknown stays unknown.
        if let Some((video, all)) = *VIDEO
            && fact_key == video
            && self.facts.get_key(video).is_none()
        {
            return Some(
                self.facts
                    .get_key(all)
                    .and_then(|f| f.trusted())
                    .map_or(Value::from(()), FactValue::to_expr_value),
            );
        }
        // Rules see only what evidence supports: a weak decisive fact reads as unknown; a
        // fact not given is `none`.
        Some(
            self.facts
                .get_key(fact_key)
                .and_then(|f| f.trusted())
                .map_or(Value::from(()), FactValue::to_expr_value),
        )
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.keys().into_iter().map(Value::from).collect())
    }
}

/// What a rule sees of one offering besides the answers: `f`, `o`, `t` and `lang`, built
/// once and combined with many sets of answers (the tipping-point search).
#[derive(Debug, Clone)]
pub struct OfferingParts {
    f: Value,
    o: Value,
    t: Value,
    lang: Value,
}

impl OfferingParts {
    /// The parts of `offering` of `tool`.
    pub fn new(tool: &Tool, offering: &Offering, lang: Lang) -> OfferingParts {
        OfferingParts::with_facts(tool, offering, facts_value(offering), lang)
    }

    fn with_facts(tool: &Tool, offering: &Offering, f: Value, lang: Lang) -> OfferingParts {
        OfferingParts {
            f,
            o: Fields::value(
                ["hosting", "id", "name"],
                [
                    Value::from(offering.hosting.word()),
                    Value::from(offering.id.as_str()),
                    Value::from(offering.name.get(lang)),
                ],
            ),
            t: Fields::value(
                ["id", "kind", "name"],
                [
                    Value::from(tool.id.as_str()),
                    Value::from(tool.kind.word()),
                    Value::from(tool.name.as_str()),
                ],
            ),
            lang: Value::from(if lang == Lang::De { "de" } else { "en" }),
        }
    }

    /// The full context with these answers.
    pub fn context(&self, answers: &Value) -> Value {
        Fields::value(
            ["a", "f", "lang", "o", "t"],
            [
                answers.clone(),
                self.f.clone(),
                self.lang.clone(),
                self.o.clone(),
                self.t.clone(),
            ],
        )
    }
}

/// A small table of named values (the context, `o`, `t`), names in order: made for every
/// offering, so it is read by name instead of being built as a map.
#[derive(Debug)]
struct Fields<const N: usize> {
    names: [&'static str; N],
    values: [Value; N],
}

impl<const N: usize> Fields<N> {
    fn value(names: [&'static str; N], values: [Value; N]) -> Value {
        Value::from_object(Fields { names, values })
    }
}

impl<const N: usize> Object for Fields<N> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let at = self.names.iter().position(|n| *n == key)?;
        Some(self.values[at].clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.names.iter().map(|n| Value::from(*n)).collect())
    }
}

/// The full context for one offering.
pub fn context(
    answers: &Value,
    tool: &Tool,
    offering: &Offering,
    facts: &Value,
    lang: Lang,
) -> Value {
    OfferingParts::with_facts(tool, offering, facts.clone(), lang).context(answers)
}

#[cfg(test)]
fn with_item(ctx: &Value, item: Value) -> Value {
    let mut map: BTreeMap<String, Value> = BTreeMap::new();
    if let Ok(iter) = ctx.try_iter() {
        for key in iter {
            if let Some(k) = key.as_str() {
                map.insert(k.to_string(), ctx.get_item(&key).unwrap_or_default());
            }
        }
    }
    map.insert("item".into(), item);
    Value::from(map)
}

/// What one criterion says about one offering.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Knock-out sentences (empty: admitted).
    pub knockouts: Vec<String>,
    /// Score on the criterion's scale, clamped.
    pub score: f64,
    /// The sentence explaining the score.
    pub because: String,
    /// Whether the score rests on unknown facts.
    pub unknown: bool,
}

/// An error while evaluating a rule: it names the criterion and its file.
fn eval_error(c: &Criterion, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::new(&c.origin, format!("criterion `{}`: rule failed: {e}", c.id))
}

impl<'e> Compiled<'e> {
    /// The weight of each criterion for these answers: the group's override, or the default
    /// times every matching adjustment.
    pub fn weights(
        &self,
        answers: &Answers,
        answers_value: &Value,
    ) -> Result<Vec<f64>, Diagnostic> {
        let ctx = Value::from(BTreeMap::from([("a", answers_value.clone())]));
        self.criteria
            .iter()
            .map(|cc| {
                let c = cc.criterion;
                if let Some(w) = answers.weights.get(&c.id) {
                    return Ok(*w);
                }
                let mut weight = c.weight;
                for (expr, adjust) in cc.adjust.iter().zip(&c.adjust) {
                    if expr.eval(&ctx).map_err(|e| eval_error(c, &e))?.is_true() {
                        weight *= adjust.factor;
                    }
                }
                Ok(weight)
            })
            .collect()
    }

    /// Evaluates one criterion for one offering's context: knock-outs, score and the
    /// sentence explaining it.
    pub fn evaluate(
        &self,
        cc: &CompiledCriterion<'e>,
        ctx: &Value,
        lang: Lang,
    ) -> Result<Outcome, Diagnostic> {
        let knockouts = self.knockouts(cc, ctx, lang)?;
        let score = self.score(cc, ctx)?;
        Ok(Outcome {
            knockouts,
            score: score.score,
            because: self.because(cc, &score, ctx, lang)?,
            unknown: score.unknown,
        })
    }

    /// The knock-out sentences of one criterion for one offering (empty: admitted).
    pub fn knockouts(
        &self,
        cc: &CompiledCriterion<'e>,
        ctx: &Value,
        lang: Lang,
    ) -> Result<Vec<String>, Diagnostic> {
        self.gates(cc, ctx, lang, Gate::Excludes)
    }

    /// The questions one criterion leaves open for one offering: requirements of the group
    /// that the known facts do not decide. Asked only of offerings no knock-out excludes.
    pub fn open_questions(
        &self,
        cc: &CompiledCriterion<'e>,
        ctx: &Value,
        lang: Lang,
    ) -> Result<Vec<String>, Diagnostic> {
        self.gates(cc, ctx, lang, Gate::Unclear)
    }

    /// Whether a knock-out of this criterion excludes the offering (no sentence written).
    pub fn excludes(&self, cc: &CompiledCriterion<'e>, ctx: &Value) -> Result<bool, Diagnostic> {
        self.gate_holds(cc, ctx, Gate::Excludes, None, &mut Vec::new())
    }

    /// Whether this criterion leaves a question open for the offering (no sentence written).
    pub fn is_unclear(&self, cc: &CompiledCriterion<'e>, ctx: &Value) -> Result<bool, Diagnostic> {
        self.gate_holds(cc, ctx, Gate::Unclear, None, &mut Vec::new())
    }

    fn gates(
        &self,
        cc: &CompiledCriterion<'e>,
        ctx: &Value,
        lang: Lang,
        gate: Gate,
    ) -> Result<Vec<String>, Diagnostic> {
        let mut out = Vec::new();
        self.gate_holds(cc, ctx, gate, Some(lang), &mut out)?;
        Ok(out)
    }

    /// Tests one kind of condition of every knock-out. With a language, writes a sentence
    /// for every hit into `out`; without, stops at the first hit.
    fn gate_holds(
        &self,
        cc: &CompiledCriterion<'e>,
        ctx: &Value,
        gate: Gate,
        lang: Option<Lang>,
        out: &mut Vec<String>,
    ) -> Result<bool, Diagnostic> {
        let c = cc.criterion;
        let mut any = false;
        for k in &cc.knockouts {
            let condition = match gate {
                Gate::Excludes => &k.when,
                Gate::Unclear => match &k.unclear {
                    Some(unclear) => unclear,
                    None => continue,
                },
            };
            let render = |locals: &[(&str, Value)]| -> Result<String, Diagnostic> {
                let Some(lang) = lang else {
                    return Ok(String::new());
                };
                let sentence = match gate {
                    Gate::Excludes => Some(k.reason.get(lang, c)?),
                    Gate::Unclear => k.ask.as_ref().map(|a| a.get(lang, c)).transpose()?,
                };
                match sentence {
                    Some(s) => s.render(ctx, locals).map_err(|e| eval_error(c, &e)),
                    None => Ok(String::new()),
                }
            };
            let holds = |locals: &[(&str, Value)]| -> Result<bool, Diagnostic> {
                Ok(condition
                    .eval_with(ctx, locals)
                    .map_err(|e| eval_error(c, &e))?
                    .is_true())
            };
            match &k.each {
                None => {
                    if holds(&[])? {
                        any = true;
                        if lang.is_none() {
                            return Ok(true);
                        }
                        out.push(render(&[])?);
                    }
                }
                Some(each) => {
                    let items = each.eval(ctx).map_err(|e| eval_error(c, &e))?;
                    for item in items.try_iter().map_err(|e| eval_error(c, &e))? {
                        let locals = [("item", item)];
                        if holds(&locals)? {
                            any = true;
                            if lang.is_none() {
                                return Ok(true);
                            }
                            out.push(render(&locals)?);
                        }
                    }
                }
            }
        }
        Ok(any)
    }

    /// The score of one criterion for one offering: the first score rule that applies.
    pub fn score(&self, cc: &CompiledCriterion<'e>, ctx: &Value) -> Result<Score, Diagnostic> {
        let c = cc.criterion;
        for (rule_index, rule) in cc.score.iter().enumerate() {
            let applies = match &rule.when {
                None => true,
                Some(when) => when.eval(ctx).map_err(|e| eval_error(c, &e))?.is_true(),
            };
            if !applies {
                continue;
            }
            let score = match &rule.score {
                Ok(x) => *x,
                Err(expr) => {
                    let v = expr.eval(ctx).map_err(|e| eval_error(c, &e))?;
                    f64::try_from(v.clone()).map_err(|_| {
                        Diagnostic::new(
                            &c.origin,
                            format!(
                                "criterion `{}`: score expression gave `{v}`, not a number",
                                c.id
                            ),
                        )
                    })?
                }
            };
            let unknown = match &rule.unknown {
                Ok(b) => *b,
                Err(expr) => expr.eval(ctx).map_err(|e| eval_error(c, &e))?.is_true(),
            };
            let score = if score.is_finite() {
                score.clamp(0.0, c.scale)
            } else {
                0.0
            };
            return Ok(Score {
                rule_index,
                score,
                unknown,
            });
        }
        unreachable!("criteria validation guarantees a final rule without `when`")
    }

    /// The sentence explaining a score. Rendered only where a report shows it: a sentence
    /// costs more than the expressions.
    pub fn because(
        &self,
        cc: &CompiledCriterion<'e>,
        score: &Score,
        ctx: &Value,
        lang: Lang,
    ) -> Result<String, Diagnostic> {
        let c = cc.criterion;
        match cc.score.get(score.rule_index) {
            Some(rule) => rule
                .because
                .get(lang, c)?
                .render(ctx, &[])
                .map_err(|e| eval_error(c, &e)),
            None => Ok(String::new()),
        }
    }
}

// -------------------------------------------------------------------------------------------
// Memo: a rule's result, reused for offerings that look the same to it

/// One thing a rule reads of an offering: a fact (`f.max_minutes`, `f.features.chat`), a field
/// of `o` or of `t`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Read {
    Fact(FactKey),
    /// `features.chat` (or `e2ee` for a need of that name): the key in the offering's facts.
    Nested(FactKey),
    Offering(String),
    Tool(String),
}

/// The fact a use of `f` reads: `max_minutes`, `features.chat`, or `features` for the whole
/// nested table (`f.features[item]`).
fn fact_name(path: &[&str]) -> Option<String> {
    match path {
        [] => None,
        [table @ ("features" | "accessibility"), word, ..] => Some(format!("{table}.{word}")),
        [name, ..] => Some(name.to_string()),
    }
}

/// Everything the expressions with `uses` read of an offering, or `None` if one uses `f`, `o`
/// or `t` as a whole (`f[...]`, `f | length`, `pick(f, …)`). A whole nested table
/// (`f.features[item]`, `share(a.needs, f.features)`) counts as every entry in it.
fn offering_reads<'u>(uses: impl Iterator<Item = expr::Use<'u>>) -> Option<Vec<Read>> {
    let mut out: Vec<Read> = Vec::new();
    let mut push = |r: Option<Read>| {
        if let Some(r) = r
            && !out.contains(&r)
        {
            out.push(r);
        }
    };
    // A name that is no fact reads the same (nothing) of every offering; `check` reports it.
    let nested = |name: &str| FactKey::of(name).map(Read::Nested);
    for u in uses {
        if matches!(u.var, "f" | "o" | "t") && u.path.is_empty() {
            return None;
        }
        match u.var {
            "f" => match u.path.as_slice() {
                [] => {}
                ["features"] => table_reads(FactGroup::Features).for_each(|r| push(Some(r))),
                ["accessibility"] => {
                    table_reads(FactGroup::Accessibility).for_each(|r| push(Some(r)))
                }
                ["features", word @ ("e2ee" | "dial_in"), ..] => push(nested(word)),
                ["features", word, ..] => push(
                    NESTED
                        .get(&(FactGroup::Features, *word))
                        .map(|k| Read::Nested(*k)),
                ),
                ["accessibility", word, ..] => {
                    let key = NESTED.get(&(FactGroup::Accessibility, *word));
                    push(key.map(|k| Read::Nested(*k)))
                }
                [name, ..] => push(FactKey::of(name).map(Read::Fact)),
            },
            "o" => push(Some(Read::Offering(u.path[0].to_string()))),
            "t" => push(Some(Read::Tool(u.path[0].to_string()))),
            _ => {}
        }
    }
    Some(out)
}

/// One value a rule reads of an offering, compared exactly (a number by its bits).
#[derive(Debug, Clone, Copy)]
enum Seen<'c> {
    Fact(Option<&'c FactValue>),
    Word(&'c str),
}

impl PartialEq for Seen<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Seen::Fact(Some(FactValue::Number(a))), Seen::Fact(Some(FactValue::Number(b)))) => {
                a.to_bits() == b.to_bits()
            }
            (Seen::Fact(a), Seen::Fact(b)) => a == b,
            (Seen::Word(a), Seen::Word(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Seen<'_> {}

impl std::hash::Hash for Seen<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Seen::Word(w) => w.hash(state),
            Seen::Fact(None) => 0u8.hash(state),
            // Equal values hash alike, and every part of a value counts: hashing only the
            // kind of a yes/no value made all keys that differ in such values collide, and
            // three in four lookups in a catalog of unlike offerings compared whole keys.
            Seen::Fact(Some(v)) => {
                std::mem::discriminant(*v).hash(state);
                match v {
                    FactValue::Number(x) => x.to_bits().hash(state),
                    FactValue::Limit(crate::catalog::Limit::Count(n)) | FactValue::Count(n) => {
                        n.hash(state)
                    }
                    FactValue::Limit(crate::catalog::Limit::Unlimited(_)) => {}
                    FactValue::Status(x) => x.hash(state),
                    FactValue::Dpa(x) => x.hash(state),
                    FactValue::Support(x) => x.hash(state),
                    FactValue::Text(t) => t.hash(state),
                    FactValue::Region(x) => x.hash(state),
                    FactValue::Ease(x) => x.hash(state),
                    FactValue::Effort(x) => x.hash(state),
                    FactValue::Organisations(x) => x.hash(state),
                }
            }
        }
    }
}

/// The values `reads` see of `offering`, as [`FactsView`] and [`OfferingParts`] show them.
fn seen<'c>(reads: &[Read], tool: &'c Tool, offering: &'c Offering, lang: Lang) -> Vec<Seen<'c>> {
    let facts: &'c Facts = &offering.facts;
    let fact = |key: FactKey| Seen::Fact(facts.get_key(key).and_then(|f| f.trusted()));
    let mut out = Vec::with_capacity(reads.len());
    for r in reads {
        match *r {
            Read::Fact(key) => {
                out.push(fact(key));
                // An absent `max_video_participants` reads `max_participants`.
                if let Some((video, all)) = *VIDEO
                    && key == video
                {
                    let given = facts.get_key(key).is_some();
                    out.push(Seen::Word(if given { "given" } else { "" }));
                    out.push(fact(all));
                }
            }
            Read::Nested(key) => out.push(fact(key)),
            Read::Offering(ref name) => out.push(Seen::Word(match name.as_str() {
                "id" => &offering.id,
                "name" => offering.name.get(lang),
                "hosting" => offering.hosting.word(),
                _ => "",
            })),
            Read::Tool(ref name) => out.push(Seen::Word(match name.as_str() {
                "id" => &tool.id,
                "name" => &tool.name,
                "kind" => tool.kind.word(),
                _ => "",
            })),
        }
    }
    out
}

/// What is asked of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Query {
    Sentences(Gate, Lang),
    Holds(Gate),
    Score,
}

#[derive(Debug, Clone)]
enum Answer {
    Sentences(Vec<String>),
    Holds(bool),
    Score(Score),
}

/// The results of one criterion's rules for one set of answers, by the values they read of
/// an offering. Offerings of a catalog share most of the values a rule reads (many are
/// free, in the EU, without an account), so most are judged without running the rule
/// again; the rule runs for every new combination. Only successful results
/// are kept. One memo serves one set of answers: it must not outlive them.
#[derive(Debug, Default)]
pub struct Memo<'c> {
    /// Split by key into shards with a lock each: the workers judging a large catalog look
    /// results up all the time, and with one lock they mostly waited for each other.
    /// Keys are short and made by this program, so a fast non-keyed hash is enough.
    shards: [std::sync::Mutex<rustc_hash::FxHashMap<Hashed<'c>, Answer>>; MEMO_SHARDS],
}

type MemoKey<'c> = (usize, Query, Vec<Seen<'c>>);

/// A memo key with its hash, taken once: it picks the shard and is the map's hash.
#[derive(Debug, PartialEq, Eq)]
struct Hashed<'c> {
    hash: u64,
    key: MemoKey<'c>,
}

impl std::hash::Hash for Hashed<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// How many results one [`Memo`] keeps (a few MB at most).
pub const MEMO_ENTRIES: usize = 8_192;

/// How many locks a [`Memo`] has: enough that workers (at most 8) seldom meet.
const MEMO_SHARDS: usize = 16;

/// The offering a rule is asked about, with its context (`ctx` is made from these).
#[derive(Clone, Copy)]
pub struct Subject<'c, 'v> {
    /// The tool.
    pub tool: &'c Tool,
    /// The offering.
    pub offering: &'c Offering,
    /// The context rules see: [`OfferingParts::context`].
    pub ctx: &'v Value,
    /// The report language.
    pub lang: Lang,
}

impl<'c> Memo<'c> {
    fn get_or(
        &self,
        key: Option<MemoKey<'c>>,
        compute: impl FnOnce() -> Result<Answer, Diagnostic>,
    ) -> Result<Answer, Diagnostic> {
        use std::hash::BuildHasher;
        let Some(key) = key else { return compute() };
        // The high bits choose the shard; the map inside uses the low ones.
        let hash = rustc_hash::FxBuildHasher.hash_one(&key);
        let key = Hashed { hash, key };
        let shard = &self.shards[(hash >> 60) as usize % MEMO_SHARDS];
        let lock = || shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = lock().get(&key) {
            return Ok(answer.clone());
        }
        let answer = compute()?;
        let mut entries = lock();
        // In a huge catalog of unlike offerings few results are met twice: past this size the
        // memo stops growing, so memory stays what it was without it.
        if entries.len() < MEMO_ENTRIES / MEMO_SHARDS {
            entries.insert(key, answer.clone());
        }
        Ok(answer)
    }

    /// How many results are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
}

impl<'e> Compiled<'e> {
    fn memo_key<'c>(
        &self,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
        query: Query,
    ) -> Option<MemoKey<'c>> {
        let reads = match query {
            Query::Score => cc.score_reads.as_ref()?,
            _ => cc.gate_reads.as_ref()?,
        };
        Some((cc.index, query, seen(reads, at.tool, at.offering, at.lang)))
    }

    fn sentences_memo<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
        gate: Gate,
    ) -> Result<Vec<String>, Diagnostic> {
        let key = self.memo_key(cc, at, Query::Sentences(gate, at.lang));
        let compute = || self.gates(cc, at.ctx, at.lang, gate).map(Answer::Sentences);
        match memo.get_or(key, compute)? {
            Answer::Sentences(s) => Ok(s),
            _ => unreachable!("a memo entry answers its own query"),
        }
    }

    fn holds_memo<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
        gate: Gate,
    ) -> Result<bool, Diagnostic> {
        let key = self.memo_key(cc, at, Query::Holds(gate));
        let compute = || {
            self.gate_holds(cc, at.ctx, gate, None, &mut Vec::new())
                .map(Answer::Holds)
        };
        match memo.get_or(key, compute)? {
            Answer::Holds(b) => Ok(b),
            _ => unreachable!("a memo entry answers its own query"),
        }
    }

    /// [`Compiled::knockouts`], through `memo`.
    pub fn knockouts_in<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
    ) -> Result<Vec<String>, Diagnostic> {
        self.sentences_memo(memo, cc, at, Gate::Excludes)
    }

    /// [`Compiled::open_questions`], through `memo`.
    pub fn open_questions_in<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
    ) -> Result<Vec<String>, Diagnostic> {
        self.sentences_memo(memo, cc, at, Gate::Unclear)
    }

    /// [`Compiled::excludes`], through `memo`.
    pub fn excludes_in<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
    ) -> Result<bool, Diagnostic> {
        self.holds_memo(memo, cc, at, Gate::Excludes)
    }

    /// [`Compiled::is_unclear`], through `memo`.
    pub fn is_unclear_in<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
    ) -> Result<bool, Diagnostic> {
        self.holds_memo(memo, cc, at, Gate::Unclear)
    }

    /// [`Compiled::score`], through `memo`.
    pub fn score_in<'c>(
        &self,
        memo: &Memo<'c>,
        cc: &CompiledCriterion<'e>,
        at: &Subject<'c, '_>,
    ) -> Result<Score, Diagnostic> {
        let key = self.memo_key(cc, at, Query::Score);
        match memo.get_or(key, || self.score(cc, at.ctx).map(Answer::Score))? {
            Answer::Score(s) => Ok(s),
            _ => unreachable!("a memo entry answers its own query"),
        }
    }
}

/// Which condition of a knock-out to test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Gate {
    /// `when`: known facts fail the requirement.
    Excludes,
    /// `unclear`: the facts do not decide it.
    Unclear,
}

/// Which score rule of a criterion applied, and what it gave.
#[derive(Debug, Clone, Copy)]
pub struct Score {
    rule_index: usize,
    /// On the criterion's scale, clamped.
    pub score: f64,
    /// Whether the score rests on unknown facts.
    pub unknown: bool,
}

/// Load-time check: compiles every rule and sentence and runs them on sample offerings (all
/// facts unknown, all facts `yes`), so typos in fact names fail here, not in a group's report.
pub fn check(criteria: &Criteria) -> Vec<Diagnostic> {
    let compiled = match compile(criteria) {
        Ok(c) => c,
        Err(problems) => return problems,
    };
    let answers = crate::answers::sample();
    let a = answers_value(&answers);
    let mut problems = fact_name_problems(&compiled);
    problems.extend(answer_name_problems(&compiled, &a));
    if !problems.is_empty() {
        return problems;
    }
    if let Err(d) = compiled.weights(&answers, &a) {
        return vec![d];
    }
    for (tool, offering) in crate::catalog::samples() {
        let f = facts_value(&offering);
        for lang in [Lang::De, Lang::En] {
            let ctx = context(&a, &tool, &offering, &f, lang);
            for cc in &compiled.criteria {
                let outcome = compiled
                    .evaluate(cc, &ctx, lang)
                    .and_then(|_| compiled.open_questions(cc, &ctx, lang));
                if let Err(d) = outcome
                    && !problems.contains(&d)
                {
                    problems.push(d);
                }
            }
        }
    }
    problems
}

/// Every `f.<key>` in every rule and sentence must name a fact; a typo tested with `is none`
/// would otherwise never fail, it would just never apply.
fn fact_name_problems(compiled: &Compiled<'_>) -> Vec<Diagnostic> {
    let known = crate::catalog::all_fact_keys();
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for cc in &compiled.criteria {
        let c = cc.criterion;
        for u in cc.all_exprs().into_iter().flat_map(Expr::uses) {
            let Some(name) = fact_name(&u.path).filter(|_| u.var == "f") else {
                continue;
            };
            if !is_fact_name(&name) {
                problems.push(
                    Diagnostic::new(
                        &c.origin,
                        format!("criterion `{}`: `f.{name}` is not a fact", c.id),
                    )
                    .suggest(&name, &refs),
                );
            }
        }
    }
    problems
}

/// The answer keys `exprs` read: a change of any other answer leaves what they give as it
/// was. `None` if they read the answers as a whole (`a[key]`).
fn answer_reads<'e>(
    exprs: impl Iterator<Item = &'e Expr>,
) -> Option<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    for u in exprs.flat_map(Expr::uses).filter(|u| u.var == "a") {
        out.insert(u.path.first()?.to_string());
    }
    Some(out)
}

impl CompiledCriterion<'_> {
    /// Whether a change of the answer `key` can change this criterion's verdict or score.
    pub fn reads_answer(&self, key: &str) -> bool {
        self.reads.as_ref().is_none_or(|r| r.contains(key))
    }
}

/// Every `a.<name>` in every rule and sentence must name one of `answers` (as rules see
/// them). The engine would stop at such a name anyway, but its message is vague; this one
/// names it.
fn answer_name_problems(compiled: &Compiled<'_>, answers: &Value) -> Vec<Diagnostic> {
    let known: Vec<String> = answers
        .try_iter()
        .map(|keys| keys.filter_map(|k| k.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for cc in &compiled.criteria {
        let c = cc.criterion;
        for u in cc.all_exprs().into_iter().flat_map(Expr::uses) {
            let Some(name) = u.path.first().filter(|_| u.var == "a") else {
                continue;
            };
            if !known.iter().any(|k| k == name) {
                problems.push(
                    Diagnostic::new(
                        &c.origin,
                        format!(
                            "criterion `{}`: `a.{name}` is undefined: the answers have no `{name}`",
                            c.id
                        ),
                    )
                    .suggest(name, &refs),
                );
            }
        }
    }
    problems
}

fn is_fact_name(name: &str) -> bool {
    match name.split_once('.') {
        None => FACT_KEYS.contains(&name) || name == "features" || name == "accessibility",
        Some(("features", w)) => Feature::from_word(w).is_some(),
        Some(("accessibility", w)) => AccessNeed::from_word(w).is_some(),
        Some(_) => false,
    }
}

// -------------------------------------------------------------------------------------------
// Helpers available to rules

/// The report language a rule or sentence runs in (the `lang` variable of its context).
fn lang_in(ctx: &Value) -> Lang {
    match ctx.get_attr("lang").ok().as_ref().and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::De,
    }
}

fn unknown_word(lang: Lang) -> String {
    crate::say!(lang, "advice.unknown")
}

fn eur(value: &Value, lang: Lang) -> String {
    match f64::try_from(value.clone()) {
        Ok(x) => crate::format::eur(x, lang),
        Err(_) => unknown_word(lang),
    }
}

fn num(value: &Value, lang: Lang) -> String {
    if let Some(s) = value.as_str() {
        return match s {
            "unlimited" => crate::say!(lang, "advice.unlimited"),
            _ => s.to_string(),
        };
    }
    match f64::try_from(value.clone()) {
        Ok(x) => crate::format::number(x, lang),
        Err(_) => unknown_word(lang),
    }
}

/// A vocabulary word (`screen_sharing`, `strict`) as its label in the report language.
fn label(value: &Value, lang: Lang) -> String {
    let Some(word) = value.as_str() else {
        return if value.is_none() {
            unknown_word(lang)
        } else {
            value.to_string()
        };
    };
    crate::format::label_for_word(word, lang)
        .unwrap_or(word)
        .to_string()
}

fn no_arguments(name: &str, args: &[Value]) -> Result<(), expr::Error> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(expr::Error::failed(format!("`{name}` takes no arguments")))
    }
}

/// A filter of sentences applied to a value, by name (for `map`).
fn apply_filter(name: &str, value: &Value, ctx: &Value) -> Result<Value, expr::Error> {
    match SENTENCE_FILTERS
        .iter()
        .find(|(n, _)| *n == name && *n != "map")
    {
        Some((_, filter)) => filter(value, &[], ctx),
        None => Err(expr::Error::failed(format!(
            "`map` needs the name of a filter, not `{name}`"
        ))),
    }
}

/// `round`, as templates round: half to even, to `precision` decimals (0 unless given).
fn round(value: &Value, args: &[Value]) -> Result<Value, expr::Error> {
    let precision = match args {
        [] => 0,
        [p] => i32::try_from(p.clone())
            .ok()
            .filter(|p| (0..=15).contains(p))
            .ok_or_else(|| {
                expr::Error::failed("`round` takes a number of decimals from 0 to 15")
            })?,
        _ => return Err(expr::Error::failed("`round` takes at most one argument")),
    };
    if value.is_integer() {
        return Ok(value.clone());
    }
    match f64::try_from(value.clone()) {
        Ok(x) if value.is_number() => {
            let rounded = format!("{x:.p$}", p = precision as usize)
                .parse::<f64>()
                .unwrap_or(x);
            Ok(Value::from(rounded))
        }
        _ => Err(expr::Error::failed(format!("cannot round `{value}`"))),
    }
}

/// `int`, as templates make a whole number: decimals cut off, `none` is 0, text is read.
fn int(value: &Value) -> Result<Value, expr::Error> {
    if value.is_undefined() {
        return Err(expr::Error::failed("the value given to `int` is undefined"));
    }
    if value.is_none() {
        return Ok(Value::from(0));
    }
    if value.kind() == minijinja::value::ValueKind::Bool {
        return Ok(Value::from(u64::from(value.is_true())));
    }
    if value.is_integer() {
        return Ok(value.clone());
    }
    if let Some(s) = value.as_str() {
        let s = s.trim();
        if let Ok(i) = s.parse::<i64>() {
            return Ok(Value::from(i));
        }
        return match s.parse::<f64>() {
            Ok(x) => Ok(Value::from(x as i128)),
            Err(_) => Err(expr::Error::failed(format!("`int` cannot read `{s}`"))),
        };
    }
    match f64::try_from(value.clone()) {
        Ok(x) => Ok(Value::from(x as i128)),
        Err(_) => Err(expr::Error::failed(format!("`int` cannot read `{value}`"))),
    }
}

/// `join(sep)`: the items as text, `sep` between them.
fn join(value: &Value, args: &[Value]) -> Result<Value, expr::Error> {
    let sep = match args {
        [] => String::new(),
        [s] => s
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| s.to_string()),
        _ => return Err(expr::Error::failed("`join` takes at most one argument")),
    };
    if value.is_undefined() || value.is_none() {
        return Err(expr::Error::failed(format!("cannot join `{value}`")));
    }
    let items = value
        .try_iter()
        .map_err(|_| expr::Error::failed(format!("cannot join `{value}`")))?;
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match item.as_str() {
            Some(s) => out.push_str(s),
            None => out.push_str(&item.to_string()),
        }
    }
    Ok(Value::from(out))
}

/// The filters sentences may use besides the rules' own (`length`, `list`, …): `label` (a
/// vocabulary word in the report language), `eur`, `num` (amounts and numbers written for
/// the report language, "unknown" for `none`), `round`, `int`, `join` and `map` (another of
/// these on every item) as in templates.
pub const SENTENCE_FILTERS: &[(&str, expr::FilterFn)] = &[
    ("label", |value, args, ctx| {
        no_arguments("label", args)?;
        Ok(Value::from(label(value, lang_in(ctx))))
    }),
    ("eur", |value, args, ctx| {
        no_arguments("eur", args)?;
        Ok(Value::from(eur(value, lang_in(ctx))))
    }),
    ("num", |value, args, ctx| {
        no_arguments("num", args)?;
        Ok(Value::from(num(value, lang_in(ctx))))
    }),
    ("round", |value, args, _| round(value, args)),
    ("int", |value, args, _| {
        no_arguments("int", args)?;
        int(value)
    }),
    ("join", |value, args, _| join(value, args)),
    ("map", |value, args, ctx| {
        let [name] = args else {
            return Err(expr::Error::failed("`map` takes the name of a filter"));
        };
        let name = name.as_str().unwrap_or_default();
        let items = value
            .try_iter()
            .map_err(|_| expr::Error::failed(format!("`map` needs a list, not `{value}`")))?;
        let mapped = items
            .map(|item| apply_filter(name, &item, ctx))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Value::from(mapped))
    }),
];

/// Share of `items` that `table` marks yes (1) or partly (0.5); 1 when `items` is empty.
/// The functions rule expressions may call (the same as in sentences).
pub const FUNCTIONS: &[(&str, expr::Function)] = &[
    ("share", |args| {
        let [items, table] = arguments("share", args)?;
        share(items, table).map(Value::from).map_err(call_error)
    }),
    ("pick", |args| {
        let [value, table, default] = arguments("pick", args)?;
        pick(value, table, default).map_err(call_error)
    }),
    ("unknown_count", |args| {
        let [items, table] = arguments("unknown_count", args)?;
        unknown_count(items, table)
            .map(Value::from)
            .map_err(call_error)
    }),
];

fn arguments<const N: usize>(name: &str, args: &[Value]) -> Result<[Value; N], expr::Error> {
    <[Value; N]>::try_from(args.to_vec()).map_err(|_| {
        expr::Error::failed(format!("`{name}` takes {N} arguments, not {}", args.len()))
    })
}

fn call_error(e: minijinja::Error) -> expr::Error {
    expr::Error::failed(e.to_string())
}

fn share(items: Value, table: Value) -> Result<f64, minijinja::Error> {
    let mut total = 0.0;
    let mut count = 0.0;
    for item in items.try_iter()? {
        count += 1.0;
        match table.get_item(&item)?.as_str() {
            Some("yes") => total += 1.0,
            Some("partly") => total += 0.5,
            _ => {}
        }
    }
    Ok(if count == 0.0 { 1.0 } else { total / count })
}

/// `table[value]`, or `default` when `value` is unknown or not in `table`: scores per word
/// (`pick(f.ease_of_use, {'easy': 10, 'medium': 6}, 2)`) with the worst case for the rest.
fn pick(value: Value, table: Value, default: Value) -> Result<Value, minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(default);
    }
    match table.get_item(&value) {
        Ok(v) if !v.is_undefined() && !v.is_none() => Ok(v),
        _ => Ok(default),
    }
}

/// How many of `items` `table` does not know.
fn unknown_count(items: Value, table: Value) -> Result<u32, minijinja::Error> {
    let mut n = 0;
    for item in items.try_iter()? {
        if table.get_item(&item)?.is_none() {
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod name_tests {
    use super::*;

    fn answers_read(texts: &[&str]) -> Option<std::collections::BTreeSet<String>> {
        let exprs: Vec<Expr> = texts
            .iter()
            .map(|t| Expr::parse(t, FUNCTIONS).unwrap())
            .collect();
        answer_reads(exprs.iter())
    }

    #[test]
    fn answer_names_are_read_from_the_tree() {
        let names = answers_read(&["a.participants > 5 and 'x' in a.devices", "'a.x' in t.name"]);
        assert_eq!(
            names.unwrap().into_iter().collect::<Vec<_>>(),
            ["devices", "participants"]
        );
        assert_eq!(answers_read(&["a['participants'] > 5"]), None);
        assert_eq!(answers_read(&["pick(1, a, 2)"]), None);
        let sentence = Sentence::parse(
            "Ab 9 a.m.: {{ a.meeting_minutes }} Minuten{% if a.x %}!{% endif %}",
            FUNCTIONS,
            SENTENCE_FILTERS,
        )
        .unwrap();
        let names: Vec<&str> = sentence
            .exprs()
            .into_iter()
            .flat_map(Expr::uses)
            .map(|u| u.path[0])
            .collect();
        assert_eq!(names, ["meeting_minutes", "x"]);
    }
}

#[cfg(test)]
mod facts_view_tests {
    use super::*;

    /// Rules see every fact key (`none` when not given), nested tables for features and
    /// accessibility, and nothing else: a typo stays undefined, so strict rules fail on it.
    #[test]
    fn facts_read_like_a_table_with_every_key() {
        let (_, offering) = crate::catalog::samples()
            .into_iter()
            .find(|(_, o)| o.facts.contains_key("max_minutes"))
            .expect("a sample with known facts");
        let f = facts_value(&offering);
        let get = |path: &[&str]| {
            path.iter()
                .try_fold(f.clone(), |v, k| v.get_attr(k).ok())
                .expect("attribute lookup")
        };
        assert_eq!(get(&["max_minutes"]).as_str(), Some("unlimited"));
        assert!(get(&["features", "chat"]).as_str().is_some());
        assert!(get(&["max_minutez"]).is_undefined());
        assert!(get(&["features.chat"]).is_undefined());
        assert!(get(&["features", "chatt"]).is_undefined());
        let (_, empty) = crate::catalog::samples()
            .into_iter()
            .find(|(_, o)| o.facts.is_empty())
            .expect("a sample without facts");
        let f = facts_value(&empty);
        assert!(f.get_attr("max_minutes").unwrap().is_none());
        assert!(
            f.get_attr("features")
                .unwrap()
                .get_attr("chat")
                .unwrap()
                .is_none()
        );
    }
}

/// The memo must be invisible: for every shipped offering, every criterion and several groups,
/// the answers through a memo (shared by all offerings, so most come from it) equal the rules'
/// own, sentences included; and the read sets are what the texts say.
#[cfg(test)]
mod memo_tests {
    use super::*;
    use crate::answers::{self, KnownIds};
    use crate::source::{Format, SourceText};

    fn reads(texts: &[&str]) -> Option<Vec<Read>> {
        let exprs: Vec<Expr> = texts
            .iter()
            .map(|t| Expr::parse(t, FUNCTIONS).unwrap())
            .collect();
        offering_reads(exprs.iter().flat_map(Expr::uses))
    }

    #[test]
    fn read_sets_follow_the_tree() {
        assert_eq!(
            reads(&["f.max_minutes > 40 and o.hosting == 'saas'"]),
            Some(vec![
                Read::Fact(FactKey::of("max_minutes").unwrap()),
                Read::Offering("hosting".into())
            ])
        );
        assert_eq!(
            reads(&["f.features.chat == 'yes' or f.features.e2ee"]),
            Some(vec![
                Read::Nested(FactKey::of("features.chat").unwrap()),
                Read::Nested(FactKey::of("e2ee").unwrap())
            ])
        );
        let all = reads(&["f.features[item] != 'yes'"]).unwrap();
        assert!(all.contains(&Read::Nested(FactKey::of("features.chat").unwrap())));
        assert!(all.contains(&Read::Nested(FactKey::of("dial_in").unwrap())));
        for whole in ["f['max_minutes']", "f | length", "pick(f, x, 1)", "t"] {
            assert_eq!(reads(&[whole]), None, "{whole}");
        }
        // Words of a sentence are not code; `of` and `if` are not `o` and `f`.
        let sentence = Sentence::parse(
            "of {{ 'x' if f.dial_in else 'y' }}, t.name",
            FUNCTIONS,
            SENTENCE_FILTERS,
        )
        .unwrap();
        assert_eq!(
            offering_reads(sentence.exprs().into_iter().flat_map(Expr::uses)),
            Some(vec![Read::Fact(FactKey::of("dial_in").unwrap())])
        );
    }

    #[test]
    fn memoized_answers_equal_the_rules_own() {
        let catalog = crate::catalog::Catalog::load(None).unwrap();
        let criteria = Criteria::load(None).unwrap();
        let compiled = compile(&criteria).unwrap();
        let known = KnownIds {
            tools: catalog.tools.keys().map(String::as_str).collect(),
            criteria: criteria.ids(),
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        for name in [
            "familiengruppe.toml",
            "telefongruppe.toml",
            "verwaltung.toml",
        ] {
            let source = SourceText::read(&dir.join(name)).unwrap();
            let answers = answers::parse(&source, Format::Toml, &[], &known).unwrap();
            let a = answers_value(&answers);
            for lang in [Lang::De, Lang::En] {
                let memo = Memo::default();
                for tool in catalog.tools.values() {
                    for offering in &tool.offerings {
                        let f = facts_value(offering);
                        let ctx = context(&a, tool, offering, &f, lang);
                        let at = Subject {
                            tool,
                            offering,
                            ctx: &ctx,
                            lang,
                        };
                        for cc in &compiled.criteria {
                            let what =
                                format!("{name} {}/{} {}", tool.id, offering.id, cc.criterion.id);
                            assert_eq!(
                                compiled.knockouts_in(&memo, cc, &at).unwrap(),
                                compiled.knockouts(cc, &ctx, lang).unwrap(),
                                "{what}"
                            );
                            assert_eq!(
                                compiled.open_questions_in(&memo, cc, &at).unwrap(),
                                compiled.open_questions(cc, &ctx, lang).unwrap(),
                                "{what}"
                            );
                            assert_eq!(
                                compiled.excludes_in(&memo, cc, &at).unwrap(),
                                compiled.excludes(cc, &ctx).unwrap(),
                                "{what}"
                            );
                            assert_eq!(
                                compiled.is_unclear_in(&memo, cc, &at).unwrap(),
                                compiled.is_unclear(cc, &ctx).unwrap(),
                                "{what}"
                            );
                            let (m, r) = (
                                compiled.score_in(&memo, cc, &at).unwrap(),
                                compiled.score(cc, &ctx).unwrap(),
                            );
                            assert_eq!(
                                (m.rule_index, m.score.to_bits(), m.unknown),
                                (r.rule_index, r.score.to_bits(), r.unknown),
                                "{what}"
                            );
                        }
                    }
                }
                let kept = memo.len();
                assert!(kept > 0, "the shipped rules are memoized");
            }
        }
    }
}

/// The rule language must mean what minijinja meant: every shipped rule expression, for every
/// shipped and sample offering and many groups, gives the same value as the template engine's
/// own expression (or fails where it fails), and every shipped sentence the same text as the
/// template engine rendering it.
#[cfg(test)]
mod language_tests {
    use super::*;
    use crate::answers::{self, KnownIds};
    use crate::templates::lang_of;
    use minijinja::{Environment, State, UndefinedBehavior};

    /// The template engine as rules and sentences ran in it before they had a language of
    /// their own.
    fn base_environment() -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.add_filter("eur", |state: &State<'_, '_>, v: Value| {
            eur(&v, lang_of(state))
        });
        env.add_filter("label", |state: &State<'_, '_>, v: Value| {
            label(&v, lang_of(state))
        });
        env.add_filter("num", |state: &State<'_, '_>, v: Value| {
            num(&v, lang_of(state))
        });
        env.add_function("share", share);
        env.add_function("pick", pick);
        env.add_function("unknown_count", unknown_count);
        env
    }
    use crate::source::{Format, SourceText};

    fn texts(c: &Criterion) -> (Vec<&str>, Vec<&str>) {
        let mut plain = Vec::new();
        let mut per_item = Vec::new();
        for k in &c.knockout {
            match &k.each {
                Some(each) => {
                    plain.push(each.as_str());
                    per_item.push(k.when.as_str());
                    per_item.extend(k.unclear.as_deref());
                }
                None => {
                    plain.push(k.when.as_str());
                    plain.extend(k.unclear.as_deref());
                }
            }
        }
        plain.extend(c.adjust.iter().map(|a| a.when.as_str()));
        for r in &c.score {
            plain.extend(r.when.as_deref());
            if let NumberOrExpr::Expr(e) = &r.score {
                plain.push(e);
            }
            if let FlagOrExpr::Expr(e) = &r.unknown {
                plain.push(e);
            }
        }
        (plain, per_item)
    }

    fn same(text: &str, ctx: &Value, env: &Environment<'static>, what: &str) -> Option<Value> {
        let ours = Expr::parse(text, FUNCTIONS).unwrap().eval(ctx);
        let theirs = env.compile_expression(text).unwrap().eval(ctx.clone());
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{what}: `{text}`");
                assert_eq!(a.to_string(), b.to_string(), "{what}: `{text}`");
                assert_eq!(a.is_true(), b.is_true(), "{what}: `{text}`");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{what}: `{text}`: ours {ours:?}, minijinja {theirs:?}"),
        }
        ours.ok()
    }

    /// Groups: the examples, and each with other sizes, lengths and budgets.
    fn groups(known: &KnownIds) -> Vec<answers::Answers> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut out = vec![answers::sample()];
        for name in [
            "familiengruppe.toml",
            "telefongruppe.toml",
            "verwaltung.toml",
        ] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            for (from, to) in [
                ("", ""),
                ("participants = ", "participants = 3\n#"),
                ("participants = ", "participants = 400\n#"),
                ("meeting_minutes = ", "meeting_minutes = 30\n#"),
                ("meeting_minutes = ", "meeting_minutes = 600\n#"),
                ("budget_eur_per_month = ", "budget_eur_per_month = 25\n#"),
                ("install_allowed = true", "install_allowed = false"),
                ("install_allowed = false", "install_allowed = true"),
                ("accounts_allowed = false", "accounts_allowed = true"),
            ] {
                let text = text.replacen(from, to, 1);
                let source = SourceText {
                    name: name.into(),
                    text,
                };
                if let Ok(a) = answers::parse(&source, Format::Toml, &[], known) {
                    out.push(a);
                }
            }
        }
        assert!(out.len() > 20, "the variations parse");
        out
    }

    #[test]
    fn rules_mean_what_the_template_engine_meant() {
        let catalog = crate::catalog::Catalog::load(None).unwrap();
        let criteria = Criteria::load(None).unwrap();
        let env = base_environment();
        let known = KnownIds {
            tools: catalog.tools.keys().map(String::as_str).collect(),
            criteria: criteria.ids(),
        };
        let mut offerings: Vec<(Tool, Offering)> = crate::catalog::samples();
        for tool in catalog.tools.values() {
            for o in &tool.offerings {
                offerings.push((tool.clone(), o.clone()));
            }
        }
        let mut checked = 0;
        for answers in groups(&known) {
            let a = answers_value(&answers);
            for (tool, offering) in &offerings {
                let f = facts_value(offering);
                let ctx = context(&a, tool, offering, &f, Lang::De);
                for c in &criteria.list {
                    let what = format!("{}/{} {}", tool.id, offering.id, c.id);
                    let (plain, per_item) = texts(c);
                    for text in plain {
                        checked += 1;
                        let items = same(text, &ctx, &env, &what);
                        // `each` lists: the per-item conditions see every element.
                        if let Some(items) = items
                            .filter(|_| c.knockout.iter().any(|k| k.each.as_deref() == Some(text)))
                        {
                            for item in items.try_iter().unwrap() {
                                let ctx = with_item(&ctx, item);
                                for text in &per_item {
                                    checked += 1;
                                    same(text, &ctx, &env, &what);
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked} evaluations compared");
    }

    /// Every sentence of a criterion with the items it is rendered for (`each` knock-outs).
    fn sentences(c: &Criterion) -> Vec<(Option<&str>, &crate::vocab::Text)> {
        let mut out = Vec::new();
        for k in &c.knockout {
            out.push((k.each.as_deref(), &k.reason));
            out.extend(k.ask.iter().map(|a| (k.each.as_deref(), a)));
        }
        out.extend(c.score.iter().map(|r| (None, &r.because)));
        out
    }

    #[test]
    fn sentences_read_as_the_template_engine_wrote_them() {
        let catalog = crate::catalog::Catalog::load(None).unwrap();
        let criteria = Criteria::load(None).unwrap();
        let mut env = base_environment();
        let known = KnownIds {
            tools: catalog.tools.keys().map(String::as_str).collect(),
            criteria: criteria.ids(),
        };
        let mut parsed = BTreeMap::new();
        for c in &criteria.list {
            for (_, text) in sentences(c) {
                for t in [&text.de, &text.en] {
                    env.add_template_owned(t.clone(), t.clone()).unwrap();
                    let ours = Sentence::parse(t, FUNCTIONS, SENTENCE_FILTERS).unwrap();
                    parsed.insert(t.clone(), ours);
                }
            }
        }
        let mut offerings: Vec<(Tool, Offering)> = crate::catalog::samples();
        for tool in catalog.tools.values() {
            for o in &tool.offerings {
                offerings.push((tool.clone(), o.clone()));
            }
        }
        let (mut checked, mut rendered) = (0, 0);
        for answers in groups(&known).into_iter().step_by(2) {
            let a = answers_value(&answers);
            for (tool, offering) in &offerings {
                let f = facts_value(offering);
                for lang in [Lang::De, Lang::En] {
                    let ctx = context(&a, tool, offering, &f, lang);
                    for c in &criteria.list {
                        for (each, text) in sentences(c) {
                            let text = text.get(lang);
                            let items = match each {
                                None => vec![None],
                                Some(each) => Expr::parse(each, FUNCTIONS)
                                    .unwrap()
                                    .eval(&ctx)
                                    .unwrap()
                                    .try_iter()
                                    .unwrap()
                                    .map(Some)
                                    .collect(),
                            };
                            for item in items {
                                let (ours, theirs) = match item {
                                    None => (
                                        parsed[text].render(&ctx, &[]),
                                        env.get_template(text).unwrap().render(ctx.clone()),
                                    ),
                                    Some(item) => (
                                        parsed[text].render(&ctx, &[("item", item.clone())]),
                                        env.get_template(text)
                                            .unwrap()
                                            .render(with_item(&ctx, item)),
                                    ),
                                };
                                checked += 1;
                                match (&ours, &theirs) {
                                    (Ok(a), Ok(b)) => {
                                        rendered += 1;
                                        assert_eq!(a, b, "{}/{} {}", tool.id, offering.id, c.id)
                                    }
                                    (Err(_), Err(_)) => {}
                                    _ => panic!(
                                        "{}/{} {}: `{text}`: ours {ours:?}, minijinja {theirs:?}",
                                        tool.id, offering.id, c.id
                                    ),
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(
            rendered > 50_000,
            "{rendered} of {checked} sentences compared"
        );
    }
}
