use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

/// A run makes tens of thousands of small allocations (catalog strings, rule values); mimalloc
/// serves them in about half the instructions of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = konf_wahl::wording::requested_lang(&args);
    konf_wahl::wording::set_messages_lang(lang);
    // The command line in the reader's language is only needed to show help or a usage
    // error; a command line that parses is parsed with clap's own tree, which accepts
    // exactly the same arguments and costs a fraction to build.
    let plain = konf_wahl::cli::Cli::command();
    let args = konf_wahl::cli::help::place_lang(&args, &plain);
    let parsed = plain
        .try_get_matches_from(&args)
        .ok()
        .and_then(|m| konf_wahl::cli::Cli::from_arg_matches(&m).ok());
    let cli = match parsed {
        Some(cli) => cli,
        None => match konf_wahl::cli::help::command(lang)
            .try_get_matches_from(&args)
            .and_then(|m| konf_wahl::cli::Cli::from_arg_matches(&m))
        {
            Ok(cli) => cli,
            Err(e) => return clap_outcome(&e, lang),
        },
    };
    match konf_wahl::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let prefix = konf_wahl::say!(lang, "error.prefix");
            konf_wahl::output::eprint_line(&format!("{prefix}: {err:#}"));
            // A command line that cannot be carried out as written is a usage error, like
            // the ones clap reports; everything else is an error in input or data.
            if err.is::<konf_wahl::cli::UsageError>() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Help and version go to stdout and succeed only if they could be written there (`--help
/// >/dev/full` is an error); usage errors go to stderr with exit code 2.
fn clap_outcome(e: &clap::Error, lang: konf_wahl::vocab::Lang) -> ExitCode {
    let text = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.render().to_string(),
        _ => konf_wahl::cli::help::usage_error(e, lang),
    };
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    let prefix = konf_wahl::say!(lang, "error.prefix");
                    let what = konf_wahl::say!(lang, "output.cannot_write_stdout");
                    konf_wahl::output::eprint_line(&format!("{prefix}: {what}: {err}"));
                    ExitCode::from(1)
                }
            }
        }
        _ => {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(konf_wahl::output::terminal_safe(&text).as_bytes());
            ExitCode::from(2)
        }
    }
}
