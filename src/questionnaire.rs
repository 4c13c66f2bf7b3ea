//! The questionnaire both faces ask: the questions of `init` (terminal) and `serve`
//! (browser), in order, with their texts and explanations, the parsing of what people type
//! (`ja`/`nein`, `12,50`) and the commented answers file they end in. One list, one set of
//! sentences (`wording/questionnaire.toml`), so both faces ask the same thing the same way.

use std::fmt::Write as _;

use crate::vocab::{
    AccessNeed, Confidentiality, Device, Feature, Frequency, Lang, MediaLiteracy, Organisation,
    Purpose, SelfHosting,
};
use crate::wording;

/// The answers gathered by the questionnaire, before they are written.
#[derive(Debug, Clone, PartialEq)]
pub struct Gathered {
    /// Group name (may be empty).
    pub group: String,
    /// Who the group is.
    pub organisation: Organisation,
    /// Most people per meeting.
    pub participants: u32,
    /// Typical length.
    pub meeting_minutes: u32,
    /// How often.
    pub frequency: Frequency,
    /// What for.
    pub purposes: Vec<Purpose>,
    /// Devices.
    pub devices: Vec<Device>,
    /// Practice.
    pub media_literacy: MediaLiteracy,
    /// Confidentiality.
    pub confidentiality: Confidentiality,
    /// Budget.
    pub budget_eur_per_month: f64,
    /// Server.
    pub self_hosting: SelfHosting,
    /// Catalog ids of the tools a partner runs for the group.
    pub partner_tools: Vec<String>,
    /// Catalog ids of the tools the umbrella organisation or the Land forbids.
    pub forbidden_tools: Vec<String>,
    /// Installing allowed.
    pub install_allowed: bool,
    /// Accounts allowed.
    pub accounts_allowed: bool,
    /// Must-haves.
    pub needs: Vec<Feature>,
    /// Wishes.
    pub wishes: Vec<Feature>,
    /// Accessibility.
    pub accessibility: Vec<AccessNeed>,
}

impl Gathered {
    /// The answers as they are written: partner tools only with a partner, no wish that is
    /// also a must-have.
    pub fn tidy(mut self) -> Gathered {
        if self.self_hosting != SelfHosting::Partner {
            self.partner_tools.clear();
        }
        let needs = self.needs.clone();
        self.wishes.retain(|w| !needs.contains(w));
        self
    }

    /// The answers of a validated answers file, to ask again (or show in a form). Weights
    /// have no question and are not kept.
    pub fn from_answers(a: &crate::answers::Answers) -> Gathered {
        Gathered {
            group: a.group.clone().unwrap_or_default(),
            organisation: a.organisation,
            participants: a.participants,
            meeting_minutes: a.meeting_minutes,
            frequency: a.frequency,
            purposes: a.purposes.iter().copied().collect(),
            devices: a.devices.iter().copied().collect(),
            media_literacy: a.media_literacy,
            confidentiality: a.confidentiality,
            budget_eur_per_month: a.budget_eur_per_month,
            self_hosting: a.self_hosting,
            partner_tools: a.partner_tools.iter().cloned().collect(),
            forbidden_tools: a.forbidden_tools.iter().cloned().collect(),
            install_allowed: a.install_allowed,
            accounts_allowed: a.accounts_allowed,
            needs: a.needs.iter().copied().collect(),
            wishes: a.wishes.iter().copied().collect(),
            accessibility: a.accessibility.iter().copied().collect(),
        }
    }

