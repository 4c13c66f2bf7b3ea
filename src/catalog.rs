//! The catalog of tools: one TOML file per tool, every fact with its source and check date.
//!
//! Files are parsed into `Raw*` mirrors (unknown keys rejected), then validated into [`Tool`]s
//! whose facts are either known (with a source) or explicitly unknown (with a note). The
//! shipped catalog is validated when the program is built and embedded in binary form (see
//! `build.rs` and `stored.rs`); a folder given with `--catalog` adds and overrides tools.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::source::Spanned;
use serde::{Deserialize, Serialize};

use crate::date::{Date, Published};
use crate::diag::{Diagnostic, Diagnostics, line_col};
use crate::source::{Format, SourceText};
use crate::vocab::{
    AccessNeed, CaveatTopic, Dpa, Ease, Effort, Feature, Hosting, Lang, Organisation, Region,
    ServiceStatus, SourceKind, Support, Text, ToolKind,
};

/// A fact's value, typed by its key (see `docs/catalog-format.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FactValue {
    /// A price or other amount.
    Number(f64),
    /// A limit.
    Limit(Limit),
    /// A whole number of at least 1 (minimum licences).
    Count(u32),
    /// Whether a service is still offered.
    Status(ServiceStatus),
    /// Whether a data processing agreement is offered.
    Dpa(Dpa),
    /// Yes, no or partly.
    Support(Support),
    /// Free text (operator, licence).
    Text(String),
    /// A region.
    Region(Region),
    /// Ease of use.
    Ease(Ease),
    /// Admin effort.
    Effort(Effort),
    /// Who may use an offering.
    Organisations(Vec<Organisation>),
}

/// A count limit or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Limit {
    /// At most this many.
    Count(u32),
    /// No limit.
    Unlimited(UnlimitedWord),
}

/// The word `unlimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnlimitedWord {
    /// No limit.
    Unlimited,
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Limit;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number of at least 1, or \"unlimited\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Limit, E> {
                u32::try_from(v)
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(Limit::Count)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Limit, E> {
                u32::try_from(v)
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(Limit::Count)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Limit, E> {
                if v == "unlimited" {
                    Ok(Limit::Unlimited(UnlimitedWord::Unlimited))
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A whole number of at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Limit::deserialize(d)? {
            Limit::Count(n) => Ok(Count(n)),
            Limit::Unlimited(_) => Err(serde::de::Error::custom(
                "expected a whole number of at least 1",
            )),
        }
    }
}

impl Limit {
    /// The count, or `None` if unlimited.
    pub fn count(self) -> Option<u32> {
        match self {
            Limit::Count(n) => Some(n),
            Limit::Unlimited(_) => None,
        }
    }
}

impl FactValue {
    /// The value for rule expressions: numbers stay numbers, words stay words.
    pub fn to_expr_value(&self) -> minijinja::Value {
        use minijinja::Value;
        match self {
            FactValue::Number(x) => Value::from(*x),
            FactValue::Limit(Limit::Count(n)) => Value::from(*n),
            FactValue::Limit(Limit::Unlimited(_)) => Value::from("unlimited"),
            FactValue::Count(n) => Value::from(*n),
            FactValue::Status(s) => Value::from(s.word()),
            FactValue::Dpa(d) => Value::from(d.word()),
            FactValue::Support(s) => Value::from(s.word()),
            FactValue::Text(t) => Value::from(t.as_str()),
            FactValue::Region(r) => Value::from(r.word()),
            FactValue::Ease(e) => Value::from(e.word()),
            FactValue::Effort(e) => Value::from(e.word()),
            FactValue::Organisations(list) => {
                Value::from(list.iter().map(|o| o.word()).collect::<Vec<_>>())
            }
        }
    }

    /// A short readable form in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        match self {
            FactValue::Number(x) => crate::format::number(*x, lang),
            FactValue::Limit(Limit::Count(n)) => n.to_string(),
            FactValue::Limit(Limit::Unlimited(_)) => match lang {
                Lang::De => "unbegrenzt".into(),
                Lang::En => "unlimited".into(),
            },
            FactValue::Count(n) => n.to_string(),
            FactValue::Status(s) => s.label(lang).into(),
            FactValue::Dpa(d) => d.label(lang).into(),
            FactValue::Support(s) => s.label(lang).into(),
            FactValue::Text(t) => t.clone(),
            FactValue::Region(r) => r.label(lang).into(),
            FactValue::Ease(e) => e.label(lang).into(),
            FactValue::Effort(e) => e.label(lang).into(),
            FactValue::Organisations(list) => list
                .iter()
                .map(|o| o.label(lang))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// The name of a fact, one of [`all_fact_keys`]: its place in the list of them sorted by
/// name, so that facts order by their names and are found without comparing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FactKey(u8);

/// Only a key of a known fact: a number past the list, read from a damaged cache, would be
/// a place that [`Facts`] does not have.
impl<'de> Deserialize<'de> for FactKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        if usize::from(n) < FACT_KEY_COUNT {
            Ok(FactKey(n))
        } else {
            Err(serde::de::Error::custom(format!("{n} is not a fact key")))
        }
    }
}

/// [`all_fact_keys`], sorted: [`FactKey`] is a place in it.
static SORTED_FACT_KEYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<&'static str> = all_fact_keys()
        .into_iter()
        .map(|k| &*Box::leak(k.into_boxed_str()))
        .collect();
    keys.sort_unstable();
    assert!(
        keys.len() <= usize::from(u8::MAX) && keys.len() == FACT_KEY_COUNT,
        "fact keys fit in a byte, and FACT_KEY_COUNT counts them"
    );
    keys
});

impl FactKey {
    /// The key of a fact name (`max_minutes`, `features.chat`), if it is one.
    pub fn of(name: &str) -> Option<FactKey> {
        // Rules look keys up by name thousands of times a report: a hash, not a search.
        static BY_NAME: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, FactKey>> =
            std::sync::LazyLock::new(|| {
                (SORTED_FACT_KEYS.iter().enumerate())
                    .map(|(i, k)| (*k, FactKey(i as u8)))
                    .collect()
            });
        BY_NAME.get(name).copied()
    }

