//! The command line: `paradiplo serve | import | export | check | migrate |
//! reindex | user add | backup | restore`.

use crate::config::{Config, DEFAULT_ADDR, StoreConfig};
use crate::ops::{self, OpError};
use clap::{Args, Parser, Subcommand};
use paradiplo_core::Lang;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "paradiplo",
    version,
    about = "The registry of a federated state's international relations, and its bilingual public portal.",
    long_about = "paradiplo keeps the registry of a federated state's international relations \
(partners, groupings, organizations, agreements, events) with full history, and serves it as a \
bilingual public portal, an API and open data.\n\nWith no database URL, data lives in SQLite under \
./paradiplo-data/. Messages follow PARADIPLO_LANG (fr or en; French by default)."
)]
pub struct Cli {
    /// Language of messages: fr or en.
    #[arg(long, global = true, env = "PARADIPLO_LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Command,
}

fn parse_lang(raw: &str) -> Result<Lang, String> {
    match raw {
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        other => Err(format!("unknown language `{other}`: use fr or en")),
    }
}

/// Where the store is: shared by every command that touches it.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Folder for the SQLite database, the search index and uploaded files.
    #[arg(long = "data", env = "PARADIPLO_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB. Defaults to SQLite in --data.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

impl StoreArgs {
    pub fn config(&self) -> StoreConfig {
        StoreConfig::new(self.data.clone(), self.database_url.clone())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal, the API and the staff area. Loads the bundled Québec dataset into an empty database.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PARADIPLO_ADDR", default_value = DEFAULT_ADDR)]
        addr: String,
        #[command(flatten)]
        store: StoreArgs,
        /// Do not load the bundled dataset into an empty database.
        #[arg(long)]
        no_seed: bool,
        /// Portal configuration file (TOML: [site], [branding], [contact]; see docs/OPERATIONS.md).
        #[arg(long = "config", env = "PARADIPLO_CONFIG", value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Import a dataset folder into the store, all or nothing.
    Import {
        /// The dataset folder (see docs/DATASET.md).
        path: PathBuf,
        /// The change note recorded on every revision the import writes.
        #[arg(long, default_value = "Import")]
        note: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Export the store as a dataset folder, which `import` reads back.
    Export {
        /// The folder to write (created if needed).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Include archived records.
        #[arg(long)]
        include_archived: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Check a dataset folder without writing anything; lists every error with file and line.
    Check {
        /// The dataset folder.
        path: PathBuf,
    },
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Rebuild the search index from the database.
    Reindex {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a backup of the whole store (records, history, files) to a file.
    Backup {
        /// The backup file to write ("-" for standard output).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Restore a backup into an empty store.
    Restore {
        /// The backup file written by `paradiplo backup`.
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account (the password is read from the terminal or standard input).
    Add {
        #[arg(long)]
        email: String,
        /// reader, editor, publisher or admin.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Text in the user's language.
fn say(lang: Lang, fr: &str, en: &str) -> String {
    match lang {
        Lang::Fr => fr.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Runs a parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> ExitCode {
    let lang = cli
        .lang
        .unwrap_or_else(|| Lang::from_locale(&std::env::var("LANG").unwrap_or_default()));
    match execute(cli.command, lang).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, lang);
            ExitCode::from(match e {
                OpError::Usage(_) => 2,
                _ => 1,
            })
        }
    }
}

fn report(e: &OpError, lang: Lang) {
    let mut err = std::io::stderr().lock();
    match e {
        OpError::Dataset(errors) => {
            for d in errors {
                let _ = writeln!(err, "{}", d.message(lang));
            }
            let _ = writeln!(
                err,
                "{}",
                match lang {
                    Lang::Fr => format!("{} erreur(s) : rien n’a été écrit.", errors.len()),
                    Lang::En => format!("{} error(s): nothing was written.", errors.len()),
                }
            );
        }
        OpError::Store(paradiplo_store::StoreError::Invalid(errors)) => {
            for r in errors {
                let _ = writeln!(err, "{}", r.message(lang));
            }
            let _ = writeln!(
                err,
                "{}",
                say(lang, "Rien n’a été écrit.", "Nothing was written.")
            );
        }
        other => {
            let _ = writeln!(err, "paradiplo: {other}");
        }
    }
}

async fn execute(command: Command, lang: Lang) -> Result<(), OpError> {
    match command {
        Command::Serve {
            addr,
            store,
            no_seed,
            config,
        } => {
            serve(Config {
                addr,
                store: store.config(),
                seed: !no_seed,
                portal: config,
            })
            .await
        }
        Command::Check { path } => {
            let dataset = ops::check(&path)?;
            println!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "{} : {} enregistrements valides, {} fichier(s).",
                        path.display(),
                        dataset.registry.len(),
                        dataset.files.len()
                    ),
                    Lang::En => format!(
                        "{}: {} valid records, {} file(s).",
                        path.display(),
                        dataset.registry.len(),
                        dataset.files.len()
                    ),
                }
            );
            Ok(())
        }
        Command::Import { path, note, store } => {
            let dataset = ops::check(&path)?;
            let store = ops::open_store(&store.config()).await?;
            let r = ops::import(&store, &dataset, &cli_author(), &note).await?;
            println!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "Importé : {} créé(s), {} modifié(s), {} inchangé(s), {} fichier(s).",
                        r.created, r.updated, r.unchanged, r.files
                    ),
                    Lang::En => format!(
                        "Imported: {} created, {} updated, {} unchanged, {} file(s).",
                        r.created, r.updated, r.unchanged, r.files
                    ),
                }
            );
            Ok(())
        }
        Command::Export {
            out,
            include_archived,
            store,
        } => {
            let store = ops::open_store(&store.config()).await?;
            let dataset = ops::export(&store, &out, include_archived).await?;
            println!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "Exporté : {} enregistrements dans {}.",
                        dataset.registry.len(),
                        out.display()
                    ),
                    Lang::En => format!(
                        "Exported: {} records to {}.",
                        dataset.registry.len(),
                        out.display()
                    ),
                }
            );
            Ok(())
        }
        Command::Migrate { store } => {
            let store = ops::open_store(&store.config()).await?;
            let v = store.schema_version().await?;
            println!(
                "{}",
                say(
                    lang,
                    &format!("Schéma à jour (version {v})."),
                    &format!("Schema up to date (version {v}).")
                )
            );
            Ok(())
        }
        Command::Reindex { .. } => Err(OpError::Usage(say(
            lang,
            "la recherche plein texte n’est pas encore offerte : `reindex` le sera avec elle",
            "full-text search is not available yet: `reindex` will come with it",
        ))),
        Command::User {
            command: UserCommand::Add { .. },
        } => Err(OpError::Usage(say(
            lang,
            "les comptes du personnel ne sont pas encore offerts : `user add` le sera avec l’espace du personnel",
            "staff accounts are not available yet: `user add` will come with the staff workspace",
        ))),
        Command::Backup { out, store } => {
            let store = ops::open_store(&store.config()).await?;
            let counts = if out.as_os_str() == "-" {
                let mut stdout = std::io::stdout().lock();
                store.backup(&mut stdout).await?
            } else {
                write_backup_file(&store, &out).await?
            };
            eprintln!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "Sauvegarde : {} enregistrements, {} révisions, {} fichier(s).",
                        counts.records, counts.revisions, counts.files
                    ),
                    Lang::En => format!(
                        "Backup: {} records, {} revisions, {} file(s).",
                        counts.records, counts.revisions, counts.files
                    ),
                }
            );
            Ok(())
        }
        Command::Restore { file, store } => {
            let input = std::fs::File::open(&file)
                .map_err(|e| OpError::Io(format!("{}: {e}", file.display())))?;
            let store = ops::open_store(&store.config()).await?;
            let counts = store
                .restore_backup(&mut std::io::BufReader::new(input))
                .await?;
            println!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "Restauré : {} enregistrements, {} révisions, {} fichier(s).",
                        counts.records, counts.revisions, counts.files
                    ),
                    Lang::En => format!(
                        "Restored: {} records, {} revisions, {} file(s).",
                        counts.records, counts.revisions, counts.files
                    ),
                }
            );
            Ok(())
        }
    }
}

