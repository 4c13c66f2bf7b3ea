//! The three verdicts on hand-built catalogs with the shipped criteria: for every rule, the
//! verdict and the sentence the group or the advisor reads.

use konf_wahl::answers::{self, KnownIds};
use konf_wahl::catalog::Catalog;
use konf_wahl::criteria::Criteria;
use konf_wahl::evaluate::{Evaluation, Options, Status, evaluate};
use konf_wahl::source::{Format, SourceText};

/// Facts of a video service that a group of up to 100 could use without a question.
const GOOD: &[(&str, &str)] = &[
    ("max_participants", "100"),
    ("max_minutes", "\"unlimited\""),
    ("price_eur_month", "0"),
    ("data_location", "\"germany\""),
    ("operator", "\"Example e.V., Berlin\""),
    ("operator_seat", "\"germany\""),
    ("jurisdiction", "\"germany\""),
    ("dpa_offered", "\"yes\""),
    ("transport_encryption", "\"yes\""),
    ("e2ee", "\"yes\""),
    ("browser_join_desktop", "\"yes\""),
    ("browser_join_mobile", "\"yes\""),
    ("account_to_join", "\"no\""),
    ("dial_in", "\"yes\""),
    ("phone_only", "\"no\""),
    ("service_status", "\"active\""),
    ("ease_of_use", "\"easy\""),
    ("admin_effort", "\"none\""),
    ("features.screen_sharing", "\"yes\""),
    ("features.chat", "\"yes\""),
    ("features.room_password", "\"yes\""),
    ("accessibility.captions", "\"yes\""),
];

/// One fact line: a value, or `unknown` for an unknown fact.
fn fact_line(key: &str, value: &str) -> String {
    let key = key.rsplit('.').next().unwrap_or(key);
    if value == "unknown" {
        format!("{key} = {{ unknown = true, checked = \"2026-11-01\", note = \"not found\" }}\n")
    } else {
        format!("{key} = {{ value = {value}, src = \"s\", checked = \"2026-11-01\" }}\n")
    }
}

/// A tool file with one offering: the good facts, with `changes` replacing or adding some
/// (`("e2ee", "unknown")`, `("-dial_in", "")` removes one).
fn tool(id: &str, kind: &str, hosting: &str, changes: &[(&str, &str)]) -> (String, SourceText) {
    tool_with_source(id, kind, hosting, changes, "vendor")
}

fn tool_with_source(
    id: &str,
    kind: &str,
    hosting: &str,
    changes: &[(&str, &str)],
    source_kind: &str,
) -> (String, SourceText) {
    let mut facts: Vec<(String, String)> = GOOD
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in changes {
        if let Some(removed) = k.strip_prefix('-') {
            facts.retain(|(key, _)| key != removed);
        } else if let Some(slot) = facts.iter_mut().find(|(key, _)| key == k) {
            slot.1 = v.to_string();
        } else {
            facts.push((k.to_string(), v.to_string()));
        }
    }
    let mut text = format!(
        "id = \"{id}\"\nname = \"{}\"\nkind = \"{kind}\"\ndescription = {{ de = \"x\", en = \"x\" }}\n",
        id.to_uppercase()
    );
    text.push_str("[[offerings]]\nid = \"main\"\n");
    text.push_str(&format!("hosting = \"{hosting}\"\n"));
    text.push_str(&format!(
        "name = {{ de = \"{id} Angebot\", en = \"{id} offering\" }}\n"
    ));
    for group in ["", "features.", "accessibility."] {
        let table = match group {
            "" => "[offerings.facts]\n".to_string(),
            g => format!("[offerings.facts.{}]\n", g.trim_end_matches('.')),
        };
        text.push_str(&table);
        for (k, v) in &facts {
            let in_group = match group {
                "" => !k.contains('.'),
                g => k.starts_with(g),
            };
            if in_group {
                text.push_str(&fact_line(k, v));
            }
        }
    }
    text.push_str(&format!(
        "[sources.s]\nurl = \"https://example.org/{id}\"\nkind = \"{source_kind}\"\npublished = \"2026-10\"\n"
    ));
    (
        id.to_string(),
        SourceText {
            name: format!("{id}.toml"),
            text,
        },
    )
}

