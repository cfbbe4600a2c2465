//! Keys of the database detail view: panels, selection, backend signals.

use super::{App, Confirm, Detail, Level, Row};
use crate::app::probes::{PG_PANELS, REDIS_PANELS};
use crate::event::{Command, PgSignal};
use crate::keymap::Action;
use crate::model::TargetKind;

impl App {
    /// `d`: opens the database view of the selected row's target.
    pub(super) fn open_detail(&mut self) {
        let target_id = match self.selected_row() {
            Some(Row::Target(id)) => Some(id.clone()),
            Some(Row::Container(id)) => self.probe_of_container(id).map(|p| p.target.id.clone()),
            _ => None,
        };
        match target_id {
            Some(target_id) => {
                self.detail = Some(Detail {
                    target_id,
                    panel: 0,
                    row: 0,
                })
            }
            None => self.say(
                Level::Info,
                "no database here: d works on PostgreSQL and Redis rows".to_string(),
            ),
        }
    }

    pub(super) fn on_detail_action(&mut self, action: Action) -> Vec<Command> {
        let panels = self.detail_panel_count();
        let rows = self.detail_rows();
        let Some(detail) = self.detail.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Quit => return self.quit_commands(),
            Action::Help => self.show_help = !self.show_help,
            Action::Back => self.detail = None,
            Action::NextPanel => {
                detail.panel = (detail.panel + 1) % panels;
                detail.row = 0;
            }
            Action::PrevPanel => {
                detail.panel = (detail.panel + panels - 1) % panels;
                detail.row = 0;
            }
            Action::Up => detail.row = detail.row.saturating_sub(1),
            Action::Down => detail.row = (detail.row + 1).min(rows.saturating_sub(1)),
            Action::CancelQuery if !self.refused("cancel") => self.ask_signal(PgSignal::Cancel),
            Action::TerminateBackend if !self.refused("terminate") => {
                self.ask_signal(PgSignal::Terminate);
            }
            _ => {}
        }
        Vec::new()
    }

    fn detail_panel_count(&self) -> usize {
        match self.detail_probe().map(|p| p.target.kind) {
            Some(TargetKind::Redis) => REDIS_PANELS.len(),
            _ => PG_PANELS.len(),
        }
    }

    /// Rows of the focused panel, to bound the selection.
    fn detail_rows(&self) -> usize {
        let (Some(detail), Some(probe)) = (&self.detail, self.detail_probe()) else {
            return 0;
        };
        if let Some(pg) = &probe.pg {
            return match detail.panel {
                0 => pg.pools.len(),
                1 => pg.backends.len(),
                2 => pg.blocked().count(),
                3 => match &pg.top_statements {
                    crate::model::TopStatements::Rows(rows) => rows.len(),
                    _ => 0,
                },
                _ => pg.databases.len(),
            };
        }
        if let Some(redis) = &probe.redis {
            return match detail.panel {
                0 => redis.keyspace.len(),
                1 => redis.client_pools.as_ref().map_or(0, Vec::len),
                _ => redis.slowlog.len(),
            };
        }
        0
    }

    /// The backend selected in the Statements or Blocked panel.
    pub fn selected_backend(&self) -> Option<&crate::model::PgBackend> {
        let detail = self.detail.as_ref()?;
        let pg = self.detail_probe()?.pg.as_ref()?;
        match detail.panel {
            1 => pg.backends.get(detail.row),
            2 => pg.blocked().nth(detail.row),
            _ => None,
        }
    }

    fn ask_signal(&mut self, signal: PgSignal) {
        let Some(probe) = self.detail_probe() else {
            return;
        };
        if probe.target.kind != TargetKind::Postgres {
            self.say(
                Level::Info,
                "c and K work on PostgreSQL backends".to_string(),
            );
            return;
        }
        let Some(backend) = self.selected_backend() else {
            self.say(
                Level::Info,
                "select a backend in the Statements or Blocked panel (Tab) first".to_string(),
            );
            return;
        };
        let what = match signal {
            PgSignal::Cancel => "Cancel the query of",
            PgSignal::Terminate => "Terminate",
        };
        let question = format!(
            "{what} backend {} ({}, {}@{}) on {}?",
            backend.pid,
            if backend.application.is_empty() {
                "no application"
            } else {
                &backend.application
            },
            backend.user,
            backend.database,
            probe.target.name
        );
        let command = Command::SignalBackend {
            target: probe.target.clone(),
            pid: backend.pid,
            signal,
        };
        self.confirm = Some(Confirm { question, command });
    }
}
