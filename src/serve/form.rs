//! What the questionnaire form sends, read into the questionnaire's answers with the same
//! parsing as `init` (`ja`/`nein`, `12,50`, whole numbers from 1) and then validated like an
//! answers file: the form is written as the commented answers file `init` writes and parsed
//! by [`crate::answers::parse`], so the browser, the terminal and `recommend` accept exactly
//! the same answers. What was typed is kept, so a page with an error shows it again.

use std::collections::BTreeMap;

use crate::answers::{self, Answers, KnownIds};
use crate::diag::Diagnostics;
use crate::questionnaire::{self, Gathered, Kind, Question};
use crate::source::{Format, SourceText};
use crate::vocab::{
    AccessNeed, Confidentiality, Device, Feature, Frequency, Lang, MediaLiteracy, Organisation,
    Purpose, SelfHosting,
};

/// The name answers from the form carry in messages, as a file's name would.
pub const FORM_NAME: &str = "formular.toml";

/// One submitted questionnaire: the answers, the text typed into each text field, the
/// problems found, and the fields that are not answers (language, CSRF token, buttons).
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The answers as far as they could be read.
    pub gathered: Gathered,
    /// Text fields as typed (group, participants, minutes, budget).
    pub typed: BTreeMap<&'static str, String>,
    /// A message per answer key that could not be taken.
    pub errors: BTreeMap<&'static str, String>,
    /// Whether the number of people is still empty (then there is no advice yet).
    pub waiting: bool,
    /// The page language.
    pub lang: Lang,
    /// The CSRF token the page carried.
    pub csrf: String,
    /// Every other field: `tool` (why), `compare` (ticked tools), `file` (download).
    pub extra: Vec<(String, String)>,
}

impl Submitted {
    /// A fresh questionnaire in `lang`, as `init` starts it.
    pub fn fresh(lang: Lang) -> Submitted {
        let gathered = Gathered::fresh();
        Submitted {
            typed: typed_of(&gathered, lang, true),
            gathered,
            errors: BTreeMap::new(),
            waiting: true,
            lang,
            csrf: String::new(),
            extra: Vec::new(),
        }
    }

    /// The questionnaire filled in from a validated answers file.
    pub fn from_answers(a: &Answers, lang: Lang) -> Submitted {
        let gathered = Gathered::from_answers(a);
        Submitted {
            typed: typed_of(&gathered, lang, false),
            gathered,
            errors: BTreeMap::new(),
            waiting: false,
            lang,
            csrf: String::new(),
            extra: Vec::new(),
        }
    }

