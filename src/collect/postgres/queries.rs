//! The SQL the probe runs, and rows read into plain structs.
//!
//! Every statement starts with [`MARK`], so the probe can leave its own
//! statements out of pg_stat_statements. Durations are cast to float8:
//! EXTRACT returns numeric from PostgreSQL 14 on.

use std::collections::BTreeMap;

use tokio_postgres::{Client, Error, Row, Statement};

use super::connect::APPLICATION_NAME;
use super::deltas::{DbCounters, StatementCounters, StatementKey};
use super::sessions::Session;

/// Opens every statement of the probe.
pub const MARK: &str = "/* stacktop */";

const SERVER: &str = "/* stacktop */ SELECT current_setting('server_version_num')::int4, \
    current_setting('server_version'), current_setting('max_connections')::int4, \
    current_database()::text, current_user::text, \
    pg_has_role('pg_read_all_stats', 'MEMBER')";

const UPTIME: &str =
    "/* stacktop */ SELECT EXTRACT(EPOCH FROM now() - pg_postmaster_start_time())::float8";

// Client backends of everyone else. A role without pg_read_all_stats sees
// other roles' sessions with a NULL backend_type: those with a database and a
// user are client sessions too. pg_blocking_pids() only runs for sessions
// waiting on a lock: it is not cheap.
const SESSIONS: &str = "/* stacktop */ SELECT a.pid, coalesce(a.datname::text, ''), \
    coalesce(a.usename::text, ''), coalesce(a.application_name, ''), \
    CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr) \
         WHEN a.client_port = -1 THEN 'local' END, \
    a.state, a.wait_event_type, a.wait_event, \
    EXTRACT(EPOCH FROM now() - a.backend_start)::float8, \
    EXTRACT(EPOCH FROM now() - a.xact_start)::float8, \
    EXTRACT(EPOCH FROM now() - a.query_start)::float8, \
    EXTRACT(EPOCH FROM now() - a.state_change)::float8, \
    NULLIF(a.query, '<insufficient privilege>'), \
    CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END \
    FROM pg_stat_activity a \
    WHERE a.pid <> pg_backend_pid() \
      AND a.application_name IS DISTINCT FROM $1 \
      AND (a.backend_type = 'client backend' \
           OR (a.backend_type IS NULL AND a.datid IS NOT NULL AND a.usesysid IS NOT NULL))";

const DATABASES: &str = "/* stacktop */ SELECT d.datname::text, \
    s.xact_commit + s.xact_rollback, \
    s.tup_returned + s.tup_fetched + s.tup_inserted + s.tup_updated + s.tup_deleted, \
    s.blks_hit, s.blks_read \
    FROM pg_database d JOIN pg_stat_database s ON s.datid = d.oid \
    WHERE d.datallowconn AND NOT d.datistemplate";

const SIZES: &str = "/* stacktop */ SELECT datname::text, \
    CASE WHEN has_database_privilege(oid, 'CONNECT') THEN pg_database_size(oid) END \
    FROM pg_database WHERE datallowconn AND NOT datistemplate";

const PGSS_SCHEMA: &str = "/* stacktop */ SELECT n.nspname::text \
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
    WHERE e.extname = 'pg_stat_statements'";

/// What the server is, read once per connection.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerInfo {
    /// server_version_num: 150004 for 15.4.
    pub version_num: i32,
    pub version: String,
    pub max_connections: u32,
    pub database: String,
    pub user: String,
    /// Superuser or pg_read_all_stats (pg_monitor): sees every session.
    pub sees_all: bool,
}

/// The probe's statements, prepared once per connection.
pub struct Queries {
    uptime: Statement,
    sessions: Statement,
    databases: Statement,
    sizes: Statement,
}

impl Queries {
    pub async fn prepare(client: &Client) -> Result<Self, Error> {
        let (uptime, sessions, databases, sizes) = tokio::try_join!(
            client.prepare(UPTIME),
            client.prepare(SESSIONS),
            client.prepare(DATABASES),
            client.prepare(SIZES),
        )?;
        Ok(Self {
            uptime,
            sessions,
            databases,
            sizes,
        })
    }

    pub async fn uptime_secs(&self, client: &Client) -> Result<f64, Error> {
        client.query_one(&self.uptime, &[]).await?.try_get(0)
    }

    pub async fn sessions(&self, client: &Client) -> Result<Vec<Session>, Error> {
        let rows = client.query(&self.sessions, &[&APPLICATION_NAME]).await?;
        rows.iter().map(session).collect()
    }

    pub async fn databases(&self, client: &Client) -> Result<BTreeMap<String, DbCounters>, Error> {
        let rows = client.query(&self.databases, &[]).await?;
        rows.iter()
            .map(|r| {
                let counters = DbCounters {
                    xacts: r.try_get(1)?,
                    rows: r.try_get(2)?,
                    blks_hit: r.try_get(3)?,
                    blks_read: r.try_get(4)?,
                };
                Ok((r.try_get(0)?, counters))
            })
            .collect()
    }

