//! `konf-wahl init`: the pre-selection questions of the seed documents as an interactive
//! questionnaire (inquire) for people who are no command-line experts, written out as a
//! commented answers file.
//!
//! The questionnaire greets and says what it asks and why, explains every question and every
//! feature, takes German answers (`j`/`nein`, `12,50`), goes back one question on Esc, shows
//! all answers before it writes anything and ends with the commands that make the handout.
//! Every sentence comes from `wording/questionnaire.toml`.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use inquire::error::InquireResult;
use inquire::list_option::ListOption;
use inquire::ui::{RenderConfig, Styled};
use inquire::validator::Validation;
use inquire::{Confirm, CustomType, InquireError, MultiSelect, Select, Text as TextPrompt};

use super::args::InitArgs;
use crate::output::eprint_line;
use crate::questionnaire::{
    Gathered, Kind, Question, Tools, access_meaning, feature_meaning, parse_amount, parse_count,
    parse_yes_no, render,
};
use crate::say;
use crate::vocab::{
    AccessNeed, Confidentiality, Device, Feature, Frequency, Lang, MediaLiteracy, Organisation,
    Purpose, SelfHosting,
};
use crate::wording;

/// A word for a shell: as it is if it is safe, else in single quotes (`'my answers.toml'`);
/// a leading `-` gets `./` so it is not read as an option.
fn shell_word(word: &str) -> String {
    let word = if word.starts_with('-') {
        format!("./{word}")
    } else {
        word.to_string()
    };
    let safe = |c: char| c.is_alphanumeric() || "-_./+:@%,=".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A choice shown with its label (and, for features, what it means); `Display` is what the
/// prompt lists, the formatter of the answered prompt shows only the label.
#[derive(Clone)]
struct Choice<T> {
    value: T,
    label: String,
    meaning: Option<&'static str>,
}

impl<T> std::fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.meaning {
            Some(meaning) => write!(f, "{} – {meaning}", self.label),
            None => f.write_str(&self.label),
        }
    }
}

fn choices<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str) -> Vec<Choice<T>> {
    all.iter()
        .map(|v| Choice {
            value: *v,
            label: label(*v).to_string(),
            meaning: None,
        })
        .collect()
}

/// Whether the person answered or went back (Esc).
enum Flow {
    Next,
    Back,
}

/// The answer, or `None` if the person pressed Esc; Ctrl-C and real failures are errors.
fn answered<T>(result: InquireResult<T>) -> Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(InquireError::OperationCanceled) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A ja/nein question: `j`, `ja`, `n`, `nein` (and English), echoed as "Ja" or "Nein".
fn yes_no(lang: Lang, message: &str, help: &str, default: bool) -> InquireResult<bool> {
    let parser = |text: &str| parse_yes_no(text).ok_or(());
    let formatter = move |b: bool| {
        if b {
            wording::text(lang, "init.yes").to_string()
        } else {
            wording::text(lang, "init.no").to_string()
        }
    };
    let hint = move |b: bool| {
        if b {
            wording::text(lang, "init.yes_no.default_yes").to_string()
        } else {
            wording::text(lang, "init.yes_no.default_no").to_string()
        }
    };
    Confirm::new(message)
        .with_default(default)
        .with_help_message(help)
        .with_parser(&parser)
        .with_formatter(&formatter)
        .with_default_value_formatter(&hint)
        .with_error_message(wording::text(lang, "init.yes_no.error"))
        .prompt()
}

