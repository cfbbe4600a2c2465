//! The database view of one target: its panels, the selected row, and the
//! keys that act on a backend.

use super::{App, Confirm, Level, Overlay, Row, View};
use crate::command::Command;
use crate::keymap::{Action, Context};
use crate::model::{PgBackend, PgSignal, Queue, TargetKind};

mod panel;
pub use panel::Panel;

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
            Some(Row::Target(id)) => self.store.probes.get(id),
            Some(Row::Container(id)) => self.store.probe_of_container(id),
            _ => None,
        };
        match target.map(|p| (p.target.id.clone(), p.target.kind)) {
            Some((target_id, kind)) => {
                self.screen.view = View::Database(DatabaseView {
                    target_id,
                    panel: Panel::of(kind)[0],
                    row: 0,
                });
            }
            None => {
                let kinds: Vec<&str> = TargetKind::ALL.iter().map(|k| k.info().title).collect();
                let (last, others) = kinds.split_last().unwrap_or((&"", &[]));
                let text = format!(
                    "nothing to look into here: d works on {} and {last} rows",
                    others.join(", ")
                );
                self.say(Level::Info, text);
            }
        }
    }

    pub(super) fn on_database_action(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Back => self.screen.view = View::List,
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
        let rows = self.panel_rows();
        let View::Database(view) = &mut self.screen.view else {
            return;
        };
        match action {
            Action::NextPanel | Action::PrevPanel => {
                let step = if action == Action::NextPanel { 1 } else { -1 };
                view.panel = view.panel.moved(step);
                view.row = 0;
            }
            Action::Up => view.row = view.row.saturating_sub(1),
            Action::Down => view.row = (view.row + 1).min(rows.saturating_sub(1)),
            _ => {}
        }
    }

    /// The database view, when it is open.
    pub fn database_view(&self) -> Option<&DatabaseView> {
        match &self.screen.view {
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
        view.panel.rows(snapshot)
    }

    /// The backend selected in the Statements or Blocked panel.
    pub fn selected_backend(&self) -> Option<&PgBackend> {
        let view = self.database_view()?;
        let pg = self.database_probe()?.pg()?;
        match view.panel {
            Panel::Statements => pg.backends.get(view.row),
            Panel::Blocked => pg.blocked().nth(view.row),
            Panel::Pools
            | Panel::TopStatements
            | Panel::Databases
            | Panel::Keyspace
            | Panel::ClientPools
            | Panel::Slowlog
            | Panel::Queues
            | Panel::Clients
            | Panel::Indices
            | Panel::Nodes => None,
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
        self.screen.overlay = Some(Overlay::Confirm(Box::new(Confirm::Purge { target, queue })));
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
        self.screen.overlay = Some(Overlay::Confirm(Box::new(Confirm::Signal {
            target,
            backend,
            signal,
        })));
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::tests::{ch, now};
    use crate::config::Settings;
    use crate::event::Event;
    use crate::model::Target;

    /// An app with one configured target of `kind`, its row selected.
    fn app_with_target(kind: TargetKind) -> App {
        let target = Target::example(kind, "t");
        let row = Row::Target(target.id.clone());
        let settings = Settings {
            targets: vec![target],
            ..Settings::default()
        };
        let mut app = App::new(settings, String::new(), now());
        app.start();
        app.rebuild_rows();
        app.list.selected = app
            .list
            .rows
            .iter()
            .position(|r| *r == row)
            .expect("its row");
        app
    }

    fn press(app: &mut App, code: KeyCode) {
        app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn panel(app: &App) -> Panel {
        app.database_view().expect("the database view").panel
    }

    #[test]
    fn d_opens_every_kind_on_its_first_panel_and_tab_reaches_each_in_turn() {
        for kind in TargetKind::ALL {
            let mut app = app_with_target(kind);
            app.update(ch('d'));
            let mut seen = Vec::new();
            for _ in Panel::of(kind) {
                seen.push(panel(&app));
                press(&mut app, KeyCode::Tab);
            }
            assert_eq!(seen, Panel::of(kind), "{kind:?}");
            assert_eq!(panel(&app), seen[0], "{kind:?}: Tab wraps around");
            press(&mut app, KeyCode::BackTab);
            assert_eq!(Some(&panel(&app)), seen.last(), "{kind:?}: BackTab");
        }
    }

    #[test]
    fn d_elsewhere_names_every_kind_it_works_on() {
        let mut app = App::new(Settings::default(), String::new(), now());
        app.update(ch('d'));
        let text = app
            .messages
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert_eq!(
            text,
            "nothing to look into here: d works on PostgreSQL, Redis, RabbitMQ and Search rows"
        );
    }
}