    /// The key of a name the catalog format itself defines (a field of `[facts]`, a feature,
    /// an accessibility need): `every_fact_of_the_format_has_a_key` checks that each is one.
    fn known(name: &str) -> FactKey {
        FactKey::of(name).unwrap_or_else(|| panic!("`{name}` is a fact key"))
    }

    /// The name.
    pub fn name(self) -> &'static str {
        SORTED_FACT_KEYS[usize::from(self.0)]
    }
}

/// Facts by key, in the order of their names. Each fact is shared: a tool's facts are merged
/// into every offering. There is a place for every key, so reading a fact (rules do, tens of
/// thousands of times a report) is an index, and copying a tool's facts copies no text.
#[derive(Clone, Default, PartialEq)]
pub struct Facts {
    /// Empty, or a place for every key (the first insert makes them all), so that equal
    /// facts compare equal.
    slots: Vec<Option<std::sync::Arc<Fact>>>,
}

impl Facts {
    /// No facts.
    pub fn new() -> Facts {
        Facts::default()
    }

    /// The fact of `key`.
    pub fn get_key(&self, key: FactKey) -> Option<&std::sync::Arc<Fact>> {
        self.slots.get(usize::from(key.0))?.as_ref()
    }

    /// The fact named `name`.
    pub fn get(&self, name: &str) -> Option<&std::sync::Arc<Fact>> {
        self.get_key(FactKey::of(name)?)
    }

    /// Whether there is a fact named `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets the fact of `key`; returns the one it replaces.
    pub fn insert(
        &mut self,
        key: FactKey,
        fact: std::sync::Arc<Fact>,
    ) -> Option<std::sync::Arc<Fact>> {
        let at = usize::from(key.0);
        if self.slots.len() <= at {
            self.slots.resize(SORTED_FACT_KEYS.len(), None);
        }
        self.slots[at].replace(fact)
    }

    /// The facts with their keys, in the order of their names.
    pub fn entries(&self) -> impl Iterator<Item = (FactKey, &std::sync::Arc<Fact>)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FactKey(i as u8), f.as_ref()?)))
    }

    /// The facts with their names, in the order of the names.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &std::sync::Arc<Fact>)> {
        self.entries().map(|(k, f)| (k.name(), f))
    }

    /// The names of the facts, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.entries().map(|(k, _)| k.name())
    }

    /// The facts, in the order of their names.
    pub fn values(&self) -> impl Iterator<Item = &std::sync::Arc<Fact>> {
        self.slots.iter().flatten()
    }

    /// How many facts there are.
    pub fn len(&self) -> usize {
        self.values().count()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values().next().is_none()
    }
}

impl IntoIterator for Facts {
    type Item = (FactKey, std::sync::Arc<Fact>);
    type IntoIter = std::iter::FilterMap<
        std::iter::Enumerate<std::vec::IntoIter<Option<std::sync::Arc<Fact>>>>,
        fn((usize, Option<std::sync::Arc<Fact>>)) -> Option<(FactKey, std::sync::Arc<Fact>)>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.slots
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FactKey(i as u8), f?)))
    }
}

impl Extend<(FactKey, std::sync::Arc<Fact>)> for Facts {
    fn extend<I: IntoIterator<Item = (FactKey, std::sync::Arc<Fact>)>>(&mut self, iter: I) {
        for (k, f) in iter {
            self.insert(k, f);
        }
    }
}

impl FromIterator<(FactKey, std::sync::Arc<Fact>)> for Facts {
    fn from_iter<I: IntoIterator<Item = (FactKey, std::sync::Arc<Fact>)>>(iter: I) -> Self {
        let mut facts = Facts::new();
        facts.extend(iter);
        facts
    }
}

impl std::ops::Index<&str> for Facts {
    type Output = std::sync::Arc<Fact>;

    fn index(&self, name: &str) -> &Self::Output {
        self.get(name).unwrap_or_else(|| panic!("no fact `{name}`"))
    }
}

impl std::fmt::Debug for Facts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// One fact: a known value with its source, or unknown with a reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// `None` means unknown; never read it as yes or no.
    pub value: Option<FactValue>,
    /// Key into the tool's sources (required for known values). Boxed, as `note`: a large
    /// catalog has hundreds of thousands of facts, and a box is a word smaller than a string.
    pub src: Option<Box<str>>,
    /// When the fact was last verified.
    pub checked: Date,
    /// Remarks, e.g. where sources disagree or why it is unknown.
    pub note: Option<Box<str>>,
    /// How old the evidence is: the source's own date where it shows one, else `checked`.
    pub evidence: Date,
    /// A decisive fact resting only on a blog, forum or copy: rules see it as unknown.
    pub weak: bool,
}

impl Fact {
    /// The value rules and verdicts may rely on: none when unknown or weak.
    pub fn trusted(&self) -> Option<&FactValue> {
        if self.weak { None } else { self.value.as_ref() }
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// A web address.
    pub url: Option<String>,
    /// A printed source, when there is no address.
    pub document: Option<String>,
    /// A title.
    pub title: Option<String>,
    /// What kind of document it is (vendor page, authority, blog ...).
    pub kind: Option<SourceKind>,
    /// Publication date, as the source shows it (`undated` when it shows none).
    pub published: Published,
}

/// A way of using a tool: a plan, self-hosting, a community instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offering {
    /// Unique within the tool.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Who runs it.
    pub hosting: Hosting,
    /// The organiser's steps where this offering differs from the tool's (a public server
    /// that needs no login, a partner's room booked by e-mail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_steps: Option<Steps>,
    /// The tool's facts merged with the offering's own. Shared, so rule expressions can
    /// read them lazily (see `rules::facts_value`).
    pub facts: std::sync::Arc<Facts>,
}

/// Why a tool can no longer be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// When it was switched off.
    pub date: Date,
    /// The catalog id of the successor, if any.
    pub successor: Option<String>,
    /// Source key.
    pub src: String,
    /// When this was checked.
    pub checked: Date,
    /// Remarks.
    pub note: Option<String>,
}

