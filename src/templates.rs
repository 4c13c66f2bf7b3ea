//! Handout templates: embedded defaults that a contact office can replace one file at a time
//! with `--templates DIR` (its own name, address and wording), as mdBook does with themes.
//!
//! A template may only load other templates by plain file name from that folder or the
//! builtins: no paths, so a hostile template cannot read files elsewhere, and minijinja has
//! no way to run programs. HTML templates (`*.html.j2`) are auto-escaped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, State, UndefinedBehavior};

use crate::diag::Diagnostic;
use crate::format;
use crate::report::Report;
use crate::vocab::{Lang, Text};

/// The report language a template renders in (its `lang` variable).
pub(crate) fn lang_of(state: &minijinja::State<'_, '_>) -> Lang {
    match state
        .lookup("lang")
        .as_ref()
        .and_then(minijinja::Value::as_str)
    {
        Some("en") => Lang::En,
        _ => Lang::De,
    }
}

/// The fuel of one rendering: the shipped handout needs about 10,000 and one for a catalog of
/// 10,000 tools under 500,000; an override template gets four times the most a real catalog
/// needs, and a string grows to at most 64 bytes per unit.
pub const TEMPLATE_FUEL: u64 = 2_000_000;

/// The shipped templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("report.md.j2", include_str!("../templates/report.md.j2")),
    (
        "report.html.j2",
        include_str!("../templates/report.html.j2"),
    ),
    ("annex.md.j2", include_str!("../templates/annex.md.j2")),
    ("annex.html.j2", include_str!("../templates/annex.html.j2")),
    ("macros.j2", include_str!("../templates/macros.j2")),
    ("styles.css.j2", include_str!("../templates/styles.css.j2")),
    ("compare.md.j2", include_str!("../templates/compare.md.j2")),
    (
        "compare.html.j2",
        include_str!("../templates/compare.html.j2"),
    ),
    ("serve.html.j2", include_str!("../templates/serve.html.j2")),
    (
        "serve_why.html.j2",
        include_str!("../templates/serve_why.html.j2"),
    ),
    ("strings.toml", include_str!("../templates/strings.toml")),
];

/// Templates, with an optional override folder.
pub struct Templates {
    env: Environment<'static>,
    strings: BTreeMap<String, Text>,
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn read_override(dir: Option<&Path>, name: &str) -> Result<Option<String>, Diagnostic> {
    let Some(dir) = dir else { return Ok(None) };
    if !is_plain_name(name) {
        return Ok(None);
    }
    let path: PathBuf = dir.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    crate::source::SourceText::read(&path).map(|s| Some(s.text))
}

fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The shipped `strings.toml`, parsed by build.rs (a broken file fails the build) and embedded
/// in binary form, so a run reads no text for it.
fn shipped_strings() -> BTreeMap<String, Text> {
    static SHIPPED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/strings.bin"));
    postcard::from_bytes(SHIPPED).expect("build.rs wrote the handout texts in this form")
}

/// The handout texts: the shipped `strings.toml`, with the keys of `DIR/strings.toml` (if
/// any) replacing theirs one by one, so an office may change one sentence and keep the rest.
/// A key the shipped file does not have is a typo and named as such.
fn strings(dir: Option<&Path>) -> Result<BTreeMap<String, Text>, Diagnostic> {
    let name = "strings.toml";
    let mut strings = shipped_strings();
    if let Some(dir) = dir {
        let path = dir.join(name);
        if path.is_file() {
            let source = crate::source::SourceText::read(&path)?;
            let own: BTreeMap<String, Text> = source.parse(crate::source::Format::Toml)?;
            let known: Vec<&str> = strings.keys().map(String::as_str).collect();
            if let Some(key) = own.keys().find(|k| !strings.contains_key(*k)) {
                return Err(Diagnostic::new(
                    &source.name,
                    crate::say!(
                        crate::wording::messages_lang(),
                        "templates.unknown_string",
                        key = key
                    ),
                )
                .at(crate::diag::locate_key(&source.text, key, None))
                .suggest(key, &known));
            }
            strings.extend(own);
        }
    }
    Ok(strings)
}

impl Templates {
    /// The templates of `dir` (or the shipped ones) with the contact office's profile, from
    /// `office` or the configuration folder, as `recommend` and `serve` use them.
    pub fn for_office(dir: Option<&Path>, office: Option<&Path>) -> anyhow::Result<Templates> {
        let profile = crate::office::Office::load(office)?;
        let templates = Templates::new(dir)?;
        Ok(match profile {
            Some(profile) => templates.with_office(&profile),
            None => templates,
        })
    }

