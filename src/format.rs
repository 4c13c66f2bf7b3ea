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
    let one_line = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let text = one_line.trim_start();
    // Digits then `.` or `)` at the start would open a numbered list.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let list_mark =
        (digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')'))).then_some(digits);
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let inline = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        );
        let block = i == 0 && matches!(c, '#' | '-' | '+' | '=');
        if inline || block || list_mark == Some(i) {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
            "\\[Link\\](javascript:x)"
        );
        assert_eq!(
            markdown_text("Jitsi Meet (kostenlos), 5 €"),
            "Jitsi Meet (kostenlos), 5 €"
        );
    }
}
