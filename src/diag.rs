//! Errors for people: which file, where in it, what was expected and the closest valid word.
//!
//! Every problem with user input or shipped data becomes a [`Diagnostic`]. Parsers of TOML and
//! YAML report byte spans or line/column pairs; both are turned into `file:line:column` here so
//! that a contact-office advisor can find the spot in an editor.

use std::fmt;

use crate::say;
use crate::vocab::Lang;
use crate::wording::messages_lang;

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it, or `<builtin>/catalog/zoom.toml` for embedded data.
    pub file: String,
    /// 1-based line and column, when the problem can be placed.
    pub location: Option<(usize, usize)>,
    /// What is wrong, in one lowercase sentence without a trailing period.
    pub message: String,
    /// What to do about it, e.g. `did you mean `strict`?`.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with no position (e.g. a missing file).
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            location: None,
            message: message.into(),
            help: None,
        }
    }

    /// Places the problem at a 1-based line and column.
    pub fn at(mut self, location: Option<(usize, usize)>) -> Self {
        self.location = location;
        self
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a did-you-mean hint when `word` is not one of `allowed`, plus the allowed values.
    pub fn suggest(self, word: &str, allowed: &[&str]) -> Self {
        match suggestion_help(word, allowed) {
            Some(help) => self.with_help(help),
            None => self,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if let Some(help) = &self.help {
            write!(
                f,
                "\n  {}: {help}",
                say!(messages_lang(), "diag.help_prefix")
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Several problems found in one pass, so users can fix everything at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
                write!(f, "{}: ", say!(messages_lang(), "error.prefix"))?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// German words advisors are likely to type, and the contract word they mean. Spelling
/// similarity cannot find `strict` for `geheim`; this table can.
const GERMAN: &[(&str, &str)] = &[
    ("geheim", "strict"),
    ("vertraulich", "strict"),
    ("streng", "strict"),
    ("öffentlich", "public"),
    ("oeffentlich", "public"),
    ("intern", "internal"),
    ("niedrig", "low"),
    ("wenig", "low"),
    ("gering", "low"),
    ("mittel", "medium"),
    ("hoch", "high"),
    ("viel", "high"),
    ("keiner", "none"),
    ("niemand", "none"),
    ("kein", "none"),
    ("eigener", "own"),
    ("selbst", "own"),
    ("einmalig", "once"),
    ("monatlich", "monthly"),
    ("wöchentlich", "weekly"),
    ("woechentlich", "weekly"),
    ("täglich", "daily"),
    ("taeglich", "daily"),
    ("telefon", "phone"),
    ("rechner", "computer"),
    ("handy", "smartphone"),
    ("gruppe", "group"),
    ("verein", "association"),
    ("verband", "association"),
    ("behörde", "public_body"),
    ("behoerde", "public_body"),
    ("hochschule", "research"),
    ("untertitel", "captions"),
    ("tastatur", "keyboard"),
    ("bildschirm", "screen_sharing"),
    ("aufzeichnung", "recording"),
    ("umfrage", "polls"),
    ("warteraum", "waiting_room"),
    ("passwort", "room_password"),
    ("teilnehmer", "participants"),
    ("teilnehmende", "participants"),
    ("budget", "budget_eur_per_month"),
    ("dauer", "meeting_minutes"),
];

/// The allowed word closest to `word`: a known German equivalent, else by Jaro-Winkler
/// similarity.
pub fn closest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    if let Some(meant) = GERMAN
        .iter()
        .find(|(de, _)| *de == word)
        .and_then(|(_, en)| allowed.iter().find(|a| *a == en))
    {
        return Some(meant);
    }
    allowed
        .iter()
        .map(|candidate| (strsim::jaro_winkler(&word, candidate), *candidate))
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`? allowed: `a`, `b`, `c``, or `None` if nothing is allowed.
pub fn suggestion_help(word: &str, allowed: &[&str]) -> Option<String> {
    let best = closest(word, allowed)?;
    let lang = messages_lang();
    if allowed.len() > 12 {
        return Some(say!(lang, "diag.did_you_mean", word = best));
    }
    let list = allowed
        .iter()
        .map(|w| quoted(w, lang))
        .collect::<Vec<_>>()
        .join(", ");
    Some(say!(
        lang,
        "diag.did_you_mean_allowed",
        word = best,
        allowed = list
    ))
}

fn quoted(word: &str, lang: Lang) -> String {
    match lang {
        Lang::De => format!("„{word}“"),
        Lang::En => format!("`{word}`"),
    }
}

/// Serde's messages name the offending word and the expected ones in backticks
/// (``unknown variant `geheim`, expected one of `public`, `internal`, `strict` ``).
/// This pulls them out so every parser gets the same did-you-mean hint.
pub fn help_for_serde_message(message: &str) -> Option<String> {
    let is_unknown = message.contains("unknown variant") || message.contains("unknown field");
    if !is_unknown {
        return None;
    }
    let words: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (word, allowed) = words.split_first()?;
    if allowed.is_empty() {
        return None;
    }
    let best = closest(word, allowed)?;
    Some(say!(messages_lang(), "diag.did_you_mean", word = best))
}

/// A parser's message (serde, toml, YAML: ``invalid type: string "acht", expected f64``) in
/// plain words for the reader, with a hint where one helps. Messages it does not recognise
/// are kept as they are, inside a sentence that says the file cannot be read there.
pub fn plain_parser_message(message: &str, lang: Lang) -> (String, Option<String>) {
    // YAML puts the key path first: `participants: invalid type: …`.
    let (path, body) = match message.split_once(": ") {
        Some((p, rest))
            if !p.contains(' ')
                && (rest.starts_with("invalid")
                    || rest.starts_with("unknown")
                    || rest.starts_with("missing")) =>
        {
            (Some(p), rest)
        }
        _ => (None, message),
    };
    let ticked: Vec<&str> = body.split('`').skip(1).step_by(2).collect();
    let first = ticked.first().copied().unwrap_or("");
    let text = if let Some(rest) = body
        .strip_prefix("invalid type: ")
        .or_else(|| body.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        say!(
            lang,
            "diag.invalid_type",
            found = found_words(found, lang),
            expected = expected_words(expected, lang)
        )
    } else if body.contains("untagged enum Amount") {
        say!(
            lang,
            "diag.expected_only",
            expected = expected_words("f64", lang)
        )
    } else if body.starts_with("unknown variant") {
        say!(lang, "diag.unknown_variant", word = first)
    } else if body.starts_with("unknown field") {
        say!(lang, "diag.unknown_field", word = first)
    } else if body.starts_with("missing field") {
        let text = say!(lang, "diag.missing_field", word = first);
        return (
            text,
            Some(say!(lang, "diag.missing_field_help", word = first)),
        );
    } else if body.contains("duplicate key")
        || body.contains("duplicate entry")
        || body.contains("duplicate field")
    {
        say!(lang, "diag.duplicate_key", word = first)
    } else {
        return (
            say!(lang, "diag.syntax", detail = message),
            Some(say!(lang, "diag.syntax_help")),
        );
    };
    let text = match path {
        Some(p) => format!("{p}: {text}"),
        None => text,
    };
    let help = if body.starts_with("unknown") {
        let (word, allowed) = ticked.split_first().map_or(("", &[][..]), |(w, a)| (*w, a));
        if allowed.len() > 12 {
            closest(word, allowed).map(|best| say!(lang, "diag.did_you_mean", word = best))
        } else {
            suggestion_help(word, allowed)
        }
    } else {
        None
    };
    (text, help)
}

/// What the parser found, in words: `string "acht"` → der Text „acht“.
fn found_words(found: &str, lang: Lang) -> String {
    let value = |s: &str| s.trim().trim_matches('`').trim_matches('"').to_string();
    if let Some(v) = found.strip_prefix("string ") {
        say!(lang, "found.text", value = value(v))
    } else if let Some(v) = found.strip_prefix("boolean ") {
        say!(lang, "found.boolean", value = value(v))
    } else if let Some(v) = found.strip_prefix("integer ") {
        say!(lang, "found.integer", value = value(v))
    } else if let Some(v) = found.strip_prefix("floating point ") {
        say!(
            lang,
            "found.float",
            value = crate::format::number(value(v).parse().unwrap_or(0.0), lang)
        )
    } else if found.starts_with("sequence") || found.starts_with("array") {
        say!(lang, "found.list")
    } else if found.starts_with("map") || found.starts_with("table") {
        say!(lang, "found.table")
    } else {
        found.to_string()
    }
}

/// What the parser expected, in words: `f64` → eine Zahl wie 12.50.
fn expected_words(expected: &str, lang: Lang) -> String {
    // Only serde's own type names are translated; a program's own wording (`a whole number
    // of at least 1, or "unlimited"`) is already words and stays.
    let e = expected.trim();
    match e {
        "a nonzero u32" | "a nonzero u64" | "a nonzero usize" => {
            say!(lang, "expected.positive_integer")
        }
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" | "an integer" => {
            say!(lang, "expected.integer")
        }
        "f64" | "f32" | "a float" | "a floating point number" => say!(lang, "expected.number"),
        "a boolean" => say!(lang, "expected.boolean"),
        "a string" => say!(lang, "expected.text"),
        "a sequence" => say!(lang, "expected.list"),
        "a map" => say!(lang, "expected.table"),
        _ if e.starts_with("struct ") => say!(lang, "expected.table"),
        _ => e.to_string(),
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where `key` is set in a TOML or YAML text (`key = ...` or `key: ...`), optionally the
/// position of `value` on that line. Used for problems found after parsing, when serde's spans
/// are gone; format-agnostic on purpose, so TOML and YAML answers get the same messages.
pub fn locate_key(text: &str, key: &str, value: Option<&str>) -> Option<(usize, usize)> {
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let unquoted = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = unquoted.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with('=') || rest.starts_with(':') {
                if let Some(value) = value {
                    if let Some(pos) = find_value(line, value) {
                        return Some(line_col(text, offset + pos));
                    }
                    // A YAML list may put the values on the following lines.
                    if let Some(found) = find_value_after(text, offset + line.len(), value) {
                        return Some(found);
                    }
                }
                return Some((index + 1, indent + 1));
            }
        }
        offset += line.len();
    }
    // Not at the start of a line: a key inside an inline table (`weights = { cost = 2 }`).
    let mut from = 0;
    while let Some(pos) = text[from..].find(key) {
        let start = from + pos;
        let before = text[..start].chars().next_back();
        let after = text[start + key.len()..].trim_start_matches(['"', '\'', ' ']);
        let boundary = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if boundary && (after.starts_with('=') || after.starts_with(':')) {
            return Some(line_col(text, start));
        }
        from = start + key.len();
    }
    None
}

fn find_value(line: &str, value: &str) -> Option<usize> {
    for quote in ['"', '\''] {
        let quoted = format!("{quote}{value}{quote}");
        if let Some(pos) = line.find(&quoted) {
            return Some(pos + 1);
        }
    }
    None
}

fn find_value_after(text: &str, start: usize, value: &str) -> Option<(usize, usize)> {
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let item = trimmed.strip_prefix('-')?;
        let item = item.trim().trim_matches(['"', '\'']);
        if item == value {
            let col = line.find(value).unwrap_or(0);
            return Some(line_col(text, offset + col));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_words_find_their_contract_word() {
        assert_eq!(
            closest("geheim", &["public", "internal", "strict"]),
            Some("strict")
        );
        assert_eq!(
            closest("Monatlich", &["once", "monthly", "weekly", "daily"]),
            Some("monthly")
        );
    }

    #[test]
    fn closest_word_is_found() {
        assert_eq!(
            closest("chatt", &["chat", "polls", "recording"]),
            Some("chat")
        );
        assert_eq!(
            closest("participant", &["group", "participants"]),
            Some("participants")
        );
    }

    #[test]
    fn serde_unknown_variant_gets_a_hint() {
        let msg = "unknown variant `interna`, expected one of `public`, `internal`, `strict`";
        assert_eq!(
            help_for_serde_message(msg).as_deref(),
            Some("meinten Sie „internal“?")
        );
        assert_eq!(help_for_serde_message("invalid type: string"), None);
    }

    #[test]
    fn parser_messages_become_plain_words_in_both_languages() {
        let msg = "invalid type: string \"acht\", expected a nonzero u32";
        assert_eq!(
            plain_parser_message(msg, Lang::De).0,
            "hier steht der Text „acht“; erwartet wird eine ganze Zahl ab 1, zum Beispiel 8"
        );
        assert_eq!(
            plain_parser_message(msg, Lang::En).0,
            "found the text \"acht\"; expected a whole number from 1 up, for example 8"
        );
        let (text, help) = plain_parser_message("missing field `participants`", Lang::De);
        assert_eq!(text, "die Angabe „participants“ fehlt");
        assert!(help.unwrap().contains("participants = …"));
        let (text, _) =
            plain_parser_message("invalid type: boolean `true`, expected f64", Lang::De);
        assert!(
            text.contains("Wahrheitswert true") && text.contains("12.50"),
            "{text}"
        );
        let (text, help) = plain_parser_message("expected `=`", Lang::En);
        assert!(text.contains("expected `=`") && help.is_some());
    }

    #[test]
    fn line_and_column_are_one_based() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
    }

    #[test]
    fn keys_and_values_are_located_in_toml_and_yaml() {
        let toml = "participants = 8\nforbidden_tools = [\"zoom\", \"skipe\"]\n";
        assert_eq!(
            locate_key(toml, "forbidden_tools", Some("skipe")),
            Some((2, 29))
        );
        let yaml = "participants: 8\nforbidden_tools:\n  - zoom\n  - skipe\n";
        assert_eq!(
            locate_key(yaml, "forbidden_tools", Some("skipe")),
            Some((4, 5))
        );
        assert_eq!(locate_key(yaml, "participants", None), Some((1, 1)));
    }
}
