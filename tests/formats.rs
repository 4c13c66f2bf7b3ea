//! Output files that open where people click: `-o FILE` takes the format from the file's
//! extension (a contradicting `--format` or an unknown extension is a usage error, exit code 2,
//! and nothing is written), batch mode writes HTML handouts, and CSV comes in the dialect the
//! reader's spreadsheet expects: for German Excel UTF-8 with BOM, `;` and the decimal comma,
//! for English RFC 4180. `catalog import` reads both.

mod common;
use common::{konf_wahl, temp_dir};

use std::path::Path;
use std::process::Output;

const EXAMPLE: &str = "examples/verwaltung.toml";
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn run(args: &[&str]) -> Output {
    konf_wahl().args(args).output().unwrap()
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A catalog folder with one extra tool whose price has decimals (12.5 € a month).
fn catalog_with_a_decimal_price(dir: &Path) -> std::path::PathBuf {
    let catalog = dir.join("catalog");
    std::fs::create_dir(&catalog).unwrap();
    let tool = std::fs::read_to_string("tests/fixtures/catalog/kontaktstelle-bbb.toml")
        .unwrap()
        .replace(
            "price_eur_month = { value = 0,",
            "price_eur_month = { value = 12.5,",
        );
    assert!(tool.contains("value = 12.5"));
    std::fs::write(catalog.join("kontaktstelle-bbb.toml"), tool).unwrap();
    catalog
}

#[test]
fn the_file_extension_chooses_the_format() {
    let dir = temp_dir();
    for (ext, format) in [
        ("html", "html"),
        ("htm", "html"),
        ("md", "markdown"),
        ("markdown", "markdown"),
        ("csv", "csv"),
        ("json", "json"),
        ("txt", "table"),
        ("HTML", "html"),
    ] {
        let file = dir.path().join(format!("handout.{ext}"));
        let out = run(&["recommend", EXAMPLE, "-o", path_str(&file)]);
        assert!(out.status.success(), "{ext}: {}", stderr(&out));
        let written = std::fs::read(&file).unwrap();
        assert_eq!(
            written,
            stdout_of(&["recommend", EXAMPLE, "--format", format]),
            "-o handout.{ext} writes what --format {format} writes"
        );
    }
    let html = std::fs::read_to_string(dir.path().join("handout.html")).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "a page a browser opens"
    );
    // A format that agrees with the name is fine.
    let file = dir.path().join("agreed.htm");
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "html",
        "-o",
        path_str(&file),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn without_a_file_the_terminal_table_stays_the_default() {
    let table = String::from_utf8(stdout_of(&["recommend", EXAMPLE])).unwrap();
    assert!(table.contains("Jitsi Meet"));
    assert!(!table.contains("<html") && !table.contains("rank;tool"));
    assert_eq!(
        stdout_of(&["recommend", EXAMPLE, "-o", "-"]),
        table.as_bytes(),
        "-o - is stdout"
    );
    // A name without an extension (a device, a pipe) takes --format or the table.
    let dir = temp_dir();
    let file = dir.path().join("bericht");
    assert!(
        run(&["recommend", EXAMPLE, "-o", path_str(&file)])
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), table);
}