    /// The words chosen for a choice or list question (for ticking a form), in the order of
    /// [`Question::offered`]; empty for text and yes/no questions.
    pub fn chosen(&self, q: Question) -> Vec<String> {
        fn words<T: Copy>(items: &[T], word: fn(T) -> &'static str) -> Vec<String> {
            items.iter().map(|i| word(*i).to_string()).collect()
        }
        match q {
            Question::Organisation => vec![self.organisation.word().to_string()],
            Question::Frequency => vec![self.frequency.word().to_string()],
            Question::Purposes => words(&self.purposes, Purpose::word),
            Question::Devices => words(&self.devices, Device::word),
            Question::Practice => vec![self.media_literacy.word().to_string()],
            Question::Confidentiality => vec![self.confidentiality.word().to_string()],
            Question::Hosting => vec![self.self_hosting.word().to_string()],
            Question::PartnerTools => self.partner_tools.clone(),
            Question::ForbiddenTools => self.forbidden_tools.clone(),
            Question::Needs => words(&self.needs, Feature::word),
            Question::Wishes => words(&self.wishes, Feature::word),
            Question::Accessibility => words(&self.accessibility, AccessNeed::word),
            Question::Group
            | Question::Participants
            | Question::Minutes
            | Question::Budget
            | Question::Install
            | Question::Accounts => Vec::new(),
        }
    }

    /// What the questions offer before anything is answered (`participants` 0: not yet).
    pub fn fresh() -> Self {
        Gathered {
            group: String::new(),
            organisation: Organisation::Group,
            participants: 0,
            meeting_minutes: 90,
            frequency: Frequency::Monthly,
            purposes: vec![Purpose::Meeting],
            devices: vec![Device::Computer, Device::Smartphone],
            media_literacy: MediaLiteracy::Medium,
            confidentiality: Confidentiality::Internal,
            budget_eur_per_month: 0.0,
            self_hosting: SelfHosting::None,
            partner_tools: Vec::new(),
            forbidden_tools: Vec::new(),
            install_allowed: true,
            accounts_allowed: true,
            needs: Vec::new(),
            wishes: Vec::new(),
            accessibility: Vec::new(),
        }
    }
}

/// One thing that can be chosen: the word the answers file has, its label and, for features
/// and accessibility needs, what it means.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Offered {
    /// The word of the answers contract (`computer`, `waiting_room`, a tool id).
    pub word: String,
    /// The label people read.
    pub label: String,
    /// What it means, in one sentence.
    pub meaning: Option<&'static str>,
}

/// One question of the questionnaire, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// The group's name.
    Group,
    /// Who the group is.
    Organisation,
    /// Most people per meeting.
    Participants,
    /// How long a meeting lasts.
    Minutes,
    /// How often the group meets.
    Frequency,
    /// What the tool is for.
    Purposes,
    /// The devices members use.
    Devices,
    /// How practised members are.
    Practice,
    /// How confidential the talks are.
    Confidentiality,
    /// What the group can pay.
    Budget,
    /// Whether anyone runs a server.
    Hosting,
    /// Which tools a partner runs (only with a partner).
    PartnerTools,
    /// Tools the group may not use.
    ForbiddenTools,
    /// Whether installing is allowed.
    Install,
    /// Whether accounts are allowed.
    Accounts,
    /// Must-have features.
    Needs,
    /// Nice-to-have features.
    Wishes,
    /// Accessibility needs.
    Accessibility,
}

/// How a question is answered, which decides the key hint under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Typed text or a number.
    Text,
    /// One of a list.
    Choose,
    /// Any of a list.
    Multi,
    /// Ja or nein.
    YesNo,
}

/// What a question says: the question, its explanation and its label in the summary.
pub struct Texts {
    /// The question.
    pub question: &'static str,
    /// Why it matters.
    pub help: &'static str,
    /// Its label in a summary.
    pub summary: &'static str,
}

impl Question {
    /// Every question, in order.
    pub const ALL: [Question; 18] = [
        Question::Group,
        Question::Organisation,
        Question::Participants,
        Question::Minutes,
        Question::Frequency,
        Question::Purposes,
        Question::Devices,
        Question::Practice,
        Question::Confidentiality,
        Question::Budget,
        Question::Hosting,
        Question::PartnerTools,
        Question::ForbiddenTools,
        Question::Install,
        Question::Accounts,
        Question::Needs,
        Question::Wishes,
        Question::Accessibility,
    ];

