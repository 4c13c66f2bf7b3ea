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

/// Every document committed per example: file suffix and the options that make it.
const DOCUMENTS: &[(&str, &[&str])] = &[
    ("md", &["--format", "markdown"]),
    ("en.md", &["--format", "markdown", "--lang", "en"]),
    ("html", &["--format", "html"]),
    ("en.html", &["--format", "html", "--lang", "en"]),
    ("annex.md", &["--format", "markdown", "--annex"]),
    ("annex.html", &["--format", "html", "--annex"]),
    (
        "annex.en.html",
        &["--format", "html", "--annex", "--lang", "en"],
    ),
    ("csv", &["--format", "csv"]),
];

/// Golden files: `KONF_WAHL_BLESS=1` (scripts/regenerate-examples.sh) writes them instead.
#[test]
fn committed_example_handouts_are_current() {
    let bless = std::env::var_os("KONF_WAHL_BLESS").is_some();
    let mut checked = 0;
    let mut examples: Vec<_> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "yaml")
            )
        })
        .collect();
    examples.sort();
    for path in &examples {
        let stem = path.with_extension("");
        for (suffix, options) in DOCUMENTS {
            let golden = std::path::PathBuf::from(format!("{}.{suffix}", stem.display()));
            let mut args = vec![path.to_str().unwrap()];
            args.extend_from_slice(options);
            let got = render(&args);
            if bless {
                std::fs::write(&golden, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
                panic!(
                    "{} is missing: run scripts/regenerate-examples.sh",
                    golden.display()
                )
            });
            assert!(
                got == want,
                "{} is outdated: run scripts/regenerate-examples.sh",
                golden.display()
            );
            checked += 1;
        }
    }
    assert!(bless || checked >= 4 * DOCUMENTS.len());
}

#[test]
fn the_group_handout_holds_what_the_group_needs_and_no_more() {
    let md = render(&["examples/familiengruppe.toml", "--format", "markdown"]);
    for heading in [
        "## Unsere Empfehlung",
        "## So richten Sie das Treffen ein",
        "## So nehmen Sie teil",
        "## Das erste Treffen",
        "## Absprachen und Datenschutz",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    for advice in [
        "Probetreffen",
        "hebt die Hand",
        "nur eine Person",
        "Kamera ist freiwillig",
        "nur mit Vornamen",
        "Niemand macht Screenshots",
        "12 Zeichen",
        "Einladung zum Kopieren",
    ] {
        assert!(md.contains(advice), "missing {advice:?}");
    }
    // Everything behind the advice is the advisor's, in the annex.
    for annex_only in [
        "## Warum andere nicht in Frage kommen",
        "## Quellen",
        "| --- |",
    ] {
        assert!(
            !md.contains(annex_only),
            "{annex_only} belongs in the annex"
        );
    }
    let en = render(&[
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
        "--lang",
        "en",
    ]);
    assert!(en.contains("## How to join") && en.contains("## The first meeting"));
    let public = render(&["examples/infoabend.yaml", "--format", "markdown"]);
    assert!(
        !public.contains("Niemand macht Screenshots"),
        "a public event gets no confidentiality agreement"
    );
}

#[test]
fn a_phone_only_group_gets_phone_advice_only() {
    let md = render(&["examples/telefongruppe.toml", "--format", "markdown"]);
    assert!(md.contains("Einwahlnummer") && md.contains("PIN"));
    // Whoever sets the meeting up online is told so; the group joins by telephone only.
    let flat = md.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("wählen sich nur per Telefon ein"));
    let join = md.split("## So nehmen Sie teil").nth(1).unwrap();
    let join = join.split("\n## ").next().unwrap();
    assert!(join.contains("**Telefon (ohne Internet)**") && !join.contains("**Computer**"));
    for screen in ["Screenshot", "Kamera", "Chat", "Browser"] {
        assert!(
            !md.contains(screen),
            "a group on the telephone only is told about {screen:?}"
        );
    }
}

