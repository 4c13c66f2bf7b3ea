//! A group's answers to the pre-selection questions: parsed from TOML or YAML, then validated
//! into [`Answers`], whose fields can only hold allowed values.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics, locate_key};
use crate::say;
use crate::source::{Format, SourceText};
use crate::vocab::{
    AccessNeed, Confidentiality, Device, Feature, Frequency, MediaLiteracy, Organisation, Purpose,
    SelfHosting,
};
use crate::wording::messages_lang;

/// A group's answers for konf-wahl (the contract in the README). Only `participants` is
/// required; unknown keys and words are rejected.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnswers {
    group: Option<String>,
    organisation: Option<Organisation>,
    participants: NonZeroU32,
    meeting_minutes: Option<NonZeroU32>,
    frequency: Option<Frequency>,
    purposes: Option<Vec<Purpose>>,
    devices: Option<Vec<Device>>,
    media_literacy: Option<MediaLiteracy>,
    confidentiality: Option<Confidentiality>,
    budget_eur_per_month: Option<Amount>,
    self_hosting: Option<SelfHosting>,
    install_allowed: Option<bool>,
    accounts_allowed: Option<bool>,
    needs: Option<Vec<Feature>>,
    wishes: Option<Vec<Feature>>,
    accessibility: Option<Vec<AccessNeed>>,
    forbidden_tools: Option<Vec<String>>,
    partner_tools: Option<Vec<String>>,
    weights: Option<BTreeMap<String, f64>>,
}

/// A sum of money as a person writes it: a number, or text with a decimal comma ("12,50").
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum Amount {
    /// 12.5 or 12
    Number(f64),
    /// "12,50" or "12.50"
    Text(String),
}

impl Amount {
    fn value(&self) -> Option<f64> {
        match self {
            Amount::Number(x) => Some(*x),
            Amount::Text(t) => crate::format::parse_german_number(t),
        }
    }
}

/// A group's validated answers, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    /// The group's name, shown on reports.
    pub group: Option<String>,
    /// Who the group is.
    pub organisation: Organisation,
    /// Most people in one meeting, moderator included.
    pub participants: u32,
    /// Typical meeting length.
    pub meeting_minutes: u32,
    /// How often the group meets.
    pub frequency: Frequency,
    /// What the tool is for.
    pub purposes: BTreeSet<Purpose>,
    /// The devices members use.
    pub devices: BTreeSet<Device>,
    /// How confident members are with technology.
    pub media_literacy: MediaLiteracy,
    /// How confidential the talks are.
    pub confidentiality: Confidentiality,
    /// What the group can pay per month.
    pub budget_eur_per_month: f64,
    /// Whether anyone runs a server.
    pub self_hosting: SelfHosting,
    /// May participants be asked to install a program or app?
    pub install_allowed: bool,
    /// May participants be asked to register an account?
    pub accounts_allowed: bool,
    /// Must-haves.
    pub needs: BTreeSet<Feature>,
    /// Nice-to-haves (those also in `needs` are dropped).
    pub wishes: BTreeSet<Feature>,
    /// Accessibility needs.
    pub accessibility: BTreeSet<AccessNeed>,
    /// Catalog ids the group may not use.
    pub forbidden_tools: BTreeSet<String>,
    /// Catalog ids of the tools a partner (contact office, umbrella body, municipality) runs
    /// for the group; only those tools' partner-hosted offerings are the partner's.
    pub partner_tools: BTreeSet<String>,
    /// Weight overrides by criterion id.
    pub weights: BTreeMap<String, f64>,
}

impl Answers {
    /// Whether every member joins by telephone alone.
    pub fn phone_only(&self) -> bool {
        self.devices.len() == 1 && self.devices.contains(&Device::Phone)
    }
}

/// What answers are checked against: the ids that exist in the loaded catalog and criteria.
pub struct KnownIds<'a> {
    /// Catalog tool ids.
    pub tools: Vec<&'a str>,
    /// Criterion ids.
    pub criteria: Vec<&'a str>,
}

/// Reads and validates an answers file (TOML or YAML by extension).
pub fn load(path: &Path, known: &KnownIds<'_>) -> Result<Answers, Diagnostics> {
    let format = Format::from_path(path).map_err(|d| Diagnostics(vec![d]))?;
    let source = SourceText::read(path).map_err(|d| Diagnostics(vec![d]))?;
    parse(&source, format, &[], known)
}

