//! The paradiplo application: configuration, the CLI's commands, and the
//! wiring of store, dataset and web server. `main.rs` only parses arguments.

pub mod cli;
pub mod config;
pub mod http_server;
pub mod ops;

pub use config::Config;
