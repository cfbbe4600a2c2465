//! Every key binding, in one table.
//!
//! The help overlay is generated from this table, so what it lists is
//! exactly what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::TimeRange;

/// What a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    ToggleAll,
    Restart,
    StopStart,
    OpenLogs,
    OpenDatabase,
    BringUp,
    Reset,
    NextPanel,
    PrevPanel,
    CancelQuery,
    TerminateBackend,
    Back,
    Follow,
    Timestamps,
    Wrap,
    Search,
    NextMatch,
    PrevMatch,
    MinLevel,
    Json,
    Range(TimeRange),
    Save,
    Mouse,
    Plain,
    Sources,
    Help,
    Messages,
    Quit,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Everywhere,
    List,
    Logs,
    Database,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Self::Everywhere => "Everywhere",
            Self::List => "Service list",
            Self::Logs => "Log view",
            Self::Database => "Database view",
        }
    }
}

/// A key and its modifiers (Shift is implied by upper-case chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

pub struct Binding {
    pub context: Context,
    pub action: Action,
    pub keys: &'static [Key],
    /// What the help overlay says.
    pub help: &'static str,
    /// The word in the footer; empty: not in the footer.
    pub hint: &'static str,
}

/// The key table. Earlier rows win when a key appears in two contexts
/// that are both active (the view's own context is tried first).
#[rustfmt::skip] // one binding per line reads as a table
pub const BINDINGS: &[Binding] = &[
    bind(Context::Everywhere, Action::Help, &[ch('?')], "show or hide this help", "help"),
    bind(Context::Everywhere, Action::Messages, &[ch('m')], "messages, whole", ""),
    bind(Context::Everywhere, Action::Quit, &[ch('q'), ctrl('c')], "quit", "quit"),
    bind(Context::List, Action::Up, &[key(KeyCode::Up), ch('k')], "move up", ""),
    bind(Context::List, Action::Down, &[key(KeyCode::Down), ch('j')], "move down", ""),
    bind(Context::List, Action::PageUp, &[key(KeyCode::PageUp)], "page up", ""),
    bind(Context::List, Action::PageDown, &[key(KeyCode::PageDown)], "page down", ""),
    bind(Context::List, Action::Top, &[ch('g'), key(KeyCode::Home)], "first row", ""),
    bind(Context::List, Action::Bottom, &[ch('G'), key(KeyCode::End)], "last row", ""),
    bind(Context::List, Action::Filter, &[ch('/')], "filter by name as you type", "filter"),
    bind(Context::List, Action::Back, &[key(KeyCode::Esc)], "clear the filter", ""),
    bind(Context::List, Action::Restart, &[ch('r')], "restart (project row: all)", "restart"),
    bind(Context::List, Action::StopStart, &[ch('s')], "stop, or start if stopped", "stop/start"),
    bind(Context::List, Action::OpenLogs, &[ch('l'), key(KeyCode::Enter)], "logs (project row: merged)", "logs"),
    bind(Context::List, Action::OpenDatabase, &[ch('d')], "database view of the row", "database"),
    bind(Context::List, Action::BringUp, &[ch('u')], "up: create and start", ""),
    bind(Context::List, Action::Reset, &[ch('X')], "reset: empty volumes, asks", "reset"),
    bind(Context::List, Action::ToggleAll, &[ch('a')], "one project / all projects", "all"),
    bind(Context::Database, Action::PrevPanel, &[key(KeyCode::BackTab)], "previous panel", ""),
    bind(Context::Database, Action::NextPanel, &[key(KeyCode::Tab)], "next panel", "panel"),
    bind(Context::Database, Action::Up, &[key(KeyCode::Up), ch('k')], "select up", "select"),
    bind(Context::Database, Action::Down, &[key(KeyCode::Down), ch('j')], "select down", "select"),
    bind(Context::Database, Action::CancelQuery, &[ch('c')], "cancel query (asks first)", "cancel"),
    bind(Context::Database, Action::TerminateBackend, &[ch('K')], "terminate backend (asks)", "terminate"),
    bind(Context::Database, Action::Back, &[key(KeyCode::Esc), key(KeyCode::Backspace)], "back to the list", "back"),
    bind(Context::Logs, Action::Up, &[key(KeyCode::Up), ch('k')], "scroll up, pause following", ""),
    bind(Context::Logs, Action::Down, &[key(KeyCode::Down), ch('j')], "scroll down", ""),
    bind(Context::Logs, Action::PageUp, &[key(KeyCode::PageUp)], "page up, pause following", ""),
    bind(Context::Logs, Action::PageDown, &[key(KeyCode::PageDown)], "page down", ""),
    bind(Context::Logs, Action::Top, &[ch('g'), key(KeyCode::Home)], "oldest line kept", ""),
    bind(Context::Logs, Action::Follow, &[ch('G'), ch('f'), key(KeyCode::End)], "follow new lines", "follow"),
    bind(Context::Logs, Action::Search, &[ch('/')], "search (regex, smart case)", "search"),
    bind(Context::Logs, Action::NextMatch, &[ch('n')], "next match, newer", ""),
    bind(Context::Logs, Action::PrevMatch, &[ch('N')], "previous match, older", ""),
    bind(Context::Logs, Action::Filter, &[ch('&')], "filter lines, !re inverts", "filter"),
    bind(Context::Logs, Action::MinLevel, &[ch('L')], "cycle the minimum level", "level"),
    bind(Context::Logs, Action::Json, &[ch('J')], "JSON lines: fields or raw", ""),
    bind(Context::Logs, Action::Range(TimeRange::Tail), &[ch('0')], "load the last --tail lines", ""),
    bind(Context::Logs, Action::Range(TimeRange::Minute), &[ch('1')], "load the last minute", ""),
    bind(Context::Logs, Action::Range(TimeRange::FiveMinutes), &[ch('2')], "load the last 5 minutes", ""),
    bind(Context::Logs, Action::Range(TimeRange::FifteenMinutes), &[ch('3')], "load the last 15 minutes", ""),
    bind(Context::Logs, Action::Range(TimeRange::Hour), &[ch('4')], "load the last hour", ""),
    bind(Context::Logs, Action::Range(TimeRange::All), &[ch('5')], "load all the engine has", ""),
    bind(Context::Logs, Action::Timestamps, &[ch('t')], "toggle timestamps", ""),
    bind(Context::Logs, Action::Wrap, &[ch('w')], "toggle wrapping", ""),
    bind(Context::Logs, Action::Plain, &[ch('p')], "plain text, for copying", ""),
    bind(Context::Logs, Action::Mouse, &[ch('M')], "mouse scroll / select text", "mouse"),
    bind(Context::Logs, Action::Save, &[ch('S')], "save shown lines to a file", "save"),
    bind(Context::Logs, Action::Sources, &[ch('s')], "sources of project logs", "sources"),
    bind(Context::Logs, Action::Restart, &[ch('r')], "restart what is followed", ""),
    bind(Context::Logs, Action::Back, &[key(KeyCode::Esc), key(KeyCode::Backspace)], "back to the list", "back"),
];