/// The labels of what was ticked, or "keine".
fn ticked<T>(lang: Lang, picked: &[ListOption<&Choice<T>>]) -> String {
    if picked.is_empty() {
        wording::text(lang, "init.none").to_string()
    } else {
        picked
            .iter()
            .map(|o| o.value.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A list of labels, or "keine".
fn listed<'a>(lang: Lang, labels: impl IntoIterator<Item = &'a str>) -> String {
    let labels: Vec<&str> = labels.into_iter().collect();
    if labels.is_empty() {
        wording::text(lang, "init.none").to_string()
    } else {
        labels.join(", ")
    }
}

/// How many choices a list shows at once: enough to see most of a list, few enough for a
/// small terminal window.
const PAGE: usize = 10;

/// One run of the questionnaire: the answers so far and what it needs to ask.
struct Session<'t> {
    lang: Lang,
    tools: &'t Tools,
    g: Gathered,
}

impl Session<'_> {
    fn select<T: Copy + PartialEq>(
        &self,
        message: &str,
        help: &str,
        options: Vec<Choice<T>>,
        current: T,
    ) -> Result<Option<T>> {
        let cursor = options.iter().position(|c| c.value == current).unwrap_or(0);
        Ok(answered(
            Select::new(message, options)
                .with_page_size(PAGE)
                .with_help_message(help)
                .with_starting_cursor(cursor)
                .prompt(),
        )?
        .map(|c| c.value))
    }

    fn multi<T: Clone + PartialEq>(
        &self,
        message: &str,
        help: &str,
        options: Vec<Choice<T>>,
        current: &[T],
        at_least_one: Option<&'static str>,
    ) -> Result<Option<Vec<T>>> {
        let lang = self.lang;
        let defaults: Vec<usize> = options
            .iter()
            .enumerate()
            .filter(|(_, c)| current.contains(&c.value))
            .map(|(i, _)| i)
            .collect();
        let formatter = move |picked: &[ListOption<&Choice<T>>]| ticked(lang, picked);
        let mut prompt = MultiSelect::new(message, options)
            .with_page_size(PAGE)
            .with_help_message(help)
            .with_default(&defaults)
            .with_formatter(&formatter);
        if let Some(error) = at_least_one {
            prompt = prompt.with_validator(move |picked: &[ListOption<&Choice<T>>]| {
                Ok(if picked.is_empty() {
                    Validation::Invalid(error.into())
                } else {
                    Validation::Valid
                })
            });
        }
        Ok(answered(prompt.prompt())?.map(|picked| picked.into_iter().map(|c| c.value).collect()))
    }

    fn tool_choices(&self, tools: &[(String, String)]) -> Vec<Choice<String>> {
        tools
            .iter()
            .map(|(id, name)| Choice {
                value: id.clone(),
                label: name.clone(),
                meaning: None,
            })
            .collect()
    }

    fn feature_choices(&self, features: &[Feature]) -> Vec<Choice<Feature>> {
        features
            .iter()
            .map(|f| Choice {
                value: *f,
                label: f.label(self.lang).to_string(),
                meaning: Some(feature_meaning(*f, self.lang)),
            })
            .collect()
    }

    /// The number of a question among those asked now, and how many are asked.
    fn position(&self, q: Question) -> (usize, usize) {
        let asked: Vec<Question> = Question::ALL
            .iter()
            .copied()
            .filter(|q| q.applies(&self.g))
            .collect();
        let n = asked.iter().position(|a| *a == q).map_or(0, |i| i + 1);
        (n, asked.len())
    }

    /// Asks one question (with its number when going through them in order) and keeps the
    /// answer; the current answer is offered again, so going back shows what was chosen.
    fn ask(&mut self, q: Question, numbered: bool) -> Result<Flow> {
        let lang = self.lang;
        let texts = q.texts(lang);
        let message = if numbered {
            let (n, total) = self.position(q);
            say!(
                lang,
                "init.progress",
                n = n,
                total = total,
                question = texts.question
            )
        } else {
            texts.question.to_string()
        };
        let keys = match q.kind() {
            Kind::Text => wording::text(lang, "init.keys.text"),
            Kind::Choose => wording::text(lang, "init.keys.choose"),
            Kind::Multi => wording::text(lang, "init.keys.multi"),
            Kind::YesNo => wording::text(lang, "init.keys.yes_no"),
        };
        let help = say!(lang, "init.help_line", help = texts.help, keys = keys);
        let (message, help) = (message.as_str(), help.as_str());
        let g = &self.g;
        let done = match q {
            Question::Group => answered(
                TextPrompt::new(message)
                    .with_help_message(help)
                    .with_initial_value(&g.group)
                    .prompt(),
            )?
            .map(|v| self.g.group = v.trim().to_string()),
            Question::Organisation => self
                .select(
                    message,
                    help,
                    choices(Organisation::ALL, |o| o.label(lang)),
                    g.organisation,
                )?
                .map(|v| self.g.organisation = v),
            Question::Participants => {
                let parser = |text: &str| parse_count(text).ok_or(());
                let mut prompt = CustomType::<u32>::new(message)
                    .with_help_message(help)
                    .with_parser(&parser)
                    .with_error_message(wording::text(lang, "init.participants.error"));
                if g.participants >= 1 {
                    prompt = prompt.with_default(g.participants);
                }
                answered(prompt.prompt())?.map(|v| self.g.participants = v)
            }
            Question::Minutes => {
                let parser = |text: &str| parse_count(text).ok_or(());
                answered(
                    CustomType::<u32>::new(message)
                        .with_help_message(help)
                        .with_parser(&parser)
                        .with_default(g.meeting_minutes)
                        .with_error_message(wording::text(lang, "init.minutes.error"))
                        .prompt(),
                )?
                .map(|v| self.g.meeting_minutes = v)
            }
            Question::Frequency => self
                .select(
                    message,
                    help,
                    choices(Frequency::ALL, |f| f.label(lang)),
                    g.frequency,
                )?
                .map(|v| self.g.frequency = v),
            Question::Purposes => self
                .multi(
                    message,
                    help,
                    choices(Purpose::ALL, |p| p.label(lang)),
                    &g.purposes,
                    None,
                )?
                .map(|v| self.g.purposes = v),
            Question::Devices => self
                .multi(
                    message,
                    help,
                    choices(Device::ALL, |d| d.label(lang)),
                    &g.devices,
                    Some(wording::text(lang, "init.devices.error")),
                )?
                .map(|v| self.g.devices = v),
            Question::Practice => self
                .select(
                    message,
                    help,
                    choices(MediaLiteracy::ALL, |m| m.label(lang)),
                    g.media_literacy,
                )?
                .map(|v| self.g.media_literacy = v),
            Question::Confidentiality => self
                .select(
                    message,
                    help,
                    choices(Confidentiality::ALL, |c| c.label(lang)),
                    g.confidentiality,
                )?
                .map(|v| self.g.confidentiality = v),
            Question::Budget => {
                let parser = |text: &str| parse_amount(text).ok_or(());
                let formatter = |x: f64| crate::format::eur(x, lang);
                let shown = |x: f64| crate::format::number(x, lang);
                answered(
                    CustomType::<f64>::new(message)
                        .with_help_message(help)
                        .with_parser(&parser)
                        .with_formatter(&formatter)
                        .with_default_value_formatter(&shown)
                        .with_default(g.budget_eur_per_month)
                        .with_error_message(wording::text(lang, "init.budget.error"))
                        .prompt(),
                )?
                .map(|v| self.g.budget_eur_per_month = v)
            }
            Question::Hosting => self
                .select(
                    message,
                    help,
                    choices(SelfHosting::ALL, |s| s.label(lang)),
                    g.self_hosting,
                )?
                .map(|v| self.g.self_hosting = v),
            Question::PartnerTools => self
                .multi(
                    message,
                    help,
                    self.tool_choices(&self.tools.partner),
                    &g.partner_tools,
                    None,
                )?
                .map(|v| self.g.partner_tools = v),
            Question::ForbiddenTools => self
                .multi(
                    message,
                    help,
                    self.tool_choices(&self.tools.all),
                    &g.forbidden_tools,
                    None,
                )?
                .map(|v| self.g.forbidden_tools = v),
            Question::Install => answered(yes_no(lang, message, help, g.install_allowed))?
                .map(|v| self.g.install_allowed = v),
            Question::Accounts => answered(yes_no(lang, message, help, g.accounts_allowed))?
                .map(|v| self.g.accounts_allowed = v),
            Question::Needs => self
                .multi(
                    message,
                    help,
                    self.feature_choices(Feature::ALL),
                    &g.needs,
                    None,
                )?
                .map(|v| {
                    self.g.wishes.retain(|w| !v.contains(w));
                    self.g.needs = v;
                }),
            Question::Wishes => {
                let remaining: Vec<Feature> = Feature::ALL
                    .iter()
                    .copied()
                    .filter(|f| !g.needs.contains(f))
                    .collect();
                self.multi(
                    message,
                    help,
                    self.feature_choices(&remaining),
                    &g.wishes,
                    None,
                )?
                .map(|v| self.g.wishes = v)
            }
            Question::Accessibility => {
                let options = AccessNeed::ALL
                    .iter()
                    .map(|n| Choice {
                        value: *n,
                        label: n.label(lang).to_string(),
                        meaning: Some(access_meaning(*n, lang)),
                    })
                    .collect();
                self.multi(message, help, options, &g.accessibility, None)?
                    .map(|v| self.g.accessibility = v)
            }
        };
        Ok(if done.is_some() {
            Flow::Next
        } else {
            Flow::Back
        })
    }

    /// Goes through the questions in order from `from` (an index into [`Question::ALL`]) to
    /// the end; Esc goes back to the previous question that is asked.
    fn walk(&mut self, from: usize) -> Result<()> {
        let mut i = from;
        while i < Question::ALL.len() {
            let q = Question::ALL[i];
            if !q.applies(&self.g) {
                i += 1;
                continue;
            }
            match self.ask(q, true)? {
                Flow::Next => i += 1,
                Flow::Back => match (0..i).rev().find(|&j| Question::ALL[j].applies(&self.g)) {
                    Some(j) => i = j,
                    None => eprint_line(wording::text(self.lang, "init.first_question")),
                },
            }
        }
        Ok(())
    }

    /// The answer to a question in plain words, as the summary shows it.
    fn answer(&self, q: Question) -> String {
        let lang = self.lang;
        let g = &self.g;
        let yes_no = |b: bool| {
            if b {
                wording::text(lang, "init.yes").to_string()
            } else {
                wording::text(lang, "init.no").to_string()
            }
        };
        let tools = |ids: &[String]| listed(lang, ids.iter().map(|id| self.tools.name(id)));
        match q {
            Question::Group if g.group.is_empty() => {
                wording::text(lang, "init.group.empty").to_string()
            }
            Question::Group => g.group.clone(),
            Question::Organisation => g.organisation.label(lang).to_string(),
            Question::Participants => say!(lang, "init.participants.value", n = g.participants),
            Question::Minutes => say!(lang, "init.minutes.value", n = g.meeting_minutes),
            Question::Frequency => g.frequency.label(lang).to_string(),
            Question::Purposes => listed(lang, g.purposes.iter().map(|p| p.label(lang))),
            Question::Devices => listed(lang, g.devices.iter().map(|d| d.label(lang))),
            Question::Practice => g.media_literacy.label(lang).to_string(),
            Question::Confidentiality => g.confidentiality.label(lang).to_string(),
            Question::Budget => crate::format::eur(g.budget_eur_per_month, lang),
            Question::Hosting => g.self_hosting.label(lang).to_string(),
            Question::PartnerTools => tools(&g.partner_tools),
            Question::ForbiddenTools => tools(&g.forbidden_tools),
            Question::Install => yes_no(g.install_allowed),
            Question::Accounts => yes_no(g.accounts_allowed),
            Question::Needs => listed(lang, g.needs.iter().map(|f| f.label(lang))),
            Question::Wishes => listed(lang, g.wishes.iter().map(|f| f.label(lang))),
            Question::Accessibility => listed(lang, g.accessibility.iter().map(|n| n.label(lang))),
        }
    }

    fn asked(&self) -> Vec<Question> {
        Question::ALL
            .iter()
            .copied()
            .filter(|q| q.applies(&self.g))
            .collect()
    }

    /// All answers, one line each, labels aligned.
    fn summary(&self) -> String {
        let lang = self.lang;
        let asked = self.asked();
        let width = asked
            .iter()
            .map(|q| q.texts(lang).summary.chars().count() + 1)
            .max()
            .unwrap_or(0);
        let mut s = format!("\n{}\n", wording::text(lang, "init.summary.title"));
        for q in asked {
            let label = format!("{}:", q.texts(lang).summary);
            let _ = writeln!(s, "  {label:<width$} {}", self.answer(q));
        }
        s
    }

    /// Shows the summary until the person says it is right; "nein" lets them pick an answer to
    /// change (or go through all again), Esc goes back to the last question.
    fn review(&mut self, file: &str) -> Result<()> {
        let lang = self.lang;
        loop {
            eprint_line(&self.summary());
            let help = say!(lang, "init.summary.help", file = file);
            let question = wording::text(lang, "init.summary.question");
            match answered(yes_no(lang, question, &help, true))? {
                Some(true) => return Ok(()),
                Some(false) => self.change()?,
                None => {
                    let last = Question::ALL
                        .iter()
                        .rposition(|q| q.applies(&self.g))
                        .unwrap_or(0);
                    self.walk(last)?;
                }
            }
        }
    }

    /// Picks one answer to change and asks that question again.
    fn change(&mut self) -> Result<()> {
        let lang = self.lang;
        let mut options: Vec<Choice<Option<Question>>> = self
            .asked()
            .into_iter()
            .map(|q| Choice {
                value: Some(q),
                label: format!("{}: {}", q.texts(lang).summary, self.answer(q)),
                meaning: None,
            })
            .collect();
        options.push(Choice {
            value: None,
            label: wording::text(lang, "init.change.all").to_string(),
            meaning: None,
        });
        // The whole list at once (19 lines at most), so every answer can be seen.
        let page = options.len();
        let picked = answered(
            Select::new(wording::text(lang, "init.change.question"), options)
                .with_page_size(page)
                .with_help_message(wording::text(lang, "init.change.help"))
                .prompt(),
        )?;
        match picked.map(|c| c.value) {
            // Esc: back to the summary.
            None => {}
            Some(None) => self.walk(0)?,
            Some(Some(q)) => {
                let was_partner = self.g.self_hosting == SelfHosting::Partner;
                if let Flow::Next = self.ask(q, false)?
                    && q == Question::Hosting
                    && !was_partner
                    && self.g.self_hosting == SelfHosting::Partner
                {
                    // A partner now runs a server: which tools is the follow-up question.
                    self.ask(Question::PartnerTools, false)?;
                }
            }
        }
        Ok(())
    }

    /// The answers as they are written: partner tools only with a partner.
    fn finish(self) -> Gathered {
        self.g.tidy()
    }
}

