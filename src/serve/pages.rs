//! The pages: a model per page, rendered with minijinja from `templates/serve*.html.j2`,
//! with every sentence from the wording layer (`wording/serve.toml`, the questionnaire's
//! `wording/questionnaire.toml`) and the handout strings (`strings.toml`) the handouts use.

use std::collections::BTreeMap;

use minijinja::value::Value;
use serde::Serialize;

use super::App;
use super::form::{self, Submitted};
use crate::diag::Diagnostic;
use crate::inspect::why::Explanation;
use crate::questionnaire::{Offered, Question};
use crate::report::Report;
use crate::say;
use crate::vocab::Lang;
use crate::wording;

/// The page's stylesheet, served as `/static/serve.css`.
pub const CSS: &str = include_str!("../../templates/serve.css");
/// The little script that updates the advice while answering, `/static/serve.js`. The pages
/// work without it: every button is a plain form submission.
pub const SCRIPT: &str = include_str!("../../templates/serve.js");

/// Text for HTML outside the templates (refusals): `&`, `<`, `>`, quotes escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The words of the pages, by short name (`title` for `serve.title`).
fn words(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("title", wording::text(lang, "serve.title")),
        ("intro", wording::text(lang, "serve.intro")),
        ("switch_lang", wording::text(lang, "serve.switch_lang")),
        ("questions", wording::text(lang, "serve.questions")),
        ("show", wording::text(lang, "serve.show")),
        ("result", wording::text(lang, "serve.result")),
        (
            "result_waiting",
            wording::text(lang, "serve.result_waiting"),
        ),
        (
            "result_blocked",
            wording::text(lang, "serve.result_blocked"),
        ),
        ("recommended", wording::text(lang, "serve.recommended")),
        ("why", wording::text(lang, "serve.why")),
        ("compare", wording::text(lang, "serve.compare")),
        ("compare_hint", wording::text(lang, "serve.compare_hint")),
        ("compare_count", wording::text(lang, "serve.compare_count")),
        ("none_excluded", wording::text(lang, "serve.none_excluded")),
        ("documents", wording::text(lang, "serve.documents")),
        ("handout", wording::text(lang, "serve.handout")),
        ("annex", wording::text(lang, "serve.annex")),
        ("downloads", wording::text(lang, "serve.downloads")),
        (
            "download_handout_html",
            wording::text(lang, "serve.download_handout_html"),
        ),
        (
            "download_handout_md",
            wording::text(lang, "serve.download_handout_md"),
        ),
        (
            "download_annex_html",
            wording::text(lang, "serve.download_annex_html"),
        ),
        (
            "download_annex_md",
            wording::text(lang, "serve.download_annex_md"),
        ),
        ("download_csv", wording::text(lang, "serve.download_csv")),
        ("save", wording::text(lang, "serve.save")),
        ("load", wording::text(lang, "serve.load")),
        ("load_help", wording::text(lang, "serve.load_help")),
        ("load_button", wording::text(lang, "serve.load_button")),
        ("load_failed", wording::text(lang, "serve.load_failed")),
        ("load_missing", wording::text(lang, "serve.load_missing")),
        (
            "loaded_weights",
            wording::text(lang, "serve.loaded_weights"),
        ),
        ("check_answers", wording::text(lang, "serve.check_answers")),
        (
            "answers_problem",
            wording::text(lang, "serve.answers_problem"),
        ),
        ("back", wording::text(lang, "serve.back")),
        ("why_points", wording::text(lang, "serve.why_points")),
        ("why_criterion", wording::text(lang, "serve.why_criterion")),
        ("why_share", wording::text(lang, "serve.why_share")),
        (
            "why_other_offerings",
            wording::text(lang, "serve.why_other_offerings"),
        ),
        ("why_changes", wording::text(lang, "serve.why_changes")),
        (
            "why_no_changes",
            wording::text(lang, "serve.why_no_changes"),
        ),
        ("unknown_tool", wording::text(lang, "serve.unknown_tool")),
        ("yes", wording::text(lang, "serve.yes")),
        ("no", wording::text(lang, "serve.no")),
        ("none_chosen", wording::text(lang, "serve.none_chosen")),
        ("refused_csrf", wording::text(lang, "serve.refused_csrf")),
        ("not_found", wording::text(lang, "serve.not_found")),
        ("bad_request", wording::text(lang, "serve.bad_request")),
        ("failed", wording::text(lang, "serve.failed")),
        ("yes_label", wording::text(lang, "init.yes")),
        ("no_label", wording::text(lang, "init.no")),
    ])
}

