//! Number and label formatting shared by every renderer and by rule templates, so a price
//! reads the same in the table, the JSON-driven handout and a knock-out sentence.

use crate::vocab::{
    AccessNeed, Confidentiality, Device, Dpa, Feature, Frequency, Hosting, Lang, MediaLiteracy,
    Organisation, Purpose, Region, SelfHosting, ServiceStatus, Support,
};

/// `13.99` as `13,99` (German) or `13.99` (English); whole numbers without decimals.
pub fn number(x: f64, lang: Lang) -> String {
    let text = if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.2}")
    };
    match lang {
        Lang::De => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A price in euros: `13,99 €` or `€13.99`; zero reads as free.
pub fn eur(x: f64, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{} €", number(x, lang)),
        Lang::En => format!("€{}", number(x, lang)),
    }
}

/// A score, always with one decimal.
pub fn score(x: f64, lang: Lang) -> String {
    let text = format!("{x:.1}");
    match lang {
        Lang::De => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A month and year in words, as "Stand" is given to readers: `Mai 2021`, `May 2021`.
pub fn month_year(date: crate::date::Date, lang: Lang) -> String {
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = if lang == Lang::De { DE } else { EN };
    let month = names[(date.month() as usize).clamp(1, 12) - 1];
    format!("{month} {}", date.year())
}

/// Text for a Markdown document: on one line (a line break in a name must not start a
/// heading or a list), with every character that Markdown or the HTML it may contain would
/// read as markup escaped by a backslash, as CommonMark allows for any ASCII punctuation
/// (`!` and `&` stay: with `[` and `<` escaped they can start neither an image nor a tag).
pub fn markdown_text(text: &str) -> String {
    let text = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    // Leading spaces stay (the value may be joined to other text); the first word after
    // them is what could open a block. Digits then `.` or `)` would open a numbered list.
    let start = text.len() - text.trim_start().len();
    let digits = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    let list_mark = (digits > 0
        && matches!(text[start + digits..].chars().next(), Some('.' | ')')))
    .then_some(start + digits);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // `[` alone is plain text ("[Tag]" in an invitation stays readable in an e-mail); a
        // link or a link definition needs `](`, `][` or `]:`, so `]` is escaped before
        // those and at the end (where joined text could continue it).
        let closes_link =
            c == ']' && matches!(chars.peek().map(|(_, n)| *n), None | Some('(' | '[' | ':'));
        let inline = closes_link || matches!(c, '\\' | '`' | '*' | '_' | '<' | '>' | '|' | '~');
        let block = i == start && matches!(c, '#' | '-' | '+' | '=');
        if inline || block || list_mark == Some(i) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A number as a person types it: `12,50`, `12.50`, `12`, ` 1.000,50 ` is not accepted (a
/// thousands separator is ambiguous between German and English).
pub fn parse_german_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || t.matches([',', '.']).count() > 1 {
        return None;
    }
    let x: f64 = t.replace(',', ".").parse().ok()?;
    x.is_finite().then_some(x)
}

/// A date in words, as readers write it: `25. November 2026`, `25 November 2026`.
pub fn long_date(date: crate::date::Date, lang: Lang) -> String {
    let month_year = month_year(date, lang);
    match lang {
        Lang::De => format!("{}. {month_year}", date.day()),
        Lang::En => format!("{} {month_year}", date.day()),
    }
}

/// Text broken into lines of at most `width` characters (a longer word stands alone), each
/// line after the first indented by `indent` spaces.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1) * (indent + 1));
    let mut line = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line > 0 && line + 1 + len > width {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            line = indent;
            // A word that now starts a line must not open a heading or a list.
            if let Some(at) = block_mark(word) {
                out.push_str(&word[..at]);
                out.push('\\');
                out.push_str(&word[at..]);
                line += len + 1;
                continue;
            }
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

/// Where a backslash must go so that `word` at the start of a line inside a paragraph does not
/// begin a heading, a list, a quote or a setext underline (`# `, `- `, `> `, `===`; of the
/// numbered lists only `1.` can interrupt a paragraph, so "8." stays as it is).
fn block_mark(word: &str) -> Option<usize> {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    if matches!(word.chars().next(), Some('#' | '-' | '+' | '=' | '*' | '>')) {
        Some(0)
    } else if digits > 0
        && word[..digits].trim_start_matches('0') == "1"
        && matches!(word[digits..].chars().next(), Some('.' | ')'))
    {
        Some(digits)
    } else {
        None
    }
}

/// The label of any vocabulary word, looked up across the word lists.
pub fn label_for_word(word: &str, lang: Lang) -> Option<&'static str> {
    Feature::from_word(word)
        .map(|v| v.label(lang))
        .or_else(|| AccessNeed::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Device::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Purpose::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Confidentiality::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Organisation::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Frequency::from_word(word).map(|v| v.label(lang)))
        .or_else(|| MediaLiteracy::from_word(word).map(|v| v.label(lang)))
        .or_else(|| SelfHosting::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Hosting::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Support::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Region::from_word(word).map(|v| v.label(lang)))
        .or_else(|| ServiceStatus::from_word(word).map(|v| v.label(lang)))
        .or_else(|| Dpa::from_word(word).map(|v| v.label(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(eur(13.99, Lang::De), "13,99 €");
        assert_eq!(eur(5.0, Lang::En), "€5");
        assert_eq!(score(71.25, Lang::De), "71,2");
        let date = crate::date::Date::parse("2021-05-03").unwrap();
        assert_eq!(month_year(date, Lang::De), "Mai 2021");
        assert_eq!(month_year(date, Lang::En), "May 2021");
        assert_eq!(long_date(date, Lang::De), "3. Mai 2021");
        assert_eq!(
            wrap("eins zwei drei vier", 9, 2),
            "eins zwei\n  drei\n  vier"
        );
        // A word pushed to the start of a line must not become a list, heading or quote.
        assert_eq!(wrap("am 1. Mai", 3, 0), "am\n1\\.\nMai");
        assert_eq!(wrap("bis zu 8.", 6, 0), "bis zu\n8.");
        assert_eq!(wrap("Raum # 3 - 4", 5, 0), "Raum\n\\# 3\n\\- 4");
    }

    #[test]
    fn markdown_text_cannot_become_markup() {
        assert_eq!(
            markdown_text("Gruppe <script>x</script>"),
            "Gruppe \\<script\\>x\\</script\\>"
        );
        assert_eq!(
            markdown_text("Eltern\n\n# Überschrift"),
            "Eltern  # Überschrift"
        );
        assert_eq!(markdown_text("# Titel"), "\\# Titel");
        assert_eq!(markdown_text("12. Gruppe"), "12\\. Gruppe");
        assert_eq!(
            markdown_text("[Link](javascript:x)"),
            "[Link\\](javascript:x)"
        );
        assert_eq!(markdown_text("[x]: http://a"), "[x\\]: http://a");
        assert_eq!(
            markdown_text("am [Tag] um [Uhrzeit]."),
            "am [Tag] um [Uhrzeit]."
        );
        assert_eq!(markdown_text("Gruppe [A]"), "Gruppe [A\\]");
        assert_eq!(
            markdown_text("Jitsi Meet (kostenlos), 5 €"),
            "Jitsi Meet (kostenlos), 5 €"
        );
    }
}
