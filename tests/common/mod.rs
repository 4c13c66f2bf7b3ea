//! Helpers shared by the test files that run the real binary. Each file uses some of them.
#![allow(dead_code)]

use assert_cmd::Command;

/// The real binary, run from the repository root, with the environment variables that would
/// change its output removed.
pub fn konf_wahl() -> Command {
    let mut cmd = Command::cargo_bin("konf-wahl").expect("binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd.env_remove("RUST_BACKTRACE");
    // Messages follow the locale; tests start from German, the default.
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        cmd.env_remove(var);
    }
    // The developer's own office profile must not reach the golden files.
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/konf-wahl-tests");
    // Nor may the tests fill the developer's cache; the tests of the cache set their own.
    cmd.env("KONF_WAHL_CACHE", "off");
    cmd
}

/// A catalog folder large enough to be cached: `n` copies of the shipped Jitsi Meet entry,
/// `jitsi-copy-0.toml` and so on.
pub fn large_catalog(n: usize) -> tempfile::TempDir {
    let dir = temp_dir();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog/jitsi-meet.toml"),
    )
    .expect("the shipped Jitsi entry is readable");
    for i in 0..n {
        let id = format!("jitsi-copy-{i}");
        let copy = text.replacen("id = \"jitsi-meet\"", &format!("id = \"{id}\""), 1);
        std::fs::write(dir.path().join(format!("{id}.toml")), copy).unwrap();
    }
    dir
}

/// A fresh, empty folder, deleted with everything in it when the value is dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("konf-wahl-test-")
        .tempdir()
        .expect("a temporary folder can be made")
}

/// `recommend examples/familiengruppe.toml --format json` on a catalog folder, with the
/// catalog cache in `cache` (or `off`).
pub fn recommend_with_cache(
    catalog: &std::path::Path,
    cache: &std::path::Path,
) -> std::process::Output {
    konf_wahl()
        .env("KONF_WAHL_CACHE", cache)
        .args([
            "recommend",
            "examples/familiengruppe.toml",
            "--format",
            "json",
        ])
        .arg("--catalog")
        .arg(catalog)
        .output()
        .unwrap()
}
