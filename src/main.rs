use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = konf_wahl::cli::Cli::parse();
    match konf_wahl::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