/// Writes the backup beside its destination, then renames it: a failed
/// backup never leaves a half-written file under the name asked for.
async fn write_backup_file(
    store: &paradiplo_store::Store,
    out: &std::path::Path,
) -> Result<paradiplo_store::BackupCounts, OpError> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let io = |e: std::io::Error| OpError::Io(format!("{}: {e}", out.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let counts = {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        let counts = store.backup(&mut w).await?;
        w.flush().map_err(io)?;
        counts
    };
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(counts)
}

fn cli_author() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

/// Starts the HTTP server and runs until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), OpError> {
    // Read the portal configuration first: a bad file stops before anything opens.
    let portal = match &config.portal {
        Some(path) => {
            paradiplo_web::PortalConfig::load(path).map_err(|e| OpError::Usage(e.to_string()))?
        }
        None => paradiplo_web::PortalConfig::default(),
    };
    let store = ops::open_store(&config.store).await?;
    tracing::info!(
        database = %paradiplo_store::redact_url(&config.store.database_url),
        "store open"
    );
    if config.seed
        && let Some(r) = ops::seed_if_empty(&store).await?
    {
        tracing::info!(
            created = r.created,
            files = r.files,
            "loaded the bundled Québec dataset"
        );
    }
    let app = paradiplo_web::router(paradiplo_web::AppState::with_config(store.clone(), portal));
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|e| OpError::Io(format!("cannot listen on {}: {e}", config.addr)))?;
    let local = listener
        .local_addr()
        .map_err(|e| OpError::Io(e.to_string()))?;
    tracing::info!(addr = %local, "listening on http://{local}/");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| OpError::Io(e.to_string()))?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