/// Something an advisor must warn about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Caveat {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
    /// What it concerns, to pick the caveats that matter for a group.
    #[serde(default)]
    pub topics: Vec<CaveatTopic>,
    /// The offerings it applies to; empty means all.
    #[serde(default)]
    pub offerings: Vec<String>,
    /// Source key.
    pub src: String,
    /// When this was checked.
    pub checked: Date,
}

/// A public assessment (data protection authority, consumer test).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Who assessed.
    pub by: String,
    /// When.
    pub date: Published,
    /// The verdict.
    pub verdict: Text,
    /// Source key.
    pub src: String,
    /// When this was checked.
    pub checked: Date,
    /// Which offering or service was assessed.
    pub scope: Option<String>,
}

/// How a participant joins, per device, in both languages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinSteps {
    /// On a computer.
    pub computer: Option<Steps>,
    /// On a smartphone or tablet.
    pub smartphone: Option<Steps>,
    /// By telephone.
    pub phone: Option<Steps>,
}

/// Steps in both languages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Steps {
    /// German.
    pub de: Vec<String>,
    /// English.
    pub en: Vec<String>,
}

/// A validated catalog entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tool {
    /// Kebab-case id, equal to the file stem.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Video, phone, messenger or platform.
    pub kind: ToolKind,
    /// Home page.
    pub homepage: Option<String>,
    /// Neutral description.
    pub description: Text,
    /// Set for retired tools.
    pub retired: Option<Retirement>,
    /// Joining instructions.
    pub join_steps: JoinSteps,
    /// What the person who organises a meeting does: create the room, protect it, invite.
    pub host_steps: Option<Steps>,
    /// Warnings.
    pub caveats: Vec<Caveat>,
    /// Public assessments.
    pub assessments: Vec<Assessment>,
    /// Facts shared by all offerings (also merged into each offering).
    pub facts: Facts,
    /// At least one.
    pub offerings: Vec<Offering>,
    /// Sources by key.
    pub sources: BTreeMap<String, SourceRef>,
    /// Where the entry was loaded from (`<builtin>/catalog/zoom.toml` or a path).
    pub origin: String,
    /// Line and column of the `[retired]` table, for messages about the successor.
    #[serde(skip)]
    pub retired_at: Option<(usize, usize)>,
}

impl Tool {
    /// The facts of `offering` that are its own: the others are the tool's, shared with it.
    pub fn own_facts<'o>(
        &'o self,
        offering: &'o Offering,
    ) -> impl Iterator<Item = (FactKey, &'o std::sync::Arc<Fact>)> {
        offering.facts.entries().filter(|(k, f)| {
            !self
                .facts
                .get_key(*k)
                .is_some_and(|t| std::sync::Arc::ptr_eq(t, f))
        })
    }

    /// Every check date in the entry, for freshness summaries.
    pub fn check_dates(&self) -> impl Iterator<Item = Date> + '_ {
        let facts = self.facts.values().map(|f| f.checked);
        let offerings = self
            .offerings
            .iter()
            .flat_map(|o| self.own_facts(o).map(|(_, f)| f.checked));
        facts
            .chain(offerings)
            .chain(self.caveats.iter().map(|c| c.checked))
            .chain(self.assessments.iter().map(|a| a.checked))
            .chain(self.retired.iter().map(|r| r.checked))
    }
}

// ---------------------------------------------------------------------------------------------
// Raw file mirror

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Fact_{T}")]
struct RawFact<T> {
    value: Option<T>,
    unknown: Option<bool>,
    src: Option<String>,
    checked: Date,
    note: Option<String>,
}

type F<T> = Option<Spanned<RawFact<T>>>;

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    price_eur_month: F<f64>,
    price_per_licence_eur_month: F<f64>,
    min_licences: F<Count>,
    paid: F<Support>,
    max_participants: F<Limit>,
    works_for_participants: F<Count>,
    max_video_participants: F<Limit>,
    max_minutes: F<Limit>,
    browser_join_desktop: F<Support>,
    browser_join_mobile: F<Support>,
    works_behind_firewall: F<Support>,
    account_to_join: F<Support>,
    account_to_host: F<Support>,
    app_desktop: F<Support>,
    app_android: F<Support>,
    app_ios: F<Support>,
    app_fdroid: F<Support>,
    dial_in: F<Support>,
    phone_only: F<Support>,
    dpa_offered: F<Dpa>,
    transport_encryption: F<Support>,
    e2ee: F<Support>,
    open_source: F<Support>,
    licence: F<String>,
    self_hostable: F<Support>,
    admin_effort: F<Effort>,
    data_location: F<Region>,
    operator: F<String>,
    operator_seat: F<Region>,
    jurisdiction: F<Region>,
    service_status: F<ServiceStatus>,
    conditions_of_use: F<Support>,
    german_ui: F<Support>,
    ease_of_use: F<Ease>,
    eligible: F<Vec<Organisation>>,
    #[serde(default)]
    features: BTreeMap<Feature, Spanned<RawFact<Support>>>,
    #[serde(default)]
    accessibility: BTreeMap<AccessNeed, Spanned<RawFact<Support>>>,
}

/// How many fact keys there are ([`all_fact_keys`]), known without making them.
const FACT_KEY_COUNT: usize = FACT_KEYS.len() + Feature::ALL.len() + AccessNeed::ALL.len();

/// Every fact key, in the order `show` prints them.
pub const FACT_KEYS: &[&str] = &[
    "price_eur_month",
    "price_per_licence_eur_month",
    "min_licences",
    "paid",
    "max_participants",
    "works_for_participants",
    "max_video_participants",
    "max_minutes",
    "browser_join_desktop",
    "browser_join_mobile",
    "works_behind_firewall",
    "account_to_join",
    "account_to_host",
    "app_desktop",
    "app_android",
    "app_ios",
    "app_fdroid",
    "dial_in",
    "phone_only",
    "dpa_offered",
    "transport_encryption",
    "e2ee",
    "open_source",
    "licence",
    "self_hostable",
    "admin_effort",
    "data_location",
    "operator",
    "operator_seat",
    "jurisdiction",
    "service_status",
    "conditions_of_use",
    "german_ui",
    "ease_of_use",
    "eligible",
];

