//! The terminal views of recommend, compare, why, show, list and check: within the width the
//! terminal has (COLUMNS), no word cut in two, compact where a table would not fit, and the
//! same data as JSON with `--format json`.

mod common;
use common::konf_wahl;

use serde_json::Value;

const EXAMPLE: &str = "examples/familiengruppe.toml";
const COMPARED: &[&str] = &["zoom", "jitsi-meet", "bigbluebutton", "webex"];

/// Runs the binary as if on a terminal `columns` wide.
fn at(columns: u16, args: &[&str]) -> String {
    let out = konf_wahl()
        .env("COLUMNS", columns.to_string())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = konf_wahl().args(&all).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// No line is wider than the terminal. `except_long_words`: a line that is one word (a web
/// address) may be, since cutting it would break it.
fn assert_within(text: &str, columns: usize, except_long_words: bool) {
    for line in text.lines() {
        let width = line.chars().count();
        let one_word = line.split_whitespace().count() == 1;
        assert!(
            width <= columns || (except_long_words && one_word),
            "a line of {width} columns at {columns}:\n{line}"
        );
    }
}

/// Every word of `texts` is whole somewhere in `output` (table borders and bullets aside):
/// a word cut at a line end would show up as two pieces, neither containing it.
fn assert_words_whole(output: &str, texts: &[String]) {
    let tokens: Vec<&str> = output
        .split(|c: char| c.is_whitespace() || matches!(c, '│' | '┆' | '•'))
        .filter(|t| !t.is_empty())
        .collect();
    for text in texts {
        for word in text.split_whitespace() {
            assert!(
                tokens.iter().any(|t| t.contains(word)),
                "`{word}` (from “{text}”) is cut in two:\n{output}"
            );
        }
    }
}

/// What the recommendation's table view shows, as the JSON report has it.
fn recommendation_texts() -> Vec<String> {
    let report = json(&["recommend", EXAMPLE]);
    let mut texts = Vec::new();
    for r in report["ranking"].as_array().unwrap() {
        texts.push(r["name"].as_str().unwrap().to_string());
        texts.push(r["offering_name"].as_str().unwrap().to_string());
        // The table shows strengths of tools that fit, questions of those to verify.
        if r["status"] == "fits" {
            texts.extend(strings(&r["strengths"]));
        } else {
            texts.extend(strings(&r["verify"]));
        }
    }
    for e in report["excluded"].as_array().unwrap() {
        texts.push(e["name"].as_str().unwrap().to_string());
        texts.extend(strings(&e["reasons"]).into_iter().take(1));
    }
    texts
}

#[test]
fn recommend_keeps_within_the_terminal_and_every_word_whole() {
    let texts = recommendation_texts();
    assert!(
        texts.iter().any(|t| t.contains("Freifunk-Server")),
        "the example's offering names are checked"
    );
    for columns in [80, 120] {
        let text = at(columns, &["recommend", EXAMPLE]);
        assert_within(&text, usize::from(columns), false);
        assert_words_whole(&text, &texts);
        assert!(text.contains("Freifunk-Server in Deutschland"), "{text}");
        assert!(text.contains("Ausgeschlossen"));
    }
    // With the analysis too.
    let text = at(80, &["recommend", EXAMPLE, "--explain"]);
    assert_within(&text, 80, false);
    assert!(text.contains("Wie sicher ist diese Empfehlung?"));
}

#[test]
fn recommend_shows_a_ranked_table_on_a_wide_terminal_and_blocks_on_a_narrow_one() {
    let wide = at(120, &["recommend", EXAMPLE]);
    assert!(wide.contains("Rang") && wide.contains('┌'), "{wide}");
    let narrow = at(80, &["recommend", EXAMPLE]);
    assert!(
        narrow.contains("1. Jitsi Meet – 86,8 Punkte"),
        "one block per tool, rank first: {narrow}"
    );
    assert!(
        narrow.lines().count() < wide.lines().count() * 2,
        "blocks are not longer than a squeezed table"
    );
}

#[test]
fn compare_at_80_columns_is_compact_and_names_every_fact() {
    let mut args = vec!["compare"];
    args.extend(COMPARED);
    let text = at(80, &args);
    assert_within(&text, 80, false);
    let lines = text.lines().count();
    // A table of five columns at 80 columns ran to 484 lines.
    assert!(lines < 260, "{lines} lines:\n{text}");
    assert!(!text.contains('┌'), "no table squeezed into 80 columns");
    let cmp = json(&args);
    let mut texts = Vec::new();
    for row in cmp["rows"].as_array().unwrap() {
        let label = row["label"].as_str().unwrap();
        assert!(
            text.lines().any(|l| l.contains(label)),
            "fact `{label}` is shown"
        );
        texts.push(label.to_string());
    }
    for tool in cmp["tools"].as_array().unwrap() {
        texts.push(tool["name"].as_str().unwrap().to_string());
        texts.extend(strings(&tool["offerings"]));
    }
    assert_words_whole(&text, &texts);
    assert!(
        text.contains("Transportverschlüsselung: ja bei allen"),
        "{text}"
    );
    assert!(
        text.contains("Zoom: 100 (A,B) · 300 (C)"),
        "offerings that differ are named by their letters: {text}"
    );
}

#[test]
fn compare_at_120_columns_is_a_table_with_every_word_whole() {
    let mut args = vec!["compare"];
    args.extend(COMPARED);
    let text = at(120, &args);
    assert_within(&text, 120, false);
    assert!(text.contains('┌') && text.contains("Angabe"), "{text}");
    assert!(text.lines().count() < 250, "{}", text.lines().count());
    let cmp = json(&args);
    let texts: Vec<String> = cmp["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap().to_string())
        .collect();
    assert_words_whole(&text, &texts);
}

#[test]
fn without_a_terminal_the_layout_is_the_fixed_wide_one() {
    let out = konf_wahl()
        .env_remove("COLUMNS")
        .args(["compare", "zoom", "jitsi-meet"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains('┌'), "a table at the fixed width of 110");
    assert_within(&text, 110, false);
}

#[test]
fn why_keeps_within_the_terminal_and_every_word_whole() {
    for tool in ["jitsi-meet", "bigbluebutton", "zoom"] {
        let model = json(&["why", tool, EXAMPLE]);
        let mut texts: Vec<String> = Vec::new();
        for c in model["contributions"].as_array().unwrap() {
            texts.push(c["title"].as_str().unwrap().to_string());
            texts.push(c["because"].as_str().unwrap().to_string());
        }
        texts.extend(strings(&model["reasons"]));
        texts.extend(strings(&model["verify"]));
        for change in model["changes"].as_array().unwrap() {
            texts.push(change["sentence"].as_str().unwrap().to_string());
        }
        for columns in [80, 120] {
            let text = at(columns, &["why", tool, EXAMPLE]);
            assert_within(&text, usize::from(columns), false);
            assert_words_whole(&text, &texts);
        }
    }
    let narrow = at(80, &["why", "jitsi-meet", EXAMPLE]);
    assert!(
        !narrow.contains('┌'),
        "one block per criterion at 80 columns"
    );
    assert!(
        narrow.contains("Kosten: 10,3 von 10,3 Punkten (Bewertung 10/10, Gewicht 4,50)"),
        "{narrow}"
    );
    let wide = at(120, &["why", "jitsi-meet", EXAMPLE]);
    assert!(wide.contains("Kriterium") && wide.contains("Begründung"));
}

#[test]
fn list_and_check_keep_within_80_columns() {
    let list = at(80, &["list"]);
    assert_within(&list, 80, false);
    assert!(list.lines().next().unwrap().starts_with("alfaview"));
    let check = at(80, &["check", "--quiet", "--date", "2026-11-25"]);
    assert_within(&check, 80, false);
    assert!(check.contains("Katalog in Ordnung:"));
    assert!(
        check.contains("Höchstzahl Teilnehmende"),
        "decisive facts by label"
    );
    assert!(
        !check.contains("max_participants"),
        "no raw keys in the terminal view"
    );
}

#[test]
fn show_speaks_german_with_labels_dates_in_words_and_marked_english_notes() {
    let text = at(80, &["show", "jitsi-meet"]);
    assert_within(&text, 80, true);
    let sheet = json(&["show", "jitsi-meet"]);
    let mut facts: Vec<&Value> = sheet["facts"].as_array().unwrap().iter().collect();
    for o in sheet["offerings"].as_array().unwrap() {
        facts.extend(o["facts"].as_array().unwrap());
    }
    assert!(facts.len() > 20);
    for f in &facts {
        let key = f["key"].as_str().unwrap();
        let label = f["label"].as_str().unwrap();
        assert!(
            !text.split_whitespace().any(|w| w == format!("{key}:")),
            "the raw key `{key}` is shown instead of its label"
        );
        assert!(text.contains(label), "`{label}` is missing");
    }
    for label in [
        "Konto nötig zum Teilnehmen: nein",
        "Höchstzahl Teilnehmende",
        "Ende-zu-Ende-Verschlüsselung",
        "Betrieb: freie Gemeinschafts-Instanz",
    ] {
        assert!(text.contains(label), "`{label}` is missing:\n{text}");
    }
    assert!(!text.contains("hosting:"));
    assert!(
        text.contains("Notiz (englisch): "),
        "notes are marked as English"
    );
    assert!(
        text.contains("geprüft am 1. Dezember 2026"),
        "check dates in words"
    );
    assert!(
        text.contains("(7. September 2023)"),
        "the source's own date in words"
    );
    assert!(
        !text.contains("2026-12-01]"),
        "no ISO dates in brackets as before"
    );
    assert!(!text.contains("account_to_join"));
    assert_words_whole(
        &text,
        &["Öffentliche Gemeinschafts-Server (zum Beispiel von Freifunk) werden ehrenamtlich betrieben."
            .to_string()],
    );

    let en = at(80, &["show", "jitsi-meet", "--lang", "en"]);
    assert!(en.contains("Account needed to join: no"), "{en}");
    assert!(en.contains("checked on 1 December 2026") && en.contains("Note: "));
}

#[test]
fn why_show_list_and_check_give_json_with_raw_keys_and_iso_dates() {
    let why = json(&["why", "zoom", EXAMPLE]);
    for field in [
        "tool",
        "name",
        "status",
        "rank",
        "score",
        "contributions",
        "reasons",
        "goal",
        "changes",
    ] {
        assert!(why.get(field).is_some(), "why: no `{field}`");
    }
    assert_eq!(why["status"], "excluded");
    assert_eq!(why["goal"], "admit");
    assert_eq!(why["changes"][0]["kind"], "answer");
    assert_eq!(why["changes"][0]["key"], "budget_eur_per_month");
    let top = json(&["why", "jitsi-meet", EXAMPLE]);
    assert_eq!(top["rank"], 1);
    assert_eq!(top["goal"], "lose_first_place");
    assert!(top["contributions"][0]["criterion"].is_string());

    let show = json(&["show", "jitsi-meet"]);
    for field in [
        "id",
        "name",
        "kind",
        "description",
        "facts",
        "offerings",
        "caveats",
        "sources",
    ] {
        assert!(show.get(field).is_some(), "show: no `{field}`");
    }
    let join = show["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "account_to_join")
        .expect("raw keys in JSON");
    assert_eq!(join["value"], "no");
    assert!(
        join["checked"].as_str().unwrap().starts_with("2026-"),
        "ISO dates in JSON"
    );

    let list = json(&["list"]);
    let tools = list["tools"].as_array().unwrap();
    assert!(tools.len() >= 20);
    let hangouts = tools.iter().find(|t| t["id"] == "google-hangouts").unwrap();
    assert_eq!(hangouts["retired"], "2022-11-01");
    assert!(hangouts["offerings"][0]["id"].is_string());

    let check = json(&["check", "--quiet", "--date", "2026-11-25", "--unknowns"]);
    for field in [
        "as_of",
        "tools",
        "offerings",
        "facts",
        "unknown",
        "decisive",
        "sources_by_kind",
        "weak_facts",
        "warnings",
        "unknowns",
    ] {
        assert!(check.get(field).is_some(), "check: no `{field}`");
    }
    assert_eq!(check["as_of"], "2026-11-25");
    assert!(check["decisive"][0]["key"].is_string());
    assert!(check["warnings"][0]["kind"].is_string());
    assert!(json(&["check", "--quiet"]).get("unknowns").is_none());
}