/// Inquire's own words (the mark of a question left with Esc, the default error) in `lang`,
/// and an error mark that is not a `#`.
fn localise_prompts(lang: Lang) {
    let mut config = RenderConfig::default();
    config.canceled_prompt_indicator = Styled {
        content: wording::text(lang, "init.back"),
        style: config.canceled_prompt_indicator.style,
    };
    config.error_message.prefix = Styled {
        content: "!",
        style: config.error_message.prefix.style,
    };
    config.error_message.default_message = wording::text(lang, "init.invalid");
    inquire::set_global_render_config(config);
}

/// The welcome: what is asked, why, that nothing leaves the computer, and the keys.
fn welcome(lang: Lang, file: &str) -> String {
    let count = Question::ALL
        .iter()
        .filter(|q| q.applies(&Gathered::fresh()))
        .count();
    [
        wording::text(lang, "init.welcome.title").to_string(),
        say!(lang, "init.welcome.what", count = count),
        wording::text(lang, "init.welcome.why").to_string(),
        say!(lang, "init.welcome.privacy", file = file),
        wording::text(lang, "init.welcome.keys").to_string(),
        wording::text(lang, "init.welcome.end").to_string(),
    ]
    .join("\n")
        + "\n"
}

/// Runs the questionnaire on the terminal: every question, then the summary until it is
/// confirmed. `file` is the name the summary says it will write. Ctrl-C is an error
/// ([`InquireError::OperationInterrupted`]).
pub fn ask(lang: Lang, file: &str) -> Result<Gathered> {
    let catalog = crate::catalog::Catalog::load(None).map_err(anyhow::Error::new)?;
    let tools = Tools::of(&catalog);
    let mut session = Session {
        lang,
        tools: &tools,
        g: Gathered::fresh(),
    };
    session.walk(0)?;
    session.review(file)?;
    Ok(session.finish())
}

