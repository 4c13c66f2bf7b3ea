//! `konf-wahl compare`: tools side by side, fact by fact, with the source and check date of
//! every value, as a contact office would put it on one page.

use serde::Serialize;

use crate::catalog::{Catalog, Tool};
use crate::diag::Diagnostic;
use crate::vocab::{AccessNeed, Feature, Lang};

/// The comparison model every format renders.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Language of labels and values.
    pub lang: Lang,
    /// The tools, in the order asked for.
    pub tools: Vec<ComparedTool>,
    /// One row per fact.
    pub rows: Vec<Row>,
}

/// A compared tool.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedTool {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Offerings, by name.
    pub offerings: Vec<String>,
    /// Retirement note, if retired.
    pub retired: Option<String>,
}

/// One fact for all tools.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Fact key.
    pub key: String,
    /// Readable label.
    pub label: String,
    /// One cell per tool.
    pub cells: Vec<CellValue>,
}

/// One tool's value(s) of a fact, with sources.
#[derive(Debug, Clone, Serialize)]
pub struct CellValue {
    /// The value; per offering where they differ.
    pub text: String,
    /// `title or url (checked date)` for each source behind the value.
    pub sources: Vec<String>,
}

/// A readable label of a fact key.
pub fn fact_label(key: &str, lang: Lang) -> String {
    if let Some(word) = key.strip_prefix("features.") {
        return Feature::from_word(word).map_or(word.to_string(), |f| f.label(lang).to_string());
    }
    if let Some(word) = key.strip_prefix("accessibility.") {
        let label = AccessNeed::from_word(word).map_or(word, |n| n.label(lang));
        return match lang {
            Lang::De => format!("Barrierefreiheit: {label}"),
            Lang::En => format!("Accessibility: {label}"),
        };
    }
    let (de, en) = match key {
        "price_eur_month" => ("Preis pro Monat (EUR)", "Price per month (EUR)"),
        "paid" => ("Kostenpflichtig", "Paid"),
        "max_participants" => ("Höchstzahl Teilnehmende", "Maximum participants"),
        "max_video_participants" => ("Höchstzahl mit Video", "Maximum with video"),
        "max_minutes" => ("Höchstdauer (Minuten)", "Maximum length (minutes)"),
        "browser_join_desktop" => (
            "Teilnahme im Browser (Computer)",
            "Join in browser (computer)",
        ),
        "browser_join_mobile" => (
            "Teilnahme im Browser (Smartphone)",
            "Join in browser (smartphone)",
        ),
        "works_behind_firewall" => ("Funktioniert hinter Firewalls", "Works behind firewalls"),
        "account_to_join" => ("Konto nötig zum Teilnehmen", "Account needed to join"),
        "account_to_host" => ("Konto nötig zum Einladen", "Account needed to host"),
        "app_desktop" => ("App für Computer", "Desktop app"),
        "app_android" => ("App für Android", "Android app"),
        "app_ios" => ("App für iPhone/iPad", "iOS app"),
        "app_fdroid" => ("App bei F-Droid", "App on F-Droid"),
        "dial_in" => ("Einwahl per Telefon", "Telephone dial-in"),
        "phone_only" => ("Nur per Telefon nutzbar", "Works by telephone alone"),
        "dpa_offered" => (
            "Vertrag zur Auftragsverarbeitung (AVV)",
            "Data processing agreement",
        ),
        "transport_encryption" => ("Transportverschlüsselung", "Transport encryption"),
        "e2ee" => ("Ende-zu-Ende-Verschlüsselung", "End-to-end encryption"),
        "open_source" => ("Quelloffen", "Open source"),
        "licence" => ("Lizenz", "Licence"),
        "self_hostable" => ("Selbst zu betreiben", "Self-hostable"),
        "admin_effort" => ("Aufwand für den Betrieb", "Admin effort"),
        "data_location" => ("Ort der Datenverarbeitung", "Where data is processed"),
        "operator" => ("Betreiber", "Operator"),
        "operator_seat" => ("Sitz des Betreibers", "Operator's seat"),
        "german_ui" => ("Deutsche Oberfläche", "German interface"),
        "ease_of_use" => ("Bedienung", "Ease of use"),
        "eligible" => ("Wer es nutzen darf", "Who may use it"),
        "price_per_licence_eur_month" => (
            "Preis pro Lizenz und Monat (EUR)",
            "Price per licence and month (EUR)",
        ),
        "min_licences" => ("Mindestzahl Lizenzen", "Minimum licences"),
        "works_for_participants" => ("Belegte Gruppengröße", "Documented group size"),
        "jurisdiction" => (
            "Recht, dem der Betreiber unterliegt",
            "Law the operator is under",
        ),
        "service_status" => ("Ob es noch angeboten wird", "Whether it is still offered"),
        "conditions_of_use" => ("Nur für bestimmte Gruppen", "Only for certain groups"),
        _ => (key, key),
    };
    match lang {
        Lang::De => de.to_string(),
        Lang::En => en.to_string(),
    }
}