/// Every fact key including `features.<word>` and `accessibility.<word>`, in display order.
pub fn all_fact_keys() -> Vec<String> {
    FACT_KEYS
        .iter()
        .map(|k| k.to_string())
        .chain(
            Feature::ALL
                .iter()
                .map(|f| format!("features.{}", f.word())),
        )
        .chain(
            AccessNeed::ALL
                .iter()
                .map(|n| format!("accessibility.{}", n.word())),
        )
        .collect()
}

/// The facts that decide whether an offering can work for a group at all; the catalog aims
/// to know each of them for every offering in use (see `konf-wahl check`).
pub const DECISIVE_FACTS: &[&str] = &[
    "max_participants",
    "max_minutes",
    "price_eur_month",
    "data_location",
    "operator",
    "jurisdiction",
    "dpa_offered",
    "e2ee",
    "browser_join_desktop",
    "browser_join_mobile",
    "account_to_join",
    "dial_in",
    "service_status",
];

/// A plan sold by the licence with a minimum number of licences costs at least their product:
/// that is the price a group pays, when the catalog does not state it directly.
fn derive_price(facts: &mut Facts) {
    if facts
        .get("price_eur_month")
        .is_some_and(|f| f.value.is_some())
    {
        return;
    }
    let (Some(per), Some(min)) = (
        facts.get("price_per_licence_eur_month"),
        facts.get("min_licences"),
    ) else {
        return;
    };
    let (Some(FactValue::Number(price)), Some(FactValue::Count(n))) = (&per.value, &min.value)
    else {
        return;
    };
    let total = (price * f64::from(*n) * 100.0).round() / 100.0;
    let derived = Fact {
        value: Some(FactValue::Number(total)),
        src: per.src.clone(),
        checked: per.checked.min(min.checked),
        note: Some(
            format!(
                "{} EUR per licence x at least {n} licences",
                crate::format::number(*price, Lang::En)
            )
            .into(),
        ),
        evidence: per.evidence.min(min.evidence),
        weak: per.weak || min.weak,
    };
    let key = FactKey::of("price_eur_month").expect("a fact key");
    facts.insert(key, std::sync::Arc::new(derived));
}

struct Entry {
    key: String,
    span: std::ops::Range<usize>,
    raw: RawFact<FactValue>,
}

fn entry<T>(key: &str, fact: Spanned<RawFact<T>>, wrap: impl Fn(T) -> FactValue) -> Entry {
    let span = fact.span();
    let raw = fact.into_inner();
    Entry {
        key: key.to_string(),
        span,
        raw: RawFact {
            value: raw.value.map(wrap),
            unknown: raw.unknown,
            src: raw.src,
            checked: raw.checked,
            note: raw.note,
        },
    }
}