#[test]
fn a_format_that_contradicts_the_file_name_is_refused_and_nothing_is_written() {
    let dir = temp_dir();
    let file = dir.path().join("handout.html");
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "csv",
        "-o",
        path_str(&file),
    ]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(out.stdout.is_empty());
    assert!(!file.exists(), "nothing is written");
    let err = stderr(&out);
    let csv_name = dir.path().join("handout.csv");
    assert!(
        err.contains(&format!(
            "Die Datei {} ist eine HTML-Datei, aber --format verlangt csv.",
            file.display()
        )) && err.contains(&format!(
            "Lassen Sie --format weg oder nennen Sie die Datei {}.",
            csv_name.display()
        )),
        "{err}"
    );
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--lang",
        "en",
        "-f",
        "markdown",
        "-o",
        path_str(&dir.path().join("notes.txt")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is a text file, but --format asks for markdown"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_unknown_extension_is_refused_unless_format_names_the_format() {
    let dir = temp_dir();
    let file = dir.path().join("handout.docx");
    let out = run(&["recommend", EXAMPLE, "-o", path_str(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!file.exists());
    let err = stderr(&out);
    assert!(
        err.contains(".docx")
            && err.contains("Bekannte Endungen: .html, .htm, .md, .markdown, .csv, .json, .txt")
            && err.contains("handout.html"),
        "names the known extensions and a name that works: {err}"
    );
    let out = run(&["recommend", EXAMPLE, "--lang", "en", "-o", path_str(&file)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Known extensions: .html"));
    // With --format the advisor says what the file is.
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "html",
        "-o",
        path_str(&file),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn compare_and_catalog_export_follow_the_same_rules() {
    let dir = temp_dir();
    let page = dir.path().join("vergleich.html");
    let out = run(&["compare", "zoom", "jitsi-meet", "-o", path_str(&page)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&page).unwrap(),
        stdout_of(&["compare", "zoom", "jitsi-meet", "--format", "html"])
    );
    // compare writes no CSV, whatever --format says.
    for extra in [&[][..], &["--format", "markdown"][..]] {
        let file = dir.path().join("vergleich.csv");
        let mut args = vec!["compare", "zoom", "jitsi-meet", "-o", path_str(&file)];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(!file.exists());
        let err = stderr(&out);
        assert!(
            err.contains("eine CSV-Datei") && err.contains("konf-wahl compare"),
            "{err}"
        );
    }
    let out = run(&[
        "compare",
        "zoom",
        "jitsi-meet",
        "--format",
        "json",
        "-o",
        path_str(&dir.path().join("v.md")),
    ]);
    assert_eq!(out.status.code(), Some(2));

    let yaml = dir.path().join("katalog.yml");
    let out = run(&["catalog", "export", "-o", path_str(&yaml)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&yaml).unwrap(),
        stdout_of(&["catalog", "export", "--format", "yaml"])
    );
    let json = dir.path().join("katalog.json");
    assert!(
        run(&["catalog", "export", "-o", path_str(&json)])
            .status
            .success()
    );
    serde_json::from_slice::<serde_json::Value>(&std::fs::read(&json).unwrap()).unwrap();
    for (args, file) in [
        (&["--format", "csv"][..], "katalog.json"),
        (&[][..], "katalog.txt"),
        (&[][..], "katalog.xlsx"),
    ] {
        let path = dir.path().join(file);
        std::fs::remove_file(&path).ok();
        let mut all = vec!["catalog", "export", "-o", path_str(&path)];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(!path.exists());
    }
}

#[test]
fn batch_mode_writes_html_handouts_unless_format_says_otherwise() {
    let dir = temp_dir();
    let out_dir = dir.path().join("handouts");
    let out = run(&[
        "recommend",
        "examples/familiengruppe.toml",
        EXAMPLE,
        "--out-dir",
        path_str(&out_dir),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["familiengruppe.html", "verwaltung.html"]);
    assert_eq!(
        std::fs::read(out_dir.join("verwaltung.html")).unwrap(),
        stdout_of(&["recommend", EXAMPLE, "--format", "html"]),
        "the handout a single run writes"
    );
    let csv_dir = dir.path().join("tables");
    let out = run(&[
        "recommend",
        EXAMPLE,
        "examples/familiengruppe.toml",
        "--format",
        "csv",
        "--out-dir",
        path_str(&csv_dir),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(csv_dir.join("verwaltung.csv").exists());
    assert!(csv_dir.join("familiengruppe.csv").exists());
    // The annex is a document too, so batch mode can write it without --format.
    let annex_dir = dir.path().join("annex");
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--annex",
        "--out-dir",
        path_str(&annex_dir),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(annex_dir.join("verwaltung.html")).unwrap(),
        stdout_of(&["recommend", EXAMPLE, "--format", "html", "--annex"])
    );
}

/// Every line ends with CRLF, and no line feed stands alone outside a quoted cell.
fn assert_crlf(bytes: &[u8]) {
    assert!(bytes.ends_with(b"\r\n"));
    let text = std::str::from_utf8(bytes).unwrap();
    let mut quoted = false;
    let mut previous = ' ';
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == '\n' && !quoted {
            assert_eq!(previous, '\r', "a line ends with a bare line feed");
        }
        previous = c;
    }
}

fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column<'r>(rows: &'r [Vec<String>], name: &str) -> Vec<&'r str> {
    let i = rows[0].iter().position(|h| h == name).unwrap();
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

#[test]
fn german_csv_opens_in_excel_by_a_double_click() {
    let dir = temp_dir();
    let catalog = catalog_with_a_decimal_price(dir.path());
    let file = dir.path().join("tabelle.csv");
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--catalog",
        path_str(&catalog),
        "-o",
        path_str(&file),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(BOM), "UTF-8 with BOM, so umlauts survive");
    assert!(bytes[3..].starts_with(b"rank;tool;name;offering;"));
    assert_crlf(&bytes);
    let rows = records(&bytes, b';');
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width), "one cell per column");
    let scores = column(&rows, "score");
    assert!(scores.contains(&"84,89"), "decimal comma: {scores:?}");
    assert!(scores.iter().all(|s| !s.contains('.')));
    assert!(column(&rows, "price_eur_month").contains(&"12,5"));
    assert!(column(&rows, "features").iter().any(|s| s.contains(',')));
    assert!(
        String::from_utf8_lossy(&bytes).contains("Klären Sie"),
        "German text"
    );
}

#[test]
fn english_csv_is_rfc4180() {
    let dir = temp_dir();
    let catalog = catalog_with_a_decimal_price(dir.path());
    let bytes = stdout_of(&[
        "recommend",
        EXAMPLE,
        "--catalog",
        path_str(&catalog),
        "--format",
        "csv",
        "--lang",
        "en",
    ]);
    assert!(!bytes.starts_with(BOM));
    assert!(bytes.starts_with(b"rank,tool,name,offering,"));
    assert_crlf(&bytes);
    let rows = records(&bytes, b',');
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    assert!(column(&rows, "score").contains(&"84.89"));
    assert!(column(&rows, "price_eur_month").contains(&"12.5"));
}

#[test]
fn the_csv_dialect_can_be_chosen_and_only_for_csv() {
    let german_rfc = stdout_of(&[
        "recommend",
        EXAMPLE,
        "--format",
        "csv",
        "--csv-dialect",
        "rfc4180",
    ]);
    assert!(german_rfc.starts_with(b"rank,tool,"));
    assert!(String::from_utf8_lossy(&german_rfc).contains("Klären Sie"));
    let english_excel = stdout_of(&[
        "recommend",
        EXAMPLE,
        "--format",
        "csv",
        "--lang",
        "en",
        "--csv-dialect",
        "excel",
    ]);
    assert!(english_excel.starts_with(b"\xEF\xBB\xBFrank;tool;"));
    assert!(String::from_utf8_lossy(&english_excel).contains(";84,89;"));

    let dir = temp_dir();
    let file = dir.path().join("handout.html");
    let out = run(&[
        "recommend",
        EXAMPLE,
        "--csv-dialect",
        "excel",
        "-o",
        path_str(&file),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!file.exists());
    assert!(stderr(&out).contains("--csv-dialect gilt nur für CSV"));
}

#[test]
fn csv_cells_never_start_a_formula_in_either_dialect() {
    let dir = temp_dir();
    let catalog = dir.path().join("catalog");
    std::fs::create_dir(&catalog).unwrap();
    let tool = std::fs::read_to_string("tests/fixtures/catalog/kontaktstelle-bbb.toml")
        .unwrap()
        .replace(
            "name = \"BigBlueButton der Kontaktstelle\"",
            "name = \"=cmd|' /C calc'!A0;-1\"",
        )
        .replace(
            "Our contact office's BigBlueButton server",
            "'quoted; our contact office's BigBlueButton server",
        );
    std::fs::write(catalog.join("kontaktstelle-bbb.toml"), tool).unwrap();
    for (lang, delimiter) in [("de", b';'), ("en", b',')] {
        let export = stdout_of(&[
            "catalog",
            "export",
            "--catalog",
            path_str(&catalog),
            "--lang",
            lang,
        ]);
        let report = stdout_of(&[
            "recommend",
            EXAMPLE,
            "--catalog",
            path_str(&catalog),
            "--format",
            "csv",
            "--lang",
            lang,
        ]);
        for bytes in [&export, &report] {
            for row in records(bytes, delimiter) {
                for cell in row {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{lang}: formula cell {cell:?}"
                    );
                }
            }
        }
        // Import takes off exactly the apostrophe export put in front.
        let file = dir.path().join(format!("export-{lang}.csv"));
        std::fs::write(&file, &export).unwrap();
        let imported = dir.path().join(format!("imported-{lang}"));
        let out = run(&[
            "catalog",
            "import",
            path_str(&file),
            "--out-dir",
            path_str(&imported),
        ]);
        assert!(out.status.success(), "{lang}: {}", stderr(&out));
        let back = std::fs::read_to_string(imported.join("kontaktstelle-bbb.toml")).unwrap();
        assert!(back.contains("name = \"=cmd|' /C calc'!A0;-1\""), "{back}");
        assert!(
            back.contains("en = \"'quoted; our contact office's"),
            "{back}"
        );
    }
}

fn import(csv: &Path, out_dir: &Path) -> Output {
    run(&[
        "catalog",
        "import",
        path_str(csv),
        "--out-dir",
        path_str(out_dir),
    ])
}

/// The `(file name, text)` of every file in a folder.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn catalog_export_in_both_dialects_imports_to_the_same_catalog() {
    let dir = temp_dir();
    let catalog = catalog_with_a_decimal_price(dir.path());
    let excel = dir.path().join("katalog.csv");
    let rfc = dir.path().join("catalog.csv");
    for (file, lang) in [(&excel, "de"), (&rfc, "en")] {
        let out = run(&[
            "catalog",
            "export",
            "--catalog",
            path_str(&catalog),
            "--lang",
            lang,
            "-o",
            path_str(file),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let excel_bytes = std::fs::read(&excel).unwrap();
    assert!(excel_bytes.starts_with(b"\xEF\xBB\xBFtool;name;kind;"));
    assert_crlf(&excel_bytes);
    let rows = records(&excel_bytes, b';');
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    assert!(column(&rows, "price_eur_month").contains(&"12,5"));
    let rfc_bytes = std::fs::read(&rfc).unwrap();
    assert!(rfc_bytes.starts_with(b"tool,name,kind,"));
    assert!(column(&records(&rfc_bytes, b','), "price_eur_month").contains(&"12.5"));

    let from_excel = dir.path().join("from-excel");
    let from_rfc = dir.path().join("from-rfc");
    for (file, out_dir) in [(&excel, &from_excel), (&rfc, &from_rfc)] {
        let out = import(file, out_dir);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let a = files(&from_excel);
    assert_eq!(a, files(&from_rfc), "both dialects give the same files");
    let (_, bbb) = a
        .iter()
        .find(|(name, _)| name == "kontaktstelle-bbb.toml")
        .unwrap();
    assert!(bbb.contains("value = 12.5"), "{bbb}");
    // Saved by Excel without the BOM, and a price typed with a decimal comma: still read.
    let edited = String::from_utf8(excel_bytes[3..].to_vec())
        .unwrap()
        .replace(";12,5;", ";7,25;");
    assert!(edited.contains(";7,25;"));
    let edited_file = dir.path().join("bearbeitet.csv");
    std::fs::write(&edited_file, edited).unwrap();
    let again = dir.path().join("again");
    let out = import(&edited_file, &again);
    assert!(out.status.success(), "{}", stderr(&out));
    let bbb = std::fs::read_to_string(again.join("kontaktstelle-bbb.toml")).unwrap();
    assert!(bbb.contains("value = 7.25"), "{bbb}");
}

#[test]
fn a_broken_row_of_an_excel_file_is_named_by_its_line_and_nothing_is_written() {
    let dir = temp_dir();
    let excel = dir.path().join("katalog.csv");
    let out = run(&["catalog", "export", "-o", path_str(&excel)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&excel).unwrap();
    let mut rows: Vec<&str> = text.split("\r\n").collect();
    // The third record loses its tool id; cells with line breaks would move its line.
    let line = rows[..2]
        .iter()
        .map(|r| r.matches('\n').count() + 1)
        .sum::<usize>()
        + 1;
    let third = rows[2];
    rows[2] = &third[third.find(';').unwrap()..];
    let file = dir.path().join("kaputt.csv");
    std::fs::write(&file, rows.join("\r\n")).unwrap();
    let out_dir = dir.path().join("imported");
    let out = import(&file, &out_dir);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}:{line}:1", file.display()))
            && err.contains("`tool` column is empty"),
        "{err}"
    );
    assert!(
        !out_dir.exists() || std::fs::read_dir(&out_dir).unwrap().count() == 0,
        "all or nothing"
    );
}
