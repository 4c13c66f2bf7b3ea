//! Hostile files and output paths, each a reproduction of a reported attack: planted links at
//! the temporary name, devices and FIFOs as inputs and outputs, memory bombs in templates,
//! markup and formulas in names, terminal escape sequences, a broken stderr, racing runs.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::time::{Duration, Instant};

use common::{konf_wahl, large_catalog, recommend_with_cache, temp_dir};

const EXAMPLE: &str = "examples/familiengruppe.toml";

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// Runs and gives (exit code, stdout, stderr), failing the test if it takes over 20 s.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let started = Instant::now();
    let out = konf_wahl()
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{args:?} hangs"
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn answers_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn the_temporary_file_is_not_predictable_and_planted_links_are_not_followed() {
    let dir = temp_dir();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    // The old scheme's temporary names, for this and nearby process ids.
    for pid in 0..64_u32 {
        let _ = symlink(&victim, dir.path().join(format!(".out.html.tmp-{pid}")));
    }
    let out = dir.path().join("out.html");
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(std::fs::read_to_string(&out).unwrap().contains("<html"));
}

#[test]
fn a_device_at_the_output_path_is_written_to_not_replaced() {
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "json",
        "-o",
        "/dev/null",
        "--force",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null is still a device");
    // A FIFO without a reader is refused at once rather than waited on.
    let dir = temp_dir();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "-o",
        fifo.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("FIFO (benannte Pipe), aus der gerade niemand liest"),
        "{err}"
    );
}