const fn bind(
    context: Context,
    action: Action,
    keys: &'static [Key],
    help: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        context,
        action,
        keys,
        help,
        hint,
    }
}

/// The footer of a view: `(key, word)` for the bindings of `context` that
/// have a hint and that `shown` keeps, then the global ones. Neighbours
/// with the same word share it: `↑/↓ select`.
pub fn hints(context: Context, shown: impl Fn(Action) -> bool) -> Vec<(String, &'static str)> {
    let mut hints: Vec<(String, &'static str)> = Vec::new();
    let bindings = [context, Context::Everywhere]
        .into_iter()
        .flat_map(|ctx| BINDINGS.iter().filter(move |b| b.context == ctx))
        .filter(|b| !b.hint.is_empty() && shown(b.action));
    for binding in bindings {
        let Some(key) = binding.keys.first().map(key_label) else {
            continue;
        };
        match hints.last_mut() {
            Some((keys, word)) if *word == binding.hint => keys.extend(["/", &key]),
            _ => hints.push((key, binding.hint)),
        }
    }
    hints
}

/// The action bound to `event` in `context` (or everywhere).
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    let pressed = Key {
        code: event.code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
    };
    [context, Context::Everywhere].iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .find(|b| b.context == *ctx && b.keys.contains(&pressed))
            .map(|b| b.action)
    })
}

/// How a key is written in the help overlay.
pub fn key_label(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn context_keys_win_over_global_ones() {
        assert_eq!(
            lookup(Context::List, &press(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            lookup(Context::Logs, &press(KeyCode::Char('G'))),
            Some(Action::Follow)
        );
        assert_eq!(
            lookup(Context::List, &press(KeyCode::Char('G'))),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(Context::Logs, &press(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
    }

    #[test]
    fn ctrl_c_quits_and_plain_c_does_not() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::List, &ctrl_c), Some(Action::Quit));
        assert_eq!(lookup(Context::List, &press(KeyCode::Char('c'))), None);
    }

    #[test]
    fn footer_hints_come_from_the_bindings() {
        let list = hints(Context::List, |_| true);
        assert!(list.contains(&("r".to_string(), "restart")));
        assert_eq!(list.last(), Some(&("q".to_string(), "quit")));
        let logs = hints(Context::Logs, |_| true);
        assert!(logs.contains(&("Esc".to_string(), "back")));
        let db = hints(Context::Database, |a| a != Action::CancelQuery);
        assert!(!db.iter().any(|(_, word)| *word == "cancel"));
        assert!(db.contains(&("↑/↓".to_string(), "select")));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let shared = a.keys.iter().any(|k| b.keys.contains(k));
                let clash = a.context == b.context
                    || a.context == Context::Everywhere
                    || b.context == Context::Everywhere;
                assert!(
                    !(shared && clash),
                    "{:?} and {:?} share a key",
                    a.action,
                    b.action
                );
            }
        }
    }
}