impl RawFacts {
    fn into_entries(self) -> Vec<Entry> {
        let mut out = Vec::new();
        macro_rules! push {
            ($field:ident, $wrap:expr) => {
                if let Some(f) = self.$field {
                    out.push(entry(stringify!($field), f, $wrap));
                }
            };
        }
        push!(price_eur_month, FactValue::Number);
        push!(price_per_licence_eur_month, FactValue::Number);
        push!(min_licences, |c: Count| FactValue::Count(c.0));
        push!(paid, FactValue::Support);
        push!(max_participants, FactValue::Limit);
        push!(works_for_participants, |c: Count| FactValue::Count(c.0));
        push!(max_video_participants, FactValue::Limit);
        push!(max_minutes, FactValue::Limit);
        push!(browser_join_desktop, FactValue::Support);
        push!(browser_join_mobile, FactValue::Support);
        push!(works_behind_firewall, FactValue::Support);
        push!(account_to_join, FactValue::Support);
        push!(account_to_host, FactValue::Support);
        push!(app_desktop, FactValue::Support);
        push!(app_android, FactValue::Support);
        push!(app_ios, FactValue::Support);
        push!(app_fdroid, FactValue::Support);
        push!(dial_in, FactValue::Support);
        push!(phone_only, FactValue::Support);
        push!(dpa_offered, FactValue::Dpa);
        push!(transport_encryption, FactValue::Support);
        push!(e2ee, FactValue::Support);
        push!(open_source, FactValue::Support);
        push!(licence, FactValue::Text);
        push!(self_hostable, FactValue::Support);
        push!(admin_effort, FactValue::Effort);
        push!(data_location, FactValue::Region);
        push!(operator, FactValue::Text);
        push!(operator_seat, FactValue::Region);
        push!(jurisdiction, FactValue::Region);
        push!(service_status, FactValue::Status);
        push!(conditions_of_use, FactValue::Support);
        push!(german_ui, FactValue::Support);
        push!(ease_of_use, FactValue::Ease);
        push!(eligible, FactValue::Organisations);
        for (feature, f) in self.features {
            out.push(entry(
                &format!("features.{}", feature.word()),
                f,
                FactValue::Support,
            ));
        }
        for (need, f) in self.accessibility {
            out.push(entry(
                &format!("accessibility.{}", need.word()),
                f,
                FactValue::Support,
            ));
        }
        out
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawOffering {
    id: String,
    name: Text,
    hosting: Hosting,
    host_steps: Option<Steps>,
    #[serde(default)]
    facts: RawFacts,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawTool {
    id: Spanned<String>,
    name: String,
    kind: ToolKind,
    homepage: Option<String>,
    description: Text,
    retired: Option<Spanned<Retirement>>,
    #[serde(default)]
    join_steps: JoinSteps,
    host_steps: Option<Steps>,
    #[serde(default)]
    caveats: Vec<Spanned<Caveat>>,
    #[serde(default)]
    assessments: Vec<Spanned<Assessment>>,
    #[serde(default)]
    facts: RawFacts,
    #[serde(default)]
    offerings: Vec<Spanned<RawOffering>>,
    #[serde(default)]
    sources: BTreeMap<String, SourceRef>,
}

// ---------------------------------------------------------------------------------------------
// Validation

/// Parses and validates one catalog file. `stem` is the file name without `.toml`.
pub fn parse_tool(source: &SourceText, stem: &str) -> Result<Tool, Diagnostics> {
    let raw: RawTool = source
        .parse(Format::Toml)
        .map_err(|d| Diagnostics(vec![d]))?;
    validate_tool(raw, source, stem)
}

/// Where messages about a retired tool's successor point: the `successor` key of the
/// `[retired]` table starting at byte `table`, else the table itself.
fn successor_position(text: &str, table: usize) -> (usize, usize) {
    // The table's span may cover only its header: look for the key up to the next table.
    let rest = &text[table.min(text.len())..];
    let end = rest
        .get(1..)
        .and_then(|r| r.find("\n["))
        .map_or(rest.len(), |i| i + 1);
    let at = rest[..end].find("\nsuccessor").map_or(0, |i| i + 1);
    line_col(text, table + at)
}

fn validate_tool(raw: RawTool, source: &SourceText, stem: &str) -> Result<Tool, Diagnostics> {
    let mut problems = Vec::new();
    let at = |span: std::ops::Range<usize>| Some(line_col(&source.text, span.start));
    let err = |span: std::ops::Range<usize>, message: String| {
        Diagnostic::new(&source.name, message).at(at(span))
    };

    let id_span = raw.id.span();
    let id = raw.id.into_inner();
    if !is_kebab_id(&id) {
        problems.push(err(
            id_span.clone(),
            format!("id `{id}` must be lowercase kebab-case (a-z, 0-9, -)"),
        ));
    }
    if id != stem {
        problems.push(
            err(
                id_span.clone(),
                format!("id `{id}` must equal the file name `{stem}`"),
            )
            .with_help(format!(
                "rename the file to `{id}.toml` or set id = \"{stem}\""
            )),
        );
    }

    for (key, s) in &raw.sources {
        if let Some(url) = &s.url
            && !is_plain_url(url)
        {
            let at = crate::diag::locate_key(&source.text, "url", Some(url));
            problems.push(
                Diagnostic::new(
                    &source.name,
                    format!("source `{key}` has an address that is not a plain web address"),
                )
                .at(at)
                .with_help("write it as https://… without spaces, quotes or angle brackets (encode them as %20, %22, %3C, %3E)"),
            );
        }
        if s.url.is_none() && s.document.is_none() {
            let header = format!("[sources.{key}]");
            let at = source
                .text
                .lines()
                .position(|l| l.trim() == header)
                .map(|n| (n + 1, 1))
                .or_else(|| crate::diag::locate_key(&source.text, key, None));
            problems.push(
                Diagnostic::new(
                    &source.name,
                    format!("source `{key}` needs a `url` or a `document`"),
                )
                .at(at),
            );
        }
    }
    let source_keys: Vec<&str> = raw.sources.keys().map(String::as_str).collect();
    let check_src = |problems: &mut Vec<Diagnostic>, src: &str, span: std::ops::Range<usize>| {
        if !raw.sources.contains_key(src) {
            problems.push(
                err(
                    span,
                    format!("source `{src}` is not in this file's [sources]"),
                )
                .suggest(src, &source_keys),
            );
        }
    };

    // How old a fact's evidence is, and whether it rests only on a weak source.
    let judge_source = |key: &str, src: Option<&str>, checked: Date| -> (Date, bool) {
        let source = src.and_then(|s| raw.sources.get(s));
        let evidence = source.and_then(|s| s.published.date()).unwrap_or(checked);
        let weak = DECISIVE_FACTS.contains(&key)
            && source.and_then(|s| s.kind).is_some_and(SourceKind::is_weak);
        (evidence, weak)
    };
    let validate_facts = |problems: &mut Vec<Diagnostic>, facts: RawFacts| {
        let mut out = Facts::new();
        for e in facts.into_entries() {
            let key = e.key;
            if let Some(top) = ["e2ee", "dial_in"]
                .into_iter()
                .find(|k| key == format!("features.{k}"))
            {
                problems.push(
                    err(e.span, format!("`{top}` is a fact of its own, not a feature"))
                        .with_help(format!(
                            "write `{top} = {{ ... }}` in [facts] or [offerings.facts]; needs and wishes read it there"
                        )),
                );
                continue;
            }
            match (e.raw.value, e.raw.unknown) {
                (Some(_), Some(true)) => problems.push(err(
                    e.span,
                    format!("fact `{key}` has both a value and unknown = true"),
                )),
                (None, Some(true)) | (None, None) | (None, Some(false))
                    if e.raw.unknown != Some(true) =>
                {
                    problems.push(err(e.span, format!("fact `{key}` has no value")).with_help(
                        "give `value = ...` with `src`, or `unknown = true` with a `note`",
                    ))
                }
                (None, _) => {
                    if e.raw.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                        problems.push(
                            err(
                                e.span.clone(),
                                format!("unknown fact `{key}` needs a `note` saying why"),
                            )
                            .with_help("e.g. note = \"no stored source found\""),
                        );
                    }
                    if let Some(src) = &e.raw.src {
                        check_src(problems, src, e.span.clone());
                    }
                    let (evidence, _) = judge_source(&key, e.raw.src.as_deref(), e.raw.checked);
                    out.insert(
                        FactKey::known(&key),
                        std::sync::Arc::new(Fact {
                            value: None,
                            src: e.raw.src.map(String::into_boxed_str),
                            checked: e.raw.checked,
                            note: e.raw.note.map(String::into_boxed_str),
                            evidence,
                            weak: false,
                        }),
                    );
                }
                (Some(value), _) => {
                    match &e.raw.src {
                        None => problems.push(
                            err(e.span.clone(), format!("fact `{key}` has no `src`")).with_help(
                                "every known fact names its source: src = \"<key in [sources]>\"",
                            ),
                        ),
                        Some(src) => check_src(problems, src, e.span.clone()),
                    }
                    if let Some(problem) = value_problem(&key, &value) {
                        problems.push(err(e.span.clone(), problem));
                    }
                    let (evidence, weak) = judge_source(&key, e.raw.src.as_deref(), e.raw.checked);
                    out.insert(
                        FactKey::known(&key),
                        std::sync::Arc::new(Fact {
                            value: Some(value),
                            src: e.raw.src.map(String::into_boxed_str),
                            checked: e.raw.checked,
                            note: e.raw.note.map(String::into_boxed_str),
                            evidence,
                            weak,
                        }),
                    );
                }
            }
        }
        out
    };

    let tool_facts = validate_facts(&mut problems, raw.facts);
    let mut offerings = Vec::new();
    let mut offering_ids = BTreeSet::new();
    if raw.offerings.is_empty() {
        problems.push(
            err(id_span.clone(), format!("tool `{id}` has no [[offerings]]")).with_help(
                "every tool is used through at least one offering (a plan, self-hosting, ...)",
            ),
        );
    }
    for o in raw.offerings {
        let span = o.span();
        let o = o.into_inner();
        if !is_kebab_id(&o.id) {
            problems.push(err(
                span.clone(),
                format!("offering id `{}` must be lowercase kebab-case", o.id),
            ));
        }
        if !offering_ids.insert(o.id.clone()) {
            problems.push(err(
                span.clone(),
                format!("offering id `{}` is used twice", o.id),
            ));
        }
        let own = validate_facts(&mut problems, o.facts);
        let mut facts = tool_facts.clone();
        facts.extend(own);
        derive_price(&mut facts);
        offerings.push(Offering {
            id: o.id,
            name: o.name,
            hosting: o.hosting,
            host_steps: o.host_steps,
            facts: facts.into(),
        });
    }

    let retired_at = raw
        .retired
        .as_ref()
        .map(|r| successor_position(&source.text, r.span().start));
    let retired = raw.retired.map(|r| {
        let span = r.span();
        let r = r.into_inner();
        check_src(&mut problems, &r.src, span);
        r
    });
    let caveats = raw
        .caveats
        .into_iter()
        .map(|c| {
            let span = c.span();
            let c = c.into_inner();
            for o in &c.offerings {
                if !offering_ids.contains(o) {
                    let known: Vec<&str> = offering_ids.iter().map(String::as_str).collect();
                    problems.push(
                        err(
                            span.clone(),
                            format!("caveat names offering `{o}`, which this tool does not have"),
                        )
                        .suggest(o, &known),
                    );
                }
            }
            check_src(&mut problems, &c.src, span);
            c
        })
        .collect();
    let assessments = raw
        .assessments
        .into_iter()
        .map(|a| {
            let span = a.span();
            let a = a.into_inner();
            check_src(&mut problems, &a.src, span);
            a
        })
        .collect();

    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(Tool {
        id,
        name: raw.name,
        kind: raw.kind,
        homepage: raw.homepage,
        description: raw.description,
        retired,
        join_steps: raw.join_steps,
        host_steps: raw.host_steps,
        caveats,
        assessments,
        facts: tool_facts,
        offerings,
        sources: raw.sources,
        origin: source.name.clone(),
        retired_at,
    })
}

fn value_problem(key: &str, value: &FactValue) -> Option<String> {
    match value {
        FactValue::Number(x) if !x.is_finite() || *x < 0.0 || *x > 100_000.0 => Some(format!(
            "fact `{key}` must be between 0 and 100000, not {x}"
        )),
        FactValue::Limit(Limit::Count(0)) => Some(format!("fact `{key}` must be at least 1")),
        FactValue::Text(t) if t.trim().is_empty() => Some(format!("fact `{key}` is empty")),
        FactValue::Organisations(list) if list.is_empty() => Some(format!(
            "fact `{key}` must name at least one organisation type"
        )),
        _ => None,
    }
}

/// A web address that can stand in a link as it is: `http(s)://`, no spaces, quotes, angle
/// brackets, backslashes or control characters.
pub fn is_plain_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2_000
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
        })
}

