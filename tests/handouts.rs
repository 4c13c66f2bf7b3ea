//! The handouts: the committed examples are what the binary writes today (golden files; run
//! `scripts/regenerate-examples.sh` after an intended change), values are escaped, and
//! template overrides work one file at a time.

mod common;
use common::konf_wahl;

use std::path::Path;

fn render(args: &[&str]) -> String {
    let out = konf_wahl().arg("recommend").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn committed_example_handouts_are_current() {
    let mut checked = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "toml" | "yaml") {
            continue;
        }
        let stem = path.with_extension("");
        for (format, out_ext) in [("markdown", "md"), ("html", "html"), ("csv", "csv")] {
            let golden = stem.with_extension(out_ext);
            let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
                panic!(
                    "{} is missing: run scripts/regenerate-examples.sh",
                    golden.display()
                )
            });
            let got = render(&[path.to_str().unwrap(), "--format", format]);
            assert!(
                got == want,
                "{} is outdated: run scripts/regenerate-examples.sh",
                golden.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 12);
}

#[test]
fn handouts_have_every_section() {
    let md = render(&["examples/familiengruppe.toml", "--format", "markdown"]);
    for heading in [
        "## Ihre Situation",
        "## Unsere Empfehlung",
        "## Auf einen Blick",
        "## Warum andere nicht in Frage kommen",
        "## So nehmen Sie teil",
        "## Checkliste für Ihre Treffen",
        "## Quellen und Stand der Angaben",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    assert!(
        md.contains("Niemand macht Screenshots"),
        "confidential groups get the agreements"
    );
    assert!(md.contains("12 Zeichen"));
    let en = render(&[
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
        "--lang",
        "en",
    ]);
    assert!(en.contains("## How to join") && en.contains("## Why the others are out"));
    let public = render(&["examples/infoabend.yaml", "--format", "markdown"]);
    assert!(
        !public.contains("Niemand macht Screenshots"),
        "a public event gets no confidentiality agreement"
    );
}

#[test]
fn html_is_self_contained_and_escapes_values() {
    let html = render(&["tests/fixtures/answers/script.toml", "--format", "html"]);
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"de\">"));
    for remote in ["<link", "<script", "src=\"http", "@import", "url("] {
        assert!(
            !html.contains(remote),
            "the handout must not load anything: found {remote}"
        );
    }
    assert!(
        html.contains("<svg role=\"img\""),
        "the chart is inline SVG"
    );
    assert!(html.contains("@media print"), "there is a print stylesheet");
}

#[test]
fn a_template_can_be_overridden_by_name() {
    let dir = std::env::temp_dir().join(format!("konf-wahl-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("strings.toml"),
        std::fs::read_to_string("templates/strings.toml")
            .unwrap()
            .replace(
                "office_name = { de = \"\", en = \"\" }",
                "office_name = { de = \"Kontaktstelle Musterstadt\", en = \"x\" }",
            ),
    )
    .unwrap();
    std::fs::write(
        dir.join("report.md.j2"),
        "Gruppe: {{ report.answers.group }} / {{ s.office_name }}\n",
    )
    .unwrap();
    let md = render(&[
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        md,
        "Gruppe: Familien mit Seltenen Erkrankungen / Kontaktstelle Musterstadt\n"
    );
    let html = render(&[
        "examples/familiengruppe.toml",
        "--format",
        "html",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert!(
        html.contains("Kontaktstelle Musterstadt"),
        "the builtin HTML uses the overridden strings"
    );

    // A template cannot include files outside the folder.
    std::fs::write(
        dir.join("report.md.j2"),
        "{% include \"../../etc/passwd\" %}\n",
    )
    .unwrap();
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "markdown",
            "--templates",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("root:"));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!Path::new(&dir).exists());
}

#[test]
fn a_failing_render_leaves_an_existing_file_untouched() {
    let dir = std::env::temp_dir().join(format!("konf-wahl-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report.html.j2"), "{{ report.no_such_field }}").unwrap();
    let target = dir.join("handout.html");
    std::fs::write(&target, "old handout").unwrap();
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "html",
            "--force",
            "--templates",
        ])
        .arg(&dir)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old handout");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "no temporary file left behind"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_has_one_row_per_tool_and_offering() {
    let csv = render(&["examples/verwaltung.toml", "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("rank,tool,name,offering,offering_name,price_eur_month,score,"));
    assert!(header.ends_with(",excluded_because"));
    assert!(csv.contains("zoom,Zoom,basic,") || csv.contains(",zoom,Zoom,basic"));
}
