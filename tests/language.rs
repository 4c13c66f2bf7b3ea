//! German first: help, usage errors and input errors are German by default and English with
//! `--lang en` or an English locale; numbers a person types may use a decimal comma.

mod common;
use common::konf_wahl;

fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut cmd = konf_wahl();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn help_is_german_by_default_and_english_on_request() {
    let (code, de, _) = run(&["recommend", "--help"], &[]);
    assert_eq!(code, Some(0));
    let de = de.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in [
        "Aufruf: konf-wahl recommend [OPTIONEN] <ANTWORTEN>",
        "Optionen:",
        "Hilfe anzeigen",
        "Standard: 10000",
        "aus der Dateiendung",
    ] {
        assert!(de.contains(word), "{word} missing:\n{de}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Print help",
        "[default:",
        "Possible values",
    ] {
        assert!(!de.contains(english), "{english} in German help:\n{de}");
    }
    let (_, en, _) = run(&["recommend", "--help", "--lang", "en"], &[]);
    let en = en.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        en.contains("Usage: konf-wahl recommend [OPTIONS] <ANSWERS>"),
        "{en}"
    );
    assert!(
        en.contains("Output format") && en.contains("default: 10000"),
        "{en}"
    );
    let (_, locale, _) = run(&["--help"], &[("LANG", "en_GB.UTF-8")]);
    assert!(
        locale.contains("Commands:") && locale.contains("Print help"),
        "{locale}"
    );
    // LC_ALL wins over LANG, as POSIX says.
    let (_, both, _) = run(
        &["--help"],
        &[("LANG", "en_GB.UTF-8"), ("LC_ALL", "de_DE.UTF-8")],
    );
    assert!(both.contains("Befehle:"), "{both}");
}

#[test]
fn usage_errors_say_what_was_wrong_and_the_closest_word() {
    let (code, _, err) = run(&["recommnd"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("den Befehl „recommnd“ gibt es nicht"), "{err}");
    assert!(err.contains("meinten Sie „recommend“?"), "{err}");
    let (code, _, err) = run(
        &[
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "htm",
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("„htm“ ist für --format <FORMAT> nicht erlaubt"),
        "{err}"
    );
    assert!(err.contains("meinten Sie „html“?"), "{err}");
    let (code, _, err) = run(
        &[
            "recommend",
            "examples/familiengruppe.toml",
            "--set",
            "teilnehmer",
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("SCHLÜSSEL=WERT wie participants=30"), "{err}");
    let (code, _, err) = run(&["recommnd"], &[("LANG", "en_US.UTF-8")]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: there is no command `recommnd`"),
        "{err}"
    );
    assert!(err.contains("did you mean `recommend`?"), "{err}");
}

#[test]
fn input_errors_explain_the_expected_value_in_words() {
    let dir = common::temp_dir();
    let file = dir.path().join("a.toml");
    std::fs::write(&file, "participants = \"acht\"\n").unwrap();
    let (code, _, err) = run(&["recommend", file.to_str().unwrap()], &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("a.toml:1:16: hier steht der Text „acht“; erwartet wird eine ganze Zahl ab 1, zum Beispiel 8"),
        "{err}"
    );
    std::fs::write(&file, "participants = 8\nbudget_eur_per_month = 10,50\n").unwrap();
    let (code, _, err) = run(&["recommend", file.to_str().unwrap()], &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("a.toml:2:"), "{err}");
    assert!(
        err.contains("Kommazahlen mit Punkt (10.50) oder in Anführungszeichen"),
        "{err}"
    );
    let (_, _, err) = run(&["recommend", file.to_str().unwrap(), "--lang", "en"], &[]);
    assert!(err.contains("write decimal numbers with a point"), "{err}");
}

#[test]
fn a_decimal_comma_is_read_as_a_person_means_it() {
    let dir = common::temp_dir();
    let file = dir.path().join("a.toml");
    std::fs::write(
        &file,
        "participants = 8\nbudget_eur_per_month = \"12,50\"\n",
    )
    .unwrap();
    let (code, json, err) = run(
        &["recommend", file.to_str().unwrap(), "--format", "json"],
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(json.contains("\"budget_eur_per_month\": 12.5"), "{json}");
    let (code, json, err) = run(
        &[
            "recommend",
            "examples/familiengruppe.toml",
            "--set",
            "budget_eur_per_month=10,50",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(json.contains("\"budget_eur_per_month\": 10.5"), "{json}");
    std::fs::write(&file, "participants = 8\nbudget_eur_per_month = \"zehn\"\n").unwrap();
    let (code, _, err) = run(&["recommend", file.to_str().unwrap()], &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("muss eine Zahl sein wie 12,50 oder 12.50, nicht „zehn“"),
        "{err}"
    );
}

#[test]
fn lang_before_the_command_counts_for_help_and_for_the_command() {
    let (code, help, _) = run(&["--lang", "en", "--help"], &[]);
    assert_eq!(code, Some(0));
    assert!(
        help.contains("Commands:") && help.contains("--lang"),
        "{help}"
    );
    let (code, table, _) = run(
        &["--lang", "en", "recommend", "examples/familiengruppe.toml"],
        &[],
    );
    assert_eq!(code, Some(0));
    assert!(table.starts_with("Recommendation for"), "{table}");
    // A command without --lang of its own still gets English messages.
    let (code, _, err) = run(&["--lang", "en", "show", "zoomm"], &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no tool with id `zoomm`"), "{err}");
}

#[test]
fn file_and_batch_messages_are_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("handout.html");
    std::fs::write(&out, "old").unwrap();
    let out = out.to_str().unwrap();
    let args = ["recommend", "examples/familiengruppe.toml", "-o", out];
    let (code, _, de) = run(&args, &[]);
    assert_eq!(code, Some(1));
    assert!(
        de.contains("gibt es schon; mit --force wird die Datei ersetzt"),
        "{de}"
    );
    let (_, _, en) = run(&args, &[("LANG", "en_US.UTF-8")]);
    assert!(
        en.contains("already exists; use --force to replace it"),
        "{en}"
    );

    let folder = dir.path().join("handzettel");
    let folder = folder.to_str().unwrap();
    let batch = [
        "recommend",
        "examples/familiengruppe.toml",
        "examples/verwaltung.toml",
        "--out-dir",
        folder,
    ];
    let (code, _, de) = run(&batch, &[]);
    assert_eq!(code, Some(0), "{de}");
    assert!(de.contains("2 von 2 Handzetteln nach"), "{de}");
    let (_, _, en) = run(&[&batch[..], &["--force", "--lang", "en"]].concat(), &[]);
    assert!(en.contains("2 of 2 handouts written to"), "{en}");
    // A command line that cannot be carried out is a usage error (exit code 2).
    let (code, _, de) = run(&["recommend", "a.toml", "b.toml"], &[]);
    assert_eq!(code, Some(2));
    assert!(
        de.contains("Für mehrere Antwortdateien braucht es --out-dir"),
        "{de}"
    );
}
