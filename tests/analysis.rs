//! The sensitivity analysis on hand-built catalogs whose answers are known.

use konf_wahl::analysis::{self, Goal, Settings};
use konf_wahl::answers::{self, KnownIds};
use konf_wahl::catalog::Catalog;
use konf_wahl::criteria::Criteria;
use konf_wahl::evaluate::{Options, evaluate_compiled};
use konf_wahl::rules;
use konf_wahl::source::{Format, SourceText};

fn tool(id: &str, chat: &str, polls: &str, max: &str) -> (String, SourceText) {
    let text = format!(
        r#"id = "{id}"
name = "{id}"
kind = "video"
description = {{ de = "x", en = "x" }}
[facts]
max_participants = {{ value = {max}, src = "s", checked = "2026-11-01" }}
service_status = {{ value = "active", src = "s", checked = "2026-11-01" }}
[facts.features]
chat = {{ value = "{chat}", src = "s", checked = "2026-11-01" }}
polls = {{ value = "{polls}", src = "s", checked = "2026-11-01" }}
[[offerings]]
id = "main"
hosting = "vendor"
name = {{ de = "x", en = "x" }}
[sources.s]
document = "test"
kind = "vendor"
published = "undated"
"#
    );
    (
        id.to_string(),
        SourceText {
            name: format!("{id}.toml"),
            text,
        },
    )
}

fn criterion(id: &str, body: &str) -> SourceText {
    SourceText {
        name: format!("{id}.toml"),
        text: format!(
            "id = \"{id}\"\norder = 1\nweight = 1\ntitle = {{ de = \"{id}\", en = \"{id}\" }}\nabout = {{ de = \"x\", en = \"x\" }}\n{body}"
        ),
    }
}

fn criteria() -> Criteria {
    let feature = |f: &str| {
        format!(
            "[[score]]\nwhen = \"f.features.{f} == 'yes'\"\nscore = 10\nbecause = {{ de = \"ja\", en = \"yes\" }}\n[[score]]\nscore = 0\nbecause = {{ de = \"nein\", en = \"no\" }}\n"
        )
    };
    Criteria::from_sources(vec![
        criterion(
            "size",
            "[[knockout]]\nwhen = \"f.max_participants is number and f.max_participants < a.participants\"\nreason = { de = \"zu klein\", en = \"too small\" }\n[[score]]\nscore = 10\nbecause = { de = \"x\", en = \"x\" }\n",
        ),
        criterion("chat", &feature("chat")),
        criterion("polls", &feature("polls")),
    ])
    .unwrap()
}

fn answers(catalog: &Catalog, criteria: &Criteria) -> answers::Answers {
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let source = SourceText {
        name: "a.toml".into(),
        text: "participants = 8\n".into(),
    };
    answers::parse(&source, Format::Toml, &[], &known).unwrap()
}

fn shares(tools: Vec<(String, SourceText)>) -> Vec<(String, f64)> {
    let catalog = Catalog::from_sources(tools).unwrap();
    let criteria = criteria();
    let compiled = rules::compile(&criteria).unwrap();
    let a = answers(&catalog, &criteria);
    let report = evaluate_compiled(&compiled, &catalog, &a, &Options::default()).unwrap();
    let settings = Settings {
        tipping_points: false,
        ..Settings::default()
    };
    analysis::sensitivity(&report, &settings)
        .into_iter()
        .map(|t| (t.tool, t.first_percent))
        .collect()
}

#[test]
fn a_dominant_tool_wins_every_sample() {
    let s = shares(vec![
        tool("a", "yes", "yes", "100"),
        tool("b", "yes", "no", "100"),
    ]);
    assert_eq!(s[0], ("a".to_string(), 100.0));
    assert_eq!(s[1], ("b".to_string(), 0.0));
}

#[test]
fn mirrored_strengths_split_the_samples() {
    let s = shares(vec![
        tool("a", "yes", "no", "100"),
        tool("b", "no", "yes", "100"),
    ]);
    let a = s.iter().find(|(t, _)| t == "a").unwrap().1;
    let b = s.iter().find(|(t, _)| t == "b").unwrap().1;
    assert!(
        (a - 50.0).abs() < 3.0 && (b - 50.0).abs() < 3.0,
        "a {a} b {b}"
    );
    assert!((a + b - 100.0).abs() < 0.2);
}

#[test]
fn adding_a_dominated_tool_changes_no_share() {
    let before = shares(vec![
        tool("a", "yes", "no", "100"),
        tool("b", "no", "yes", "100"),
    ]);
    let after = shares(vec![
        tool("a", "yes", "no", "100"),
        tool("b", "no", "yes", "100"),
        tool("c", "no", "no", "100"),
    ]);
    for (t, share) in &before {
        let now = after.iter().find(|(x, _)| x == t).unwrap().1;
        assert_eq!(*share, now, "{t}");
    }
    assert_eq!(after.iter().find(|(x, _)| x == "c").unwrap().1, 0.0);
}

#[test]
fn the_tipping_point_is_the_value_computed_by_hand() {
    // a is better but holds at most 10 people; b holds everyone. With 8 people a wins; the
    // smallest group that a cannot hold is 11, and then b wins.
    let catalog = Catalog::from_sources(vec![
        tool("a", "yes", "yes", "10"),
        tool("b", "yes", "no", "\"unlimited\""),
    ])
    .unwrap();
    let criteria = criteria();
    let compiled = rules::compile(&criteria).unwrap();
    let a = answers(&catalog, &criteria);
    let options = Options::default();
    let report = evaluate_compiled(&compiled, &catalog, &a, &options).unwrap();
    assert_eq!(report.ranking[0].tool, "a");
    let found = analysis::search_answers(&compiled, &catalog, &a, &options, &[Goal::Dethrone("a")])
        .unwrap()
        .remove(0);
    let first = &found[0];
    assert_eq!(
        (
            first.key.as_str(),
            first.to.as_str(),
            first.new_winner.as_str()
        ),
        ("participants", "11", "b")
    );
    let full = analysis::analyse(
        &report,
        &compiled,
        &catalog,
        &a,
        &options,
        &Settings::default(),
    )
    .unwrap();
    assert!(
        full.tipping_points
            .iter()
            .any(|t| t.key == "participants" && t.to == "11")
    );
}