    /// The contact office's profile on every handout (both languages).
    pub fn with_office(mut self, office: &crate::office::Office) -> Templates {
        for (key, value) in office.strings() {
            self.strings.insert(
                key.to_string(),
                Text {
                    de: value.to_string(),
                    en: value.to_string(),
                },
            );
        }
        self
    }

    /// The shipped templates, to start an office's own folder from (`templates export`).
    pub fn shipped() -> impl Iterator<Item = (&'static str, &'static str)> {
        BUILTIN
            .iter()
            .copied()
            .chain([("checklist.toml", crate::checklist::BUILTIN)])
    }

    /// Sets up the environment; `dir` files replace builtins of the same name.
    pub fn new(dir: Option<&Path>) -> Result<Templates, Diagnostic> {
        if let Some(dir) = dir
            && !dir.is_dir()
        {
            return Err(Diagnostic::new(
                dir.display().to_string(),
                crate::say!(crate::wording::messages_lang(), "templates.folder_missing"),
            ));
        }
        let strings = strings(dir)?;

        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Every value printed into a handout is escaped for its format: HTML for `*.html.j2`,
        // Markdown for `*.md.j2` (a group name must not become a heading, a link or live HTML
        // in a wiki that renders Markdown).
        env.set_auto_escape_callback(|name| {
            let stem = name.strip_suffix(".j2").unwrap_or(name);
            if stem.ends_with(".md") {
                minijinja::AutoEscape::Custom(std::borrow::Cow::Borrowed("markdown"))
            } else {
                minijinja::default_auto_escape_callback(name)
            }
        });
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Custom(name) if name == "markdown") {
                if value.is_safe() {
                    write!(out, "{value}")?;
                } else if !value.is_none() && !value.is_undefined() {
                    out.write_str(&format::markdown_text(&value.to_string()))?;
                }
                Ok(())
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        // Fuel counts instructions and the bytes a template makes (64 per unit): it stops a
        // template from an override folder that loops forever or doubles a string until
        // memory runs out (at most about 128 MB). See `TEMPLATE_FUEL`.
        env.set_fuel(Some(TEMPLATE_FUEL));
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .expect("default delimiters are valid"),
        );
        env.add_filter("eur", |state: &State<'_, '_>, v: Value| {
            f64::try_from(v).map_or_else(|_| "–".into(), |x| format::eur(x, lang_of(state)))
        });
        env.add_filter("score", |state: &State<'_, '_>, v: Value| {
            f64::try_from(v).map_or_else(|_| "–".into(), |x| format::score(x, lang_of(state)))
        });
        env.add_filter("label", |state: &State<'_, '_>, v: Value| {
            let word = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            format::label_for_word(&word, lang_of(state)).map_or(word, str::to_string)
        });
        // Safe: made of digits and month names; `25.` mid-line opens no list in Markdown.
        env.add_filter("long_date", |state: &State<'_, '_>, v: Value| {
            Value::from_safe_string(
                v.as_str()
                    .and_then(crate::date::Date::parse)
                    .map_or_else(|| "–".into(), |d| format::long_date(d, lang_of(state))),
            )
        });
        env.add_filter("fact_label", |state: &State<'_, '_>, v: String| {
            crate::compare::fact_label(&v, lang_of(state))
        });
        env.add_filter("month_year", |state: &State<'_, '_>, v: Value| {
            v.as_str()
                .and_then(crate::date::Date::parse)
                .map_or_else(|| "–".into(), |d| format::month_year(d, lang_of(state)))
        });
        // A web address from the catalog, for links: the loader has refused addresses with
        // spaces, quotes or angle brackets, so it can stand in `<...>` and `href` as it is.
        env.add_filter("url", |v: String| {
            if crate::catalog::is_plain_url(&v) {
                Value::from_safe_string(v)
            } else {
                Value::from(v)
            }
        });
        // Bold text in Markdown, its content escaped; safe, so `wrap` keeps the stars.
        env.add_filter("bold", |v: Value| {
            let text = if v.is_safe() {
                v.to_string()
            } else {
                format::markdown_text(&v.to_string())
            };
            Value::from_safe_string(format!("**{}**", text.trim()))
        });
        env.add_test("url", |v: String| crate::catalog::is_plain_url(&v));
        // Markdown text wrapped at `width` characters, later lines indented by `indent`
        // spaces (list items), escaped like every other value: lines stay short in e-mails.
        env.add_filter(
            "wrap",
            |v: Value, width: Option<usize>, indent: Option<usize>, prefix: Option<String>| {
                // Macro output is already escaped (and marked safe): escape it only once.
                let text = if v.is_safe() {
                    v.to_string()
                } else {
                    format::markdown_text(&v.to_string())
                };
                let wrapped = format::wrap(&text, width.unwrap_or(78), indent.unwrap_or(0));
                // A prefix such as "> " starts every line (a quoted block).
                let text = match prefix {
                    Some(p) => wrapped
                        .lines()
                        .map(|l| format!("{p}{l}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    None => wrapped,
                };
                Value::from_safe_string(text)
            },
        );
        env.add_filter("shorten", |v: String, max: usize| {
            if v.chars().count() <= max {
                v
            } else {
                let mut cut: String = v.chars().take(max.saturating_sub(1)).collect();
                cut.push('…');
                cut
            }
        });
        env.add_filter("fixed", |v: Value, digits: Option<usize>| {
            f64::try_from(v).map_or_else(|_| "0".into(), |x| format!("{x:.*}", digits.unwrap_or(1)))
        });
        let dir = dir.map(Path::to_path_buf);
        env.set_loader(move |name| {
            if let Some(text) = read_override(dir.as_deref(), name).map_err(|d| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, d.to_string())
            })? {
                return Ok(Some(text));
            }
            Ok(builtin(name).map(str::to_string))
        });
        Ok(Templates { env, strings })
    }

