//! Help and usage errors in the reader's language. clap writes English; the command tree is
//! rebuilt here with the texts of `wording/help.toml` (`help.<command>` for a command,
//! `help.<command>.<option>` or the shared `help.opt.<option>` for an option,
//! `help.value.<value>` for a possible value), German headings, and clap's usage errors
//! retold from their parts.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::args::Cli;
use crate::vocab::Lang;
use crate::{say, wording};

/// `konf-wahl --lang en recommend …` means the same as `konf-wahl recommend --lang en …`:
/// a `--lang` before the command is moved behind the command's name (behind `catalog export`
/// for a nested one), or dropped for a command without `--lang` (the messages' language is
/// read before parsing anyway). Without a command it stays where it is (`konf-wahl --lang en
/// --help`).
pub fn place_lang(args: &[std::ffi::OsString], cmd: &Command) -> Vec<std::ffi::OsString> {
    let mut rest: Vec<std::ffi::OsString> = args.to_vec();
    let mut moved: Vec<std::ffi::OsString> = Vec::new();
    let mut i = 1;
    let mut current = cmd;
    let mut found = None;
    while i < rest.len() {
        let arg = rest[i].to_string_lossy().into_owned();
        if arg == "--" {
            break;
        }
        if arg == "--lang" && i + 1 < rest.len() && found.is_none() {
            moved.extend(rest.drain(i..i + 2));
            continue;
        }
        if arg.starts_with("--lang=") && found.is_none() {
            moved.push(rest.remove(i));
            continue;
        }
        if arg.starts_with('-') {
            i += 1;
            continue;
        }
        match current.find_subcommand(&arg) {
            Some(sub) => {
                current = sub;
                found = Some(i);
                i += 1;
                if !sub.has_subcommands() {
                    break;
                }
            }
            None => break,
        }
    }
    let Some(at) = found else {
        return args.to_vec();
    };
    if current
        .get_arguments()
        .any(|a| a.get_long() == Some("lang"))
    {
        for (k, arg) in moved.into_iter().enumerate() {
            rest.insert(at + 1 + k, arg);
        }
    }
    rest
}

/// The command line definition with every text in `lang`.
pub fn command(lang: Lang) -> Command {
    localize(Cli::command(), "", lang, true)
}

fn lookup(lang: Lang, keys: &[String]) -> Option<&'static str> {
    keys.iter()
        .find(|k| wording::has(k))
        .map(|k| wording::text(lang, k))
}

