//! How complete and how current the catalog is, for `konf-wahl check`: the unknown share of
//! each decisive fact over the offerings in use, sources by kind, undated sources, decisive
//! facts resting only on weak sources, and facts whose evidence is older than a limit.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, DECISIVE_FACTS, Fact, FactValue, Offering, Tool};
use crate::date::Date;
use crate::vocab::{Hosting, ServiceStatus, SourceKind};

/// The state of the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// Tools, retired ones included.
    pub tools: usize,
    /// Retired tools.
    pub retired: usize,
    /// Offerings of all tools.
    pub offerings: usize,
    /// Facts written in the files (a tool's fact counts once, an offering's own facts once).
    pub facts: usize,
    /// Of those, unknown.
    pub unknown: usize,
    /// Per decisive fact, over the offerings in use.
    pub decisive: Vec<DecisiveShare>,
    /// Sources by kind; `None` counts sources without a kind.
    pub sources_by_kind: BTreeMap<Option<SourceKind>, usize>,
    /// Sources in all.
    pub sources: usize,
    /// Sources that show no date of their own.
    pub undated_sources: usize,
    /// Decisive facts whose only source is a blog, forum or copy: `tool/offering: key`.
    pub weak_facts: Vec<String>,
    /// Tools with facts whose evidence is older than the limit.
    pub stale: Vec<StaleTool>,
    /// Facts with a check date after the reference date: `tool: key`.
    pub checked_in_future: Vec<String>,
    /// The oldest and newest check date.
    pub checked_range: Option<(Date, Date)>,
}

/// One decisive fact over the offerings in use.
#[derive(Debug, Clone, Serialize)]
pub struct DecisiveShare {
    /// Fact key.
    pub key: &'static str,
    /// Offerings it applies to.
    pub offerings: usize,
    /// Of those, where it is unknown or absent.
    pub unknown: usize,
    /// Of those, where it rests only on a weak source (counts as uncertain).
    pub weak: usize,
}

/// A tool with facts whose evidence is too old.
#[derive(Debug, Clone, Serialize)]
pub struct StaleTool {
    /// Catalog id.
    pub tool: String,
    /// Where it was loaded from.
    pub origin: String,
    /// How many facts are older than the limit.
    pub facts: usize,
    /// How many of them are decisive.
    pub decisive: usize,
    /// The oldest evidence date among them.
    pub oldest: Date,
}

impl DecisiveShare {
    /// Unknown and uncertain together, in percent.
    pub fn percent(&self) -> f64 {
        percent(self.unknown + self.weak, self.offerings)
    }
}

impl Health {
    /// Decisive facts over the offerings in use: (applicable, unknown or uncertain).
    pub fn decisive_totals(&self) -> (usize, usize) {
        self.decisive.iter().fold((0, 0), |(n, u), d| {
            (n + d.offerings, u + d.unknown + d.weak)
        })
    }
}

/// `part` of `whole` in percent, one decimal.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Whether an offering is still in use: its tool is not retired and it is not itself.
pub fn in_use(tool: &Tool, offering: &Offering) -> bool {
    tool.retired.is_none()
        && !offering
            .facts
            .get("service_status")
            .is_some_and(|f| f.value == Some(FactValue::Status(ServiceStatus::Retired)))
}

/// Whether a decisive fact is the catalog's to know for an offering. On one's own server the
/// group decides who runs it, under which law, where the data is and what the server costs;
/// on a partner's server the partner decides that and also its limits and its AVV. Those are
/// questions for the group or the partner (the report asks them), not gaps in the catalog.
pub fn applies(key: &str, offering: &Offering) -> bool {
    let decided_by_group = [
        "operator",
        "jurisdiction",
        "data_location",
        "price_eur_month",
    ];
    match offering.hosting {
        Hosting::SelfHosted => !decided_by_group.contains(&key),
        Hosting::PartnerHosted => {
            !decided_by_group.contains(&key)
                && !matches!(key, "max_participants" | "max_minutes" | "dpa_offered")
        }
        _ => true,
    }
}

/// Every fact of a tool once, with the path `check` prints: the tool's own facts, then each
/// offering's facts that differ from them.
pub fn written_facts(tool: &Tool) -> Vec<(String, &Fact)> {
    let mut out: Vec<(String, &Fact)> = tool
        .facts
        .iter()
        .map(|(k, f)| (format!("facts.{k}"), f.as_ref()))
        .collect();
    for o in &tool.offerings {
        for (k, f) in o.facts.iter() {
            if tool.facts.get(k) != Some(f) && !is_derived(k, f) {
                out.push((format!("offerings.{}.{k}", o.id), f.as_ref()));
            }
        }
    }
    out
}

/// A price the loader computed from licence price and minimum licences.
fn is_derived(key: &str, fact: &Fact) -> bool {
    key == "price_eur_month"
        && fact
            .note
            .as_deref()
            .is_some_and(|n| n.contains("per licence x at least"))
}