fn cell(tool: &Tool, key: &str, lang: Lang) -> CellValue {
    let unknown = if lang == Lang::De {
        "unbekannt"
    } else {
        "unknown"
    };
    let mut parts: Vec<(String, Vec<String>)> = Vec::new();
    let mut sources = Vec::new();
    for o in &tool.offerings {
        let text = match o.facts.get(key) {
            None => "–".to_string(),
            Some(f) => {
                if let Some(src) = f
                    .src
                    .as_ref()
                    .and_then(|s| tool.sources.get(s).map(|r| (s, r)))
                {
                    let place = src
                        .1
                        .title
                        .clone()
                        .or_else(|| src.1.url.clone())
                        .or_else(|| src.1.document.clone())
                        .unwrap_or_else(|| src.0.clone());
                    let line = format!(
                        "{place} ({} {})",
                        if lang == Lang::De {
                            "geprüft"
                        } else {
                            "checked"
                        },
                        f.checked
                    );
                    if !sources.contains(&line) {
                        sources.push(line);
                    }
                }
                f.value
                    .as_ref()
                    .map_or(unknown.to_string(), |v| v.display(lang))
            }
        };
        match parts.iter_mut().find(|(t, _)| *t == text) {
            Some((_, names)) => names.push(o.name.get(lang).to_string()),
            None => parts.push((text, vec![o.name.get(lang).to_string()])),
        }
    }
    let text = if parts.len() == 1 {
        parts.remove(0).0
    } else {
        parts
            .iter()
            .map(|(t, names)| format!("{t} ({})", names.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    CellValue { text, sources }
}

/// Builds the comparison; unknown ids are errors with a did-you-mean hint.
pub fn compare(catalog: &Catalog, ids: &[String], lang: Lang) -> Result<Comparison, Diagnostic> {
    let all: Vec<&str> = catalog.tools.keys().map(String::as_str).collect();
    let mut tools = Vec::new();
    for id in ids {
        let tool = catalog.tools.get(id).ok_or_else(|| {
            Diagnostic::new("catalog", format!("no tool with id `{id}`")).suggest(id, &all)
        })?;
        tools.push(tool);
    }
    let rows = crate::catalog::all_fact_keys()
        .into_iter()
        .filter(|k| {
            tools
                .iter()
                .any(|t| t.offerings.iter().any(|o| o.facts.contains_key(k)))
        })
        .map(|key| Row {
            label: fact_label(&key, lang),
            cells: tools.iter().map(|t| cell(t, &key, lang)).collect(),
            key,
        })
        .collect();
    Ok(Comparison {
        lang,
        tools: tools
            .iter()
            .map(|t| ComparedTool {
                id: t.id.clone(),
                name: t.name.clone(),
                description: t.description.get(lang).to_string(),
                offerings: t
                    .offerings
                    .iter()
                    .map(|o| o.name.get(lang).to_string())
                    .collect(),
                retired: t.retired.as_ref().map(|r| match lang {
                    Lang::De => format!("eingestellt am {}", r.date),
                    Lang::En => format!("retired on {}", r.date),
                }),
            })
            .collect(),
        rows,
    })
}
