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
    cmd
}

/// A fresh, empty folder, deleted with everything in it when the value is dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("konf-wahl-test-")
        .tempdir()
        .expect("a temporary folder can be made")
}