/// What to do with the written file: the commands for the handout and the annex.
fn next_steps(lang: Lang, file: &Path) -> String {
    let answers = shell_word(&file.to_string_lossy());
    let handout = shell_word(&file.with_extension("html").to_string_lossy());
    let annex = shell_word(&file.with_extension("annex.html").to_string_lossy());
    let lang_arg = match lang {
        Lang::De => "",
        Lang::En => " --lang en",
    };
    [
        String::new(),
        wording::text(lang, "init.next.title").to_string(),
        format!("  {}", wording::text(lang, "init.next.handout")),
        format!("    konf-wahl recommend {answers} --format html{lang_arg} -o {handout}"),
        format!("  {}", wording::text(lang, "init.next.annex")),
        format!("    konf-wahl recommend {answers} --format html --annex{lang_arg} -o {annex}"),
        format!("  {}", wording::text(lang, "init.next.open")),
    ]
    .join("\n")
}

/// `konf-wahl init`.
pub fn run(args: &InitArgs) -> Result<ExitCode> {
    let lang = args.lang.unwrap_or_else(wording::messages_lang);
    let file = args.file.to_string_lossy();
    if args.file.exists() && !args.force {
        bail!("{}", say!(lang, "init.exists", file = file));
    }
    if !std::io::stdin().is_terminal() {
        bail!("{}", wording::text(lang, "init.no_terminal"));
    }
    localise_prompts(lang);
    eprint_line(&welcome(lang, &file));
    let gathered = match ask(lang, &file) {
        Ok(g) => g,
        Err(e) => match e.downcast_ref::<InquireError>() {
            Some(InquireError::OperationInterrupted) => {
                // Inquire leaves the cursor after the interrupted question.
                eprint_line(&format!("\n{}", wording::text(lang, "init.aborted")));
                return Ok(ExitCode::from(1));
            }
            _ => return Err(e),
        },
    };
    let text = render(&gathered, lang);
    crate::output::write_atomically(&args.file, text.as_bytes(), args.force)?;
    eprint_line(&say!(lang, "init.written", file = file));
    eprint_line(&next_steps(lang, &args.file));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_welcome_names_the_keys_and_the_privacy() {
        assert!(welcome(Lang::De, "answers.toml").contains("Esc"));
        assert!(welcome(Lang::De, "answers.toml").contains("Nichts wird irgendwohin gesendet"));
    }

    #[test]
    fn file_names_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_word("answers.toml"), "answers.toml");
        assert_eq!(
            shell_word("gruppen/familie-2.toml"),
            "gruppen/familie-2.toml"
        );
        assert_eq!(
            shell_word("Selbsthilfe Köln.toml"),
            "'Selbsthilfe Köln.toml'"
        );
        assert_eq!(shell_word("it's.toml"), r"'it'\''s.toml'");
        assert_eq!(shell_word("$HOME.toml"), "'$HOME.toml'");
        assert_eq!(shell_word("-x.toml"), "./-x.toml");
    }

    #[test]
    fn the_next_step_names_the_real_files() {
        let text = next_steps(Lang::De, Path::new("meine gruppe.toml"));
        assert!(text.contains(
            "konf-wahl recommend 'meine gruppe.toml' --format html -o 'meine gruppe.html'"
        ));
        assert!(text.contains("--annex -o 'meine gruppe.annex.html'"));
        let text = next_steps(Lang::En, Path::new("answers.toml"));
        assert!(
            text.contains(
                "konf-wahl recommend answers.toml --format html --lang en -o answers.html"
            )
        );
    }
}
