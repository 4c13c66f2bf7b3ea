//! The wording layer: every sentence the terminal shows (help, errors, warnings, progress,
//! summaries, the questionnaire, table labels) and every sentence the engine hands to the
//! renderers, in German and English, from the files under `wording/`. Code names a key and
//! fills in values; it never spells out a sentence itself, so a text is changed in one place
//! and both languages stay side by side. (The handouts' own texts are `templates/strings.toml`,
//! which an office may replace.)
//!
//! A text is `key = { de = "…", en = "…" }`; `{name}` marks a value filled in by [`fill`] or
//! [`say!`]. Tests check that both languages have the same placeholders, that every key the
//! code names exists and that every key in the files is used.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::vocab::{Lang, Text};

/// The wording files, embedded.
pub const FILES: &[(&str, &str)] = &[
    ("wording/cli.toml", include_str!("../wording/cli.toml")),
    ("wording/help.toml", include_str!("../wording/help.toml")),
    (
        "wording/questionnaire.toml",
        include_str!("../wording/questionnaire.toml"),
    ),
    (
        "wording/output.toml",
        include_str!("../wording/output.toml"),
    ),
    (
        "wording/terminal.toml",
        include_str!("../wording/terminal.toml"),
    ),
    (
        "wording/office.toml",
        include_str!("../wording/office.toml"),
    ),
    (
        "wording/advice.toml",
        include_str!("../wording/advice.toml"),
    ),
    ("wording/serve.toml", include_str!("../wording/serve.toml")),
];

/// Which of [`FILES`] holds the keys starting with a prefix; every other key is in
/// `wording/cli.toml` (a test checks that each key is in its file). A run parses only the
/// files whose texts it uses: `recommend` never reads the questionnaire's.
const PREFIXES: &[(&str, usize)] = &[
    ("help.", 1),
    ("init.", 2),
    ("output.", 3),
    ("term.", 4),
    ("office.", 5),
    ("advice.", 6),
    ("serve.", 7),
];

fn file_of(key: &str) -> usize {
    PREFIXES
        .iter()
        .find(|(prefix, _)| key.starts_with(prefix))
        .map_or(0, |(_, file)| *file)
}

/// The texts of `FILES[index]`, parsed when first needed.
fn part(index: usize) -> &'static BTreeMap<String, Text> {
    static PARTS: [OnceLock<BTreeMap<String, Text>>; FILES.len()] =
        [const { OnceLock::new() }; FILES.len()];
    PARTS[index].get_or_init(|| {
        let (name, text) = FILES[index];
        // The files are part of the build and checked by the tests below: a broken one
        // is a bug in this program, not in anyone's input.
        toml::from_str(text).unwrap_or_else(|e| panic!("{name} is not a valid wording file: {e}"))
    })
}

fn lookup(key: &str) -> Option<&'static Text> {
    part(file_of(key)).get(key)
}

/// Every text of every file (for the tests).
#[cfg(test)]
fn table() -> BTreeMap<String, Text> {
    (0..FILES.len()).flat_map(|i| part(i).clone()).collect()
}

/// The text of `key` in `lang`; the key itself if there is no such text (a test makes sure
/// that never happens in a release).
pub fn text(lang: Lang, key: &str) -> &'static str {
    match lookup(key) {
        Some(t) => t.get(lang),
        None => {
            debug_assert!(false, "no wording for `{key}`");
            ""
        }
    }
}

/// Whether `key` has a text (for help texts looked up by command and option name).
pub fn has(key: &str) -> bool {
    lookup(key).is_some()
}

