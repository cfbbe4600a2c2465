//! The database view of one target: its panels, the selected row, and the
//! keys that act on a backend.

use super::{App, Confirm, Level, Overlay, Row, View};
use crate::command::Command;
use crate::keymap::{Action, Context};
use crate::model::{PgBackend, PgSignal, Queue, Snapshot, TargetKind, TopStatements};

/// A panel of a database view. Which panels a kind of server has, in Tab
/// order, is [`Panel::of`]: the one place that knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

const POSTGRES_PANELS: [Panel; 5] = [
    Panel::Pools,
    Panel::Statements,
    Panel::Blocked,
    Panel::TopStatements,
    Panel::Databases,
];
const REDIS_PANELS: [Panel; 3] = [Panel::Keyspace, Panel::ClientPools, Panel::Slowlog];
const RABBIT_PANELS: [Panel; 2] = [Panel::Queues, Panel::Clients];
const SEARCH_PANELS: [Panel; 2] = [Panel::Indices, Panel::Nodes];

impl Panel {
    /// The panels of a kind of server, in Tab order.
    pub fn of(kind: TargetKind) -> &'static [Panel] {
        match kind {
            TargetKind::Postgres => &POSTGRES_PANELS,
            TargetKind::Redis => &REDIS_PANELS,
            TargetKind::RabbitMq => &RABBIT_PANELS,
            TargetKind::Search => &SEARCH_PANELS,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Pools => "Pools",
            Self::Statements => "Statements",
            Self::Blocked => "Blocked",
            Self::TopStatements => "Top statements",
            Self::Databases => "Databases",
            Self::Keyspace => "Keyspace",
            Self::ClientPools => "Client pools",
            Self::Slowlog => "Slowlog",
            Self::Queues => "Queues",
            Self::Clients => "Clients",
            Self::Indices => "Indices",
            Self::Nodes => "Nodes",
        }
    }

    /// The panel `step` places after this one among `kind`'s, wrapping.
    fn moved(self, kind: TargetKind, step: isize) -> Panel {
        let panels = Panel::of(kind);
        let at = panels.iter().position(|p| *p == self).unwrap_or(0) as isize;
        let len = panels.len() as isize;
        panels[(at + step).rem_euclid(len) as usize]
    }
}

/// The open database view of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseView {
    pub target_id: String,
    pub panel: Panel,
    /// Selected row in the focused panel.
    pub row: usize,
}

impl App {
    /// `d`: opens the database view of the selected row's target.
    pub(super) fn open_database(&mut self) {
        let target = match self.selected_row() {
            Some(Row::Target(id)) => self.probes.get(id),
            Some(Row::Container(id)) => self.probe_of_container(id),
            _ => None,
        };
        match target.map(|p| (p.target.id.clone(), p.target.kind)) {
            Some((target_id, kind)) => {
                self.view = View::Database(DatabaseView {
                    target_id,
                    panel: Panel::of(kind)[0],
                    row: 0,
                });
            }
            None => self.say(
                Level::Info,
                "nothing to look into here: d works on PostgreSQL, Redis, RabbitMQ and search rows"
                    .to_string(),
            ),
        }
    }