/// One question as the form shows it.
#[derive(Debug, Serialize)]
struct Field {
    /// The answer key and field name.
    key: &'static str,
    /// `text`, `number`, `choose`, `multi` or `yes_no`.
    kind: &'static str,
    question: &'static str,
    help: &'static str,
    /// What was typed (text fields).
    value: String,
    /// The words chosen (choice and list fields; `ja`/`nein` for yes/no).
    chosen: Vec<String>,
    options: Vec<Offered>,
    error: Option<String>,
}

/// A tool in the advice, with the label of its "why?" and "compare" controls.
#[derive(Debug, Serialize)]
struct Labels {
    why: String,
    pick: String,
}

/// The main page: the questions, the advice beside them, the documents.
#[derive(Debug, Serialize)]
struct MainPage<'a> {
    lang: &'static str,
    other_lang: &'static str,
    csrf: &'a str,
    w: BTreeMap<&'static str, &'static str>,
    fields: Vec<Field>,
    /// Whether a field is wrong.
    field_errors: bool,
    /// Whether the number of people is still empty.
    waiting: bool,
    /// Problems that belong to no single field (an uploaded file, answers that do not fit).
    problems: Vec<String>,
    /// Heading of the problems.
    problems_title: Option<&'static str>,
    /// What went well (a file loaded).
    notices: Vec<String>,
    report: Option<&'a Report>,
    labels: BTreeMap<String, Labels>,
    /// The tools ticked for comparison (kept when the page comes back).
    compare: Vec<String>,
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "de",
        Lang::En => "en",
    }
}

fn other(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "en",
        Lang::En => "de",
    }
}

/// What the main page says besides the questions and the advice.
#[derive(Debug, Default)]
pub struct Notes {
    /// Problems that belong to no single field, one sentence (or diagnostic) each.
    pub problems: Vec<String>,
    /// Whether the problems are an uploaded file's.
    pub from_file: bool,
    /// What went well.
    pub notices: Vec<String>,
}

/// A diagnostic as a line on a page: `file:line:column: message` and the hint.
pub fn diagnostic_line(d: &Diagnostic) -> String {
    d.to_string().replace("\n  ", " – ")
}

/// The main page for a submitted (or fresh) questionnaire and its advice, if there is one.
pub fn main_page(
    app: &App,
    sub: &Submitted,
    report: Option<&Report>,
    notes: &Notes,
) -> Result<String, Diagnostic> {
    let lang = sub.lang;
    let fields = Question::ALL
        .iter()
        .map(|q| {
            let texts = q.texts(lang);
            let key = q.key();
            let chosen = match q {
                Question::Install => vec![yes_no(sub.gathered.install_allowed).to_string()],
                Question::Accounts => vec![yes_no(sub.gathered.accounts_allowed).to_string()],
                _ => sub.gathered.chosen(*q),
            };
            Field {
                key,
                kind: form::input_kind(*q),
                question: texts.question,
                help: texts.help,
                value: sub.typed.get(key).cloned().unwrap_or_default(),
                chosen,
                options: q.offered(lang, &app.tools),
                error: sub.errors.get(key).cloned(),
            }
        })
        .collect();
    let labels = report
        .map(|r| {
            r.ranking
                .iter()
                .map(|t| (t.tool.clone(), t.name.clone()))
                .chain(r.excluded.iter().map(|t| (t.tool.clone(), t.name.clone())))
                .map(|(tool, name)| {
                    let labels = Labels {
                        why: say!(lang, "serve.why_named", tool = name),
                        pick: say!(lang, "serve.pick", tool = name),
                    };
                    (tool, labels)
                })
                .collect()
        })
        .unwrap_or_default();
    let page = MainPage {
        lang: lang_code(lang),
        other_lang: other(lang),
        csrf: &app.guard.csrf,
        w: words(lang),
        fields,
        field_errors: !sub.errors.is_empty(),
        waiting: sub.waiting,
        problems: notes.problems.clone(),
        problems_title: (!notes.problems.is_empty()).then(|| {
            if notes.from_file {
                wording::text(lang, "serve.load_failed")
            } else {
                wording::text(lang, "serve.answers_problem")
            }
        }),
        notices: notes.notices.clone(),
        report,
        labels,
        compare: sub.values("compare").map(str::to_string).collect(),
    };
    app.templates.render_with(
        "serve.html.j2",
        lang,
        "page",
        Value::from(minijinja::value::Serde(&page)),
    )
}

