//! The `mig` binary: everything is in [`mig::cli::main`].

fn main() -> std::process::ExitCode {
    mig::cli::main()
}
