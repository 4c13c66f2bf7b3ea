//! `konf-wahl init`: the pre-selection questions of the seed documents as an interactive
//! questionnaire (inquire), written out as a commented answers file.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Result, bail};
use inquire::{Confirm, CustomType, MultiSelect, Select, Text as TextPrompt};

use super::args::InitArgs;
use crate::vocab::{
    AccessNeed, Confidentiality, Device, Feature, Frequency, Lang, MediaLiteracy, Organisation,
    Purpose, SelfHosting,
};

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

fn t(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::De { de } else { en }
}

/// A choice shown with its label; `Display` is what the prompt lists.
struct Choice<T> {
    value: T,
    label: &'static str,
}

impl<T> std::fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label)
    }
}

fn choices<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str) -> Vec<Choice<T>> {
    all.iter()
        .map(|v| Choice {
            value: *v,
            label: label(*v),
        })
        .collect()
}

fn select<T: Copy>(
    question: &str,
    help: &str,
    all: &[T],
    label: impl Fn(T) -> &'static str,
    default: usize,
) -> Result<T> {
    Ok(Select::new(question, choices(all, label))
        .with_help_message(help)
        .with_starting_cursor(default)
        .prompt()?
        .value)
}

fn multi<T: Copy + PartialEq>(
    question: &str,
    help: &str,
    all: &[T],
    label: impl Fn(T) -> &'static str,
    defaults: &[T],
) -> Result<Vec<T>> {
    let opts = choices(all, label);
    let default_idx: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, v)| defaults.contains(v))
        .map(|(i, _)| i)
        .collect();
    Ok(MultiSelect::new(question, opts)
        .with_help_message(help)
        .with_default(&default_idx)
        .prompt()?
        .into_iter()
        .map(|c| c.value)
        .collect())
}

