//! The contact office's profile on every handout, partial `strings.toml`, and `templates
//! export` as a starting point.

mod common;
use common::{konf_wahl, temp_dir};

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const PROFILE: &str = "name = \"Selbsthilfe-Kontaktstelle Musterstadt\"\nphone = \"01234 567890\"\nemail = \"kontakt@example.org\"\ncontact = \"Frau Beispiel\"\n";

#[test]
fn the_office_profile_is_set_once_and_printed_on_every_handout() {
    let config = temp_dir();
    // `office init` writes a template into the configuration folder …
    let out = konf_wahl()
        .env("XDG_CONFIG_HOME", config.path())
        .args(["office", "init"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let file = config.path().join("konf-wahl").join("office.toml");
    assert!(std::fs::read_to_string(&file).unwrap().contains("name = "));
    // … which the advisor fills in once; every handout shows it from then on.
    std::fs::write(&file, PROFILE).unwrap();
    for format in ["html", "markdown"] {
        let text = stdout(konf_wahl().env("XDG_CONFIG_HOME", config.path()).args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            format,
        ]));
        assert!(
            text.contains("Selbsthilfe-Kontaktstelle Musterstadt"),
            "{format}"
        );
        assert!(text.contains("Fragen beantwortet gern"), "{format}");
        assert!(
            text.contains("01234 567890") && text.contains("Frau Beispiel"),
            "{format}"
        );
    }
    let shown = stdout(
        konf_wahl()
            .env("XDG_CONFIG_HOME", config.path())
            .args(["office", "show"]),
    );
    assert!(shown.contains("Telefon: 01234 567890"), "{shown}");
    // --office names another profile for one run; without any profile nothing is printed.
    let other = config.path().join("other.toml");
    std::fs::write(&other, "name = \"Kontaktstelle Nord\"\n").unwrap();
    let text = stdout(konf_wahl().args([
        "recommend",
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
        "--office",
        other.to_str().unwrap(),
    ]));
    assert!(text.contains("Kontaktstelle Nord") && !text.contains("Musterstadt"));
    let plain = stdout(konf_wahl().args([
        "recommend",
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
    ]));
    assert!(!plain.contains("Fragen beantwortet gern"));
}

#[test]
fn a_mistyped_profile_field_is_named_with_the_closest_one() {
    let dir = temp_dir();
    let file = dir.path().join("office.toml");
    std::fs::write(&file, "name = \"x\"\ntelefon = \"1\"\n").unwrap();
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "html",
            "--office",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("office.toml:2:1") && err.contains("„telefon“"),
        "{err}"
    );
}

#[test]
fn a_partial_strings_file_changes_only_its_keys() {
    let dir = temp_dir();
    std::fs::write(
        dir.path().join("strings.toml"),
        "made_with = { de = \"Erstellt von der Kontaktstelle.\", en = \"Made by the office.\" }\n",
    )
    .unwrap();
    let text = stdout(konf_wahl().args([
        "recommend",
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
        "--templates",
        dir.path().to_str().unwrap(),
    ]));
    assert!(text.contains("Erstellt von der Kontaktstelle."));
    assert!(
        text.contains("## Unsere Empfehlung"),
        "the other texts stay"
    );
    std::fs::write(
        dir.path().join("strings.toml"),
        "made_wiht = { de = \"x\", en = \"x\" }\n",
    )
    .unwrap();
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "markdown",
            "--templates",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("strings.toml:1:1") && err.contains("meinten Sie „made_with“?"),
        "{err}"
    );
}

#[test]
fn exported_templates_are_a_folder_that_renders_the_same_handout() {
    let dir = temp_dir();
    let target = dir.path().join("vorlagen");
    let out = konf_wahl()
        .args(["templates", "export", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    for name in [
        "report.html.j2",
        "report.md.j2",
        "annex.html.j2",
        "strings.toml",
        "checklist.toml",
        "styles.css.j2",
    ] {
        assert!(target.join(name).is_file(), "{name}");
    }
    for format in ["html", "markdown"] {
        let shipped = stdout(konf_wahl().args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            format,
        ]));
        let own = stdout(konf_wahl().args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            format,
            "--templates",
            target.to_str().unwrap(),
        ]));
        assert_eq!(shipped, own, "{format}");
    }
    // A second export does not overwrite the office's edits without --force.
    std::fs::write(target.join("strings.toml"), "").unwrap();
    let out = konf_wahl()
        .args(["templates", "export", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(target.join("strings.toml")).unwrap(),
        ""
    );
}