    /// One handout string (`strings.toml`, with the office's) in `lang`; empty if there is none.
    pub fn string(&self, key: &str, lang: Lang) -> String {
        self.strings
            .get(key)
            .map_or_else(String::new, |t| t.get(lang).to_string())
    }

    /// Renders `name` (`report.md.j2`, `report.html.j2`) for a report.
    pub fn render(&self, name: &str, report: &Report) -> Result<String, Diagnostic> {
        self.render_with(name, report.lang, "report", Value::from(Serde(report)))
    }

    /// Renders `name` with `value` bound to `var`, plus the strings `s` and `lang`.
    pub fn render_with(
        &self,
        name: &str,
        lang: Lang,
        var: &'static str,
        value: Value,
    ) -> Result<String, Diagnostic> {
        let strings: BTreeMap<String, String> = self
            .strings
            .iter()
            .map(|(k, v)| (k.clone(), v.get(lang).to_string()))
            .collect();
        let ctx = Value::from(BTreeMap::from([
            (var, value),
            ("s", Value::from(strings)),
            (
                "lang",
                Value::from(if lang == Lang::De { "de" } else { "en" }),
            ),
        ]));
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(name, &e))?;
        let mut text = template.render(ctx).map_err(|e| template_error(name, &e))?;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(text)
    }
}

fn template_error(name: &str, e: &minijinja::Error) -> Diagnostic {
    let location = e.line().map(|l| (l, 1));
    let file = e.name().unwrap_or(name).to_string();
    Diagnostic::new(file, format!("template error: {}", e.kind()))
        .at(location)
        .with_help(
            e.detail()
                .unwrap_or("see the template syntax of minijinja")
                .to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary form must be invisible: the embedded texts are those of the shipped file.
    #[test]
    fn embedded_strings_equal_the_shipped_file() {
        let source = crate::source::SourceText {
            name: "strings.toml".into(),
            text: builtin("strings.toml").expect("shipped").to_string(),
        };
        let parsed: BTreeMap<String, Text> = source.parse(crate::source::Format::Toml).unwrap();
        assert!(parsed.len() > 50);
        assert_eq!(shipped_strings(), parsed);
    }

    #[test]
    fn only_plain_names_are_loaded_from_the_override_folder() {
        assert!(is_plain_name("report.html.j2"));
        assert!(!is_plain_name("../secret"));
        assert!(!is_plain_name("/etc/passwd"));
        assert!(!is_plain_name("sub/report.html.j2"));
        assert!(!is_plain_name(".hidden"));
    }
}
