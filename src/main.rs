use std::io::Write;

use clap::Parser;

fn main() -> std::process::ExitCode {
    mdime::artefact::clean_up_on_interrupt();
    match mdime::execute(mdime::cli::Cli::parse()) {
        Ok(outcome) => {
            // A reader that closed the pipe early (`| head`) has what it wanted.
            match std::io::stdout().write_all(mdime::artefact::terminal_safe(&outcome.text).as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot write to standard output: {e}");
                    std::process::ExitCode::from(1)
                }
                _ => std::process::ExitCode::from(outcome.code),
            }
        }
        Err(error) => {
            mdime::artefact::wait_if_interrupted();
            eprintln!("error: {}", mdime::artefact::terminal_safe(&error.to_string()));
            std::process::ExitCode::from(1)
        }
    }
}