    /// The key of the answer in the answers file, also the name of its form field.
    pub fn key(self) -> &'static str {
        match self {
            Question::Group => "group",
            Question::Organisation => "organisation",
            Question::Participants => "participants",
            Question::Minutes => "meeting_minutes",
            Question::Frequency => "frequency",
            Question::Purposes => "purposes",
            Question::Devices => "devices",
            Question::Practice => "media_literacy",
            Question::Confidentiality => "confidentiality",
            Question::Budget => "budget_eur_per_month",
            Question::Hosting => "self_hosting",
            Question::PartnerTools => "partner_tools",
            Question::ForbiddenTools => "forbidden_tools",
            Question::Install => "install_allowed",
            Question::Accounts => "accounts_allowed",
            Question::Needs => "needs",
            Question::Wishes => "wishes",
            Question::Accessibility => "accessibility",
        }
    }

    /// What is said when an answer cannot be taken as typed (or, for devices, when none is
    /// ticked); `None` for questions every answer of which is valid.
    pub fn invalid(self, lang: Lang) -> Option<&'static str> {
        match self {
            Question::Participants => Some(wording::text(lang, "init.participants.error")),
            Question::Minutes => Some(wording::text(lang, "init.minutes.error")),
            Question::Budget => Some(wording::text(lang, "init.budget.error")),
            Question::Devices => Some(wording::text(lang, "init.devices.error")),
            Question::Install | Question::Accounts => {
                Some(wording::text(lang, "init.yes_no.error"))
            }
            _ => None,
        }
    }

    /// What can be chosen for a choice or list question, in the order shown, with what each
    /// feature or need means; empty for text and yes/no questions. Wishes offer every feature
    /// (a must-have ticked twice is dropped from the wishes by [`Gathered::tidy`]).
    pub fn offered(self, lang: Lang, tools: &Tools) -> Vec<Offered> {
        fn plain<T: Copy>(
            all: &[T],
            word: fn(T) -> &'static str,
            label: impl Fn(T) -> &'static str,
        ) -> Vec<Offered> {
            all.iter()
                .map(|v| Offered {
                    word: word(*v).to_string(),
                    label: label(*v).to_string(),
                    meaning: None,
                })
                .collect()
        }
        let features = || {
            Feature::ALL
                .iter()
                .map(|f| Offered {
                    word: f.word().to_string(),
                    label: f.label(lang).to_string(),
                    meaning: Some(feature_meaning(*f, lang)),
                })
                .collect()
        };
        let named = |list: &[(String, String)]| {
            list.iter()
                .map(|(id, name)| Offered {
                    word: id.clone(),
                    label: name.clone(),
                    meaning: None,
                })
                .collect()
        };
        match self {
            Question::Organisation => {
                plain(Organisation::ALL, Organisation::word, |v| v.label(lang))
            }
            Question::Frequency => plain(Frequency::ALL, Frequency::word, |v| v.label(lang)),
            Question::Purposes => plain(Purpose::ALL, Purpose::word, |v| v.label(lang)),
            Question::Devices => plain(Device::ALL, Device::word, |v| v.label(lang)),
            Question::Practice => plain(MediaLiteracy::ALL, MediaLiteracy::word, |v| v.label(lang)),
            Question::Confidentiality => plain(Confidentiality::ALL, Confidentiality::word, |v| {
                v.label(lang)
            }),
            Question::Hosting => plain(SelfHosting::ALL, SelfHosting::word, |v| v.label(lang)),
            Question::PartnerTools => named(&tools.partner),
            Question::ForbiddenTools => named(&tools.all),
            Question::Needs | Question::Wishes => features(),
            Question::Accessibility => AccessNeed::ALL
                .iter()
                .map(|n| Offered {
                    word: n.word().to_string(),
                    label: n.label(lang).to_string(),
                    meaning: Some(access_meaning(*n, lang)),
                })
                .collect(),
            Question::Group
            | Question::Participants
            | Question::Minutes
            | Question::Budget
            | Question::Install
            | Question::Accounts => Vec::new(),
        }
    }

    /// Whether the question is asked, given the answers so far.
    pub fn applies(self, g: &Gathered) -> bool {
        self != Question::PartnerTools || g.self_hosting == SelfHosting::Partner
    }

    /// How the question is answered.
    pub fn kind(self) -> Kind {
        match self {
            Question::Group | Question::Participants | Question::Minutes | Question::Budget => {
                Kind::Text
            }
            Question::Organisation
            | Question::Frequency
            | Question::Practice
            | Question::Confidentiality
            | Question::Hosting => Kind::Choose,
            Question::Purposes
            | Question::Devices
            | Question::PartnerTools
            | Question::ForbiddenTools
            | Question::Needs
            | Question::Wishes
            | Question::Accessibility => Kind::Multi,
            Question::Install | Question::Accounts => Kind::YesNo,
        }
    }

    /// The question, its explanation and its summary label in `lang`.
    pub fn texts(self, lang: Lang) -> Texts {
        let texts = |question, help, summary| Texts {
            question,
            help,
            summary,
        };
        match self {
            Question::Group => texts(
                wording::text(lang, "init.group.question"),
                wording::text(lang, "init.group.help"),
                wording::text(lang, "init.group.summary"),
            ),
            Question::Organisation => texts(
                wording::text(lang, "init.organisation.question"),
                wording::text(lang, "init.organisation.help"),
                wording::text(lang, "init.organisation.summary"),
            ),
            Question::Participants => texts(
                wording::text(lang, "init.participants.question"),
                wording::text(lang, "init.participants.help"),
                wording::text(lang, "init.participants.summary"),
            ),
            Question::Minutes => texts(
                wording::text(lang, "init.minutes.question"),
                wording::text(lang, "init.minutes.help"),
                wording::text(lang, "init.minutes.summary"),
            ),
            Question::Frequency => texts(
                wording::text(lang, "init.frequency.question"),
                wording::text(lang, "init.frequency.help"),
                wording::text(lang, "init.frequency.summary"),
            ),
            Question::Purposes => texts(
                wording::text(lang, "init.purposes.question"),
                wording::text(lang, "init.purposes.help"),
                wording::text(lang, "init.purposes.summary"),
            ),
            Question::Devices => texts(
                wording::text(lang, "init.devices.question"),
                wording::text(lang, "init.devices.help"),
                wording::text(lang, "init.devices.summary"),
            ),
            Question::Practice => texts(
                wording::text(lang, "init.practice.question"),
                wording::text(lang, "init.practice.help"),
                wording::text(lang, "init.practice.summary"),
            ),
            Question::Confidentiality => texts(
                wording::text(lang, "init.confidentiality.question"),
                wording::text(lang, "init.confidentiality.help"),
                wording::text(lang, "init.confidentiality.summary"),
            ),
            Question::Budget => texts(
                wording::text(lang, "init.budget.question"),
                wording::text(lang, "init.budget.help"),
                wording::text(lang, "init.budget.summary"),
            ),
            Question::Hosting => texts(
                wording::text(lang, "init.hosting.question"),
                wording::text(lang, "init.hosting.help"),
                wording::text(lang, "init.hosting.summary"),
            ),
            Question::PartnerTools => texts(
                wording::text(lang, "init.partner_tools.question"),
                wording::text(lang, "init.partner_tools.help"),
                wording::text(lang, "init.partner_tools.summary"),
            ),
            Question::ForbiddenTools => texts(
                wording::text(lang, "init.forbidden_tools.question"),
                wording::text(lang, "init.forbidden_tools.help"),
                wording::text(lang, "init.forbidden_tools.summary"),
            ),
            Question::Install => texts(
                wording::text(lang, "init.install.question"),
                wording::text(lang, "init.install.help"),
                wording::text(lang, "init.install.summary"),
            ),
            Question::Accounts => texts(
                wording::text(lang, "init.accounts.question"),
                wording::text(lang, "init.accounts.help"),
                wording::text(lang, "init.accounts.summary"),
            ),
            Question::Needs => texts(
                wording::text(lang, "init.needs.question"),
                wording::text(lang, "init.needs.help"),
                wording::text(lang, "init.needs.summary"),
            ),
            Question::Wishes => texts(
                wording::text(lang, "init.wishes.question"),
                wording::text(lang, "init.wishes.help"),
                wording::text(lang, "init.wishes.summary"),
            ),
            Question::Accessibility => texts(
                wording::text(lang, "init.accessibility.question"),
                wording::text(lang, "init.accessibility.help"),
                wording::text(lang, "init.accessibility.summary"),
            ),
        }
    }
}