/// Parses answers text, applies `--set KEY=VALUE` overrides, and validates.
pub fn parse(
    source: &SourceText,
    format: Format,
    overrides: &[(String, String)],
    known: &KnownIds<'_>,
) -> Result<Answers, Diagnostics> {
    let raw: RawAnswers = if overrides.is_empty() {
        source.parse(format).map_err(|d| Diagnostics(vec![d]))?
    } else {
        let mut value: toml::Table = source.parse(format).map_err(|d| Diagnostics(vec![d]))?;
        let file = value.clone();
        for (key, text) in overrides {
            value.insert(key.clone(), parse_override_value(key, text));
        }
        toml::Value::Table(value)
            .try_into()
            .map_err(|e: toml::de::Error| {
                // Name the override that is wrong: the first that fails on its own.
                let culprit = overrides.iter().find(|(key, text)| {
                    let mut alone = file.clone();
                    alone.insert(key.clone(), parse_override_value(key, text));
                    toml::Value::Table(alone).try_into::<RawAnswers>().is_err()
                });
                let name = culprit.map_or("--set".to_string(), |(k, v)| format!("--set {k}={v}"));
                let (message, help) =
                    crate::diag::plain_parser_message(e.message(), messages_lang());
                let d = Diagnostic::new(name, message);
                Diagnostics(vec![match help {
                    Some(help) => d.with_help(help),
                    None => d,
                }])
            })?
    };
    validate(raw, source, overrides, known)
}

/// `--set participants=30` gives an integer, `--set needs=chat,polls` a list,
/// `--set install_allowed=false` a boolean; anything else stays a string.
fn parse_override_value(key: &str, text: &str) -> toml::Value {
    const LIST_KEYS: &[&str] = &[
        "purposes",
        "devices",
        "needs",
        "wishes",
        "accessibility",
        "forbidden_tools",
        "partner_tools",
    ];
    if LIST_KEYS.contains(&key) {
        return toml::Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| toml::Value::String(s.to_string()))
                .collect(),
        );
    }
    if let Ok(n) = text.parse::<i64>() {
        return toml::Value::Integer(n);
    }
    if let Some(x) = crate::format::parse_german_number(text) {
        return toml::Value::Float(x);
    }
    match text {
        "true" => return toml::Value::Boolean(true),
        "false" => return toml::Value::Boolean(false),
        _ => {}
    }
    toml::Value::String(text.to_string())
}