fn run(tools: Vec<(String, SourceText)>, answers: &str) -> Evaluation {
    let catalog = Catalog::from_sources(tools).unwrap_or_else(|e| panic!("{e}"));
    let criteria = Criteria::load(None).unwrap();
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let source = SourceText {
        name: "answers.toml".into(),
        text: answers.into(),
    };
    let answers =
        answers::parse(&source, Format::Toml, &[], &known).unwrap_or_else(|e| panic!("{e}"));
    evaluate(&catalog, &criteria, &answers, &Options::default()).unwrap()
}

/// The verdict of `tool`, with its questions (verify) or reasons (excluded).
fn verdict(e: &Evaluation, tool: &str) -> (Status, Vec<String>) {
    if let Some(r) = e.ranking.iter().find(|r| r.tool == tool) {
        return (r.status, r.verify.clone());
    }
    let x = e
        .excluded
        .iter()
        .find(|x| x.tool == tool)
        .expect("every tool is ranked or excluded");
    (Status::Excluded, x.reasons.clone())
}

fn assert_says(sentences: &[String], parts: &[&str]) {
    assert!(
        sentences
            .iter()
            .any(|s| parts.iter().all(|p| s.contains(p))),
        "no sentence with {parts:?} in {sentences:#?}"
    );
}

const GROUP: &str = "participants = 8\nmeeting_minutes = 90\n";

#[test]
fn a_tool_whose_decisive_facts_are_known_and_good_fits() {
    let e = run(vec![tool("a", "video", "vendor", &[])], GROUP);
    assert_eq!(verdict(&e, "a"), (Status::Fits, Vec::new()));
    assert_eq!(e.recommended().map(|r| r.tool.as_str()), Some("a"));
}

