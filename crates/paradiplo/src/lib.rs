//! The paradiplo application: configuration, the CLI's commands, and the
//! wiring of store, dataset and web server. `main.rs` only parses arguments.

pub mod cli;
pub mod config;
pub mod logging;
pub mod ops;

pub use config::Config;