fn validate(
    raw: RawAnswers,
    source: &SourceText,
    overrides: &[(String, String)],
    known: &KnownIds<'_>,
) -> Result<Answers, Diagnostics> {
    let mut problems = Vec::new();
    // A problem with a value given by `--set` is that option's, not a line of the file.
    let place = |key: &str, value: Option<&str>, message: String| -> Diagnostic {
        match overrides.iter().rev().find(|(k, _)| k == key) {
            Some((k, v)) => Diagnostic::new(format!("--set {k}={v}"), message),
            None => Diagnostic::new(&source.name, message).at(locate_key(&source.text, key, value)),
        }
    };

    let lang = messages_lang();
    let budget = match &raw.budget_eur_per_month {
        None => 0.0,
        Some(amount) => match amount.value() {
            Some(x) => x,
            None => {
                let Amount::Text(text) = amount else {
                    unreachable!("a number always has a value")
                };
                problems.push(place(
                    "budget_eur_per_month",
                    None,
                    say!(lang, "answers.budget_not_number", value = text),
                ));
                0.0
            }
        },
    };
    if !budget.is_finite() || budget < 0.0 {
        problems.push(place(
            "budget_eur_per_month",
            None,
            say!(
                lang,
                "answers.budget_negative",
                value = crate::format::number(budget, lang)
            ),
        ));
    }

    let mut tool_ids = |key: &str, list: Option<Vec<String>>| -> BTreeSet<String> {
        let ids: BTreeSet<String> = list.unwrap_or_default().into_iter().collect();
        for tool in &ids {
            if !known.tools.contains(&tool.as_str()) {
                problems.push(
                    place(
                        key,
                        Some(tool),
                        say!(lang, "answers.unknown_tool", key = key, tool = tool),
                    )
                    .suggest(tool, &known.tools),
                );
            }
        }
        ids
    };
    let forbidden = tool_ids("forbidden_tools", raw.forbidden_tools);
    let partner_tools = tool_ids("partner_tools", raw.partner_tools);
    if !partner_tools.is_empty() && raw.self_hosting == Some(SelfHosting::None) {
        problems.push(
            place(
                "self_hosting",
                None,
                say!(lang, "answers.partner_without_server"),
            )
            .with_help(say!(lang, "answers.partner_without_server_help")),
        );
    }

    let weights = raw.weights.unwrap_or_default();
    for (id, weight) in &weights {
        if !known.criteria.contains(&id.as_str()) {
            problems.push(
                place(id, None, say!(lang, "answers.unknown_criterion", id = id))
                    .suggest(id, &known.criteria),
            );
        } else if !weight.is_finite() || *weight < 0.0 || *weight > 1000.0 {
            problems.push(place(
                id,
                None,
                say!(
                    lang,
                    "answers.weight_range",
                    id = id,
                    value = crate::format::number(*weight, lang)
                ),
            ));
        }
    }

    let devices: BTreeSet<Device> = match raw.devices {
        Some(list) => list.into_iter().collect(),
        None => [Device::Computer, Device::Smartphone].into_iter().collect(),
    };
    if devices.is_empty() {
        problems.push(
            place("devices", None, say!(lang, "answers.no_devices")).suggest("", Device::WORDS),
        );
    }

    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }

    let needs: BTreeSet<Feature> = raw.needs.unwrap_or_default().into_iter().collect();
    let wishes = raw
        .wishes
        .unwrap_or_default()
        .into_iter()
        .filter(|w| !needs.contains(w))
        .collect();
    Ok(Answers {
        group: raw
            .group
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty()),
        organisation: raw.organisation.unwrap_or(Organisation::Group),
        participants: raw.participants.get(),
        meeting_minutes: raw.meeting_minutes.map_or(90, NonZeroU32::get),
        frequency: raw.frequency.unwrap_or(Frequency::Monthly),
        purposes: raw
            .purposes
            .map(|p| p.into_iter().collect())
            .unwrap_or_else(|| [Purpose::Meeting].into_iter().collect()),
        devices,
        media_literacy: raw.media_literacy.unwrap_or(MediaLiteracy::Medium),
        confidentiality: raw.confidentiality.unwrap_or(Confidentiality::Internal),
        budget_eur_per_month: budget,
        self_hosting: raw.self_hosting.unwrap_or(if partner_tools.is_empty() {
            SelfHosting::None
        } else {
            SelfHosting::Partner
        }),
        install_allowed: raw.install_allowed.unwrap_or(true),
        accounts_allowed: raw.accounts_allowed.unwrap_or(true),
        needs,
        wishes,
        accessibility: raw.accessibility.unwrap_or_default().into_iter().collect(),
        forbidden_tools: forbidden,
        partner_tools,
        weights,
    })
}

/// The JSON Schema of answers files, generated from the type that parses them.
pub fn json_schema() -> schemars::Schema {
    schemars::schema_for!(RawAnswers)
}

