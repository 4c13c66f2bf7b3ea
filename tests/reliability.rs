//! Reliability: no network ever (strace), deterministic bytes, batch mode.

mod common;
use common::temp_dir;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("konf-wahl")
}

/// Every subcommand, run under strace: no socket, no connect, ever. `serve` is the one that
/// listens (on 127.0.0.1 only, tested in `tests/serve.rs`), so it is not in this list.
#[test]
fn no_subcommand_opens_a_network_connection() {
    let has_strace = Process::new("strace").arg("-V").output().is_ok();
    if !has_strace {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install strace (see .ci/run)"
        );
        eprintln!("strace is not installed; skipping (CI installs it)");
        return;
    }
    let dir = temp_dir();
    let csv = dir.path().join("catalog.csv");
    let runs: Vec<Vec<String>> = vec![
        vec![
            "recommend".into(),
            "examples/familiengruppe.toml".into(),
            "--explain".into(),
        ],
        vec![
            "recommend".into(),
            "examples/infoabend.yaml".into(),
            "--format".into(),
            "html".into(),
        ],
        vec![
            "recommend".into(),
            "examples/verwaltung.toml".into(),
            "--format".into(),
            "markdown".into(),
        ],
        vec![
            "recommend".into(),
            "examples/telefongruppe.toml".into(),
            "--format".into(),
            "csv".into(),
        ],
        vec![
            "recommend".into(),
            "examples/verwaltung.toml".into(),
            "--format".into(),
            "json".into(),
        ],
        vec![
            "recommend".into(),
            "examples/familiengruppe.toml".into(),
            "examples/verwaltung.toml".into(),
            "--out-dir".into(),
            dir.path().join("batch").display().to_string(),
        ],
        vec!["list".into()],
        vec!["show".into(), "jitsi-meet".into()],
        vec!["check".into()],
        vec![
            "compare".into(),
            "zoom".into(),
            "jitsi-meet".into(),
            "--format".into(),
            "html".into(),
        ],
        vec![
            "why".into(),
            "zoom".into(),
            "examples/familiengruppe.toml".into(),
        ],
        vec!["schema".into(), "catalog".into()],
        vec![
            "catalog".into(),
            "export".into(),
            "-o".into(),
            csv.display().to_string(),
        ],
        vec!["completions".into(), "bash".into()],
        vec!["manpage".into()],
        vec![
            "init".into(),
            dir.path().join("init.toml").display().to_string(),
        ],
    ];
    for args in runs {
        let trace = dir.path().join("trace.txt");
        let out = Process::new("strace")
            .args(["-f", "-qq", "-e", "trace=socket,connect,sendto,bind", "-o"])
            .arg(&trace)
            .arg(bin())
            .args(&args)
            .output()
            .unwrap();
        let text = std::fs::read_to_string(&trace).unwrap_or_default();
        let calls: Vec<&str> = text
            .lines()
            .filter(|l| !l.contains("+++") && !l.contains("---"))
            .collect();
        assert!(
            calls.is_empty(),
            "{args:?} made network calls:\n{}",
            calls.join("\n")
        );
        assert!(out.status.code().is_some(), "{args:?} was killed");
    }
    // The catalog import runs on the exported file.
    let out = Process::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(dir.path().join("trace2.txt"))
        .arg(bin())
        .args(["catalog", "import"])
        .arg(&csv)
        .arg("--out-dir")
        .arg(dir.path().join("imported"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(dir.path().join("trace2.txt"))
            .unwrap()
            .trim()
            .is_empty()
    );
}

#[test]
fn same_input_same_bytes_and_the_date_comes_only_from_the_input() {
    let run = |extra: &[(&str, &str)], args: &[&str]| {
        let mut cmd = Command::cargo_bin("konf-wahl").unwrap();
        cmd.env_remove("SOURCE_DATE_EPOCH")
            .env("LANG", "C")
            .env("TZ", "UTC");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.args(["recommend", "examples/familiengruppe.toml"])
            .args(args)
            .output()
            .unwrap()
            .stdout
    };
    for format in ["html", "markdown", "json", "csv", "table"] {
        let a = run(&[], &["--format", format]);
        let b = run(
            &[("LANG", "de_DE.UTF-8"), ("TZ", "Europe/Berlin")],
            &["--format", format],
        );
        assert_eq!(a, b, "{format}: locale and time zone change nothing");
    }
    let json = String::from_utf8(run(&[], &["--format", "json"])).unwrap();
    assert!(
        json.contains("\"as_of\": \"2026-12-01\""),
        "without a date, the catalog date is used"
    );
    // SOURCE_DATE_EPOCH 1893456000 = 2030-01-01: facts become stale, and the report says so.
    let json = String::from_utf8(run(
        &[("SOURCE_DATE_EPOCH", "1893456000")],
        &["--format", "json"],
    ))
    .unwrap();
    assert!(json.contains("\"as_of\": \"2030-01-01\""));
    assert!(
        json.contains("\"stale_facts\": [\n        \""),
        "old facts are flagged"
    );
    let dated = String::from_utf8(run(&[], &["--format", "json", "--date", "2030-01-01"])).unwrap();
    assert!(dated.contains("\"as_of\": \"2030-01-01\""));
}

#[test]
fn batch_mode_writes_one_handout_per_group_and_a_summary() {
    let dir = temp_dir();
    let out_dir = dir.path().join("handouts");
    let out = Command::cargo_bin("konf-wahl")
        .unwrap()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "examples/infoabend.yaml",
            "--format",
            "html",
            "--out-dir",
        ])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 von 2 Handzetteln"));
    let single = Command::cargo_bin("konf-wahl")
        .unwrap()
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "html",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        std::fs::read(out_dir.join("familiengruppe.html")).unwrap(),
        single,
        "batch output equals a single run"
    );
    assert!(Path::new(&out_dir.join("infoabend.html")).exists());

    // A broken file fails alone; the others are still written; exit code 1.
    std::fs::write(dir.path().join("broken.toml"), "participant = 3\n").unwrap();
    let out = Command::cargo_bin("konf-wahl")
        .unwrap()
        .args(["recommend", "--force", "--out-dir"])
        .arg(&out_dir)
        .arg(dir.path().join("broken.toml"))
        .arg("examples/verwaltung.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.toml:1:1") && err.contains("1 von 2 Handzetteln"),
        "{err}"
    );
    // Without --format, batch mode writes HTML handouts.
    assert!(out_dir.join("verwaltung.html").exists());
    assert!(!out_dir.join("broken.html").exists());
}
