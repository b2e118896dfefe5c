//! The `mig` binary: parse, set up logging, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use mig::cli::{logging, run::run, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.global.log_verbosity, cli.global.quiet);
    let code = match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("FAILED: {err}");
            err.exit_code()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