/// Answers used to try rules at load time: a mid-sized group that wishes for everything.
pub(crate) fn sample() -> Answers {
    Answers {
        group: Some("Beispiel".into()),
        organisation: Organisation::Group,
        participants: 8,
        meeting_minutes: 90,
        frequency: Frequency::Monthly,
        purposes: [Purpose::Meeting].into_iter().collect(),
        devices: Device::ALL.iter().copied().collect(),
        media_literacy: MediaLiteracy::Low,
        confidentiality: Confidentiality::Strict,
        budget_eur_per_month: 10.0,
        self_hosting: SelfHosting::Partner,
        install_allowed: false,
        accounts_allowed: false,
        needs: [Feature::ScreenSharing].into_iter().collect(),
        wishes: Feature::ALL
            .iter()
            .copied()
            .filter(|f| *f != Feature::ScreenSharing)
            .collect(),
        accessibility: AccessNeed::ALL.iter().copied().collect(),
        forbidden_tools: BTreeSet::new(),
        partner_tools: BTreeSet::new(),
        weights: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownIds<'static> {
        KnownIds {
            tools: vec!["zoom", "jitsi-meet"],
            criteria: vec!["cost", "ease_of_use"],
        }
    }

    fn parse_toml(text: &str) -> Result<Answers, Diagnostics> {
        let source = SourceText {
            name: "answers.toml".into(),
            text: text.into(),
        };
        parse(&source, Format::Toml, &[], &known())
    }

    fn first_error(text: &str) -> Diagnostic {
        parse_toml(text).unwrap_err().0.remove(0)
    }

    #[test]
    fn only_participants_is_required_and_defaults_apply() {
        let a = parse_toml("participants = 8\n").unwrap();
        assert_eq!(a.meeting_minutes, 90);
        assert_eq!(a.confidentiality, Confidentiality::Internal);
        assert!(a.install_allowed && a.accounts_allowed);
        assert_eq!(a.budget_eur_per_month, 0.0);
    }

    #[test]
    fn a_misspelt_key_names_line_column_and_the_closest_key() {
        let d = first_error("group = \"x\"\nparticipant = 8\n");
        assert_eq!(d.location, Some((2, 1)));
        assert_eq!(d.message, "„participant“ ist keine bekannte Angabe");
        assert_eq!(d.help.as_deref(), Some("meinten Sie „participants“?"));
    }

    #[test]
    fn an_unknown_value_lists_allowed_words() {
        let d = first_error("participants = 8\nconfidentiality = \"geheim\"\n");
        assert_eq!(d.location.map(|l| l.0), Some(2));
        assert_eq!(d.message, "„geheim“ ist hier kein erlaubter Wert");
        assert_eq!(
            d.help.as_deref(),
            Some("meinten Sie „strict“? Erlaubt sind: „public“, „internal“, „strict“")
        );
        let d = first_error("participants = 8\nneeds = [\"chatt\"]\n");
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .starts_with("meinten Sie „chat“?")
        );
    }

    #[test]
    fn zero_participants_and_negative_budget_are_errors() {
        assert_eq!(
            first_error("participants = 0\n").message,
            "hier steht die Zahl 0; erwartet wird eine ganze Zahl ab 1, zum Beispiel 8"
        );
        let d = first_error("participants = 3\nbudget_eur_per_month = -5\n");
        assert_eq!(d.location, Some((2, 1)));
    }

    #[test]
    fn unknown_forbidden_tool_and_weight_get_suggestions() {
        let errors =
            parse_toml("participants = 3\nforbidden_tools = [\"zom\"]\n[weights]\ncots = 2\n")
                .unwrap_err()
                .0;
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].location, Some((2, 21)));
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("meinten Sie „zoom“?")
        );
        assert!(
            errors[1]
                .help
                .as_deref()
                .unwrap()
                .starts_with("meinten Sie „cost“?")
        );
    }

    #[test]
    fn yaml_answers_parse_the_same() {
        let source = SourceText {
            name: "a.yaml".into(),
            text: "participants: 8\ndevices: [phone]\nconfidentiality: strict\n".into(),
        };
        let a = parse(&source, Format::Yaml, &[], &known()).unwrap();
        assert!(a.phone_only());
        let bad = SourceText {
            name: "a.yaml".into(),
            text: "participants: 8\nconfidentialty: strict\n".into(),
        };
        let d = parse(&bad, Format::Yaml, &[], &known())
            .unwrap_err()
            .0
            .remove(0);
        assert_eq!(d.location, Some((2, 1)));
        assert_eq!(d.help.as_deref(), Some("meinten Sie „confidentiality“?"));
    }

    #[test]
    fn overrides_are_validated_like_the_file() {
        let source = SourceText {
            name: "a.toml".into(),
            text: "participants = 8\n".into(),
        };
        let a = parse(
            &source,
            Format::Toml,
            &[("participants".into(), "30".into())],
            &known(),
        )
        .unwrap();
        assert_eq!(a.participants, 30);
        let err = parse(
            &source,
            Format::Toml,
            &[("participant".into(), "30".into())],
            &known(),
        );
        assert!(err.is_err());
    }
}