/// What a feature means, in one short sentence.
pub fn feature_meaning(feature: Feature, lang: Lang) -> &'static str {
    match feature {
        Feature::ScreenSharing => wording::text(lang, "init.feature.screen_sharing"),
        Feature::Chat => wording::text(lang, "init.feature.chat"),
        Feature::RaiseHand => wording::text(lang, "init.feature.raise_hand"),
        Feature::PublicSpeakerQueue => wording::text(lang, "init.feature.public_speaker_queue"),
        Feature::BreakoutRooms => wording::text(lang, "init.feature.breakout_rooms"),
        Feature::Recording => wording::text(lang, "init.feature.recording"),
        Feature::PresentationUpload => wording::text(lang, "init.feature.presentation_upload"),
        Feature::Whiteboard => wording::text(lang, "init.feature.whiteboard"),
        Feature::Polls => wording::text(lang, "init.feature.polls"),
        Feature::SharedNotes => wording::text(lang, "init.feature.shared_notes"),
        Feature::WaitingRoom => wording::text(lang, "init.feature.waiting_room"),
        Feature::RoomPassword => wording::text(lang, "init.feature.room_password"),
        Feature::DialIn => wording::text(lang, "init.feature.dial_in"),
        Feature::E2ee => wording::text(lang, "init.feature.e2ee"),
        Feature::LiveCaptions => wording::text(lang, "init.feature.live_captions"),
        Feature::MobileApp => wording::text(lang, "init.feature.mobile_app"),
        Feature::FileStorage => wording::text(lang, "init.feature.file_storage"),
        Feature::Forum => wording::text(lang, "init.feature.forum"),
        Feature::Moderation => wording::text(lang, "init.feature.moderation"),
        Feature::Streaming => wording::text(lang, "init.feature.streaming"),
    }
}

