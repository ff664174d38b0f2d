//! The paradiplo binary: configuration, the CLI's commands, and serving the
//! application (built by `paradiplo_app::Application`). `main.rs` only
//! parses arguments.

pub mod cli;
pub mod config;
pub mod http_server;
pub mod logging;
pub mod ops;

pub use config::Config;
