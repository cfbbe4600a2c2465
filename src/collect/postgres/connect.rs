//! Connecting to a target, and what a failure means for the probe.

use std::str::FromStr;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio_postgres::{Client, Config, NoTls};

use crate::collect::runner::{ANSWER_TIMEOUT, Failure, Trouble};
use crate::model::Target;
use crate::tasks::spawn_answer;

/// How stacktop's sessions name themselves, so every figure can leave them out.
pub const APPLICATION_NAME: &str = "stacktop";

/// A driver error as a failure, classified by its SQLSTATE.
pub fn from_pg(error: &tokio_postgres::Error) -> Failure {
    Failure::new(classify(error.code().map(|c| c.code())), describe(error))
}

/// What a SQLSTATE means for the probe.
pub fn classify(sqlstate: Option<&str>) -> Trouble {
    match sqlstate {
        // cannot_connect_now ("the database system is starting up"),
        // admin_shutdown and crash_shutdown: a server going down or coming up.
        Some("57P03" | "57P01" | "57P02") => Trouble::Starting,
        // invalid_password, invalid_authorization_specification.
        Some("28P01" | "28000") => Trouble::Rejected,
        _ => Trouble::Lost,
    }
}

/// One line: the server's message, or the driver's error and its causes.
pub fn describe(error: &tokio_postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.message().to_string();
    }
    let mut line = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

/// The target's URL as a driver config, always named `stacktop` and with a
/// connect timeout. A URL that does not parse is `Rejected`: retrying soon
/// cannot fix it.
pub fn config(target: &Target) -> Result<Config, Failure> {
    let mut config = Config::from_str(&target.url).map_err(|e| {
        let message = format!(
            "bad connection URL {}: {}",
            target.display_url(),
            describe(&e)
        );
        Failure::new(Trouble::Rejected, message)
    })?;
    config
        .application_name(APPLICATION_NAME)
        .connect_timeout(ANSWER_TIMEOUT);
    Ok(config)
}

/// An open connection: the client, and how the connection ended once it has
/// (a server shutting down says why on the connection, not on the query).
pub struct Connection {
    pub client: Client,
    pub ended: oneshot::Receiver<Option<tokio_postgres::Error>>,
}

/// The failure to report for `error` of a query: the connection's own error
/// when the server closed it (57P01 during a restart), else `error`.
pub async fn failure(
    ended: &mut oneshot::Receiver<Option<tokio_postgres::Error>>,
    error: &tokio_postgres::Error,
) -> Failure {
    if error.is_closed() {
        let why = tokio::time::timeout(Duration::from_millis(200), ended).await;
        if let Ok(Ok(Some(cause))) = why {
            return from_pg(&cause);
        }
    }
    from_pg(error)
}

/// Connects to `target` within [`ANSWER_TIMEOUT`].
pub async fn connect(target: &Target) -> Result<Connection, Failure> {
    let config = config(target)?;
    let connecting = tokio::time::timeout(ANSWER_TIMEOUT, config.connect(NoTls));
    let (client, connection) = match connecting.await {
        Ok(Ok(pair)) => pair,
        Ok(Err(e)) => return Err(from_pg(&e)),
        Err(_) => {
            let message = format!("no answer within {} s", ANSWER_TIMEOUT.as_secs());
            return Err(Failure::lost(message));
        }
    };
    let ended = spawn_answer("postgres connection", async move { connection.await.err() });
    Ok(Connection { client, ended })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TargetKind, TargetOrigin};

    fn target(url: &str) -> Target {
        Target {
            id: "pg:db".into(),
            kind: TargetKind::Postgres,
            name: "db".into(),
            url: url.into(),
            container_id: None,
            origin: TargetOrigin::Config,
        }
    }

    #[test]
    fn restarts_read_as_starting_and_bad_passwords_as_rejected() {
        assert_eq!(classify(Some("57P03")), Trouble::Starting);
        assert_eq!(classify(Some("57P01")), Trouble::Starting);
        assert_eq!(classify(Some("28P01")), Trouble::Rejected);
        assert_eq!(classify(Some("28000")), Trouble::Rejected);
        assert_eq!(classify(Some("3D000")), Trouble::Lost);
        assert_eq!(classify(None), Trouble::Lost);
    }

    #[test]
    fn config_names_the_session_stacktop() {
        let config = config(&target(
            "postgres://app:pw@127.0.0.1:5432/app_db?application_name=x",
        ))
        .expect("a valid URL");
        assert_eq!(config.get_application_name(), Some("stacktop"));
        assert_eq!(config.get_connect_timeout(), Some(&ANSWER_TIMEOUT));
        assert_eq!(config.get_dbname(), Some("app_db"));
    }

    #[test]
    fn a_bad_url_is_rejected_without_its_password() {
        let failure = config(&target("postgres://app:hunter2@127.0.0.1:notaport/db"))
            .expect_err("the port is not a number");
        assert_eq!(failure.trouble, Trouble::Rejected);
        assert!(
            failure.message.contains("postgres://app:***@"),
            "{}",
            failure.message
        );
        assert!(!failure.message.contains("hunter2"), "{}", failure.message);
    }
}