#[test]
fn the_markdown_handout_pastes_into_an_email() {
    for example in [
        "familiengruppe.toml",
        "telefongruppe.toml",
        "verwaltung.toml",
        "infoabend.yaml",
    ] {
        let md = render(&[&format!("examples/{example}"), "--format", "markdown"]);
        for line in md.lines() {
            assert!(
                line.chars().count() <= 80,
                "{example}: line of {} characters: {line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn the_annex_holds_everything_behind_the_advice() {
    let md = render(&[
        "examples/familiengruppe.toml",
        "--format",
        "markdown",
        "--annex",
    ]);
    for heading in [
        "## Alle Werkzeuge, die in Frage kommen",
        "### Passt",
        "### Kommt vielleicht in Frage – vorher klären",
        "## Bewertung nach Kriterien",
        "## Wie sicher ist diese Empfehlung?",
        "## Warum andere nicht in Frage kommen",
        "## Offene Fragen",
        "## Die ganze Checkliste",
        "## Quellen und Stand der Angaben",
        "## Begriffe",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    // Ruled-out tools are grouped by their main reason, one line each.
    assert!(md.contains("### Kosten"));
    assert_eq!(md.matches("- **Zoom**:").count(), 1);
    // The matrix is split into tables of at most four tools, so it fits a printed page.
    for row in md.lines().filter(|l| l.starts_with("| Kriterium")) {
        assert!(row.matches(" | ").count() <= 5, "{row}");
    }
    // Sources carry German dates and kinds.
    assert!(md.contains("(Hersteller, ") && md.contains("geprüft am "));
    assert!(md.contains("Auftragsverarbeitung (AVV): "));
    let html = render(&[
        "examples/familiengruppe.toml",
        "--format",
        "html",
        "--annex",
    ]);
    assert!(html.contains("<caption>Bewertung nach Kriterien, Teil 1 von 2</caption>"));
}

#[test]
fn the_annex_is_a_document_not_a_data_format() {
    let out = konf_wahl()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--annex",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--annex"));
}

/// What German readers of the group handout must not meet: machine words, English, jargon
/// named in the handouts issue, and raw numbers of the analysis.
const JARGON: &[&str] = &[
    "Tracker",
    "F-Droid",
    "Dienstleister",
    "10000",
    "10.000",
    "schlechtester",
    "bester Fall",
    "n.d.",
    "undated",
    "unknown",
    "verify",
    "Preis: Preis",
    "Punkte:",
    "von 100",
    "Gewicht",
    "Stichprobe",
    "--annex",
    "konf-wahl recommend",
    "Score",
];

fn visible_text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn has_iso_date(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        shape.then(|| &text[i..i + 10])
    })
}

fn raw_id(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

#[test]
fn german_group_handouts_speak_plain_german() {
    let mut answers: Vec<String> = [
        "familiengruppe.toml",
        "telefongruppe.toml",
        "verwaltung.toml",
        "infoabend.yaml",
    ]
    .iter()
    .map(|e| format!("examples/{e}"))
    .collect();
    for entry in std::fs::read_dir("tests/fixtures/groups").unwrap() {
        answers.push(entry.unwrap().path().display().to_string());
    }
    answers.sort();
    for path in &answers {
        let md = render(&[path, "--format", "markdown"]);
        let html = visible_text(&render(&[path, "--format", "html"]));
        for (what, text) in [("Markdown", md.as_str()), ("HTML", html.as_str())] {
            assert_eq!(has_iso_date(text), None, "{path} ({what}): ISO date");
            assert_eq!(raw_id(text), None, "{path} ({what}): raw id");
            for word in JARGON {
                assert!(!text.contains(word), "{path} ({what}): jargon {word:?}");
            }
            assert!(
                text.contains("Stand: ") && !text.contains("Stand: 20"),
                "{path} ({what}): Stand as month and year"
            );
        }
    }
}

#[test]
fn the_group_name_fits_the_sentence_whatever_it_is() {
    let md = render(&["examples/familiengruppe.toml", "--format", "markdown"]);
    assert!(md.contains("Die Gruppe „Familien mit Seltenen Erkrankungen“ trifft sich monatlich"));
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

/// German CSV is for German Excel (BOM, `;`, decimal comma; see tests/formats.rs), English
/// CSV is RFC 4180: the same rows either way.
#[test]
fn csv_has_one_row_per_tool_and_offering() {
    let csv = render(&["examples/verwaltung.toml", "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("\u{feff}rank;tool;name;offering;offering_name;price_eur_month;score;")
    );
    assert!(header.ends_with(";excluded_because"));
    assert!(csv.contains(";zoom;Zoom;basic;"));
    let en = render(&[
        "examples/verwaltung.toml",
        "--format",
        "csv",
        "--lang",
        "en",
    ]);
    let mut lines = en.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("rank,tool,name,offering,offering_name,price_eur_month,score,"));
    assert!(header.ends_with(",excluded_because"));
    assert!(en.contains(",zoom,Zoom,basic,"));
    assert_eq!(csv.lines().count(), en.lines().count());
}