/// What an accessibility need means, in one short sentence.
pub fn access_meaning(need: AccessNeed, lang: Lang) -> &'static str {
    match need {
        AccessNeed::Captions => wording::text(lang, "init.access.captions"),
        AccessNeed::ScreenReader => wording::text(lang, "init.access.screen_reader"),
        AccessNeed::SignLanguage => wording::text(lang, "init.access.sign_language"),
        AccessNeed::Keyboard => wording::text(lang, "init.access.keyboard"),
        AccessNeed::PlainLanguage => wording::text(lang, "init.access.plain_language"),
    }
}

/// `j`, `ja`, `y`, `yes` or `n`, `nein`, `no`, in any case; German and English both work, so
/// nobody is refused for answering in the other language.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "j" | "ja" | "y" | "yes" => Some(true),
        "n" | "nein" | "no" => Some(false),
        _ => None,
    }
}

/// A whole number of 1 or more, as typed: `8`, ` 12 `.
pub fn parse_count(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n >= 1)
}

/// An amount in euros as people type it: `12,50` and `12.50`, `1.000,50` and `1,000.50`,
/// with or without `€` or `Euro`. With only one kind of mark, a single one separates the
/// cents and several separate thousands; with both, the last one separates the cents.
pub fn parse_amount(text: &str) -> Option<f64> {
    let mut t = text.trim().to_lowercase();
    for unit in ["euro", "eur", "€"] {
        if let Some(rest) = t.strip_suffix(unit) {
            t = rest.trim_end().to_string();
        }
        if let Some(rest) = t.strip_prefix(unit) {
            t = rest.trim_start().to_string();
        }
    }
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let decimal = match (t.rfind(','), t.rfind('.')) {
        (Some(c), Some(p)) => Some(if c > p { ',' } else { '.' }),
        (Some(_), None) if t.matches(',').count() == 1 => Some(','),
        (None, Some(_)) if t.matches('.').count() == 1 => Some('.'),
        _ => None,
    };
    let plain: String = t
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            c if Some(c) == decimal => Some('.'),
            _ => None,
        })
        .collect();
    if plain.starts_with('.') || plain.ends_with('.') {
        return None;
    }
    plain.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// The tools of a catalog that can be named: all (for forbidden tools) and those a