/// The text of `key` with every `{name}` replaced by its value.
pub fn fill(lang: Lang, key: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = text(lang, key).to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// A sentence from the wording layer: `say!(lang, "key")` or
/// `say!(lang, "key", name = value, …)` fills `{name}` with `value`.
#[macro_export]
macro_rules! say {
    ($lang:expr, $key:literal) => {
        $crate::wording::text($lang, $key).to_string()
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::wording::fill($lang, $key, &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}

static MESSAGES: AtomicU8 = AtomicU8::new(0);

/// The language of terminal messages for this run: set once from `--lang` or the locale.
pub fn set_messages_lang(lang: Lang) {
    MESSAGES.store(
        match lang {
            Lang::De => 1,
            Lang::En => 2,
        },
        Ordering::Relaxed,
    );
}

/// The language of terminal messages: what [`set_messages_lang`] set, else the locale.
pub fn messages_lang() -> Lang {
    match MESSAGES.load(Ordering::Relaxed) {
        1 => Lang::De,
        2 => Lang::En,
        // Unit tests must not depend on the developer's locale.
        _ if cfg!(test) => Lang::De,
        _ => locale_lang(|k| std::env::var(k).ok()),
    }
}

/// German unless the locale asks for English: the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
/// that is set and not empty decides (POSIX order); `en`, `en_GB.UTF-8`, … mean English.
pub fn locale_lang(var: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| var(k).filter(|v| !v.is_empty()));
    match locale {
        Some(l)
            if l == "en"
                || l.starts_with("en_")
                || l.starts_with("en.")
                || l.starts_with("en-") =>
        {
            Lang::En
        }
        _ => Lang::De,
    }
}

/// The language the command line asks for: `--lang en|de` (or `--lang=…`) anywhere before
/// `--`, else the locale. Read before clap parses, so help and usage errors are in it too.
pub fn requested_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--lang" {
            it.next().map(|v| v.to_string())
        } else {
            arg.strip_prefix("--lang=").map(str::to_string)
        };
        match value.as_deref() {
            Some("en") => return Lang::En,
            Some("de") => return Lang::De,
            _ => {}
        }
    }
    locale_lang(|k| std::env::var(k).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            out.insert(rest[start + 1..start + end].to_string());
            rest = &rest[start + end + 1..];
        }
        out
    }

    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        for (name, text) in FILES {
            let part: BTreeMap<String, Text> =
                toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            for (key, t) in &part {
                assert!(
                    !t.de.trim().is_empty() && !t.en.trim().is_empty(),
                    "{name}: {key}"
                );
                assert_eq!(placeholders(&t.de), placeholders(&t.en), "{name}: {key}");
            }
        }
        let total: usize = FILES
            .iter()
            .map(|(_, t)| toml::from_str::<BTreeMap<String, Text>>(t).unwrap().len())
            .sum();
        assert_eq!(
            total,
            table().len(),
            "a key is defined in two wording files"
        );
        for (i, (name, _)) in FILES.iter().enumerate() {
            for key in part(i).keys() {
                assert_eq!(
                    file_of(key),
                    i,
                    "{name}: `{key}` belongs in {}",
                    FILES[file_of(key)].0
                );
            }
        }
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Keys named in the code: the string literal right after `say!(lang, ` or
    /// `wording::text(lang, ` / `wording::fill(lang, `.
    fn keys_in_code() -> BTreeSet<String> {
        let mut files = Vec::new();
        rust_files(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src")
                .as_path(),
            &mut files,
        );
        let mut keys = BTreeSet::new();
        for file in files {
            // This file names keys only in its documentation and tests.
            if file.ends_with("wording.rs") {
                continue;
            }
            let code = std::fs::read_to_string(&file).unwrap();
            for marker in [
                "say!(",
                "wording::text(",
                "wording::fill(",
                "text(lang, ",
                "text(l, ",
            ] {
                let mut rest = code.as_str();
                while let Some(at) = rest.find(marker) {
                    rest = &rest[at + marker.len()..];
                    let mut end = rest.len().min(200);
                    while !rest.is_char_boundary(end) {
                        end -= 1;
                    }
                    let call = &rest[..end];
                    if let Some(q) = call.find('"') {
                        let before = &call[..q];
                        // Only the first string argument right after the language.
                        let direct = marker.ends_with(", ") && before.trim().is_empty();
                        let second =
                            before.matches(',').count() == 1 && before.trim_end().ends_with(',');
                        if direct || second {
                            let key: String =
                                call[q + 1..].chars().take_while(|c| *c != '"').collect();
                            if key.chars().all(|c| {
                                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                            }) && !key.is_empty()
                            {
                                keys.insert(key);
                            }
                        }
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_the_code_names_exists_and_every_text_is_used() {
        let used = keys_in_code();
        for key in &used {
            assert!(
                table().contains_key(key),
                "the code names `{key}`, which no wording file has"
            );
        }
        for key in table().keys() {
            // Help texts are looked up by command and option name (`help.recommend.format`).
            if key.starts_with("help.") {
                continue;
            }
            assert!(
                used.contains(key),
                "`{key}` is in a wording file but the code never uses it"
            );
        }
    }

    #[test]
    fn the_locale_decides_unless_the_command_line_does() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(locale_lang(env(&[])), Lang::De);
        assert_eq!(locale_lang(env(&[("LANG", "en_GB.UTF-8")])), Lang::En);
        assert_eq!(
            locale_lang(env(&[("LANG", "en_GB.UTF-8"), ("LC_ALL", "de_DE.UTF-8")])),
            Lang::De
        );
        assert_eq!(
            locale_lang(env(&[("LC_MESSAGES", "en"), ("LANG", "de_DE")])),
            Lang::En
        );
        assert_eq!(
            locale_lang(env(&[("LC_ALL", ""), ("LANG", "en_US")])),
            Lang::En
        );
        assert_eq!(locale_lang(env(&[("LANG", "C.UTF-8")])), Lang::De);
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            requested_lang(&args(&["konf-wahl", "--lang", "en", "list"])),
            Lang::En
        );
        assert_eq!(
            requested_lang(&args(&["konf-wahl", "list", "--lang=en"])),
            Lang::En
        );
        assert_eq!(
            requested_lang(&args(&["konf-wahl", "--", "--lang", "en"])),
            locale_lang(|k| std::env::var(k).ok())
        );
    }
}