/// Runs the questionnaire on the terminal.
pub fn ask(lang: Lang) -> Result<Gathered> {
    let l = |de, en| t(lang, de, en);
    let multi_keys = l(
        "↑↓ wählen, Leertaste an/aus, Enter bestätigen",
        "↑↓ to move, space to toggle, enter to confirm",
    );
    let group = TextPrompt::new(l("Wie heißt die Gruppe?", "What is the group called?"))
        .with_help_message(l(
            "Erscheint auf der Empfehlung; darf leer bleiben.",
            "Shown on the handout; may stay empty.",
        ))
        .prompt()?;
    let organisation = select(
        l("Wer ist die Gruppe?", "Who is the group?"),
        l(
            "Manche Angebote sind nur für manche offen, z. B. DFNconf nur für Hochschulen.",
            "Some offerings are only open to some, e.g. DFNconf only to research bodies.",
        ),
        Organisation::ALL,
        |o| o.label(lang),
        0,
    )?;
    let participants = CustomType::<u32>::new(l(
        "Wie viele Personen kommen höchstens zu einem Treffen (mit Moderation)?",
        "How many people come to a meeting at most (moderator included)?",
    ))
    .with_help_message(l(
        "Kostenlose Angebote haben oft Obergrenzen.",
        "Free offerings often have limits.",
    ))
    .with_error_message(l(
        "Bitte eine ganze Zahl ab 1 eingeben.",
        "Please enter a whole number from 1.",
    ))
    .with_validator(|n: &u32| {
        Ok(if *n >= 1 {
            inquire::validator::Validation::Valid
        } else {
            inquire::validator::Validation::Invalid("≥ 1".into())
        })
    })
    .prompt()?;
    let meeting_minutes = CustomType::<u32>::new(l(
        "Wie lange dauert ein Treffen in Minuten?",
        "How long does a meeting last, in minutes?",
    ))
    .with_default(90)
    .with_help_message(l(
        "Manche kostenlosen Versionen enden nach 40 oder 60 Minuten.",
        "Some free versions end after 40 or 60 minutes.",
    ))
    .with_error_message(l(
        "Bitte eine ganze Zahl eingeben.",
        "Please enter a whole number.",
    ))
    .prompt()?;
    let frequency = select(
        l(
            "Wie oft trifft sich die Gruppe?",
            "How often does the group meet?",
        ),
        l(
            "Wer oft zusammenkommt, braucht eine dauerhafte Lösung.",
            "Groups that meet often need a lasting solution.",
        ),
        Frequency::ALL,
        |f| f.label(lang),
        1,
    )?;
    let purposes = multi(
        l(
            "Wofür soll die Technik genutzt werden?",
            "What is the technology for?",
        ),
        multi_keys,
        Purpose::ALL,
        |p| p.label(lang),
        &[Purpose::Meeting],
    )?;
    let devices = multi(
        l(
            "Welche Geräte nutzen die Mitglieder?",
            "Which devices do members use?",
        ),
        l(
            "Telefon = ohne Internet. Leertaste an/aus, Enter bestätigen",
            "Telephone = without internet. Space to toggle, enter to confirm",
        ),
        Device::ALL,
        |d| d.label(lang),
        &[Device::Computer, Device::Smartphone],
    )?;
    let media_literacy = select(
        l(
            "Wie viel Übung haben die Mitglieder mit Technik?",
            "How much practice do members have with technology?",
        ),
        l(
            "Bei wenig Übung zählen einfache Bedienung und Teilnahme ohne Installation mehr.",
            "With little practice, ease of use and joining without installing count more.",
        ),
        MediaLiteracy::ALL,
        |m| m.label(lang),
        1,
    )?;
    let confidentiality = select(
        l(
            "Wie vertraulich sind die Gespräche?",
            "How confidential are the talks?",
        ),
        l(
            "Streng vertraulich: Datenhoheit und Ende-zu-Ende-Verschlüsselung zählen doppelt.",
            "Strictly confidential: data sovereignty and end-to-end encryption count double.",
        ),
        Confidentiality::ALL,
        |c| c.label(lang),
        1,
    )?;
    let budget_eur_per_month = CustomType::<f64>::new(l(
        "Was darf die Lösung im Monat kosten (Euro)?",
        "What may it cost per month (euros)?",
    ))
    .with_default(0.0)
    .with_formatter(&|x| format!("{x}"))
    .with_help_message(l(
        "0 = nur kostenlose Angebote.",
        "0 = free offerings only.",
    ))
    .with_error_message(l(
        "Bitte eine Zahl eingeben, z. B. 0 oder 15.",
        "Please enter a number, e.g. 0 or 15.",
    ))
    .prompt()?;
    let self_hosting = select(
        l(
            "Kann jemand einen eigenen Server betreiben?",
            "Can anyone run a server?",
        ),
        l(
            "Eigener Server: beste Datenhoheit, aber Pflege und Updates.",
            "Own server: best data sovereignty, but care and updates.",
        ),
        SelfHosting::ALL,
        |s| s.label(lang),
        0,
    )?;
    let partner_tools = if self_hosting == SelfHosting::Partner {
        // The tools of the shipped catalog that partners run for groups.
        let catalog = crate::catalog::Catalog::load(None).map_err(anyhow::Error::new)?;
        let offered: Vec<(String, String)> = catalog
            .tools
            .values()
            .filter(|t| {
                t.retired.is_none()
                    && t.offerings
                        .iter()
                        .any(|o| o.hosting == crate::vocab::Hosting::PartnerHosted)
            })
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect();
        let names: Vec<String> = offered.iter().map(|(_, name)| name.clone()).collect();
        let picked = MultiSelect::new(
            l(
                "Welche Werkzeuge betreibt Ihr Partner (Kontaktstelle, Verband, Kommune) für Sie?",
                "Which tools does your partner (contact office, association, municipality) run for you?",
            ),
            names,
        )
        .with_help_message(multi_keys)
        .prompt()?;
        offered
            .into_iter()
            .filter(|(_, name)| picked.contains(name))
            .map(|(id, _)| id)
            .collect()
    } else {
        Vec::new()
    };
    let install_allowed = Confirm::new(l(
        "Dürfen Teilnehmende ein Programm oder eine App installieren?",
        "May participants install a program or app?",
    ))
    .with_default(true)
    .with_help_message(l(
        "In Behörden ist das oft verboten.",
        "Often forbidden in public bodies.",
    ))
    .prompt()?;
    let accounts_allowed = Confirm::new(l(
        "Dürfen Teilnehmende gebeten werden, ein Konto anzulegen?",
        "May participants be asked to create an account?",
    ))
    .with_default(true)
    .with_help_message(l(
        "Ein Konto bedeutet Daten beim Anbieter.",
        "An account means data at the provider.",
    ))
    .prompt()?;
    let needs = multi(
        l(
            "Welche Funktionen sind unverzichtbar?",
            "Which features are must-haves?",
        ),
        multi_keys,
        Feature::ALL,
        |f| f.label(lang),
        &[],
    )?;
    let remaining: Vec<Feature> = Feature::ALL
        .iter()
        .copied()
        .filter(|f| !needs.contains(f))
        .collect();
    let wishes = multi(
        l(
            "Welche Funktionen wären schön?",
            "Which features would be nice?",
        ),
        multi_keys,
        &remaining,
        |f| f.label(lang),
        &[],
    )?;
    let accessibility = multi(
        l(
            "Welche Barrierefreiheit braucht die Gruppe?",
            "Which accessibility does the group need?",
        ),
        multi_keys,
        AccessNeed::ALL,
        |n| n.label(lang),
        &[],
    )?;
    Ok(Gathered {
        group: group.trim().to_string(),
        organisation,
        participants,
        meeting_minutes: meeting_minutes.max(1),
        frequency,
        purposes,
        devices,
        media_literacy,
        confidentiality,
        budget_eur_per_month: budget_eur_per_month.max(0.0),
        self_hosting,
        partner_tools,
        install_allowed,
        accounts_allowed,
        needs,
        wishes,
        accessibility,
    })
}