/// partner can run (for partner tools), as (id, name), by name.
pub struct Tools {
    /// Every current tool.
    pub all: Vec<(String, String)>,
    /// The tools a partner can run.
    pub partner: Vec<(String, String)>,
}

impl Tools {
    /// The tools of `catalog` that can be named.
    pub fn of(catalog: &crate::catalog::Catalog) -> Tools {
        let mut current: Vec<&crate::catalog::Tool> = catalog
            .tools
            .values()
            .filter(|t| t.retired.is_none())
            .collect();
        current.sort_by_key(|t| t.name.to_lowercase());
        let pair = |t: &&crate::catalog::Tool| (t.id.clone(), t.name.clone());
        Tools {
            all: current.iter().map(pair).collect(),
            partner: current
                .iter()
                .filter(|t| {
                    t.offerings
                        .iter()
                        .any(|o| o.hosting == crate::vocab::Hosting::PartnerHosted)
                })
                .map(pair)
                .collect(),
        }
    }

    /// The name of a tool id, or the id.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.all
            .iter()
            .find(|(i, _)| i == id)
            .map_or(id, |(_, name)| name.as_str())
    }
}

fn list<T: Copy>(items: &[T], word: impl Fn(T) -> &'static str) -> String {
    let inner = items
        .iter()
        .map(|i| format!("\"{}\"", word(*i)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("[{inner}]")
}

fn ids(ids: &[String]) -> String {
    let inner = ids
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!("[{inner}]")
}

/// The answers file text, keys as in the contract, comments in `lang`.
pub fn render(g: &Gathered, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}", wording::text(lang, "init.file.header"));
    let _ = writeln!(s, "# {}", wording::text(lang, "init.file.advice"));
    let _ = writeln!(s);
    let quoted = |word: &str| format!("\"{word}\"");
    let escaped = g.group.replace('\\', "\\\\").replace('"', "\\\"");
    // Key, comment and value as TOML: one commented line per answer.
    let answers: [(&str, &str, String); 18] = [
        (
            "group",
            wording::text(lang, "init.file.group"),
            quoted(&escaped),
        ),
        (
            "organisation",
            wording::text(lang, "init.file.organisation"),
            quoted(g.organisation.word()),
        ),
        (
            "participants",
            wording::text(lang, "init.file.participants"),
            g.participants.to_string(),
        ),
        (
            "meeting_minutes",
            wording::text(lang, "init.file.meeting_minutes"),
            g.meeting_minutes.to_string(),
        ),
        (
            "frequency",
            wording::text(lang, "init.file.frequency"),
            quoted(g.frequency.word()),
        ),
        (
            "purposes",
            wording::text(lang, "init.file.purposes"),
            list(&g.purposes, Purpose::word),
        ),
        (
            "devices",
            wording::text(lang, "init.file.devices"),
            list(&g.devices, Device::word),
        ),
        (
            "media_literacy",
            wording::text(lang, "init.file.media_literacy"),
            quoted(g.media_literacy.word()),
        ),
        (
            "confidentiality",
            wording::text(lang, "init.file.confidentiality"),
            quoted(g.confidentiality.word()),
        ),
        (
            "budget_eur_per_month",
            wording::text(lang, "init.file.budget"),
            crate::format::number(g.budget_eur_per_month, Lang::En),
        ),
        (
            "self_hosting",
            wording::text(lang, "init.file.self_hosting"),
            quoted(g.self_hosting.word()),
        ),
        (
            "install_allowed",
            wording::text(lang, "init.file.install_allowed"),
            g.install_allowed.to_string(),
        ),
        (
            "accounts_allowed",
            wording::text(lang, "init.file.accounts_allowed"),
            g.accounts_allowed.to_string(),
        ),
        (
            "needs",
            wording::text(lang, "init.file.needs"),
            list(&g.needs, Feature::word),
        ),
        (
            "wishes",
            wording::text(lang, "init.file.wishes"),
            list(&g.wishes, Feature::word),
        ),
        (
            "accessibility",
            wording::text(lang, "init.file.accessibility"),
            list(&g.accessibility, AccessNeed::word),
        ),
        (
            "partner_tools",
            wording::text(lang, "init.file.partner_tools"),
            ids(&g.partner_tools),
        ),
        (
            "forbidden_tools",
            wording::text(lang, "init.file.forbidden_tools"),
            ids(&g.forbidden_tools),
        ),
    ];
    for (key, comment, value) in answers {
        let _ = writeln!(s, "# {comment}\n{key} = {value}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_german_and_english() {
        for yes in ["j", "J", "ja", "Ja ", "y", "yes"] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["n", "nein", "NEIN", "no"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
        assert_eq!(parse_yes_no("vielleicht"), None);
        assert_eq!(parse_yes_no(""), None);
    }

    #[test]
    fn amounts_as_people_type_them() {
        for (text, want) in [
            ("12,50", 12.5),
            ("12.50", 12.5),
            ("0", 0.0),
            (" 15 ", 15.0),
            ("12,50 €", 12.5),
            ("€12.50", 12.5),
            ("20 Euro", 20.0),
            ("1.000,50", 1000.5),
            ("1,000.50", 1000.5),
            ("1.000.000", 1_000_000.0),
        ] {
            assert_eq!(parse_amount(text), Some(want), "{text}");
        }
        for bad in ["", "-5", "zwölf", "12,", ",5", "1e3", "€"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn counts_are_whole_numbers_from_one() {
        assert_eq!(parse_count("8"), Some(8));
        assert_eq!(parse_count(" 12 "), Some(12));
        for bad in ["0", "", "-1", "8,5", "acht", "99999999999"] {
            assert_eq!(parse_count(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_written_file_is_valid_answers_with_forbidden_tools() {
        let mut g = Gathered::fresh();
        g.group = "Die \"Mutigen\"".into();
        g.participants = 12;
        g.budget_eur_per_month = 12.5;
        g.forbidden_tools = vec!["zoom".into(), "whatsapp".into()];
        g.needs = vec![Feature::WaitingRoom];
        let catalog = crate::catalog::Catalog::load(None).unwrap();
        for lang in [Lang::De, Lang::En] {
            let text = render(&g, lang);
            assert!(text.contains("forbidden_tools = [\"zoom\", \"whatsapp\"]"));
            assert!(text.contains("budget_eur_per_month = 12.50"));
            let source = crate::source::SourceText {
                name: "answers.toml".into(),
                text,
            };
            let known = crate::answers::KnownIds {
                tools: catalog.tools.keys().map(String::as_str).collect(),
                criteria: Vec::new(),
            };
            let answers =
                crate::answers::parse(&source, crate::source::Format::Toml, &[], &known).unwrap();
            assert_eq!(answers.group.as_deref(), Some("Die \"Mutigen\""));
            assert_eq!(answers.participants, 12);
            assert_eq!(answers.budget_eur_per_month, 12.5);
            assert!(answers.forbidden_tools.contains("zoom"));
            assert!(answers.needs.contains(&Feature::WaitingRoom));
        }
    }

    #[test]
    fn every_question_explains_itself_and_every_feature_is_explained() {
        for lang in [Lang::De, Lang::En] {
            for q in Question::ALL {
                let t = q.texts(lang);
                assert!(!t.question.is_empty() && !t.help.is_empty() && !t.summary.is_empty());
            }
            for f in Feature::ALL {
                assert!(!feature_meaning(*f, lang).is_empty());
            }
            for n in AccessNeed::ALL {
                assert!(!access_meaning(*n, lang).is_empty());
            }
        }
    }
}