    /// The values of an extra field, in order.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.extra
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of an extra field.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Reads the fields of a submitted form; `default_lang` unless the form says otherwise
    /// (`switch_lang` from the language button wins over `lang`).
    pub fn read(fields: &[(String, String)], default_lang: Lang) -> Submitted {
        let lang_of = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| parse_lang(v))
        };
        let lang = lang_of("switch_lang")
            .or_else(|| lang_of("lang"))
            .unwrap_or(default_lang);
        let mut g = Gathered::fresh();
        let mut typed = BTreeMap::new();
        let mut errors = BTreeMap::new();
        let mut extra = Vec::new();
        let mut csrf = String::new();
        let mut waiting = false;
        // Lists start empty: an unticked box sends nothing.
        g.purposes.clear();
        g.devices.clear();
        let all = |name: &str| -> Vec<&str> {
            fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let one = |name: &str| all(name).first().copied();
        for q in Question::ALL {
            let key = q.key();
            match q {
                Question::Group => {
                    let text = one(key).unwrap_or_default();
                    typed.insert(key, text.to_string());
                    g.group = text.trim().to_string();
                }
                Question::Participants | Question::Minutes | Question::Budget => {
                    let text = one(key).unwrap_or_default().to_string();
                    let blank = text.trim().is_empty();
                    match q {
                        Question::Participants if blank => waiting = true,
                        Question::Participants => match questionnaire::parse_count(&text) {
                            Some(n) => g.participants = n,
                            None => invalid(&mut errors, q, lang),
                        },
                        // A blank length or budget keeps what `init` offers (90, 0).
                        Question::Minutes if blank => {}
                        Question::Minutes => match questionnaire::parse_count(&text) {
                            Some(n) => g.meeting_minutes = n,
                            None => invalid(&mut errors, q, lang),
                        },
                        _ if blank => {}
                        _ => match questionnaire::parse_amount(&text) {
                            Some(x) => g.budget_eur_per_month = x,
                            None => invalid(&mut errors, q, lang),
                        },
                    }
                    typed.insert(key, text);
                }
                Question::Install | Question::Accounts => {
                    if let Some(text) = one(key) {
                        match questionnaire::parse_yes_no(text) {
                            Some(b) if q == Question::Install => g.install_allowed = b,
                            Some(b) => g.accounts_allowed = b,
                            None => invalid(&mut errors, q, lang),
                        }
                    }
                }
                Question::Organisation => {
                    pick(one(key), &mut g.organisation, Organisation::from_word)
                }
                Question::Frequency => pick(one(key), &mut g.frequency, Frequency::from_word),
                Question::Practice => {
                    pick(one(key), &mut g.media_literacy, MediaLiteracy::from_word)
                }
                Question::Confidentiality => {
                    pick(one(key), &mut g.confidentiality, Confidentiality::from_word)
                }
                Question::Hosting => pick(one(key), &mut g.self_hosting, SelfHosting::from_word),
                Question::Purposes => g.purposes = words(&all(key), Purpose::from_word),
                Question::Devices => {
                    g.devices = words(&all(key), Device::from_word);
                    if g.devices.is_empty() {
                        invalid(&mut errors, q, lang);
                    }
                }
                Question::Needs => g.needs = words(&all(key), Feature::from_word),
                Question::Wishes => g.wishes = words(&all(key), Feature::from_word),
                Question::Accessibility => {
                    g.accessibility = words(&all(key), AccessNeed::from_word)
                }
                // Checked against the catalog when the answers are validated.
                Question::PartnerTools => g.partner_tools = ids(&all(key)),
                Question::ForbiddenTools => g.forbidden_tools = ids(&all(key)),
            }
        }
        let answer_keys: Vec<&str> = Question::ALL.iter().map(|q| q.key()).collect();
        for (k, v) in fields {
            match k.as_str() {
                "csrf" => csrf = v.clone(),
                "lang" | "switch_lang" => {}
                k if answer_keys.contains(&k) => {}
                _ => extra.push((k.clone(), v.clone())),
            }
        }
        Submitted {
            gathered: g.tidy(),
            typed,
            errors,
            waiting,
            lang,
            csrf,
            extra,
        }
    }

    /// The answers file of these answers, as `init` writes it (comments in the page
    /// language).
    pub fn answers_file(&self) -> String {
        questionnaire::render(&self.gathered, self.lang)
    }

    /// The validated answers, or the problems as an answers file would have them; `None`
    /// while a field is wrong or the number of people is still empty.
    pub fn answers(&self, known: &KnownIds<'_>) -> Option<Result<Answers, Diagnostics>> {
        if self.waiting || !self.errors.is_empty() {
            return None;
        }
        let source = SourceText {
            name: FORM_NAME.to_string(),
            text: self.answers_file(),
        };
        Some(answers::parse(&source, Format::Toml, &[], known))
    }
}

