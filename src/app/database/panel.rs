//! The panels of the database views, one row each: the kind of server it
//! belongs to, its title, and how many rows it lists. A kind's panels, in
//! Tab order, are the panels of that kind in the order they are declared;
//! how each is drawn is the table of `ui::database`. Every match here and
//! there has an arm per panel and no catch-all, so a new panel does not
//! compile until each place says what it does.

use strum::VariantArray;

use crate::model::{Snapshot, TargetKind, TopStatements};

/// A panel of a database view. Declared grouped by kind, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, VariantArray)]
pub enum Panel {
    /// PostgreSQL sessions grouped by application, user, client, database.
    Pools,
    /// PostgreSQL backends running a statement or idle in a transaction.
    Statements,
    /// PostgreSQL backends waiting on a lock, with who blocks them.
    Blocked,
    /// pg_stat_statements as rates.
    TopStatements,
    /// PostgreSQL databases with sizes and rates.
    Databases,
    /// Redis keys per db.
    Keyspace,
    /// Redis clients grouped by name, host and db.
    ClientPools,
    /// The Redis slowlog.
    Slowlog,
    /// RabbitMQ queues, deepest first.
    Queues,
    /// RabbitMQ connections grouped by client: the bus's connection pools.
    Clients,
    /// Search indices, largest first.
    Indices,
    /// Search cluster nodes.
    Nodes,
}

/// What the app knows of a panel.
struct PanelInfo {
    kind: TargetKind,
    title: &'static str,
    /// How many rows it lists of a poll of its kind (None for another
    /// kind's poll): the rows the selection moves over.
    rows: fn(&Snapshot) -> Option<usize>,
}

impl Panel {
    /// The table of panels.
    fn info(self) -> PanelInfo {
        use TargetKind::{Postgres, RabbitMq, Redis, Search};
        let (kind, title, rows): (_, _, fn(&Snapshot) -> Option<usize>) = match self {
            Self::Pools => (Postgres, "Pools", |s| Some(s.postgres()?.pools.len())),
            Self::Statements => (Postgres, "Statements", |s| {
                Some(s.postgres()?.backends.len())
            }),
            Self::Blocked => (Postgres, "Blocked", |s| {
                Some(s.postgres()?.blocked().count())
            }),
            Self::TopStatements => (Postgres, "Top statements", |s| {
                match &s.postgres()?.top_statements {
                    TopStatements::Rows(rows) => Some(rows.len()),
                    TopStatements::Warming | TopStatements::NotInstalled { .. } => Some(0),
                }
            }),
            Self::Databases => (Postgres, "Databases", |s| {
                Some(s.postgres()?.databases.len())
            }),
            Self::Keyspace => (Redis, "Keyspace", |s| Some(s.redis()?.keyspace.len())),
            Self::ClientPools => (Redis, "Client pools", |s| {
                Some(s.redis()?.client_pools.as_ref().map_or(0, Vec::len))
            }),
            Self::Slowlog => (Redis, "Slowlog", |s| Some(s.redis()?.slowlog.len())),
            Self::Queues => (RabbitMq, "Queues", |s| Some(s.rabbit()?.queues.len())),
            Self::Clients => (RabbitMq, "Clients", |s| Some(s.rabbit()?.clients.len())),
            Self::Indices => (Search, "Indices", |s| Some(s.search()?.indices.len())),
            Self::Nodes => (Search, "Nodes", |s| Some(s.search()?.nodes.len())),
        };
        PanelInfo { kind, title, rows }
    }

    /// The panels of a kind of server, in Tab order: the run of declared
    /// panels of that kind (a test checks each kind's panels are declared
    /// together).
    pub fn of(kind: TargetKind) -> &'static [Panel] {
        let all = Panel::VARIANTS;
        let start = all
            .iter()
            .position(|p| p.kind() == kind)
            .unwrap_or(all.len());
        let len = all[start..].iter().take_while(|p| p.kind() == kind).count();
        &all[start..start + len]
    }

    pub fn kind(self) -> TargetKind {
        self.info().kind
    }

    pub fn title(self) -> &'static str {
        self.info().title
    }

    /// How many rows it lists of `snapshot`: none of another kind's.
    pub fn rows(self, snapshot: &Snapshot) -> usize {
        (self.info().rows)(snapshot).unwrap_or(0)
    }

    /// The panel `step` places after this one among its kind's, wrapping.
    pub(in crate::app) fn moved(self, step: isize) -> Panel {
        let panels = Panel::of(self.kind());
        let at = panels.iter().position(|p| *p == self).unwrap_or(0) as isize;
        let len = panels.len() as isize;
        panels[(at + step).rem_euclid(len) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_panels_and_every_panel_is_among_its_kinds() {
        for kind in TargetKind::ALL {
            let panels = Panel::of(kind);
            assert!(!panels.is_empty(), "{kind:?} has no panel to open");
            assert!(panels.iter().all(|p| p.kind() == kind), "{kind:?}");
        }
        for panel in Panel::VARIANTS {
            assert!(
                Panel::of(panel.kind()).contains(panel),
                "{panel:?} is declared apart from the other panels of its kind"
            );
        }
    }

    #[test]
    fn tab_order_wraps_within_the_kind() {
        assert_eq!(Panel::Databases.moved(1), Panel::Pools);
        assert_eq!(Panel::Pools.moved(-1), Panel::Databases);
        assert_eq!(Panel::Keyspace.moved(1), Panel::ClientPools);
        assert_eq!(Panel::Slowlog.moved(1), Panel::Keyspace);
    }

    #[test]
    fn a_panel_lists_no_rows_of_another_kinds_poll() {
        let redis = Snapshot::Redis(crate::model::RedisSnapshot {
            keyspace: vec![Default::default(); 3],
            ..Default::default()
        });
        assert_eq!(Panel::Keyspace.rows(&redis), 3);
        assert_eq!(Panel::Pools.rows(&redis), 0);
    }
}