fn list<T: Copy>(items: &[T], word: impl Fn(T) -> &'static str) -> String {
    let inner = items
        .iter()
        .map(|i| format!("\"{}\"", word(*i)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("[{inner}]")
}

/// The answers file text, keys as in the contract, comments in `lang`.
pub fn render(g: &Gathered, lang: Lang) -> String {
    let l = |de: &'static str, en: &'static str| t(lang, de, en);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}",
        l(
            "Antworten einer Gruppe für konf-wahl (erstellt mit `konf-wahl init`).",
            "A group's answers for konf-wahl (made with `konf-wahl init`)."
        )
    );
    let _ = writeln!(
        s,
        "# {}",
        l(
            "Empfehlung: konf-wahl recommend DIESE-DATEI",
            "Advice: konf-wahl recommend THIS-FILE"
        )
    );
    let _ = writeln!(s);
    let quoted = |word: &str| format!("\"{word}\"");
    let escaped = g.group.replace('\\', "\\\\").replace('"', "\\\"");
    // Key, comment in German and English, value as TOML: one commented line per answer.
    let answers: [(&str, &str, &str, String); 18] = [
        (
            "group",
            "Name der Gruppe, erscheint auf der Empfehlung",
            "Name of the group, shown on the handout",
            quoted(&escaped),
        ),
        (
            "organisation",
            "group | association | public_body | research",
            "group | association | public_body | research",
            quoted(g.organisation.word()),
        ),
        (
            "participants",
            "Höchstzahl Personen pro Treffen, Moderation eingeschlossen",
            "Most people per meeting, moderator included",
            g.participants.to_string(),
        ),
        (
            "meeting_minutes",
            "Übliche Dauer eines Treffens in Minuten",
            "Typical meeting length in minutes",
            g.meeting_minutes.to_string(),
        ),
        (
            "frequency",
            "once | monthly | weekly | daily",
            "once | monthly | weekly | daily",
            quoted(g.frequency.word()),
        ),
        (
            "purposes",
            "Wofür: meeting | info_event | seminar | chat | forum | file_storage",
            "What for: meeting | info_event | seminar | chat | forum | file_storage",
            list(&g.purposes, Purpose::word),
        ),
        (
            "devices",
            "Geräte: computer | tablet | smartphone | phone (Telefon ohne Internet)",
            "Devices: computer | tablet | smartphone | phone (telephone without internet)",
            list(&g.devices, Device::word),
        ),
        (
            "media_literacy",
            "Übung mit Technik: low | medium | high",
            "Practice with technology: low | medium | high",
            quoted(g.media_literacy.word()),
        ),
        (
            "confidentiality",
            "Vertraulichkeit: public | internal | strict",
            "Confidentiality: public | internal | strict",
            quoted(g.confidentiality.word()),
        ),
        (
            "budget_eur_per_month",
            "Was die Gruppe im Monat zahlen kann, in Euro",
            "What the group can pay per month, in euros",
            crate::format::number(g.budget_eur_per_month, Lang::En),
        ),
        (
            "self_hosting",
            "Wer einen Server betreibt: none | partner | own",
            "Who runs a server: none | partner | own",
            quoted(g.self_hosting.word()),
        ),
        (
            "install_allowed",
            "Dürfen Teilnehmende etwas installieren?",
            "May participants install something?",
            g.install_allowed.to_string(),
        ),
        (
            "accounts_allowed",
            "Dürfen Teilnehmende ein Konto anlegen müssen?",
            "May participants be asked to create an account?",
            g.accounts_allowed.to_string(),
        ),
        (
            "needs",
            "Unverzichtbare Funktionen: ohne sie kommt ein Angebot nicht in Frage",
            "Must-have features: without them an offering is out",
            list(&g.needs, Feature::word),
        ),
        (
            "wishes",
            "Wünsche: sie heben die Bewertung",
            "Wishes: they raise the score",
            list(&g.wishes, Feature::word),
        ),
        (
            "accessibility",
            "Barrierefreiheit: captions | screen_reader | sign_language | keyboard | plain_language",
            "Accessibility: captions | screen_reader | sign_language | keyboard | plain_language",
            list(&g.accessibility, AccessNeed::word),
        ),
        (
            "partner_tools",
            "Werkzeuge, die Ihr Partner (Kontaktstelle, Verband, Kommune) für Sie betreibt (Katalog-IDs)",
            "Tools your partner (contact office, association, municipality) runs for you (catalog ids)",
            format!(
                "[{}]",
                g.partner_tools
                    .iter()
                    .map(|id| format!("\"{id}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        (
            "forbidden_tools",
            "Werkzeuge, die Verband oder Land ausschließen (Katalog-IDs, siehe konf-wahl list)",
            "Tools your association or Land rules out (catalog ids, see konf-wahl list)",
            "[]".to_string(),
        ),
    ];
    for (key, de, en, value) in answers {
        let _ = writeln!(s, "# {}\n{key} = {value}", l(de, en));
    }
    s
}

/// `konf-wahl init`.
pub fn run(args: &InitArgs) -> Result<ExitCode> {
    if args.file.exists() && !args.force {
        bail!(
            "{} already exists; use --force to replace it",
            args.file.display()
        );
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "{}",
            t(
                args.lang,
                "konf-wahl init stellt Fragen und braucht dafür ein Terminal. Ohne Terminal: kopieren Sie eine Beispieldatei aus examples/ (z. B. examples/familiengruppe.toml) und passen Sie sie an.",
                "konf-wahl init asks questions and needs a terminal. Without one: copy an example from examples/ (e.g. examples/familiengruppe.toml) and edit it."
            )
        );
    }
    let gathered = match ask(args.lang) {
        Ok(g) => g,
        Err(e) => match e.downcast_ref::<inquire::InquireError>() {
            Some(
                inquire::InquireError::OperationCanceled
                | inquire::InquireError::OperationInterrupted,
            ) => {
                crate::output::eprint_line(t(
                    args.lang,
                    "Abgebrochen; es wurde nichts geschrieben.",
                    "Cancelled; nothing was written.",
                ));
                return Ok(ExitCode::from(1));
            }
            _ => return Err(e),
        },
    };
    let text = render(&gathered, args.lang);
    crate::output::write_atomically(&args.file, text.as_bytes(), args.force)?;
    crate::output::eprint_line(&format!(
        "{} {}",
        t(args.lang, "Geschrieben:", "Written:"),
        args.file.display()
    ));
    Ok(ExitCode::SUCCESS)
}
