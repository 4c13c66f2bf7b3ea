//! The advisor's workflow: init, compare, why, schema, catalog export/import, completions,
//! man page, quiet and verbose.

mod common;
use common::{konf_wahl, temp_dir};

use std::path::Path;

use serde_json::Value;

fn run_ok(args: &[&str]) -> String {
    let out = konf_wahl().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `tests/init_session.py`: the questionnaire in a pseudo-terminal, answered like a person
/// at the keyboard would (`de`, `en` or `abort`, see the script). It fails if a text the person
/// must see does not appear.
fn init_session(file: &Path, session: &str) -> std::process::ExitStatus {
    let mut cmd = std::process::Command::new("python3");
    cmd.arg("tests/init_session.py")
        .arg(assert_cmd::cargo::cargo_bin("konf-wahl"))
        .arg(file)
        .arg(session);
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        cmd.env_remove(var);
    }
    cmd.status().expect("python3 runs")
}

#[test]
fn init_through_a_pseudo_terminal_writes_the_expected_file() {
    // Welcome, a refused 0, Esc back to change the length, "nein" and "j", a budget of
    // "12,50", Zoom forbidden, the summary with one answer changed, then the next step.
    let dir = temp_dir();
    let file = dir.path().join("answers.toml");
    assert!(init_session(&file, "de").success());
    let got = std::fs::read_to_string(&file).unwrap();
    let want = std::fs::read_to_string("tests/fixtures/init-expected.toml").unwrap();
    assert_eq!(got, want);
    // The written file is valid answers, and the forbidden tool is ruled out.
    let json: Value = serde_json::from_str(&run_ok(&[
        "recommend",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    let zoom = json["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tool"] == "zoom")
        .expect("zoom is ruled out");
    assert!(zoom["summary"].as_str().unwrap().contains("ausgeschlossen"));
}

#[test]
fn init_in_english_with_a_partner_and_a_file_name_with_a_space() {
    let dir = temp_dir();
    let file = dir.path().join("my answers.toml");
    assert!(init_session(&file, "en").success());
    let got = std::fs::read_to_string(&file).unwrap();
    for line in [
        "# Most people per meeting, moderator included\nparticipants = 6\n",
        "meeting_minutes = 60\n",
        "frequency = \"daily\"\n",
        "budget_eur_per_month = 12.50\n",
        "self_hosting = \"partner\"\n",
        "accounts_allowed = false\n",
        "accessibility = [\"captions\"]\n",
        "forbidden_tools = []\n",
    ] {
        assert!(got.contains(line), "{line:?} missing in:\n{got}");
    }
    assert!(
        !got.contains("partner_tools = []"),
        "the partner's tool is written:\n{got}"
    );
    run_ok(&["recommend", file.to_str().unwrap(), "--format", "json"]);
}

#[test]
fn init_stops_on_ctrl_c_without_writing() {
    let dir = temp_dir();
    let file = dir.path().join("answers.toml");
    assert_eq!(init_session(&file, "abort").code(), Some(1));
    assert!(!file.exists());
}

#[test]
fn init_without_a_terminal_explains_instead_of_hanging() {
    let dir = temp_dir();
    let out = konf_wahl()
        .arg("init")
        .arg(dir.path().join("a.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("examples/familiengruppe.toml"));
    assert!(!dir.path().join("a.toml").exists());
    std::fs::write(dir.path().join("b.toml"), "x").unwrap();
    let out = konf_wahl()
        .arg("init")
        .arg(dir.path().join("b.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
}

#[test]
fn compare_puts_tools_side_by_side_with_sources() {
    let table = run_ok(&["compare", "zoom", "jitsi-meet", "bigbluebutton"]);
    assert!(
        table.contains("Zoom") && table.contains("Jitsi Meet") && table.contains("BigBlueButton")
    );
    assert!(table.contains("Höchstdauer (Minuten)"));
    let json: Value = serde_json::from_str(&run_ok(&[
        "compare",
        "zoom",
        "jitsi-meet",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["tools"].as_array().unwrap().len(), 2);
    let minutes = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "max_minutes")
        .unwrap();
    assert!(minutes["cells"][0]["text"].as_str().unwrap().contains("40"));
    assert!(
        !minutes["cells"][0]["sources"]
            .as_array()
            .unwrap()
            .is_empty(),
        "values carry their sources"
    );
    let html = run_ok(&["compare", "zoom", "jitsi-meet", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("geprüft 2026-"));
    let md = run_ok(&[
        "compare",
        "zoom",
        "jitsi-meet",
        "--format",
        "markdown",
        "--lang",
        "en",
    ]);
    assert!(md.contains("| Fact | Zoom | Jitsi Meet |"));
    let out = konf_wahl()
        .args(["compare", "zoom", "jitsi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("meinten Sie „jitsi-meet“?"));
}

#[test]
fn why_explains_exclusion_and_what_would_admit_it() {
    let text = run_ok(&["why", "zoom", "examples/familiengruppe.toml"]);
    assert!(text.contains("Zoom kommt nicht in Frage"));
    assert!(text.contains("40 Minuten"));
    assert!(text.contains("Was es in Frage kommen ließe"));
    assert!(text.contains("Budget pro Monat"), "{text}");
    let top = run_ok(&["why", "jitsi-meet", "examples/familiengruppe.toml"]);
    assert!(top.contains("Platz 1"), "{top}");
    assert!(top.contains("Kriterium") && top.contains("Beitrag"));
    let en = run_ok(&[
        "why",
        "jitsi-meet",
        "examples/familiengruppe.toml",
        "--lang",
        "en",
        "--set",
        "participants=12",
    ]);
    assert!(en.contains("is ranked"));
}

fn toml_to_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "yaml") {
        serde_norway::from_str(&text).unwrap()
    } else {
        serde_json::to_value(toml::from_str::<toml::Table>(&text).unwrap()).unwrap()
    }
}

fn validator(kind: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&run_ok(&["schema", kind])).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn shipped_files_validate_against_the_generated_schemas() {
    let answers = validator("answers");
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml" || e == "yaml") {
            let value = toml_to_json(&path);
            assert!(
                answers.is_valid(&value),
                "{} should validate",
                path.display()
            );
        }
    }
    let broken: Value = serde_json::json!({ "participant": 8 });
    assert!(
        !answers.is_valid(&broken),
        "a misspelt key must not validate"
    );
    let bad_value: Value = serde_json::json!({ "participants": 8, "confidentiality": "geheim" });
    assert!(!answers.is_valid(&bad_value));

    let catalog = validator("catalog");
    for entry in std::fs::read_dir("catalog").unwrap() {
        let path = entry.unwrap().path();
        assert!(
            catalog.is_valid(&toml_to_json(&path)),
            "{} should validate",
            path.display()
        );
    }
    let criteria = validator("criteria");
    for entry in std::fs::read_dir("criteria").unwrap() {
        let path = entry.unwrap().path();
        assert!(
            criteria.is_valid(&toml_to_json(&path)),
            "{} should validate",
            path.display()
        );
    }
}

/// In both CSV dialects: Excel's (the German default) and RFC 4180's.
#[test]
fn catalog_export_import_round_trip_gives_the_same_catalog() {
    let dir = temp_dir();
    let original = konf_wahl_lib_catalog(None);
    for dialect in ["excel", "rfc4180"] {
        let csv = dir.path().join(format!("catalog-{dialect}.csv"));
        konf_wahl()
            .args(["catalog", "export", "--csv-dialect", dialect, "-o"])
            .arg(&csv)
            .assert()
            .success();
        let out_dir = dir.path().join(format!("imported-{dialect}"));
        konf_wahl()
            .args(["catalog", "import"])
            .arg(&csv)
            .arg("--out-dir")
            .arg(&out_dir)
            .assert()
            .success();
        let imported = konf_wahl_lib_catalog(Some(&out_dir));
        assert_eq!(original.len(), imported.len(), "{dialect}");
        for (a, b) in original.iter().zip(&imported) {
            assert_eq!(a, b, "{dialect}");
        }
    }
    for format in ["json", "yaml"] {
        let text = run_ok(&["catalog", "export", "--format", format]);
        assert!(text.contains("jitsi-meet"));
    }
}

/// Every tool as JSON without its origin, from a folder only (the import) or the shipped catalog.
fn konf_wahl_lib_catalog(dir: Option<&Path>) -> Vec<Value> {
    let catalog = match dir {
        None => konf_wahl::catalog::Catalog::load(None).unwrap(),
        Some(dir) => konf_wahl::catalog::Catalog::from_sources(
            konf_wahl::catalog::read_dir_sources(dir).unwrap(),
        )
        .unwrap(),
    };
    catalog
        .tools
        .values()
        .map(|t| {
            let mut v = serde_json::to_value(t).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("origin");
            // Tool-level facts are a storage detail: the merged offering facts must match.
            o.remove("facts");
            v
        })
        .collect()
}

#[test]
fn completions_and_man_page_are_generated() {
    assert!(run_ok(&["completions", "bash"]).contains("konf-wahl"));
    assert!(run_ok(&["completions", "zsh"]).contains("recommend"));
    let man = run_ok(&["manpage"]);
    assert!(man.contains(".TH") && man.contains("recommend"));
}

#[test]
fn quiet_and_verbose() {
    let out = konf_wahl().args(["-v", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Katalog: 28 Werkzeuge"));
    let out = konf_wahl()
        .args(["check", "--quiet", "--date", "2031-01-01"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "quiet hides warnings");
    let out = konf_wahl()
        .args(["check", "--date", "2031-01-01"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Warnung:"));
    let strict = konf_wahl()
        .args(["check", "--strict", "--date", "2031-01-01"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn check_lists_unknown_facts_with_their_reasons() {
    let text = run_ok(&["check", "--unknowns", "--date", "2026-11-25"]);
    assert!(text.contains("unbekannt):"), "{text}");
    assert!(
        text.contains("- Höchstzahl Teilnehmende (entscheidend)"),
        "unknown facts by their labels, decisive ones marked"
    );
    assert!(
        text.contains("  Notiz (englisch): "),
        "the catalog's notes say why, marked as English"
    );
    assert!(text.contains("Katalog in Ordnung:"));
}
