//! Properties of the ranking, checked in-process on the shipped catalog.

use konf_wahl::answers::{self, KnownIds};
use konf_wahl::catalog::Catalog;
use konf_wahl::criteria::Criteria;
use konf_wahl::evaluate::{Options, evaluate};
use konf_wahl::source::{Format, SourceText};

fn load(path: &str, catalog: &Catalog, criteria: &Criteria) -> answers::Answers {
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let source = SourceText::read(path.as_ref()).unwrap();
    answers::parse(
        &source,
        Format::from_path(path.as_ref()).unwrap(),
        &[],
        &known,
    )
    .unwrap()
}

/// Removing any one tool never changes the order of the others: scores are on fixed scales.
#[test]
fn ranking_is_independent_of_the_other_tools() {
    let catalog = Catalog::load(None).unwrap();
    let criteria = Criteria::load(None).unwrap();
    for example in [
        "examples/familiengruppe.toml",
        "examples/verwaltung.toml",
        "examples/infoabend.yaml",
    ] {
        let answers = load(example, &catalog, &criteria);
        let full = evaluate(&catalog, &criteria, &answers, &Options::default()).unwrap();
        let order: Vec<&str> = full.ranking.iter().map(|r| r.tool.as_str()).collect();
        for removed in catalog.tools.keys() {
            let mut smaller = catalog.clone();
            smaller.tools.remove(removed);
            let report = evaluate(&smaller, &criteria, &answers, &Options::default()).unwrap();
            let got: Vec<&str> = report.ranking.iter().map(|r| r.tool.as_str()).collect();
            let want: Vec<&str> = order.iter().copied().filter(|t| t != removed).collect();
            assert_eq!(
                got, want,
                "{example}: removing {removed} reordered the others"
            );
        }
    }
}

/// Raising the budget can only admit more offerings, never exclude a tool.
#[test]
fn more_budget_never_excludes_a_tool() {
    let catalog = Catalog::load(None).unwrap();
    let criteria = Criteria::load(None).unwrap();
    let mut answers = load("examples/familiengruppe.toml", &catalog, &criteria);
    let poor = evaluate(&catalog, &criteria, &answers, &Options::default()).unwrap();
    answers.budget_eur_per_month = 500.0;
    let rich = evaluate(&catalog, &criteria, &answers, &Options::default()).unwrap();
    for r in &poor.ranking {
        assert!(
            rich.ranking.iter().any(|x| x.tool == r.tool),
            "{} stays admitted",
            r.tool
        );
    }
}