    /// Sizes of the databases we may connect to, in bytes.
    pub async fn sizes(&self, client: &Client) -> Result<BTreeMap<String, u64>, Error> {
        let rows = client.query(&self.sizes, &[]).await?;
        let mut sizes = BTreeMap::new();
        for row in rows {
            if let Some(bytes) = row.try_get::<_, Option<i64>>(1)? {
                sizes.insert(row.try_get(0)?, u64::try_from(bytes).unwrap_or(0));
            }
        }
        Ok(sizes)
    }
}

pub async fn server_info(client: &Client) -> Result<ServerInfo, Error> {
    let row = client.query_one(SERVER, &[]).await?;
    let version: String = row.try_get(1)?;
    Ok(ServerInfo {
        version_num: row.try_get(0)?,
        // "15.4 (Debian 15.4-1.pgdg120+1)" shows as 15.4.
        version: version.split_whitespace().next().unwrap_or("").to_string(),
        max_connections: u32::try_from(row.try_get::<_, i32>(2)?).unwrap_or(0),
        database: row.try_get(3)?,
        user: row.try_get(4)?,
        sees_all: row.try_get(5)?,
    })
}

fn session(r: &Row) -> Result<Session, Error> {
    let age = |i: usize| -> Result<Option<f64>, Error> {
        Ok(r.try_get::<_, Option<f64>>(i)?.map(|s| s.max(0.0)))
    };
    Ok(Session {
        pid: r.try_get(0)?,
        database: r.try_get(1)?,
        user: r.try_get(2)?,
        application: r.try_get(3)?,
        client: r.try_get(4)?,
        state: r.try_get(5)?,
        wait_event_type: r.try_get(6)?,
        wait_event: r.try_get(7)?,
        connection_secs: age(8)?,
        xact_secs: age(9)?,
        query_secs: age(10)?,
        state_secs: age(11)?,
        query: r.try_get(12)?,
        blocked_by: r.try_get::<_, Option<Vec<i32>>>(13)?.unwrap_or_default(),
    })
}

/// The schema pg_stat_statements is installed in, if it is.
pub async fn pgss_schema(client: &Client) -> Result<Option<String>, Error> {
    let row = client.query_opt(PGSS_SCHEMA, &[]).await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// The pg_stat_statements query for a server version: `total_exec_time`
/// from 13 (`total_time` before), `toplevel` from 14.
pub fn pgss_sql(schema: &str, version_num: i32) -> String {
    let total = if version_num >= 130000 {
        "total_exec_time"
    } else {
        "total_time"
    };
    let toplevel = if version_num >= 140000 {
        "toplevel"
    } else {
        "true"
    };
    format!(
        "{MARK} SELECT queryid, dbid, userid, {toplevel}, calls, {total}, query \
         FROM {}.pg_stat_statements WHERE query NOT LIKE '{MARK}%'",
        quote_ident(schema)
    )
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Entries of pg_stat_statements, and how many are hidden from us (another
/// role's, without pg_read_all_stats: no queryid).
pub async fn statements(
    client: &Client,
    query: &Statement,
) -> Result<(Vec<StatementCounters>, usize), Error> {
    let rows = client.query(query, &[]).await?;
    let mut hidden = 0;
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(queryid) = r.try_get::<_, Option<i64>>(0)? else {
            hidden += 1;
            continue;
        };
        let key = StatementKey {
            queryid,
            dbid: r.try_get(1)?,
            userid: r.try_get(2)?,
            toplevel: r.try_get(3)?,
        };
        entries.push(StatementCounters {
            key,
            calls: r.try_get(4)?,
            total_ms: r.try_get(5)?,
            query: r.try_get(6)?,
        });
    }
    Ok((entries, hidden))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgss_columns_follow_the_server_version() {
        let v12 = pgss_sql("public", 120017);
        assert!(v12.contains("total_time") && !v12.contains("total_exec_time"));
        assert!(v12.contains("SELECT queryid, dbid, userid, true,"));
        let v17 = pgss_sql("public", 170002);
        assert!(v17.contains("total_exec_time") && v17.contains("toplevel"));
        assert!(v17.contains("FROM \"public\".pg_stat_statements"));
    }

    #[test]
    fn every_statement_is_marked_as_stacktops() {
        for sql in [SERVER, UPTIME, SESSIONS, DATABASES, SIZES, PGSS_SCHEMA] {
            assert!(sql.starts_with(MARK), "{sql}");
        }
        assert!(pgss_sql("s", 150000).starts_with(MARK));
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
    }
}