#[test]
fn inputs_that_are_not_regular_files_are_refused_at_once() {
    let dir = temp_dir();
    let zero = dir.path().join("answers.toml");
    symlink("/dev/zero", &zero).unwrap();
    let (code, _, err) = run(&["recommend", zero.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("keine gewöhnliche Datei"), "{err}");
    let fifo = dir.path().join("fifo.toml");
    mkfifo(&fifo);
    let (code, _, err) = run(&["recommend", fifo.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("keine gewöhnliche Datei"), "{err}");
    let (code, _, err) = run(&["check", "--criteria", zero.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("keine gewöhnliche Datei"), "{err}");
    let (code, _, err) = run(&[
        "catalog",
        "import",
        fifo.to_str().unwrap(),
        "--out-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("keine gewöhnliche Datei"), "{err}");
}

#[test]
fn a_template_that_doubles_a_string_runs_out_of_fuel_not_memory() {
    let dir = temp_dir();
    std::fs::write(
        dir.path().join("report.html.j2"),
        "{% set ns = namespace(s=\"xxxxxxxx\") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "html",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("ran out of fuel"), "{err}");
}

#[test]
fn a_checklist_condition_that_would_loop_is_refused_when_loaded() {
    // Conditions are rule expressions: no loops, no `range`, so nothing can run for long.
    let dir = temp_dir();
    let shipped = std::fs::read_to_string("templates/checklist.toml").unwrap();
    let hostile = shipped.replacen(
        "when = \"a.confidentiality != 'public'\"",
        "when = \"range(100000)|map('string')|join|length > 0 and range(100000)|map('string')|join|length > 0\"",
        1,
    );
    assert_ne!(shipped, hostile);
    std::fs::write(dir.path().join("checklist.toml"), hostile).unwrap();
    let started = Instant::now();
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "html",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("checklist.toml"), "{err}");
    assert!(err.contains("unknown function `range`"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn markdown_gets_no_live_html_links_or_headings_from_names() {
    let dir = temp_dir();
    let answers = answers_file(
        dir.path(),
        "a.toml",
        "group = \"Eltern <script>alert(1)</script>\\n\\n# Übernommen\\n<img src=x onerror=alert(2)> [klick](javascript:alert(3))\"\nparticipants = 8\n",
    );
    let (code, md, err) = run(&["recommend", &answers, "--format", "markdown"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!md.contains("<script>"), "raw script tag in Markdown");
    assert!(
        !md.replace("\\<", "").contains("<img"),
        "raw img tag in Markdown"
    );
    assert!(!md.contains("[klick](javascript"), "live link in Markdown");
    assert!(
        !md.lines().any(|l| l.starts_with("# Übernommen")),
        "a name adds a heading"
    );
    assert!(
        md.contains("Eltern \\<script\\>"),
        "the name is shown, escaped"
    );
}

#[test]
fn csv_cells_never_start_a_formula() {
    let dir = temp_dir();
    let answers = answers_file(
        dir.path(),
        "a.toml",
        "group = \"=HYPERLINK(1)\"\nparticipants = 8\n",
    );
    let catalog = dir.path().join("cat");
    std::fs::create_dir(&catalog).unwrap();
    let tool = std::fs::read_to_string("tests/fixtures/catalog/kontaktstelle-bbb.toml")
        .unwrap()
        .replace(
            "name = \"BigBlueButton der Kontaktstelle\"",
            "name = \"=cmd|' /C calc'!A0\"",
        );
    std::fs::write(catalog.join("kontaktstelle-bbb.toml"), tool).unwrap();
    let cat = catalog.to_str().unwrap();
    let (code, csv, err) = run(&["recommend", &answers, "--format", "csv", "--catalog", cat]);
    assert_eq!(code, Some(0), "{err}");
    let (code, export, err) = run(&["catalog", "export", "--catalog", cat]);
    assert_eq!(code, Some(0), "{err}");
    for text in [&csv, &export] {
        // German CSV is Excel's dialect (BOM, `;`); tests/formats.rs checks both dialects.
        let text = text
            .strip_prefix('\u{feff}')
            .expect("German CSV starts with a BOM");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "formula cell {cell:?}"
                );
            }
        }
    }
    assert!(export.contains("'=cmd"), "the name is kept as text");
    // Export, then import: the apostrophe does not end up in the catalog.
    let csv_file = dir.path().join("catalog.csv");
    std::fs::write(&csv_file, &export).unwrap();
    let imported = dir.path().join("imported");
    let (code, _, err) = run(&[
        "catalog",
        "import",
        csv_file.to_str().unwrap(),
        "--out-dir",
        imported.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let back = std::fs::read_to_string(imported.join("kontaktstelle-bbb.toml")).unwrap();
    assert!(back.contains("name = \"=cmd|' /C calc'!A0\""), "{back}");
}

#[test]
fn terminal_output_carries_no_escape_sequences() {
    let dir = temp_dir();
    let answers = answers_file(
        dir.path(),
        "a.toml",
        "group = \"Gruppe\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\"\nparticipants = 8\n",
    );
    let (code, out, err) = run(&["recommend", &answers]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{9b}') && !out.contains('\u{7}'));
    assert!(out.contains("Gruppe␛]0;pwned␇"), "shown visibly");
    // In a catalog text and in an error message too.
    let catalog = dir.path().join("cat");
    std::fs::create_dir(&catalog).unwrap();
    let tool = std::fs::read_to_string("tests/fixtures/catalog/kontaktstelle-bbb.toml")
        .unwrap()
        .replace(
            "name = \"BigBlueButton der Kontaktstelle\"",
            "name = \"BBB\\u001b[31m\"",
        );
    std::fs::write(catalog.join("kontaktstelle-bbb.toml"), tool).unwrap();
    for args in [
        vec!["list", "--catalog", catalog.to_str().unwrap()],
        vec![
            "show",
            "kontaktstelle-bbb",
            "--catalog",
            catalog.to_str().unwrap(),
        ],
        vec![
            "compare",
            "kontaktstelle-bbb",
            "zoom",
            "--catalog",
            catalog.to_str().unwrap(),
        ],
        vec![
            "why",
            "kontaktstelle-bbb",
            EXAMPLE,
            "--catalog",
            catalog.to_str().unwrap(),
        ],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(!out.contains('\u{1b}'), "{args:?}");
    }
    let bad = answers_file(
        dir.path(),
        "b.toml",
        "participants = 8\nforbidden_tools = [\"zo\\u001b[2Jom\"]\n",
    );
    let (code, _, err) = run(&["recommend", &bad]);
    assert_eq!(code, Some(1));
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn a_broken_stderr_or_stdout_is_an_exit_code_not_a_panic() {
    // stderr closed: the error is not printed, the exit code still says so.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("konf-wahl"))
        .args(["recommend", "no-such-file.toml"])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(out.code(), Some(1));
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let help = std::process::Command::new(assert_cmd::cargo::cargo_bin("konf-wahl"))
        .arg("--help")
        .stdout(full)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        help.code(),
        Some(1),
        "help that could not be written is an error"
    );
    let closed = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} recommend no-such-file.toml 2>&-",
            assert_cmd::cargo::cargo_bin("konf-wahl").display()
        ))
        .status()
        .unwrap();
    assert_eq!(closed.code(), Some(1), "no panic (101) on a closed stderr");
}

#[test]
fn max_age_is_bounded_instead_of_wrapping() {
    let (code, _, err) = run(&["check", "--max-age", "2147483648"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("von 0 bis 1200"), "{err}");
    let (code, _, _) = run(&["check", "--max-age", "1200"]);
    assert_eq!(code, Some(0));
}

#[test]
fn two_runs_racing_for_one_new_file_cannot_both_win() {
    let dir = temp_dir();
    let out = dir.path().join("handout.html");
    let target = out.to_str().unwrap().to_string();
    let bin = assert_cmd::cargo::cargo_bin("konf-wahl");
    let mut children: Vec<std::process::Child> = (0..8)
        .map(|_| {
            std::process::Command::new(&bin)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["recommend", EXAMPLE, "--format", "html", "-o", &target])
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let ok = children
        .iter_mut()
        .map(|c| c.wait().unwrap().success())
        .filter(|won| *won)
        .count();
    assert_eq!(ok, 1, "exactly one run writes the new file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn force_keeps_mode_and_owner_and_never_replaces_links() {
    let dir = temp_dir();
    let out = dir.path().join("handout.md");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let before = std::fs::metadata(&out).unwrap();
    let path = out.to_str().unwrap();
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "markdown",
        "-o",
        path,
        "--force",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let after = std::fs::metadata(&out).unwrap();
    assert_eq!(after.permissions().mode() & 0o777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    // A second name (hard link) is not silently separated.
    let second = dir.path().join("copy.md");
    std::fs::hard_link(&out, &second).unwrap();
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "markdown",
        "-o",
        path,
        "--force",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("harte Links"), "{err}");
    // A dangling link at the name is not replaced, with or without --force.
    let dangling = dir.path().join("dangling.html");
    symlink(dir.path().join("nowhere"), &dangling).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "recommend",
            EXAMPLE,
            "--format",
            "html",
            "-o",
            dangling.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let (code, _, _) = run(&args);
        assert_eq!(code, Some(1), "force = {force}");
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            !dir.path().join("nowhere").exists(),
            "nothing written through the link"
        );
    }
}

#[test]
fn a_long_legal_file_name_is_written() {
    let dir = temp_dir();
    let name = format!("{}.html", "h".repeat(245));
    assert_eq!(name.len(), 250);
    let out = dir.path().join(&name);
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_file());
}

#[test]
fn catalog_import_writes_all_files_or_none() {
    let dir = temp_dir();
    let csv = dir.path().join("catalog.csv");
    let (code, _, err) = run(&["catalog", "export", "-o", csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let target = dir.path().join("imported");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("zoom.toml"), "mine").unwrap();
    let (code, _, err) = run(&[
        "catalog",
        "import",
        csv.to_str().unwrap(),
        "--out-dir",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("zoom.toml gibt es schon"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&target).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing else was written");
    assert_eq!(
        std::fs::read_to_string(target.join("zoom.toml")).unwrap(),
        "mine"
    );
}

#[test]
fn a_bad_set_value_is_blamed_on_the_option_not_on_the_file() {
    let (code, _, err) = run(&["recommend", EXAMPLE, "--set", "budget_eur_per_month=-5"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("Fehler: --set budget_eur_per_month=-5:"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "recommend",
        EXAMPLE,
        "--set",
        "devices=computer",
        "--set",
        "participants=abc",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("Fehler: --set participants=abc:"), "{err}");
}

#[test]
fn the_catalog_cache_is_not_written_through_a_planted_link_nor_read_from_a_shared_folder() {
    let catalog = large_catalog(konf_wahl::folder_cache::MIN_FILES);
    let cache = temp_dir();
    let run = || {
        let out = recommend_with_cache(catalog.path(), cache.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run();
    let entries: Vec<_> = std::fs::read_dir(cache.path()).unwrap().collect();
    assert_eq!(entries.len(), 1);
    let cache_file = entries[0].as_ref().unwrap().path();
    assert_eq!(
        std::fs::metadata(&cache_file).unwrap().mode() & 0o777,
        0o600
    );

    // A link in place of the cache file: not read, not written through, replaced.
    let victim = cache.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::fs::remove_file(&cache_file).unwrap();
    symlink(&victim, &cache_file).unwrap();
    assert_eq!(run(), first);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(std::fs::symlink_metadata(&cache_file).unwrap().is_file());

    // A cache folder others may write to is neither read nor written.
    std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let before = std::fs::read(&cache_file).unwrap();
    std::fs::write(&cache_file, b"konf-wahl catalog cache 4\ngarbage").unwrap();
    assert_eq!(run(), first);
    assert_eq!(
        std::fs::read(&cache_file).unwrap(),
        b"konf-wahl catalog cache 4\ngarbage"
    );
    assert_ne!(before.len(), 0);
}