#[test]
fn an_unknown_participant_limit_is_a_question_with_the_group_size() {
    let e = run(
        vec![tool(
            "a",
            "video",
            "vendor",
            &[("max_participants", "unknown")],
        )],
        "participants = 150\n",
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(
        &questions,
        &["Fragen Sie beim Anbieter nach", "wie viele Personen", "150"],
    );
    // A known limit below the group excludes, with both numbers.
    let e = run(
        vec![tool("a", "video", "vendor", &[("max_participants", "100")])],
        "participants = 150\n",
    );
    let (status, reasons) = verdict(&e, "a");
    assert_eq!(status, Status::Excluded);
    assert_says(&reasons, &["Höchstens 100 Personen", "150"]);
}

#[test]
fn a_documented_working_size_stands_in_for_an_unknown_limit_up_to_that_size() {
    let changes = [
        ("max_participants", "unknown"),
        ("works_for_participants", "20"),
    ];
    let small = run(vec![tool("a", "video", "community", &changes)], GROUP);
    assert_eq!(verdict(&small, "a").0, Status::Fits);
    let big = run(
        vec![tool("a", "video", "community", &changes)],
        "participants = 150\n",
    );
    let (status, questions) = verdict(&big, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["bis zu 20", "150"]);
}

#[test]
fn an_unknown_time_limit_is_a_question_and_a_short_one_excludes() {
    let e = run(
        vec![tool("a", "video", "vendor", &[("max_minutes", "unknown")])],
        GROUP,
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["wie lange ein Treffen", "90 Minuten"]);
    let e = run(
        vec![tool("a", "video", "vendor", &[("max_minutes", "40")])],
        GROUP,
    );
    assert_says(
        &verdict(&e, "a").1,
        &["Treffen enden nach 40 Minuten", "90 Minuten"],
    );
}

#[test]
fn an_unknown_price_never_satisfies_a_budget() {
    let paid = [("price_eur_month", "unknown"), ("paid", "\"yes\"")];
    let e = run(
        vec![tool("a", "video", "vendor", &paid)],
        "participants = 8\nbudget_eur_per_month = 20\n",
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["Erfragen Sie den Preis", "20 €"]);
    let e = run(vec![tool("a", "video", "vendor", &paid)], GROUP);
    assert_says(&verdict(&e, "a").1, &["Kostenpflichtig", "kein Budget"]);
}

#[test]
fn a_plan_sold_by_the_licence_costs_the_licence_price_times_the_minimum() {
    let licences = [
        ("-price_eur_month", ""),
        ("price_per_licence_eur_month", "10"),
        ("min_licences", "10"),
        ("paid", "\"yes\""),
    ];
    let e = run(
        vec![tool("a", "video", "vendor", &licences)],
        "participants = 8\nbudget_eur_per_month = 20\n",
    );
    let (status, reasons) = verdict(&e, "a");
    assert_eq!(status, Status::Excluded);
    assert_says(&reasons, &["Kostet 100 €", "20 €"]);
    let e = run(
        vec![tool("a", "video", "vendor", &licences)],
        "participants = 8\nbudget_eur_per_month = 150\n",
    );
    assert_eq!(verdict(&e, "a").0, Status::Fits);
}

#[test]
fn service_status_decides_whether_a_service_can_be_recommended() {
    let e = run(
        vec![tool(
            "a",
            "video",
            "vendor",
            &[("service_status", "\"uncertain\"")],
        )],
        GROUP,
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["Prüfen Sie, ob es", "noch gibt"]);
    let e = run(
        vec![tool("a", "video", "vendor", &[("-service_status", "")])],
        GROUP,
    );
    assert_eq!(
        verdict(&e, "a").0,
        Status::Verify,
        "no status at all is uncertain"
    );
    let e = run(
        vec![tool(
            "a",
            "video",
            "vendor",
            &[("service_status", "\"retired\"")],
        )],
        GROUP,
    );
    assert_says(&verdict(&e, "a").1, &["wird nicht mehr angeboten"]);
    // Reduced operation fits, but scores lower than the same service in full operation.
    let e = run(
        vec![
            tool("a", "video", "vendor", &[("service_status", "\"reduced\"")]),
            tool("b", "video", "vendor", &[]),
        ],
        GROUP,
    );
    let a = e.ranking.iter().find(|r| r.tool == "a").unwrap();
    let b = e.ranking.iter().find(|r| r.tool == "b").unwrap();
    assert_eq!(a.status, Status::Fits);
    assert!(a.score < b.score, "{} < {}", a.score, b.score);
    let operation = a
        .contributions
        .iter()
        .find(|c| c.criterion == "operation")
        .unwrap();
    assert!(
        operation.because.contains("eingeschränkt"),
        "{}",
        operation.because
    );
}

#[test]
fn a_phone_conference_needs_no_program_on_any_computer() {
    let phone = [
        ("browser_join_desktop", "\"no\""),
        ("browser_join_mobile", "\"no\""),
        ("phone_only", "\"yes\""),
    ];
    let answers =
        "participants = 8\ndevices = [\"computer\", \"phone\"]\ninstall_allowed = false\n";
    let e = run(vec![tool("a", "phone", "vendor", &phone)], answers);
    assert_eq!(verdict(&e, "a").0, Status::Fits);
    // The same facts on a video service: a computer needs its program.
    let e = run(vec![tool("a", "video", "vendor", &phone)], answers);
    assert_says(
        &verdict(&e, "a").1,
        &["Am Computer nur mit installiertem Programm"],
    );
}

#[test]
fn members_with_only_a_telephone_need_dial_in() {
    let answers = "participants = 8\ndevices = [\"computer\", \"phone\"]\n";
    let e = run(
        vec![tool("a", "video", "vendor", &[("dial_in", "\"no\"")])],
        answers,
    );
    assert_says(&verdict(&e, "a").1, &["Keine Einwahl per Telefon"]);
    let e = run(
        vec![tool("a", "video", "vendor", &[("dial_in", "unknown")])],
        answers,
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["per Telefon einwählen"]);
}

#[test]
fn deaf_members_exclude_audio_only_services() {
    let answers = "participants = 8\naccessibility = [\"captions\"]\nneeds = [\"chat\"]\n";
    let phone = [
        ("accessibility.captions", "unknown"),
        ("features.chat", "unknown"),
        ("phone_only", "\"yes\""),
    ];
    let e = run(vec![tool("a", "phone", "vendor", &phone)], answers);
    let (status, reasons) = verdict(&e, "a");
    assert_eq!(status, Status::Excluded);
    assert_says(&reasons, &["Reine Telefonkonferenz, nur Ton", "Untertitel"]);
    // On a video service the same unknowns are questions.
    let e = run(vec![tool("a", "video", "vendor", &phone)], answers);
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["Untertitel"]);
}