/// `de` or `en`.
pub fn parse_lang(text: &str) -> Option<Lang> {
    match text {
        "de" => Some(Lang::De),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The text fields as the form shows them: numbers in the page language's notation. A fresh
/// questionnaire leaves the number of people empty (0 means "not yet").
fn typed_of(g: &Gathered, lang: Lang, fresh: bool) -> BTreeMap<&'static str, String> {
    let mut typed = BTreeMap::new();
    typed.insert(Question::Group.key(), g.group.clone());
    typed.insert(
        Question::Participants.key(),
        if fresh || g.participants == 0 {
            String::new()
        } else {
            g.participants.to_string()
        },
    );
    typed.insert(Question::Minutes.key(), g.meeting_minutes.to_string());
    typed.insert(
        Question::Budget.key(),
        crate::format::number(g.budget_eur_per_month, lang),
    );
    typed
}

fn invalid(errors: &mut BTreeMap<&'static str, String>, q: Question, lang: Lang) {
    let message = q
        .invalid(lang)
        .unwrap_or_else(|| crate::wording::text(lang, "init.invalid"));
    errors.insert(q.key(), message.to_string());
}

/// A choice question: a word the contract does not know (only a tampered form sends one)
/// keeps what `init` offers.
fn pick<T>(text: Option<&str>, slot: &mut T, from_word: fn(&str) -> Option<T>) {
    if let Some(v) = text.and_then(from_word) {
        *slot = v;
    }
}

/// A list question, in the order of the list, each word once.
fn words<T: PartialEq>(texts: &[&str], from_word: fn(&str) -> Option<T>) -> Vec<T> {
    let mut out = Vec::new();
    for v in texts.iter().filter_map(|t| from_word(t)) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn ids(texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push((*t).to_string());
        }
    }
    out
}

/// How a question is asked on the page.
pub fn input_kind(q: Question) -> &'static str {
    match (q, q.kind()) {
        (Question::Group, _) => "text",
        (_, Kind::Text) => "number",
        (_, Kind::Choose) => "choose",
        (_, Kind::Multi) => "multi",
        (_, Kind::YesNo) => "yes_no",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn german_numbers_and_yes_no_are_read_like_init_reads_them() {
        let s = Submitted::read(
            &fields(&[
                ("participants", " 12 "),
                ("budget_eur_per_month", "12,50 €"),
                ("devices", "phone"),
                ("install_allowed", "nein"),
                ("accounts_allowed", "ja"),
                ("lang", "en"),
                ("csrf", "t"),
                ("tool", "zoom"),
            ]),
            Lang::De,
        );
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.gathered.participants, 12);
        assert_eq!(s.gathered.budget_eur_per_month, 12.5);
        assert!(!s.gathered.install_allowed && s.gathered.accounts_allowed);
        assert_eq!(s.gathered.devices, vec![Device::Phone]);
        assert_eq!((s.lang, s.csrf.as_str()), (Lang::En, "t"));
        assert_eq!(s.value("tool"), Some("zoom"));
    }

    #[test]
    fn wrong_answers_get_the_init_message_and_keep_what_was_typed() {
        let s = Submitted::read(
            &fields(&[("participants", "acht"), ("meeting_minutes", "0")]),
            Lang::De,
        );
        assert_eq!(
            s.errors.get("participants").map(String::as_str),
            Question::Participants.invalid(Lang::De)
        );
        assert!(s.errors.contains_key("meeting_minutes"));
        assert!(s.errors.contains_key("devices"));
        assert_eq!(s.typed["participants"], "acht");
        let known = KnownIds {
            tools: vec![],
            criteria: vec![],
        };
        assert!(s.answers(&known).is_none());
    }

    #[test]
    fn the_answers_of_the_form_are_the_answers_of_its_file() {
        let catalog = crate::catalog::Catalog::load(None).unwrap();
        let known = KnownIds {
            tools: catalog.tools.keys().map(String::as_str).collect(),
            criteria: vec![],
        };
        let s = Submitted::read(
            &fields(&[
                ("group", "Die \"Mutigen\""),
                ("participants", "8"),
                ("devices", "computer"),
                ("devices", "smartphone"),
                ("needs", "waiting_room"),
                ("wishes", "waiting_room"),
                ("wishes", "chat"),
                ("forbidden_tools", "zoom"),
            ]),
            Lang::De,
        );
        let a = s.answers(&known).unwrap().unwrap();
        assert_eq!(a.group.as_deref(), Some("Die \"Mutigen\""));
        assert!(a.forbidden_tools.contains("zoom"));
        assert!(!a.wishes.contains(&Feature::WaitingRoom));
        assert_eq!(Submitted::from_answers(&a, Lang::De).gathered, s.gathered);
    }
}