fn localize(cmd: Command, path: &str, lang: Lang, top: bool) -> Command {
    let about_key = if top {
        "help.konf-wahl".to_string()
    } else {
        format!("help.{path}")
    };
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading(wording::text(lang, "help.commands_heading"))
        .subcommand_value_name(wording::text(lang, "help.command_word"))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            wording::text(lang, "help.usage_heading")
        ))
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help_heading(wording::text(lang, "help.options_heading"))
                .help(wording::text(lang, "help.opt.help")),
        );
    if let Some(about) = lookup(lang, &[about_key]) {
        cmd = cmd.about(about);
    }
    if top {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help_heading(wording::text(lang, "help.options_heading"))
                    .help(wording::text(lang, "help.opt.version")),
            )
            .after_help(wording::text(lang, "help.after"));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        let path_key = if top {
            format!("help.opt.{id}")
        } else {
            format!("help.{path}.{id}")
        };
        let shared = format!("help.opt.{id}");
        cmd = cmd.mut_arg(&id, |arg| {
            let positional = arg.is_positional();
            let mut help = lookup(lang, &[path_key.clone(), shared.clone()])
                .map(str::to_string)
                .or_else(|| arg.get_help().map(|h| h.to_string()))
                .unwrap_or_default();
            // Possible values and defaults in words of the reader's language.
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| {
                    let name = v.get_name();
                    match lookup(lang, &[format!("help.value.{name}")]) {
                        Some(text) => format!("{name} ({text})"),
                        None => name.to_string(),
                    }
                })
                .collect();
            let is_flag = !arg.get_action().takes_values();
            if !values.is_empty() && !is_flag {
                help.push_str(". ");
                help.push_str(&say!(lang, "help.values", values = values.join(", ")));
            }
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && !is_flag {
                help.push_str(". ");
                help.push_str(&say!(lang, "help.default", value = defaults.join(", ")));
            }
            let heading = if positional {
                "help.arguments_heading"
            } else {
                "help.options_heading"
            };
            let arg = arg.help(help).help_heading(wording::text(lang, heading));
            // Placeholders such as <FILE> in the reader's language (<DATEI>).
            let names: Vec<clap::builder::Str> = arg
                .get_value_names()
                .map(|n| {
                    n.iter()
                        .map(|v| {
                            let key = format!("help.name.{}", v.to_lowercase());
                            lookup(lang, &[key]).map_or_else(|| v.clone(), Into::into)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let arg = if names.is_empty() {
                arg
            } else {
                arg.value_names(names)
            };
            if arg.get_action().takes_values() {
                arg.hide_possible_values(true).hide_default_value(true)
            } else {
                arg
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        cmd = cmd.mut_subcommand(&name, |sub| localize(sub, &sub_path, lang, false));
    }
    // The usage line names placeholders in the reader's language ([OPTIONEN], <BEFEHL>) and
    // the whole command (`konf-wahl catalog export`), which a subcommand alone does not know.
    let rendered = cmd.clone().render_usage().to_string();
    let rest = rendered
        .trim_start()
        .split_once(' ')
        .map_or("", |(_, rest)| rest)
        .trim_start();
    let rest = rest.split_once(' ').map_or("", |(_, args)| args);
    let program = if top {
        "konf-wahl".to_string()
    } else {
        format!("konf-wahl {}", path.replace('.', " "))
    };
    let usage = format!("{program} {rest}")
        .replace(
            "[OPTIONS]",
            &format!("[{}]", wording::text(lang, "help.options_word")),
        )
        .replace(
            "<COMMAND>",
            &format!("<{}>", wording::text(lang, "help.command_word")),
        );
    cmd.override_usage(usage)
}

fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// A usage error retold in the reader's language: what was wrong, the closest valid word, and
/// where to read more. Help and version output is passed through as clap rendered it.
pub fn usage_error(err: &clap::Error, lang: Lang) -> String {
    let arg = context(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
    let main = match err.kind() {
        ErrorKind::UnknownArgument => say!(lang, "usage.unknown_argument", arg = arg),
        ErrorKind::InvalidSubcommand => {
            let name = context(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            say!(lang, "usage.unknown_command", name = name)
        }
        ErrorKind::InvalidValue => {
            let valid = context(err, ContextKind::ValidValue).unwrap_or_default();
            if valid.is_empty() {
                say!(lang, "usage.missing_value", arg = arg)
            } else {
                say!(
                    lang,
                    "usage.invalid_value",
                    value = value,
                    arg = arg,
                    valid = valid
                )
            }
        }
        ErrorKind::ValueValidation => {
            // The value parsers' own messages (`--max-age`, `--set`) follow `source()`.
            let why = std::error::Error::source(err)
                .map(ToString::to_string)
                .unwrap_or_default();
            // clap's range check says `5000 is not in 0..=1200`.
            let why = match why.split_once(" is not in ") {
                Some((_, range)) => match range.split_once("..=") {
                    Some((low, high)) => say!(lang, "usage.range", low = low, high = high),
                    None => why,
                },
                None => why,
            };
            say!(
                lang,
                "usage.value_refused",
                value = value,
                arg = arg,
                why = why
            )
        }
        ErrorKind::MissingRequiredArgument => say!(lang, "usage.missing_argument", arg = arg),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return err.render().to_string();
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(err, ContextKind::PriorArg).unwrap_or_default();
            say!(lang, "usage.conflict", arg = arg, other = prior)
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            say!(
                lang,
                "usage.too_many",
                arg = if arg.is_empty() { value } else { arg }
            )
        }
        _ => return err.render().to_string(),
    };
    let mut out = format!("{}: {main}\n", say!(lang, "error.prefix"));
    let suggestion = context(err, ContextKind::SuggestedArg)
        .or_else(|| context(err, ContextKind::SuggestedSubcommand))
        .or_else(|| context(err, ContextKind::SuggestedValue));
    if let Some(s) = suggestion {
        out.push_str(&format!(
            "  {}: {}\n",
            say!(lang, "diag.help_prefix"),
            say!(lang, "diag.did_you_mean", word = s)
        ));
    }
    out.push_str(&format!("  {}\n", say!(lang, "usage.more")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(line: &str) -> String {
        let args: Vec<std::ffi::OsString> = line.split(' ').map(Into::into).collect();
        place_lang(&args, &command(Lang::De))
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn lang_before_a_command_counts_for_the_command() {
        assert_eq!(
            placed("konf-wahl --lang en recommend a.toml"),
            "konf-wahl recommend --lang en a.toml"
        );
        assert_eq!(
            placed("konf-wahl -q --lang=en catalog export -o x.csv"),
            "konf-wahl -q catalog export --lang=en -o x.csv"
        );
        // Commands without --lang: the messages' language was read already.
        assert_eq!(placed("konf-wahl --lang en manpage"), "konf-wahl manpage");
        assert_eq!(
            placed("konf-wahl --lang en --help"),
            "konf-wahl --lang en --help"
        );
        assert_eq!(
            placed("konf-wahl recommend a.toml --lang en"),
            "konf-wahl recommend a.toml --lang en"
        );
    }

    fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().to_string();
            if id == "help" || id == "version" {
                continue;
            }
            let keys = [
                if path.is_empty() {
                    format!("help.opt.{id}")
                } else {
                    format!("help.{path}.{id}")
                },
                format!("help.opt.{id}"),
            ];
            if !keys.iter().any(|k| wording::has(k)) {
                missing.push(keys[0].clone());
            }
        }
        for sub in cmd.get_subcommands() {
            let p = if path.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{path}.{}", sub.get_name())
            };
            if !wording::has(&format!("help.{p}")) {
                missing.push(format!("help.{p}"));
            }
            walk(sub, &p, missing);
        }
    }

    #[test]
    fn every_command_and_option_has_its_help_in_both_languages() {
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no help text for: {missing:?}");
    }

    #[test]
    fn the_german_help_is_german_throughout() {
        let mut cmd = command(Lang::De);
        let help = cmd.render_long_help().to_string();
        for word in [
            "Aufruf:",
            "Befehle",
            "Optionen",
            "Hilfe anzeigen",
            "[OPTIONEN]",
        ] {
            assert!(help.contains(word), "{word} missing in:\n{help}");
        }
        for english in ["Usage:", "Commands:", "Options:", "Print help", "[OPTIONS]"] {
            assert!(!help.contains(english), "{english} in:\n{help}");
        }
        let mut sub = command(Lang::De)
            .find_subcommand("recommend")
            .unwrap()
            .clone();
        let help = sub.render_long_help().to_string();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(help.contains("Standard: 10000"), "{help}");
        assert!(help.contains("html (eine HTML-Seite"), "{help}");
        assert!(!help.contains("[default:"), "{help}");
    }

    #[test]
    fn the_command_still_parses_what_the_derive_parses() {
        command(Lang::De).debug_assert();
        command(Lang::En).debug_assert();
    }
}