#[test]
fn a_need_for_end_to_end_encryption_reads_the_encryption_fact() {
    let answers = "participants = 3\ndevices = [\"smartphone\"]\nneeds = [\"e2ee\"]\n";
    let e = run(
        vec![tool("a", "video", "vendor", &[("e2ee", "\"no\"")])],
        answers,
    );
    assert_says(
        &verdict(&e, "a").1,
        &["Ende-zu-Ende-Verschlüsselung", "fehlt"],
    );
    let e = run(
        vec![tool("a", "video", "vendor", &[("e2ee", "unknown")])],
        answers,
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["Ende-zu-Ende-Verschlüsselung"]);
    let e = run(vec![tool("a", "video", "vendor", &[])], answers);
    assert_eq!(verdict(&e, "a").0, Status::Fits);
}

#[test]
fn a_us_parent_counts_for_data_sovereignty_even_with_eu_storage() {
    let e = run(
        vec![
            tool("a", "video", "vendor", &[("jurisdiction", "\"usa\"")]),
            tool("b", "video", "vendor", &[]),
            tool("c", "video", "vendor", &[("data_location", "unknown")]),
            tool("d", "video", "vendor", &[("data_location", "\"usa\"")]),
        ],
        "participants = 8\nconfidentiality = \"strict\"\n",
    );
    let sovereignty = |tool: &str| {
        e.ranking
            .iter()
            .find(|r| r.tool == tool)
            .unwrap()
            .contributions
            .iter()
            .find(|c| c.criterion == "data_sovereignty")
            .cloned()
            .unwrap()
    };
    let (us, eu, unknown, usa) = (
        sovereignty("a"),
        sovereignty("b"),
        sovereignty("c"),
        sovereignty("d"),
    );
    assert!(us.because.contains("US-Recht") && us.because.contains("Data Privacy Framework"));
    assert!(us.score < eu.score);
    assert!(
        unknown.score <= usa.score,
        "unknown location {} vs USA {}",
        unknown.score,
        usa.score
    );
    assert!(unknown.unknown);
}

#[test]
fn partners_are_tool_specific_and_their_server_keeps_the_data() {
    let answers = "participants = 8\nconfidentiality = \"strict\"\npartner_tools = [\"nc\"]\n";
    let e = run(
        vec![
            tool("nc", "video", "partner_hosted", &[]),
            tool("jitsi", "video", "partner_hosted", &[]),
            tool("community", "video", "community", &[]),
        ],
        answers,
    );
    assert_eq!(verdict(&e, "nc").0, Status::Fits);
    assert_says(
        &verdict(&e, "jitsi").1,
        &["Ihr Partner betreibt JITSI nicht"],
    );
    let nc = e.ranking.iter().find(|r| r.tool == "nc").unwrap();
    let community = e.ranking.iter().find(|r| r.tool == "community").unwrap();
    let sovereignty = |r: &konf_wahl::evaluate::RankedTool| {
        r.contributions
            .iter()
            .find(|c| c.criterion == "data_sovereignty")
            .unwrap()
            .score
    };
    assert!(sovereignty(nc) > sovereignty(community));
    // A partner without named tools is a question, not a pass.
    let e = run(
        vec![tool("nc", "video", "partner_hosted", &[])],
        "participants = 8\nself_hosting = \"partner\"\n",
    );
    let (status, questions) = verdict(&e, "nc");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["Fragen Sie Ihren Partner", "NC"]);
}

