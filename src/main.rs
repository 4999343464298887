use std::process::ExitCode;

use clap::Parser;

/// Request handling allocates many small, short-lived strings; mimalloc
/// serves them markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