/// `ja` or `nein`: the words a yes/no field sends, read by the same parser as in `init`.
pub fn yes_no(b: bool) -> &'static str {
    if b { "ja" } else { "nein" }
}

/// The "why?" page of one tool.
#[derive(Debug, Serialize)]
struct WhyPage<'a> {
    lang: &'static str,
    csrf: &'a str,
    w: BTreeMap<&'static str, &'static str>,
    title: String,
    standing: Option<String>,
    out: Option<String>,
    why: &'a Explanation,
    /// The answers, to go back to the questions with everything kept.
    hidden: Vec<(String, String)>,
}

/// The page that says why a tool stands where it stands, and what would change that.
pub fn why_page(
    app: &App,
    sub: &Submitted,
    fields: &[(String, String)],
    why: &Explanation,
) -> Result<String, Diagnostic> {
    let lang = sub.lang;
    let status = match why.status {
        crate::report::Status::Fits => app.templates.string("status_fits", lang),
        crate::report::Status::Verify => app.templates.string("status_verify", lang),
        crate::report::Status::Excluded => String::new(),
    };
    let standing = match (why.rank, why.score) {
        (Some(rank), Some(score)) => Some(say!(
            lang,
            "serve.why_rank",
            rank = rank,
            ranked = why.ranked,
            score = crate::format::score(score, lang),
            status = status
        )),
        _ => None,
    };
    let out = why
        .rank
        .is_none()
        .then(|| say!(lang, "serve.why_out", tool = why.name));
    let page = WhyPage {
        lang: lang_code(lang),
        csrf: &app.guard.csrf,
        w: words(lang),
        title: say!(lang, "serve.why_title", tool = why.name),
        standing,
        out,
        why,
        hidden: kept(fields),
    };
    app.templates.render_with(
        "serve_why.html.j2",
        lang,
        "page",
        Value::from(minijinja::value::Serde(&page)),
    )
}

/// The answer fields of a form, to carry them through a page that shows no questions.
fn kept(fields: &[(String, String)]) -> Vec<(String, String)> {
    let keys: Vec<&str> = Question::ALL.iter().map(|q| q.key()).collect();
    fields
        .iter()
        .filter(|(k, _)| keys.contains(&k.as_str()) || k == "lang")
        .cloned()
        .collect()
}

/// A handout or comparison rendered by the command line's templates, its inline stylesheet
/// allowed by this response's nonce.
pub fn with_nonce(html: &str, nonce: &str) -> String {
    html.replace("<style>", &format!("<style nonce=\"{nonce}\">"))
}

/// A file name for downloads: the group's name in plain letters (`Familien mit Seltenen
/// Erkrankungen` → `familien-mit-seltenen-erkrankungen`), or `gruppe`/`group`.
pub fn file_stem(group: &str, lang: Lang) -> String {
    let mut out = String::new();
    for c in group.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    let stem: String = out.trim_end_matches('-').chars().take(60).collect();
    let stem = stem.trim_end_matches('-').to_string();
    if stem.is_empty() {
        match lang {
            Lang::De => "gruppe".to_string(),
            Lang::En => "group".to_string(),
        }
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_plain() {
        assert_eq!(
            file_stem("Familien mit Seltenen Erkrankungen", Lang::De),
            "familien-mit-seltenen-erkrankungen"
        );
        assert_eq!(
            file_stem("Mütter & Väter/Köln", Lang::De),
            "muetter-vaeter-koeln"
        );
        assert_eq!(file_stem(" \"../\" ", Lang::En), "group");
        assert_eq!(file_stem("", Lang::De), "gruppe");
    }

    #[test]
    fn text_outside_templates_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn every_page_word_has_a_text() {
        for lang in [Lang::De, Lang::En] {
            assert!(words(lang).values().all(|t| !t.is_empty()));
        }
    }
}