#[test]
fn a_group_that_allows_apps_and_accounts_is_not_penalised_for_them() {
    let messenger = [
        ("browser_join_desktop", "\"no\""),
        ("browser_join_mobile", "\"no\""),
        ("account_to_join", "\"yes\""),
    ];
    let strict = "participants = 3\ndevices = [\"smartphone\"]\ninstall_allowed = false\naccounts_allowed = false\n";
    let relaxed = "participants = 3\ndevices = [\"smartphone\"]\n";
    let e = run(vec![tool("m", "messenger", "vendor", &messenger)], strict);
    assert_eq!(verdict(&e, "m").0, Status::Excluded);
    let with_apps = run(
        vec![
            tool("m", "messenger", "vendor", &messenger),
            tool("v", "video", "vendor", &[]),
        ],
        relaxed,
    );
    let m = with_apps.ranking.iter().find(|r| r.tool == "m").unwrap();
    let v = with_apps.ranking.iter().find(|r| r.tool == "v").unwrap();
    assert_eq!(m.status, Status::Fits);
    let points = |r: &konf_wahl::evaluate::RankedTool, c: &str| {
        r.contributions
            .iter()
            .find(|x| x.criterion == c)
            .unwrap()
            .points
    };
    // The app and the account cost a little, never the whole criterion.
    for c in ["browser_join", "account_free"] {
        assert!(points(m, c) > 0.0, "{c} gives the messenger no points");
        assert!(
            points(v, c) - points(m, c) < 3.0,
            "{c} penalises the app by too much"
        );
    }
}

#[test]
fn a_decisive_fact_from_a_weak_source_is_a_question() {
    let e = run(
        vec![tool_with_source("a", "video", "vendor", &[], "blog_forum")],
        GROUP,
    );
    let (status, questions) = verdict(&e, "a");
    assert_eq!(status, Status::Verify);
    assert_says(&questions, &["wie viele Personen"]);
}

#[test]
fn tools_that_fit_come_before_tools_to_verify_whatever_their_scores() {
    // b scores higher (open source, effort) but its time limit is unknown.
    let e = run(
        vec![
            tool("a", "video", "vendor", &[("ease_of_use", "\"medium\"")]),
            tool(
                "b",
                "video",
                "vendor",
                &[("max_minutes", "unknown"), ("open_source", "\"yes\"")],
            ),
        ],
        GROUP,
    );
    let order: Vec<(&str, Status)> = e
        .ranking
        .iter()
        .map(|r| (r.tool.as_str(), r.status))
        .collect();
    assert_eq!(order, [("a", Status::Fits), ("b", Status::Verify)]);
    assert!(
        e.ranking
            .iter()
            .all(|r| r.verify.is_empty() == (r.status == Status::Fits))
    );
}

#[test]
fn a_tool_is_placed_by_its_best_offering_that_fits() {
    // One tool, two offerings: the better-scored one has an open question.
    let mut text = tool("a", "video", "vendor", &[]).1.text;
    text = text.replace("[sources.s]", "[[offerings]]\nid = \"second\"\nhosting = \"vendor\"\nname = { de = \"zweites\", en = \"second\" }\n[offerings.facts]\nmax_participants = { value = 100, src = \"s\", checked = \"2026-11-01\" }\nmax_minutes = { unknown = true, checked = \"2026-11-01\", note = \"x\" }\n[sources.s]");
    let e = run(
        vec![(
            "a".into(),
            SourceText {
                name: "a.toml".into(),
                text,
            },
        )],
        GROUP,
    );
    let r = &e.ranking[0];
    assert_eq!((r.offering.as_str(), r.status), ("main", Status::Fits));
    let other = &r.other_offerings[0];
    assert_eq!(
        (other.offering.as_str(), other.status),
        ("second", Status::Verify)
    );
    assert!(!other.verify.is_empty());
}

#[test]
fn when_nothing_fits_the_best_tool_to_verify_leads() {
    let e = run(
        vec![
            tool("a", "video", "vendor", &[("max_minutes", "unknown")]),
            tool("b", "video", "vendor", &[("max_minutes", "30")]),
        ],
        GROUP,
    );
    assert!(e.recommended().is_none());
    assert_eq!(e.ranking[0].status, Status::Verify);
    assert_eq!(verdict(&e, "b").0, Status::Excluded);
}
