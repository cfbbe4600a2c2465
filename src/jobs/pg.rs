//! Cancelling and terminating PostgreSQL backends.

use std::time::Duration;

use tokio::sync::mpsc::Sender;

use crate::collect::postgres::{MARK, connect, describe};
use crate::event::Event;
use crate::model::{Job, PgSignal, Target};
use crate::tasks::spawn_job;

/// Longest wait for the signal's answer, connection included.
const SIGNAL_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `signal` to backend `pid` of `target` in a task of its own, on a
/// short connection of its own; reports with `Event::Done`.
pub fn spawn_signal(target: Target, pid: i32, signal: PgSignal, tx: Sender<Event>) {
    let job = Job::Backend {
        target: target.name.clone(),
        pid,
    };
    spawn_job(job, tx, async move {
        match tokio::time::timeout(SIGNAL_TIMEOUT, signal_backend(&target, pid, signal)).await {
            Ok(result) => result,
            Err(_) => Err(format!(
                "{} backend {pid} on {}: no answer within {} s",
                signal.word(),
                target.name,
                SIGNAL_TIMEOUT.as_secs()
            )),
        }
    });
}

/// Signals one backend; both outcomes are one readable line, e.g.
/// "cancelled query of backend 1234 on auth_db".
pub async fn signal_backend(target: &Target, pid: i32, signal: PgSignal) -> Result<String, String> {
    let failed = |message: &str| {
        format!(
            "cannot {} backend {pid} on {}: {message}",
            signal.word(),
            target.name
        )
    };
    let conn = connect(target).await.map_err(|f| failed(&f.message))?;
    let function = match signal {
        PgSignal::Cancel => "pg_cancel_backend",
        PgSignal::Terminate => "pg_terminate_backend",
    };
    // The database is read before the signal: a terminated backend is gone.
    let sql = format!(
        "{MARK} SELECT (SELECT datname::text FROM pg_stat_activity WHERE pid = $1), {function}($1)"
    );
    let row = conn.client.query_one(&sql, &[&pid]).await;
    let read = row.and_then(|row| {
        Ok((
            row.try_get::<_, Option<String>>(0)?,
            row.try_get::<_, bool>(1)?,
        ))
    });
    let (database, sent) = read.map_err(|e| failed(&describe(&e)))?;
    if !sent {
        return Err(failed("no such backend (it may have ended)"));
    }
    let on = database.unwrap_or_else(|| target.name.clone());
    Ok(match signal {
        PgSignal::Cancel => format!("cancelled query of backend {pid} on {on}"),
        PgSignal::Terminate => format!("terminated backend {pid} on {on}"),
    })
}
