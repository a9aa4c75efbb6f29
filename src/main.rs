//! The `lakegate` binary: parse the command line, set up logging, run the command.
//! Everything else lives in the library (see `lib.rs` for the layout).

use std::process::ExitCode;

use clap::Parser;

use lakegate::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    lakegate::logging::init();
    match lakegate::commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