fn is_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The loaded catalog, ordered by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Tools by id.
    pub tools: BTreeMap<String, Tool>,
}

/// One catalog file to parse.
enum Input {
    /// Text at hand, with its stem.
    Loaded(String, SourceText),
    /// A file of the user's folder, read by the worker that parses it (reading thousands
    /// of files one after another would take a quarter of the load time).
    File(std::path::PathBuf),
}

/// How a file of a user's folder becomes a tool: [`parse_file`], or a cache in front of it.
pub type ParseFile<'a> = dyn Fn(&Path, &str) -> Result<Tool, Diagnostics> + Sync + 'a;

/// Reads and checks one catalog file; `stem` is its name without `.toml`.
pub fn parse_file(path: &Path, stem: &str) -> Result<Tool, Diagnostics> {
    let source = SourceText::read(path).map_err(|d| Diagnostics(vec![d]))?;
    parse_tool(&source, stem)
}

impl Catalog {
    /// `base` (the shipped tools, validated when the program was built), plus the tools in
    /// `dir`, which replace tools of the same id.
    pub fn load_over(base: Vec<Tool>, dir: Option<&Path>) -> Result<Catalog, Diagnostics> {
        let files = match dir {
            Some(dir) => toml_files(dir)?,
            None => Vec::new(),
        };
        Self::load_files(base, files, &parse_file)
    }

    /// `base` plus the tools of `files` (sorted, as [`toml_files`] gives them), each made by
    /// `parse`.
    pub fn load_files(
        base: Vec<Tool>,
        files: Vec<std::path::PathBuf>,
        parse: &ParseFile<'_>,
    ) -> Result<Catalog, Diagnostics> {
        Self::from_inputs(base, files.into_iter().map(Input::File).collect(), parse)
    }

    /// Builds a catalog from `(stem, text)` pairs; later pairs override earlier ones by id.
    pub fn from_sources(files: Vec<(String, SourceText)>) -> Result<Catalog, Diagnostics> {
        Self::from_inputs(
            Vec::new(),
            files
                .into_iter()
                .map(|(stem, source)| Input::Loaded(stem, source))
                .collect(),
            &parse_file,
        )
    }