    pub(super) fn on_database_action(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Back => self.view = View::List,
            Action::CancelQuery if !self.refused("cancel") => self.ask_signal(PgSignal::Cancel),
            Action::TerminateBackend if !self.refused("terminate") => {
                self.ask_signal(PgSignal::Terminate);
            }
            Action::PurgeQueue if !self.refused("purge") => self.ask_purge(),
            _ => self.move_in_panels(action),
        }
        Vec::new()
    }

    /// Tab between panels, arrows between rows.
    fn move_in_panels(&mut self, action: Action) {
        let kind = self.database_probe().map(|p| p.target.kind);
        let rows = self.panel_rows();
        let (View::Database(view), Some(kind)) = (&mut self.view, kind) else {
            return;
        };
        match action {
            Action::NextPanel | Action::PrevPanel => {
                let step = if action == Action::NextPanel { 1 } else { -1 };
                view.panel = view.panel.moved(kind, step);
                view.row = 0;
            }
            Action::Up => view.row = view.row.saturating_sub(1),
            Action::Down => view.row = (view.row + 1).min(rows.saturating_sub(1)),
            _ => {}
        }
    }

    /// The database view, when it is open.
    pub fn database_view(&self) -> Option<&DatabaseView> {
        match &self.view {
            View::Database(view) => Some(view),
            _ => None,
        }
    }

    /// Rows of the focused panel, to bound the selection.
    fn panel_rows(&self) -> usize {
        let (Some(view), Some(snapshot)) = (
            self.database_view(),
            self.database_probe().and_then(|p| p.snapshot.as_ref()),
        ) else {
            return 0;
        };
        match (view.panel, snapshot) {
            (Panel::Pools, Snapshot::Postgres(pg)) => pg.pools.len(),
            (Panel::Statements, Snapshot::Postgres(pg)) => pg.backends.len(),
            (Panel::Blocked, Snapshot::Postgres(pg)) => pg.blocked().count(),
            (Panel::TopStatements, Snapshot::Postgres(pg)) => match &pg.top_statements {
                TopStatements::Rows(rows) => rows.len(),
                _ => 0,
            },
            (Panel::Databases, Snapshot::Postgres(pg)) => pg.databases.len(),
            (Panel::Keyspace, Snapshot::Redis(redis)) => redis.keyspace.len(),
            (Panel::ClientPools, Snapshot::Redis(redis)) => {
                redis.client_pools.as_ref().map_or(0, Vec::len)
            }
            (Panel::Slowlog, Snapshot::Redis(redis)) => redis.slowlog.len(),
            (Panel::Queues, Snapshot::RabbitMq(rabbit)) => rabbit.queues.len(),
            (Panel::Clients, Snapshot::RabbitMq(rabbit)) => rabbit.clients.len(),
            (Panel::Indices, Snapshot::Search(search)) => search.indices.len(),
            (Panel::Nodes, Snapshot::Search(search)) => search.nodes.len(),
            _ => 0,
        }
    }

    /// The backend selected in the Statements or Blocked panel.
    pub fn selected_backend(&self) -> Option<&PgBackend> {
        let view = self.database_view()?;
        let pg = self.database_probe()?.pg()?;
        match view.panel {
            Panel::Statements => pg.backends.get(view.row),
            Panel::Blocked => pg.blocked().nth(view.row),
            _ => None,
        }
    }

    /// The queue selected in the Queues panel.
    pub fn selected_queue(&self) -> Option<&Queue> {
        let view = self.database_view()?;
        let rabbit = self.database_probe()?.snapshot.as_ref()?.rabbit()?;
        (view.panel == Panel::Queues).then(|| rabbit.queues.get(view.row))?
    }

    fn ask_purge(&mut self) {
        let Some(probe) = self.database_probe() else {
            return;
        };
        let target = probe.target.clone();
        let Some(queue) = self.selected_queue().cloned() else {
            let hint = if target.kind == TargetKind::RabbitMq {
                "select a queue in the Queues panel first".to_string()
            } else {
                let key = self.key_for(Context::Database, Action::PurgeQueue);
                format!("{key} purges RabbitMQ queues")
            };
            self.say(Level::Info, hint);
            return;
        };
        self.overlay = Some(Overlay::Confirm(Box::new(Confirm::Purge { target, queue })));
    }

    fn ask_signal(&mut self, signal: PgSignal) {
        let Some(probe) = self.database_probe() else {
            return;
        };
        if probe.target.kind != TargetKind::Postgres {
            let cancel = self.key_for(Context::Database, Action::CancelQuery);
            let terminate = self.key_for(Context::Database, Action::TerminateBackend);
            let text = format!("{cancel} and {terminate} work on PostgreSQL backends");
            self.say(Level::Info, text);
            return;
        }
        let target = probe.target.clone();
        let Some(backend) = self.selected_backend().cloned() else {
            let key = self.key_for(Context::Database, Action::NextPanel);
            let text = format!("select a backend in the Statements or Blocked panel ({key}) first");
            self.say(Level::Info, text);
            return;
        };
        self.overlay = Some(Overlay::Confirm(Box::new(Confirm::Signal {
            target,
            backend,
            signal,
        })));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_order_wraps_within_the_kind() {
        let pg = TargetKind::Postgres;
        assert_eq!(Panel::Databases.moved(pg, 1), Panel::Pools);
        assert_eq!(Panel::Pools.moved(pg, -1), Panel::Databases);
        assert_eq!(
            Panel::Keyspace.moved(TargetKind::Redis, 1),
            Panel::ClientPools
        );
        assert_eq!(Panel::Slowlog.moved(TargetKind::Redis, 1), Panel::Keyspace);
    }
}
