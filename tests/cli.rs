//! CLI tests: the real binary on the shipped examples and on broken input.

mod common;
use common::{konf_wahl, large_catalog, recommend_with_cache, temp_dir};

use serde_json::Value;

fn recommend_json(args: &[&str]) -> Value {
    let out = konf_wahl()
        .arg("recommend")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn catalog_ids() -> Vec<String> {
    let out = konf_wahl()
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

const EXAMPLES: &[&str] = &[
    "examples/familiengruppe.toml",
    "examples/verwaltung.toml",
    "examples/infoabend.yaml",
    "examples/telefongruppe.toml",
];

#[test]
fn every_example_has_a_valid_json_report_with_every_tool_once() {
    let ids = catalog_ids();
    assert!(ids.len() >= 5);
    for example in EXAMPLES {
        let report = recommend_json(&[example]);
        let ranking = report["ranking"].as_array().unwrap();
        let excluded = report["excluded"].as_array().unwrap();
        let mut seen: Vec<String> = ranking
            .iter()
            .chain(excluded)
            .map(|t| t["tool"].as_str().unwrap().to_string())
            .collect();
        seen.sort();
        let mut expected = ids.clone();
        expected.sort();
        assert_eq!(seen, expected, "{example}: every tool exactly once");
        let mut last = f64::INFINITY;
        for (i, r) in ranking.iter().enumerate() {
            assert_eq!(r["rank"].as_u64().unwrap() as usize, i + 1);
            let score = r["score"].as_f64().unwrap();
            assert!((0.0..=100.0).contains(&score));
            assert!(score <= last, "{example}: ranking is sorted");
            last = score;
            assert!(r["offering"].is_string() && r["name"].is_string());
            let points: f64 = r["contributions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["points"].as_f64().unwrap())
                .sum();
            assert!(
                (points - score).abs() < 0.2,
                "{example}: contributions add up to the score"
            );
        }
        for e in excluded {
            let reasons = e["reasons"].as_array().unwrap();
            assert!(!reasons.is_empty(), "{example}: {} has reasons", e["tool"]);
            assert!(
                reasons
                    .iter()
                    .all(|r| !r.as_str().unwrap().trim().is_empty())
            );
        }
    }
}

#[test]
fn a_90_minute_group_without_budget_never_gets_zooms_40_minute_plan() {
    let report = recommend_json(&["examples/familiengruppe.toml"]);
    let zoom_ranked = report["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tool"] == "zoom");
    if let Some(zoom) = zoom_ranked {
        assert_ne!(zoom["offering"], "basic");
    }
    let text = report.to_string();
    assert!(
        text.contains("Treffen enden nach 40 Minuten; Ihre Treffen dauern 90 Minuten."),
        "the reason is stated"
    );
}

#[test]
fn a_forbidden_tool_is_excluded_with_the_reason() {
    let report = recommend_json(&[
        "examples/familiengruppe.toml",
        "--set",
        "forbidden_tools=jitsi-meet",
    ]);
    let jitsi = report["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["tool"] == "jitsi-meet")
        .expect("jitsi-meet is excluded");
    assert!(
        jitsi["reasons"][0]
            .as_str()
            .unwrap()
            .contains("forbidden_tools")
    );
}

#[test]
fn retired_tools_are_always_excluded_with_date_and_successor() {
    for example in EXAMPLES {
        let report = recommend_json(&[example]);
        let skype = report["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["tool"] == "skype")
            .expect("skype is excluded");
        let reason = skype["reasons"][0].as_str().unwrap();
        assert!(
            reason.contains("5. Mai 2025") && reason.contains("Microsoft Teams"),
            "{reason}"
        );
    }
}

#[test]
fn a_phone_only_group_gets_only_tools_that_work_by_phone_alone() {
    let report = recommend_json(&["examples/telefongruppe.toml"]);
    let ranking = report["ranking"].as_array().unwrap();
    assert!(!ranking.is_empty());
    for r in ranking {
        let out = konf_wahl()
            .args(["show", r["tool"].as_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        let sheet: Value = serde_json::from_slice(&out.stdout).unwrap();
        let phone_only = |facts: &Value| {
            facts
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["key"] == "phone_only" && f["value"] == "yes")
        };
        let works_by_phone = phone_only(&sheet["facts"])
            || sheet["offerings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| phone_only(&o["facts"]));
        let asks = r["verify"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q.as_str().unwrap().contains("nur per Telefon"));
        // Known to work by phone alone, or a question for the advisor: never a silent pass.
        assert!(
            works_by_phone || (r["status"] == "verify" && asks),
            "{} must work by phone alone, or say that this is to be clarified",
            r["tool"]
        );
    }
}

#[test]
fn a_confidential_group_that_forbids_accounts_gets_no_account_tool() {
    let report = recommend_json(&["examples/familiengruppe.toml"]);
    for r in report["ranking"].as_array().unwrap() {
        let account = r["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["criterion"] == "account_free")
            .unwrap();
        let asks = r["verify"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q.as_str().unwrap().contains("Konto"));
        assert!(
            account["score"] != 0.0 || (r["status"] == "verify" && asks),
            "{} would need accounts, or must say that this is to be clarified",
            r["tool"]
        );
    }
}

#[test]
fn output_is_deterministic() {
    for format in ["json", "table"] {
        let run = || {
            konf_wahl()
                .args(["recommend", "examples/verwaltung.toml", "--format", format])
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run(), run());
    }
}

#[test]
fn table_shows_rank_score_reasons_and_exclusions() {
    let out = konf_wahl()
        .args(["recommend", "examples/familiengruppe.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Empfehlung für „Familien mit Seltenen Erkrankungen“"));
    assert!(text.contains("Rang") && text.contains("Punkte") && text.contains("Ausgeschlossen"));
    assert!(text.contains("Skype"));
    let en = konf_wahl()
        .args(["recommend", "examples/familiengruppe.toml", "--lang", "en"])
        .output()
        .unwrap();
    let text = String::from_utf8(en.stdout).unwrap();
    assert!(text.contains("Rank") && text.contains("Excluded"));
}

#[test]
fn a_catalog_folder_adds_a_contact_office_server() {
    let report = recommend_json(&[
        "examples/familiengruppe.toml",
        "--set",
        "self_hosting=partner",
        "--catalog",
        "tests/fixtures/catalog",
    ]);
    let office = report["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tool"] == "kontaktstelle-bbb")
        .expect("the office server is ranked");
    assert_eq!(office["offering"], "office");
    // Without a partner the same server is out, with the reason.
    let report = recommend_json(&[
        "examples/familiengruppe.toml",
        "--catalog",
        "tests/fixtures/catalog",
    ]);
    let text = report["excluded"].to_string();
    assert!(text.contains("Braucht einen Partner"));
}

#[test]
fn set_overrides_an_answer_and_is_validated() {
    let report = recommend_json(&["examples/familiengruppe.toml", "--set", "participants=300"]);
    assert_eq!(report["answers"]["participants"], 300);
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--set",
            "confidentiality=geheim",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("meinten Sie „strict“?"));
}

/// Runs recommend on a broken answers file and returns stderr after checking the contract
/// for errors: exit code 1, nothing on stdout.
fn failing(answers: &str) -> String {
    let out = konf_wahl().args(["recommend", answers]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{answers}");
    assert!(out.stdout.is_empty(), "{answers}: nothing on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn input_errors_name_file_line_column_and_a_hint() {
    let err = failing("tests/fixtures/answers/typo-key.toml");
    assert!(err.contains("typo-key.toml:2:1"), "{err}");
    assert!(err.starts_with("Fehler: "), "{err}");
    assert!(
        err.contains("„participant“ ist keine bekannte Angabe"),
        "{err}"
    );
    assert!(
        err.contains("Hinweis: meinten Sie „participants“?"),
        "{err}"
    );

    let err = failing("tests/fixtures/answers/bad-value.toml");
    assert!(err.contains("bad-value.toml:2:19"), "{err}");
    assert!(err.contains("„public“, „internal“, „strict“"), "{err}");

    // An English locale gets English messages.
    let out = konf_wahl()
        .env("LANG", "en_GB.UTF-8")
        .args(["recommend", "tests/fixtures/answers/typo-key.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("`participant` is not a known entry"), "{err}");
    assert!(err.contains("help: did you mean `participants`?"), "{err}");

    let err = failing("tests/fixtures/answers/bad-need.toml");
    assert!(err.contains("bad-need.toml:2:"), "{err}");
    assert!(err.contains("meinten Sie „chat“?"), "{err}");

    let err = failing("tests/fixtures/answers/zero.toml");
    assert!(err.contains("zero.toml:1:16"), "{err}");

    let err = failing("tests/fixtures/answers/forbidden-typo.toml");
    assert!(
        err.contains("forbidden-typo.toml:2:21") && err.contains("meinten Sie „zoom“?"),
        "{err}"
    );

    let err = failing("tests/fixtures/answers/bad-weight.yaml");
    assert!(
        err.contains("bad-weight.yaml:3:3") && err.contains("meinten Sie „cost“?"),
        "{err}"
    );

    let err = failing("tests/fixtures/answers/latin1.toml");
    assert!(
        err.contains("latin1.toml:2:") && err.contains("UTF-8"),
        "{err}"
    );

    let err = failing("tests/fixtures/answers/missing.toml");
    assert!(
        err.contains("missing.toml") && err.contains("es gibt sie nicht"),
        "{err}"
    );

    let err = failing("Cargo.lock");
    assert!(err.contains(".toml, .yaml oder .yml"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let out = konf_wahl().args(["recommend"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = konf_wahl().args(["recommnd"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_prints_every_fact_with_source_and_date() {
    let out = konf_wahl().args(["show", "jitsi-meet"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Jitsi Meet (jitsi-meet)"));
    assert!(
        text.contains("geprüft am ") && text.contains(" 2026"),
        "check dates are shown, in words"
    );
    assert!(text.contains("Quelle: "), "every fact names its source");
    assert!(text.contains("https://"), "sources are shown");
    let out = konf_wahl().args(["show", "jitsi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("meinten Sie „jitsi-meet“?"));
}

#[test]
fn check_passes_on_the_shipped_catalog_and_fails_on_a_broken_one() {
    let out = konf_wahl()
        .args(["check", "--date", "2026-11-25"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Katalog in Ordnung:"));

    let dir = temp_dir();
    std::fs::write(
        dir.path().join("zoom.toml"),
        "id = \"zoom\"\nname = \"Zoom\"\nkind = \"video\"\ndescription = { de = \"x\", en = \"x\" }\n\
         [facts]\nmax_minutes = { value = 40, checked = \"2026-11-01\" }\n\
         [[offerings]]\nid = \"basic\"\nhosting = \"vendor\"\nname = { de = \"x\", en = \"x\" }\n",
    )
    .unwrap();
    let out = konf_wahl()
        .args(["check", "--catalog"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zoom.toml:6:") && err.contains("has no `src`"),
        "{err}"
    );
}

#[test]
fn output_files_are_not_replaced_without_force() {
    let dir = temp_dir();
    let path = dir.path().join("report.json");
    std::fs::write(&path, "old").unwrap();
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "json",
            "-o",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "json",
            "--force",
            "-o",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&path).unwrap().starts_with('{'));
}

#[test]
fn check_ages_facts_by_their_sources_date_and_counts_weak_decisive_facts() {
    let out = konf_wahl()
        .args([
            "check",
            "--catalog",
            "tests/fixtures/catalog-old",
            "--max-age",
            "24",
            "--date",
            "2026-12-01",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stderr.contains(
            "old-source.toml: 2 Angaben beruhen auf Belegen, die älter als 24 Monate sind"
        ) && stderr.contains("die ältesten vom 1. Mai 2020"),
        "{stderr}"
    );
    assert!(
        stdout.contains("old-source/free: Höchstdauer (Minuten)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Entscheidende Angaben der genutzten Angebote"),
        "{stdout}"
    );
}

#[test]
fn a_large_catalog_folder_gives_the_same_report_from_the_cache_and_after_edits() {
    let catalog = large_catalog(konf_wahl::folder_cache::MIN_FILES);
    let cache = temp_dir();
    let cache_path = cache.path();
    let plain = recommend_with_cache(catalog.path(), "off".as_ref());
    assert!(
        plain.status.success(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    let cold = recommend_with_cache(catalog.path(), cache_path);
    let warm = recommend_with_cache(catalog.path(), cache_path);
    assert_eq!(cold.stdout, plain.stdout);
    assert_eq!(warm.stdout, plain.stdout);
    assert_eq!(warm.stderr, plain.stderr);
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        1,
        "one file per folder"
    );

    // An edit counts at once: the renamed copy is reported under its new name.
    let edited = catalog.path().join("jitsi-copy-3.toml");
    let text = std::fs::read_to_string(&edited).unwrap();
    let renamed = text.replacen("name = \"Jitsi Meet\"", "name = \"Jitsi Geändert\"", 1);
    assert_ne!(renamed, text);
    std::fs::write(&edited, renamed).unwrap();
    let after = recommend_with_cache(catalog.path(), cache_path);
    assert_eq!(
        after.stdout,
        recommend_with_cache(catalog.path(), "off".as_ref()).stdout
    );
    assert!(String::from_utf8_lossy(&after.stdout).contains("Jitsi Geändert"));

    // A file broken after it was cached gives the message with its position, as without.
    std::fs::write(&edited, text.replacen("kind = ", "kind = = ", 1)).unwrap();
    let broken = recommend_with_cache(catalog.path(), cache_path);
    let plain = recommend_with_cache(catalog.path(), "off".as_ref());
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(broken.stderr, plain.stderr);
    assert!(String::from_utf8_lossy(&broken.stderr).contains("jitsi-copy-3.toml:"));
}

#[test]
fn a_small_catalog_folder_writes_no_cache() {
    let cache = temp_dir();
    let out = recommend_with_cache("tests/fixtures/catalog".as_ref(), cache.path());
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}
