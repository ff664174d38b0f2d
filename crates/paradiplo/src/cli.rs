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
    /// Log format on standard error: text (coloured only on a terminal) or json (one object per line).
    #[arg(
        long,
        global = true,
        env = "PARADIPLO_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: crate::logging::LogFormat,
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
        /// Name of the open data's licence (default: CC BY 4.0); needs --data-licence-url.
        #[arg(long, env = "PARADIPLO_DATA_LICENCE", requires = "data_licence_url")]
        data_licence: Option<String>,
        /// Address of the open data's licence text.
        #[arg(long, env = "PARADIPLO_DATA_LICENCE_URL", requires = "data_licence")]
        data_licence_url: Option<String>,
        /// Mark staff session cookies Secure: set when the server is reached over HTTPS.
        #[arg(long, env = "PARADIPLO_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Trust X-Forwarded-For and X-Forwarded-Proto (only behind your own reverse proxy).
        #[arg(long, env = "PARADIPLO_TRUST_PROXY")]
        trust_proxy: bool,
    },
    /// Import a dataset (folder or JSON file) into the store, all or nothing.
    Import {
        /// The dataset folder, or a JSON dataset file such as the open-data export (see docs/DATASET.md).
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
    /// Check a dataset (folder or JSON file) without writing anything; lists every error with file and line.
    Check {
        /// The dataset folder, or a JSON dataset file.
        path: PathBuf,
        /// Also print the data-quality report (records without sources, statuses without a dated act, descriptive titles, year-only dates, missing English, stale records); fails when it holds an error.
        #[arg(long)]
        report: bool,
        /// With --report: a record whose `changed` is older than this many years is stale.
        #[arg(long, default_value_t = 5)]
        stale_years: i32,
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
    /// Manage API tokens (administrators): add, list, revoke.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write a backup of the whole store (records, history, files) to a file,
    /// or check one with --verify.
    Backup {
        /// The backup file to write ("-" for standard output).
        #[arg(long, value_name = "FILE", required_unless_present = "verify")]
        out: Option<PathBuf>,
        /// Check a backup file (counts and checksums) without touching any store.
        #[arg(long, value_name = "FILE", conflicts_with = "out")]
        verify: Option<PathBuf>,
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

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it once (only its digest is stored).
    Add {
        /// reader, editor, publisher or admin.
        #[arg(long, value_parser = parse_role)]
        role: paradiplo_core::Role,
        /// Who or what uses the token; recorded as the author of its writes.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List API tokens (never their secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke an API token by its id.
    Revoke {
        /// The id shown by `paradiplo token list`.
        id: i64,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn parse_role(raw: &str) -> Result<paradiplo_core::Role, String> {
    paradiplo_core::Role::parse(raw)
        .ok_or_else(|| format!("unknown role `{raw}`: use reader, editor, publisher or admin"))
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
                OpError::Usage(_) | OpError::Refused(_) => 2,
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
                    Lang::Fr => format!("{} erreur(s) : rien n’a été écrit.", errors.len()),
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
        OpError::Store(e) => {
            let _ = writeln!(err, "paradiplo: {}", e.message(lang));
        }
        OpError::Failed(said) | OpError::Refused(said) => {
            let _ = writeln!(err, "paradiplo: {}", said.get(lang));
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
            data_licence,
            data_licence_url,
            secure_cookies,
            trust_proxy,
        } => {
            serve(Config {
                addr,
                store: store.config(),
                seed: !no_seed,
                portal: config,
                licence: data_licence.zip(data_licence_url),
                secure_cookies,
                trust_proxy,
            })
            .await
        }
        Command::Check {
            path,
            report,
            stale_years,
        } => check(&path, report.then_some(stale_years), lang),
        Command::Import { path, note, store } => import(&path, &note, &store, lang).await,
        Command::Export {
            out,
            include_archived,
            store,
        } => export(&out, include_archived, &store, lang).await,
        Command::Migrate { store } => migrate(&store, lang).await,
        Command::Reindex { store } => reindex(&store, lang).await,
        Command::User {
            command: UserCommand::Add { email, role, store },
        } => user_add(&email, &role, &store, lang).await,
        Command::Token { command } => token(command, lang).await,
        Command::Backup {
            verify: Some(file), ..
        } => verify_backup_file(&file, lang),
        Command::Backup {
            out: Some(out),
            store,
            ..
        } => backup(&out, &store, lang).await,
        Command::Backup { .. } => Err(OpError::Refused(paradiplo_app::Said::new(
            "backup : indiquez --out FICHIER (écrire une sauvegarde) ou --verify FICHIER (en vérifier une)",
            "backup: give --out FILE (write a backup) or --verify FILE (check one)",
        ))),
        Command::Restore { file, store } => restore(&file, &store, lang).await,
    }
}

/// `paradiplo migrate`: brings the schema up to date.
async fn migrate(store: &StoreArgs, lang: Lang) -> Result<(), OpError> {
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

/// `paradiplo backup --out FILE` ("-" for standard output).
async fn backup(out: &std::path::Path, store: &StoreArgs, lang: Lang) -> Result<(), OpError> {
    let store = ops::open_store(&store.config()).await?;
    let counts = if out.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        store.backup(&mut stdout).await?
    } else {
        write_backup_file(&store, out).await?
    };
    eprintln!("{}", counts_line(lang, "Sauvegarde", "Backup", &counts));
    Ok(())
}

/// `paradiplo restore FILE`: a backup into an empty store.
async fn restore(file: &std::path::Path, store: &StoreArgs, lang: Lang) -> Result<(), OpError> {
    let store = ops::open_store(&store.config()).await?;
    let (summary, counts) = store.restore_backup_file(file).await?;
    store.checkpoint().await?;
    if !summary.checksummed {
        eprintln!("{}", unchecked_backup(&summary.format, lang));
    }
    println!("{}", counts_line(lang, "Restauré", "Restored", &counts));
    Ok(())
}

/// « Sauvegarde : N enregistrements, … » after a backup or a restore.
fn counts_line(lang: Lang, fr: &str, en: &str, counts: &paradiplo_store::BackupCounts) -> String {
    let (records, revisions, files) = (counts.records, counts.revisions, counts.files);
    say(
        lang,
        &format!(
            "{fr}\u{a0}: {records} enregistrements, {revisions} révisions, {files} fichier(s)."
        ),
        &format!("{en}: {records} records, {revisions} revisions, {files} file(s)."),
    )
}

/// `paradiplo check`: reads and checks a dataset, writes nothing.
fn check(path: &std::path::Path, report: Option<i32>, lang: Lang) -> Result<(), OpError> {
    let dataset = ops::check(path)?;
    let result = print_check(path, &dataset, lang);
    match report {
        Some(stale_years) => quality_report(&dataset, stale_years, lang),
        None => result,
    }
}

/// `check --report`: every finding, errors first; an error fails the command.
fn quality_report(
    dataset: &paradiplo_dataset::Dataset,
    stale_years: i32,
    lang: Lang,
) -> Result<(), OpError> {
    let changed = dataset
        .changed
        .iter()
        .map(|((k, s), d)| ((*k, s.to_string()), *d))
        .collect();
    let today = time::OffsetDateTime::now_utc().date();
    let findings = paradiplo_core::quality::report(&dataset.registry, &changed, today, stale_years);
    for f in &findings {
        println!("{}", f.message(lang));
    }
    let errors = findings
        .iter()
        .filter(|f| f.check.severity() == paradiplo_core::quality::Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if errors == 0 {
        println!(
            "{}",
            match lang {
                Lang::Fr =>
                    format!("Rapport de qualité\u{a0}: 0 erreur, {warnings} avertissement(s)."),
                Lang::En => format!("Quality report: 0 errors, {warnings} warning(s)."),
            }
        );
        return Ok(());
    }
    Err(OpError::Refused(paradiplo_app::Said::new(
        format!("rapport de qualité : {errors} erreur(s), {warnings} avertissement(s)"),
        format!("quality report: {errors} error(s), {warnings} warning(s)"),
    )))
}

fn print_check(
    path: &std::path::Path,
    dataset: &paradiplo_dataset::Dataset,
    lang: Lang,
) -> Result<(), OpError> {
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "{} : {} enregistrements valides, {} fichier(s).",
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
    // A version-1 folder: each field whose content moved in version 2, and how.
    if path.is_dir() {
        let source = paradiplo_dataset::DirSource(path.to_path_buf());
        for note in paradiplo_dataset::upgrade_notes(&source, dataset) {
            println!("{}", note.message(lang));
        }
    }
    Ok(())
}

/// `paradiplo import`: checks a dataset, then writes it all or nothing.
async fn import(
    path: &std::path::Path,
    note: &str,
    store: &StoreArgs,
    lang: Lang,
) -> Result<(), OpError> {
    let dataset = ops::check(path)?;
    let store = ops::open_store(&store.config()).await?;
    let r = ops::import(&store, &dataset, &cli_author(), note).await?;
    // The database file alone now holds the import (no pending -wal).
    store.checkpoint().await?;
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "Importé : {} créé(s), {} modifié(s), {} inchangé(s), {} fichier(s).",
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

/// `paradiplo export`: writes the store as a dataset folder.
async fn export(
    out: &std::path::Path,
    include_archived: bool,
    store: &StoreArgs,
    lang: Lang,
) -> Result<(), OpError> {
    let store = ops::open_store(&store.config()).await?;
    let dataset = ops::export(&store, out, include_archived).await?;
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "Exporté : {} enregistrements dans {}.",
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

/// `paradiplo reindex`: rebuilds the search index from the database.
async fn reindex(store: &StoreArgs, lang: Lang) -> Result<(), OpError> {
    let config = store.config();
    let store = ops::open_store(&config).await?;
    let dir = config.search_dir();
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .expect("constant template"),
    );
    let n = paradiplo_search::SearchIndex::reindex(&dir, &store, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await
    .map_err(|e| search_error(e, lang))?;
    bar.finish_and_clear();
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "Index de recherche reconstruit\u{a0}: {n} enregistrements publiés ({}).",
                dir.display()
            ),
            Lang::En => format!(
                "Search index rebuilt: {n} published records ({}).",
                dir.display()
            ),
        }
    );
    Ok(())
}

async fn token(command: TokenCommand, lang: Lang) -> Result<(), OpError> {
    match command {
        TokenCommand::Add { role, name, store } => {
            let store = ops::open_store(&store.config()).await?;
            let (token, secret) = store.create_token(&name, role, &cli_author()).await?;
            eprintln!(
                "{}",
                match lang {
                    Lang::Fr => format!(
                        "Jeton n°\u{a0}{} «\u{a0}{}\u{a0}» ({}) créé. Conservez-le maintenant\u{a0}: il ne sera plus affiché.",
                        token.id,
                        token.name,
                        role.label(lang)
                    ),
                    Lang::En => format!(
                        "Token #{} “{}” ({}) created. Keep it now: it will not be shown again.",
                        token.id,
                        token.name,
                        role.label(lang)
                    ),
                }
            );
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List { store } => {
            let store = ops::open_store(&store.config()).await?;
            for t in store.tokens().await? {
                let status = match (&t.revoked_at, lang) {
                    (Some(at), Lang::Fr) => format!("révoqué le {at}"),
                    (Some(at), Lang::En) => format!("revoked on {at}"),
                    (None, Lang::Fr) => "actif".into(),
                    (None, Lang::En) => "active".into(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.role.as_str(),
                    t.name,
                    t.created_at,
                    status
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id, store } => {
            let store = ops::open_store(&store.config()).await?;
            if store.revoke_token(id).await? {
                println!(
                    "{}",
                    say(
                        lang,
                        &format!("Jeton n°\u{a0}{id} révoqué."),
                        &format!("Token #{id} revoked.")
                    )
                );
                Ok(())
            } else {
                Err(OpError::Usage(say(
                    lang,
                    &format!("aucun jeton actif n’a le numéro {id}"),
                    &format!("no active token has id {id}"),
                )))
            }
        }
    }
}

/// Creates a staff account. The password is read from the terminal without
/// echo, or from the first line of standard input when it is not a terminal
/// (scripts); never from a flag, which would leave it in the shell history.
async fn user_add(email: &str, role: &str, store: &StoreArgs, lang: Lang) -> Result<(), OpError> {
    use std::io::IsTerminal;
    let role = paradiplo_core::Role::parse(role).ok_or_else(|| {
        OpError::Usage(match lang {
            Lang::Fr => format!("rôle inconnu `{role}` : reader, editor, publisher ou admin"),
            Lang::En => format!("unknown role `{role}`: reader, editor, publisher or admin"),
        })
    })?;
    let email = paradiplo_store::normalize_email(email);
    if !paradiplo_store::valid_email(&email) {
        return Err(OpError::Usage(match lang {
            Lang::Fr => format!("adresse courriel invalide `{email}`"),
            Lang::En => format!("invalid e-mail address `{email}`"),
        }));
    }
    let io = |e: std::io::Error| OpError::Io(e.to_string());
    let password = if std::io::stdin().is_terminal() {
        let first =
            rpassword::prompt_password(say(lang, "Mot de passe : ", "Password: ")).map_err(io)?;
        let again =
            rpassword::prompt_password(say(lang, "Mot de passe (encore) : ", "Password (again): "))
                .map_err(io)?;
        if first != again {
            return Err(OpError::Usage(say(
                lang,
                "les deux mots de passe diffèrent",
                "the two passwords differ",
            )));
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(io)?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    let min = paradiplo_web::admin::auth::PASSWORD_MIN;
    if password.chars().count() < min {
        return Err(OpError::Usage(match lang {
            Lang::Fr => format!("mot de passe trop court : au moins {min} caractères"),
            Lang::En => format!("password too short: at least {min} characters"),
        }));
    }
    let defaults = paradiplo_web::admin::AdminConfig::default();
    let hash = paradiplo_web::admin::hash_password(
        password,
        defaults.argon2_memory_kib,
        defaults.argon2_passes,
    )
    .await;
    let store = ops::open_store(&store.config()).await?;
    let author = cli_author();
    let user = store.create_user(&email, &hash, role, &author).await?;
    let _ = store
        .audit(paradiplo_store::NewAudit {
            actor: &author,
            action: "user_create",
            kind: "user",
            slug: &user.email,
            detail: role.as_str(),
            client: "cli",
        })
        .await;
    println!(
        "{}",
        match lang {
            Lang::Fr => format!("Compte créé : {} ({}).", user.email, role.label(lang)),
            Lang::En => format!("Account created: {} ({}).", user.email, role.label(lang)),
        }
    );
    Ok(())
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
    // A backup proves itself before it takes the name asked for.
    let written = std::fs::File::open(tmp.path()).map_err(io)?;
    paradiplo_store::verify_backup(&mut std::io::BufReader::new(written))?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(counts)
}

/// `paradiplo backup --verify FILE`: counts and checksums, no store.
fn verify_backup_file(file: &std::path::Path, lang: Lang) -> Result<(), OpError> {
    let input =
        std::fs::File::open(file).map_err(|e| OpError::Io(format!("{}: {e}", file.display())))?;
    let summary = paradiplo_store::verify_backup(&mut std::io::BufReader::new(input))?;
    if !summary.checksummed {
        eprintln!("{}", unchecked_backup(&summary.format, lang));
    }
    println!(
        "{}",
        match lang {
            Lang::Fr => format!(
                "Sauvegarde intacte\u{a0}: {} lignes dans {} sections.",
                summary.rows,
                summary.sections.len()
            ),
            Lang::En => format!(
                "Backup intact: {} lines in {} sections.",
                summary.rows,
                summary.sections.len()
            ),
        }
    );
    Ok(())
}

/// The warning for a backup written before checksums.
fn unchecked_backup(format: &str, lang: Lang) -> String {
    say(
        lang,
        &format!(
            "Attention\u{a0}: cette sauvegarde ({format}) précède les sommes de contrôle; \
             seuls son nombre de lignes et la forme de chaque ligne ont pu être vérifiés."
        ),
        &format!(
            "Warning: this backup ({format}) predates checksums; only its line count \
             and the form of each line could be checked."
        ),
    )
}

fn cli_author() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

fn search_error(e: paradiplo_search::SearchError, lang: Lang) -> OpError {
    match e {
        paradiplo_search::SearchError::Locked(dir) => OpError::Io(say(
            lang,
            &format!(
                "l’index de recherche {} est utilisé par un autre processus paradiplo (un `paradiplo serve` en marche?)\u{a0}: \
                 arrêtez-le d’abord; un serveur reconstruit lui-même un index absent ou périmé à son démarrage",
                dir.display()
            ),
            &paradiplo_search::SearchError::Locked(dir).to_string(),
        )),
        other => OpError::Io(other.to_string()),
    }
}

/// Builds the application and serves it until Ctrl-C or SIGTERM; then stops
/// the background jobs and closes the store.
pub async fn serve(config: Config) -> Result<(), OpError> {
    let app = paradiplo_app::Application::build(config.application()?)
        .await
        .map_err(|e| match e {
            OpError::Search(e) => search_error(e, Lang::En),
            other => other,
        })?;
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|e| {
            let addr = &config.addr;
            OpError::Failed(paradiplo_app::Said::new(
                format!("impossible d’écouter sur {addr} : {e}"),
                format!("cannot listen on {addr}: {e}"),
            ))
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| OpError::Io(e.to_string()))?;
    tracing::info!(addr = %local, "listening on http://{local}/");
    let served = crate::http_server::serve(listener, app.router(), shutdown_signal()).await;
    app.shutdown().await;
    served.map_err(|e| OpError::Io(e.to_string()))
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
