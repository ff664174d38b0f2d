//! Reaching a PostgreSQL server before the pool is built: one direct
//! connection with a short deadline, so that a wrong host, port, database or
//! password is said at once, naming the target and the cause, instead of a
//! pool waiting out its acquire timeout with "pool timed out".

use paradiplo_core::Lang;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use std::str::FromStr;
use std::time::Duration;

/// How long the first connection may take before the server counts as unreachable.
pub const CONNECT_DEADLINE: Duration = Duration::from_secs(5);

/// Why the database could not be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectCause {
    /// Nothing listens at the host and port (connection refused, no route, unknown host).
    Unreachable(String),
    /// No answer within [`CONNECT_DEADLINE`].
    TimedOut,
    /// The server answers but has no such database.
    NoDatabase,
    /// The server refused the user name or password.
    BadCredentials,
    /// Anything else the server or the driver said.
    Other(String),
}

/// A database that could not be reached: where (password never included) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub cause: ConnectCause,
}

impl ConnectError {
    /// The target as a person would type it: `user@host:port/database`.
    pub fn target(&self) -> String {
        format!(
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }

    pub fn message(&self, lang: Lang) -> String {
        let target = self.target();
        match (lang, &self.cause) {
            (Lang::Fr, ConnectCause::Unreachable(why)) => {
                format!("PostgreSQL injoignable à {target} : {why}")
            }
            (Lang::En, ConnectCause::Unreachable(why)) => {
                format!("PostgreSQL unreachable at {target}: {why}")
            }
            (Lang::Fr, ConnectCause::TimedOut) => format!(
                "PostgreSQL ne répond pas à {target} (aucune réponse en {} s)",
                CONNECT_DEADLINE.as_secs()
            ),
            (Lang::En, ConnectCause::TimedOut) => format!(
                "PostgreSQL does not answer at {target} (no answer within {} s)",
                CONNECT_DEADLINE.as_secs()
            ),
            (Lang::Fr, ConnectCause::NoDatabase) => format!(
                "la base de données « {} » n’existe pas sur {}:{} (créez-la : createdb {})",
                self.database, self.host, self.port, self.database
            ),
            (Lang::En, ConnectCause::NoDatabase) => format!(
                "the database \"{}\" does not exist on {}:{} (create it: createdb {})",
                self.database, self.host, self.port, self.database
            ),
            (Lang::Fr, ConnectCause::BadCredentials) => format!(
                "PostgreSQL refuse l’utilisateur « {} » ou son mot de passe à {target}",
                self.user
            ),
            (Lang::En, ConnectCause::BadCredentials) => format!(
                "PostgreSQL refused the user \"{}\" or its password at {target}",
                self.user
            ),
            (Lang::Fr, ConnectCause::Other(why)) => {
                format!("connexion à PostgreSQL impossible ({target}) : {why}")
            }
            (Lang::En, ConnectCause::Other(why)) => {
                format!("cannot connect to PostgreSQL ({target}): {why}")
            }
        }
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Opens and closes one connection to the PostgreSQL server of `url`
/// within [`CONNECT_DEADLINE`].
pub async fn probe_postgres(url: &str) -> Result<(), ConnectError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| ConnectError {
        host: String::new(),
        port: 0,
        database: String::new(),
        user: String::new(),
        cause: ConnectCause::Other(e.to_string()),
    })?;
    let error = |cause| ConnectError {
        host: options.get_host().to_string(),
        port: options.get_port(),
        database: options.get_database().unwrap_or_default().to_string(),
        user: options.get_username().to_string(),
        cause,
    };
    match tokio::time::timeout(CONNECT_DEADLINE, PgConnection::connect_with(&options)).await {
        Err(_) => Err(error(ConnectCause::TimedOut)),
        Ok(Err(e)) => Err(error(classify(&e))),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
    }
}

fn classify(e: &sqlx::Error) -> ConnectCause {
    match e {
        sqlx::Error::Io(io) => ConnectCause::Unreachable(io.to_string()),
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // invalid_catalog_name
            Some("3D000") => ConnectCause::NoDatabase,
            // invalid_password, invalid_authorization_specification
            Some("28P01") | Some("28000") => ConnectCause::BadCredentials,
            _ => ConnectCause::Other(db.message().to_string()),
        },
        other => ConnectCause::Other(other.to_string()),
    }
}
