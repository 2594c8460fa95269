use clap::Parser;

fn main() -> std::process::ExitCode {
    match mdime::execute(mdime::cli::Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::from(1)
        }
    }
}