/// Looks at every tool. `as_of` and `max_age_months` decide which evidence is stale.
pub fn examine(catalog: &Catalog, as_of: Date, max_age_months: u32) -> Health {
    let mut health = Health {
        tools: catalog.tools.len(),
        retired: catalog
            .tools
            .values()
            .filter(|t| t.retired.is_some())
            .count(),
        offerings: 0,
        facts: 0,
        unknown: 0,
        decisive: DECISIVE_FACTS
            .iter()
            .map(|key| DecisiveShare {
                key,
                offerings: 0,
                unknown: 0,
                weak: 0,
            })
            .collect(),
        sources_by_kind: BTreeMap::new(),
        sources: 0,
        undated_sources: 0,
        weak_facts: Vec::new(),
        stale: Vec::new(),
        checked_in_future: Vec::new(),
        checked_range: catalog.check_range(),
    };
    let limit = i32::try_from(max_age_months).unwrap_or(i32::MAX);
    for tool in catalog.tools.values() {
        health.offerings += tool.offerings.len();
        for source in tool.sources.values() {
            health.sources += 1;
            *health.sources_by_kind.entry(source.kind).or_insert(0) += 1;
            if source.published.date().is_none() {
                health.undated_sources += 1;
            }
        }
        let mut stale = StaleTool {
            tool: tool.id.clone(),
            origin: tool.origin.clone(),
            facts: 0,
            decisive: 0,
            oldest: as_of,
        };
        for (path, fact) in written_facts(tool) {
            health.facts += 1;
            if fact.value.is_none() {
                health.unknown += 1;
                continue;
            }
            if fact.evidence.months_until(as_of) >= limit {
                stale.facts += 1;
                let key = path.rsplit('.').next().unwrap_or_default();
                if DECISIVE_FACTS.contains(&key) {
                    stale.decisive += 1;
                }
                stale.oldest = stale.oldest.min(fact.evidence);
            }
            if fact.checked > as_of {
                health
                    .checked_in_future
                    .push(format!("{}: {path}", tool.id));
            }
        }
        // A retired tool is out whatever its facts say: their age is no warning.
        if stale.facts > 0 && tool.retired.is_none() {
            health.stale.push(stale);
        }
        for o in tool.offerings.iter().filter(|o| in_use(tool, o)) {
            for share in &mut health.decisive {
                if !applies(share.key, o) {
                    continue;
                }
                share.offerings += 1;
                match o.facts.get(share.key) {
                    Some(f) if f.weak => {
                        share.weak += 1;
                        health
                            .weak_facts
                            .push(format!("{}/{}: {}", tool.id, o.id, share.key));
                    }
                    Some(f) if f.value.is_some() => {}
                    _ => share.unknown += 1,
                }
            }
        }
    }
    health
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceText;

    fn catalog(facts: &str, sources: &str) -> Catalog {
        let text = format!(
            "id = \"t\"\nname = \"T\"\nkind = \"video\"\ndescription = {{ de = \"x\", en = \"x\" }}\n[facts]\n{facts}\n[[offerings]]\nid = \"o\"\nhosting = \"vendor\"\nname = {{ de = \"x\", en = \"x\" }}\n{sources}"
        );
        Catalog::from_sources(vec![(
            "t".into(),
            SourceText {
                name: "t.toml".into(),
                text,
            },
        )])
        .unwrap()
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// A fact is as old as its source: checked yesterday, published five years ago, it is
    /// stale; an undated source falls back to the check date.
    #[test]
    fn facts_age_by_the_date_of_their_evidence() {
        let c = catalog(
            "max_minutes = { value = 40, src = \"old\", checked = \"2026-11-30\" }\nmax_participants = { value = 100, src = \"undated\", checked = \"2026-11-30\" }",
            "[sources.old]\nurl = \"https://example.org/a\"\nkind = \"vendor\"\npublished = \"2021-05\"\n[sources.undated]\nurl = \"https://example.org/b\"\nkind = \"vendor\"\npublished = \"undated\"\n",
        );
        let h = examine(&c, date("2026-12-01"), 24);
        assert_eq!(h.stale.len(), 1);
        assert_eq!((h.stale[0].facts, h.stale[0].decisive), (1, 1));
        assert_eq!(h.stale[0].oldest, date("2021-05-01"));
        assert_eq!(h.undated_sources, 1);
        assert!(examine(&c, date("2026-12-01"), 80).stale.is_empty());
    }

    /// A decisive fact from a blog counts as uncertain, and rules do not see it.
    #[test]
    fn a_weak_only_decisive_fact_counts_as_uncertain() {
        let c = catalog(
            "max_minutes = { value = 40, src = \"blog\", checked = \"2026-11-30\" }\nease_of_use = { value = \"easy\", src = \"blog\", checked = \"2026-11-30\" }",
            "[sources.blog]\nurl = \"https://example.org/blog\"\nkind = \"blog_forum\"\npublished = \"2024\"\n",
        );
        let h = examine(&c, date("2026-12-01"), 24);
        let minutes = h.decisive.iter().find(|d| d.key == "max_minutes").unwrap();
        assert_eq!((minutes.unknown, minutes.weak), (0, 1));
        assert_eq!(h.weak_facts, ["t/o: max_minutes"]);
        let offering = &c.tools["t"].offerings[0];
        assert!(offering.facts["max_minutes"].trusted().is_none());
        // Only decisive facts are held to that standard.
        assert!(offering.facts["ease_of_use"].trusted().is_some());
    }

    /// "No limit" and "not applicable" are values: they count as known.
    #[test]
    fn unlimited_and_not_applicable_are_known() {
        let c = catalog(
            "max_minutes = { value = \"unlimited\", src = \"s\", checked = \"2026-11-30\" }\ndpa_offered = { value = \"not_applicable\", src = \"s\", checked = \"2026-11-30\" }",
            "[sources.s]\nurl = \"https://example.org/s\"\nkind = \"operator\"\npublished = \"2026-01\"\n",
        );
        let h = examine(&c, date("2026-12-01"), 24);
        for key in ["max_minutes", "dpa_offered"] {
            let d = h.decisive.iter().find(|d| d.key == key).unwrap();
            assert_eq!((d.offerings, d.unknown, d.weak), (1, 0, 0), "{key}");
        }
        let participants = h
            .decisive
            .iter()
            .find(|d| d.key == "max_participants")
            .unwrap();
        assert_eq!(
            participants.unknown, 1,
            "an absent decisive fact is unknown"
        );
    }
}
