use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = newsdesk::config::Cli::parse();
    match newsdesk::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("newsdesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}