    fn from_inputs(
        base: Vec<Tool>,
        files: Vec<Input>,
        parse: &ParseFile<'_>,
    ) -> Result<Catalog, Diagnostics> {
        let mut problems = Vec::new();
        let mut tools: BTreeMap<String, Tool> =
            base.into_iter().map(|t| (t.id.clone(), t)).collect();
        // Files are independent, so they are parsed on all cores when that pays (a TOML file
        // takes about as long as starting a thread). Results are merged in file order, so
        // later files still override earlier ones.
        let parsed: Vec<Result<Tool, Diagnostics>> =
            crate::parallel::map(&files, 8, |input| match input {
                Input::Loaded(stem, source) => parse_tool(source, stem),
                Input::File(path) => parse(path, &file_stem(path)),
            });
        for result in parsed {
            match result {
                Ok(tool) => {
                    tools.insert(tool.id.clone(), tool);
                }
                Err(Diagnostics(mut d)) => problems.append(&mut d),
            }
        }
        let ids: Vec<String> = tools.keys().cloned().collect();
        for tool in tools.values() {
            if let Some(successor) = tool.retired.as_ref().and_then(|r| r.successor.as_ref())
                && (!tools.contains_key(successor) || successor == &tool.id)
            {
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                let message = if successor == &tool.id {
                    format!("`{successor}` cannot be its own successor")
                } else {
                    format!("successor `{successor}` is not in the catalog")
                };
                let diag = Diagnostic::new(&tool.origin, message).at(tool.retired_at);
                problems.push(if successor == &tool.id {
                    diag
                } else {
                    diag.suggest(successor, &refs)
                });
            }
            // Follow the chain of retired successors: it must end at a tool in use.
            let mut seen = vec![tool.id.as_str()];
            let mut current = tool;
            while let Some(next) = current
                .retired
                .as_ref()
                .and_then(|r| r.successor.as_ref())
                .and_then(|s| tools.get(s))
            {
                if seen.contains(&next.id.as_str()) {
                    problems.push(
                        Diagnostic::new(
                            &tool.origin,
                            format!(
                                "retired successors go round in a circle: {} -> {}",
                                seen.join(" -> "),
                                next.id
                            ),
                        )
                        .at(tool.retired_at)
                        .with_help("the last tool in a chain of successors must not be retired"),
                    );
                    break;
                }
                seen.push(&next.id);
                current = next;
            }
        }
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
        Ok(Catalog { tools })
    }

    /// The oldest and the newest check date of any fact (the newest is the catalog's "as of"
    /// date), in one pass over the catalog.
    pub fn check_range(&self) -> Option<(Date, Date)> {
        fn widen(range: Option<(Date, Date)>, (old, new): (Date, Date)) -> Option<(Date, Date)> {
            Some(range.map_or((old, new), |(a, b)| (a.min(old), b.max(new))))
        }
        // Per tool on all cores: in a large catalog this visits a million facts, which took
        // a tenth of judging 10,000 tools on one core.
        let tools: Vec<&Tool> = self.tools.values().collect();
        crate::parallel::map(&tools, 256, |tool| {
            tool.check_dates().map(|d| (d, d)).fold(None, widen)
        })
        .into_iter()
        .flatten()
        .fold(None, widen)
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads every `*.toml` in `dir`, sorted by name (directory order differs between systems).
pub fn read_dir_sources(dir: &Path) -> Result<Vec<(String, SourceText)>, Diagnostics> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in toml_files(dir)? {
        match SourceText::read(&path) {
            Ok(source) => out.push((file_stem(&path), source)),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(problems))
    }
}

/// The `*.toml` files of one of the program's own folders (`catalog`, `criteria`) under
/// `root`, sorted, each with its stem, named as the embedded files are named in messages
/// (`<builtin>/catalog/zoom.toml`): what build.rs embeds, and what the tests compare the
/// embedded form with.
pub fn builtin_sources(
    root: &Path,
    folder: &str,
) -> Result<Vec<(String, SourceText)>, Diagnostics> {
    let mut out = Vec::new();
    for path in toml_files(&root.join(folder))? {
        let mut source = SourceText::read(&path).map_err(|d| Diagnostics(vec![d]))?;
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        source.name = format!("<builtin>/{folder}/{file}");
        out.push((file_stem(&path), source));
    }
    Ok(out)
}

/// The `*.toml` files in `dir`, sorted by name.
pub fn toml_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, Diagnostics> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            &name,
            format!("cannot read folder: {e}"),
        )])
    })?;
    let mut files: Vec<(std::ffi::OsString, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            // The folder listing tells a file from a folder without asking the file system
            // again; only a link is followed to see what it names.
            let is_file = || match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_file(),
                _ => path.is_file(),
            };
            (path.extension().is_some_and(|x| x == "toml") && is_file())
                .then(|| (e.file_name(), path))
        })
        .collect();
    // All in one folder, so the names decide the order (comparing whole paths part by part
    // took a tenth of loading 10,000 cached tools).
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files.into_iter().map(|(_, path)| path).collect())
}

