use std::io::Write;

use clap::Parser;

fn main() -> std::process::ExitCode {
    match mdime::execute(mdime::cli::Cli::parse()) {
        Ok(text) => {
            // A reader that closed the pipe early (`| head`) has what it wanted.
            match std::io::stdout().write_all(text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot write to standard output: {e}");
                    std::process::ExitCode::from(1)
                }
                _ => std::process::ExitCode::SUCCESS,
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::from(1)
        }
    }
}
