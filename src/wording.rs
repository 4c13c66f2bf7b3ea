//! The wording layer: every sentence the terminal shows (help, errors, warnings, progress,
//! summaries, the questionnaire, table labels) and every sentence the engine hands to the
//! renderers, in German and English, from the files under `wording/`. Code names a key and
//! fills in values; it never spells out a sentence itself, so a text is changed in one place
//! and both languages stay side by side. (The handouts' own texts are `templates/strings.toml`,
//! which an office may replace.)
//!
//! A text is `key = { de = "…", en = "…" }`; `{name}` marks a value filled in by [`fill`] or
//! [`say!`]. The build checks that each key is defined once, in its file, with both languages
//! and the same placeholders in each; tests check that every key the code names exists and
//! that every key in the files is used.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::vocab::Lang;

/// The wording files: each key prefix has its file, every other key is in `wording/cli.toml`.
/// build.rs reads them, checks them (each key once and in its file, both languages present
/// with the same placeholders) and writes one table sorted by key, which the binary embeds:
/// no run parses wording text.
pub const FILES: &[(&str, &str)] = &[
    ("help.", "wording/help.toml"),
    ("init.", "wording/questionnaire.toml"),
    ("output.", "wording/output.toml"),
    ("term.", "wording/terminal.toml"),
    ("office.", "wording/office.toml"),
    ("advice.", "wording/advice.toml"),
    ("serve.", "wording/serve.toml"),
    ("", "wording/cli.toml"),
];

/// The file that holds `key`.
pub fn file_of(key: &str) -> &'static str {
    FILES
        .iter()
        .find(|(prefix, _)| key.starts_with(prefix))
        .map(|(_, file)| *file)
        .expect("the last prefix is empty and matches every key")
}

/// One text: key, German, English.
pub type Entry = (&'static str, &'static str, &'static str);

fn lookup(key: &str) -> Option<&'static Entry> {
    let texts = crate::wording_table::texts();
    texts
        .binary_search_by(|(k, _, _)| (*k).cmp(key))
        .ok()
        .map(|i| &texts[i])
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.insert(&rest[start + 1..start + end]);
        rest = &rest[start + end + 1..];
    }
    out
}

/// The texts of the wording files (file name, its table) as one table sorted by key, or
/// everything wrong with them: a key in two files or in the wrong one, an empty language,
/// placeholders that differ between the languages. build.rs makes the binary's table with it.
pub fn merge_files(
    files: Vec<(&str, std::collections::BTreeMap<String, crate::vocab::Text>)>,
) -> Result<Vec<(String, crate::vocab::Text)>, Vec<String>> {
    let mut all = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for (name, texts) in files {
        for (key, text) in texts {
            if file_of(&key) != name {
                problems.push(format!("{name}: `{key}` belongs in {}", file_of(&key)));
            }
            if text.de.trim().is_empty() || text.en.trim().is_empty() {
                problems.push(format!(
                    "{name}: `{key}` needs a German and an English text"
                ));
            }
            if placeholders(&text.de) != placeholders(&text.en) {
                problems.push(format!(
                    "{name}: `{key}` has different placeholders in German and English"
                ));
            }
            if all.insert(key.clone(), text).is_some() {
                problems.push(format!("{name}: `{key}` is defined twice"));
            }
        }
    }
    if problems.is_empty() {
        Ok(all.into_iter().collect())
    } else {
        Err(problems)
    }
}

/// The text of `key` in `lang`; the key itself if there is no such text (a test makes sure
/// that never happens in a release).
pub fn text(lang: Lang, key: &str) -> &'static str {
    match lookup(key) {
        Some((_, de, en)) => match lang {
            Lang::De => de,
            Lang::En => en,
        },
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
    use crate::vocab::Text;
    use std::collections::{BTreeMap, BTreeSet};

    /// The wording files as build.rs reads them.
    fn files() -> Vec<(&'static str, BTreeMap<String, Text>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        FILES
            .iter()
            .map(|(_, name)| {
                let text = std::fs::read_to_string(root.join(name)).unwrap();
                (
                    *name,
                    toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}")),
                )
            })
            .collect()
    }

    #[test]
    fn the_binary_carries_every_text_of_the_files_sorted_by_key() {
        let merged = merge_files(files()).unwrap_or_else(|p| panic!("{}", p.join("\n")));
        let carried: Vec<(String, Text)> = crate::wording_table::texts()
            .iter()
            .map(|(k, de, en)| {
                let text = Text {
                    de: de.to_string(),
                    en: en.to_string(),
                };
                (k.to_string(), text)
            })
            .collect();
        assert_eq!(carried, merged);
        assert_eq!(text(Lang::En, "error.prefix"), "error");
    }

    #[test]
    fn broken_wording_files_are_refused_with_every_problem() {
        let text = |de: &str, en: &str| Text {
            de: de.into(),
            en: en.into(),
        };
        let cli = BTreeMap::from([
            ("error.prefix".to_string(), text("Fehler", "error")),
            ("a.b".to_string(), text("{n} Tools", "{count} tools")),
            ("help.x".to_string(), text("Hilfe", "help")),
        ]);
        let help = BTreeMap::from([("help.x".to_string(), text("Hilfe", " "))]);
        let problems =
            merge_files(vec![("wording/cli.toml", cli), ("wording/help.toml", help)]).unwrap_err();
        assert_eq!(
            problems,
            [
                "wording/cli.toml: `a.b` has different placeholders in German and English",
                "wording/cli.toml: `help.x` belongs in wording/help.toml",
                "wording/help.toml: `help.x` needs a German and an English text",
                "wording/help.toml: `help.x` is defined twice",
            ]
        );
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
                lookup(key).is_some(),
                "the code names `{key}`, which no wording file has"
            );
        }
        for (key, _, _) in crate::wording_table::texts() {
            // Help texts are looked up by command and option name (`help.recommend.format`).
            if key.starts_with("help.") {
                continue;
            }
            assert!(
                used.contains(*key),
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