/// Offerings used to try rules at load time: every fact unknown, and every fact set to a
/// typical known value, so rules meet both `none` and real values.
pub(crate) fn samples() -> Vec<(Tool, Offering)> {
    let checked = Date::parse("2026-01-01").expect("valid date");
    let fact = |value: FactValue| {
        std::sync::Arc::new(Fact {
            value: Some(value),
            src: Some("s".into()),
            checked,
            note: None,
            evidence: checked,
            weak: false,
        })
    };
    let mut known = Facts::new();
    for key in FACT_KEYS {
        let value = match *key {
            "price_eur_month" | "price_per_licence_eur_month" => FactValue::Number(5.0),
            "min_licences" => FactValue::Count(1),
            "works_for_participants" => FactValue::Count(20),
            "service_status" => FactValue::Status(ServiceStatus::Active),
            "dpa_offered" => FactValue::Dpa(Dpa::Yes),
            "max_participants" | "max_video_participants" => FactValue::Limit(Limit::Count(50)),
            "max_minutes" => FactValue::Limit(Limit::Unlimited(UnlimitedWord::Unlimited)),
            "licence" | "operator" => FactValue::Text("x".into()),
            "admin_effort" => FactValue::Effort(Effort::Medium),
            "data_location" | "operator_seat" | "jurisdiction" => FactValue::Region(Region::EuEea),
            "ease_of_use" => FactValue::Ease(Ease::Medium),
            "eligible" => FactValue::Organisations(vec![Organisation::Research]),
            _ => FactValue::Support(Support::Partly),
        };
        known.insert(FactKey::known(key), fact(value));
    }
    for f in Feature::ALL.iter().filter(|f| !f.is_top_level_fact()) {
        known.insert(
            FactKey::known(&format!("features.{}", f.word())),
            fact(FactValue::Support(Support::No)),
        );
    }
    for n in AccessNeed::ALL {
        known.insert(
            FactKey::known(&format!("accessibility.{}", n.word())),
            fact(FactValue::Support(Support::Yes)),
        );
    }
    let tool = Tool {
        id: "sample".into(),
        name: "Sample".into(),
        kind: ToolKind::Video,
        homepage: None,
        description: Text::default(),
        retired: None,
        join_steps: JoinSteps::default(),
        host_steps: None,
        caveats: Vec::new(),
        assessments: Vec::new(),
        facts: Facts::new(),
        offerings: Vec::new(),
        sources: BTreeMap::new(),
        origin: "<sample>".into(),
        retired_at: None,
    };
    [Facts::new(), known]
        .into_iter()
        .flat_map(|facts| {
            [Hosting::Vendor, Hosting::SelfHosted, Hosting::PartnerHosted].map(|hosting| {
                let offering = Offering {
                    id: "o".into(),
                    name: Text::default(),
                    hosting,
                    host_steps: None,
                    facts: facts.clone().into(),
                };
                (tool.clone(), offering)
            })
        })
        .collect()
}

/// The JSON Schema of one catalog file, generated from the types that parse it.
pub fn json_schema() -> schemars::Schema {
    schemars::schema_for!(RawTool)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fact the catalog format can write has a key: validation looks each one up.
    #[test]
    fn every_fact_of_the_format_has_a_key() {
        let schema = serde_json::to_value(schemars::schema_for!(RawFacts)).unwrap();
        let fields = schema["properties"]
            .as_object()
            .expect("RawFacts has fields");
        for name in fields
            .keys()
            .filter(|n| !matches!(n.as_str(), "features" | "accessibility"))
        {
            assert!(FactKey::of(name).is_some(), "[facts] {name}");
        }
        for f in Feature::ALL.iter().filter(|f| !f.is_top_level_fact()) {
            assert!(
                FactKey::of(&format!("features.{}", f.word())).is_some(),
                "{f:?}"
            );
        }
        for n in AccessNeed::ALL {
            assert!(
                FactKey::of(&format!("accessibility.{}", n.word())).is_some(),
                "{n:?}"
            );
        }
        assert_eq!(fields.len(), FACT_KEYS.len() + 2);
    }

    /// The binary form must be invisible: the embedded catalog equals the catalog parsed and
    /// validated from the shipped TOML files, fact for fact and position for position.
    #[test]
    fn embedded_catalog_equals_the_shipped_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sources = builtin_sources(root, "catalog").expect("the catalog folder is readable");
        assert!(sources.len() >= 20, "the shipped catalog is there");
        let from_toml = Catalog::from_sources(sources).expect("shipped files are valid");
        let embedded = Catalog::load(None).expect("embedded catalog decodes");
        assert_eq!(
            embedded.tools.keys().collect::<Vec<_>>(),
            from_toml.tools.keys().collect::<Vec<_>>()
        );
        for (id, tool) in &from_toml.tools {
            let decoded = &embedded.tools[id];
            assert_eq!(decoded, tool, "{id}: embedded and TOML differ");
            assert_eq!(
                decoded.retired_at, tool.retired_at,
                "{id}: successor position"
            );
            // Offerings share the tool's facts, as after validation (memory per tool).
            for o in &decoded.offerings {
                for (key, fact) in decoded.facts.iter() {
                    if tool.offerings.iter().any(|t| {
                        t.id == o.id
                            && t.facts
                                .get(key)
                                .is_some_and(|f| std::sync::Arc::ptr_eq(f, &tool.facts[key]))
                    }) {
                        assert!(std::sync::Arc::ptr_eq(&o.facts[key], fact), "{id}/{}", o.id);
                    }
                }
            }
        }
    }
}

/// What the shipped catalog promises beyond what the format checks: every source says what
/// kind of document it is, every offering in use says whether it still runs, reduced
/// operation comes with a warning, and "not applicable" AVVs belong to one's own server.
#[cfg(test)]
mod shipped_catalog {
    use super::*;

    #[test]
    fn sources_statuses_and_caveats_are_complete() {
        let catalog = Catalog::load(None).unwrap();
        for tool in catalog.tools.values() {
            for (key, source) in &tool.sources {
                assert!(
                    source.kind.is_some(),
                    "{}: source `{key}` has no kind",
                    tool.id
                );
            }
            if tool.retired.is_some() {
                continue;
            }
            for o in &tool.offerings {
                let status = o.facts.get("service_status").and_then(|f| f.value.clone());
                assert!(status.is_some(), "{}/{}: no service_status", tool.id, o.id);
                if status == Some(FactValue::Status(ServiceStatus::Reduced)) {
                    assert!(
                        tool.caveats
                            .iter()
                            .any(|c| (c.offerings.is_empty() || c.offerings.contains(&o.id))
                                && c.topics.contains(&CaveatTopic::Stability)),
                        "{}/{}: reduced operation needs a stability caveat",
                        tool.id,
                        o.id
                    );
                }
                if o.facts.get("dpa_offered").and_then(|f| f.value.clone())
                    == Some(FactValue::Dpa(Dpa::NotApplicable))
                {
                    assert_eq!(
                        o.hosting,
                        Hosting::SelfHosted,
                        "{}/{}: an AVV is not applicable only on one's own server",
                        tool.id,
                        o.id
                    );
                }
            }
        }
    }
}
