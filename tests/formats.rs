//! Output files that open where people click: `-o FILE` takes the format from the file's
//! extension (a contradicting `--format` or an unknown extension is a usage error, exit code 2,
//! and nothing is written), and batch mode writes HTML handouts.

mod common;
use common::{konf_wahl, temp_dir};

use std::path::Path;
use std::process::Output;

const EXAMPLE: &str = "examples/verwaltung.toml";

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
