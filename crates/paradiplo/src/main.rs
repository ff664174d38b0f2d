use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = paradiplo::cli::Cli::parse();
    paradiplo::logging::init(cli.log_format);
    paradiplo::cli::run(cli).await
}
