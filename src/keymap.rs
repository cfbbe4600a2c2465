//! Every key binding, in one table, and the keymap in force: that table
//! with the config file's `[keys]` applied.
//!
//! The help overlay and every footer hint are generated from the keymap in
//! force, so what they list is exactly what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::TimeRange;

/// Declares the actions once: each one's variant and its name in the
/// config file's `[keys]`, from which [`Action::ALL`] and
/// [`Action::name`] follow. An action that carries a value (after the
/// `;`) names each of its values.
macro_rules! actions {
    (
        $( $(#[$doc:meta])* $action:ident = $name:literal, )*
        ;
        $( $(#[$valued_doc:meta])* $valued:ident($ty:ty) {
            $( $value:path = $value_name:literal, )*
        } )*
    ) => {
        /// What a key can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $( $(#[$doc])* $action, )*
            $( $(#[$valued_doc])* $valued($ty), )*
        }

        impl Action {
            /// Every action, to look one up by name.
            pub const ALL: &[Action] = &[
                $( Self::$action, )*
                $( $( Self::$valued($value), )* )*
            ];

            /// Its name in the config file's `[keys]` table.
            pub fn name(self) -> &'static str {
                match self {
                    $( Self::$action => $name, )*
                    $( $( Self::$valued($value) => $value_name, )* )*
                }
            }
        }
    };
}

actions! {
    Up = "up",
    Down = "down",
    PageUp = "page_up",
    PageDown = "page_down",
    Top = "top",
    Bottom = "bottom",
    Filter = "filter",
    ToggleAll = "toggle_all",
    Restart = "restart",
    StopStart = "stop_start",
    OpenLogs = "logs",
    OpenDatabase = "details",
    BringUp = "bring_up",
    Reset = "reset",
    NextPanel = "next_panel",
    PrevPanel = "prev_panel",
    CancelQuery = "cancel_query",
    TerminateBackend = "terminate_backend",
    PurgeQueue = "purge_queue",
    Back = "back",
    Follow = "follow",
    Timestamps = "timestamps",
    Wrap = "wrap",
    Search = "search",
    NextMatch = "next_match",
    PrevMatch = "prev_match",
    MinLevel = "min_level",
    Json = "json",
    Save = "save",
    Mouse = "mouse",
    Plain = "plain",
    Sources = "sources",
    Sort = "sort",
    Fold = "fold",
    FoldAll = "fold_all",
    Help = "help",
    Messages = "messages",
    Timeline = "timeline",
    Quit = "quit",
    /// Ctrl-Z: back to the shell; `fg` returns.
    Suspend = "suspend",
    /// `y` in a confirmation: go ahead.
    Confirm = "confirm",
    /// Enter while typing the filter: keep it.
    KeepFilter = "keep_filter",
    /// Enter in the log view's prompt: search or filter by what is typed.
    Apply = "apply",
    /// Backspace while typing.
    DeleteChar = "delete_char",
    /// Ctrl-U while typing: empty what is typed.
    ClearLine = "clear_line",
    /// Space in the source picker: turn the source on or off.
    ToggleSource = "toggle_source",
    ;
    /// `0` to `5` in the log view: which lines to load.
    Range(TimeRange) {
        TimeRange::Tail = "range_tail",
        TimeRange::Minute = "range_1m",
        TimeRange::FiveMinutes = "range_5m",
        TimeRange::FifteenMinutes = "range_15m",
        TimeRange::Hour = "range_1h",
        TimeRange::All = "range_all",
    }
}

impl Action {
    /// The action a `[keys]` entry names.
    pub fn named(name: &str) -> Option<Action> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Everywhere,
    List,
    Logs,
    Database,
    /// A question before a destructive action.
    Confirm,
    /// Typing the list's filter.
    Filter,
    /// Typing a search or a filter in the log view.
    Prompt,
    /// Choosing the sources of merged logs.
    Picker,
}

impl Context {
    pub const ALL: [Context; 8] = [
        Self::Everywhere,
        Self::List,
        Self::Logs,
        Self::Database,
        Self::Confirm,
        Self::Filter,
        Self::Prompt,
        Self::Picker,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Everywhere => "Everywhere",
            Self::List => "Service list",
            Self::Logs => "Log view",
            Self::Database => "Detail view",
            Self::Confirm => "Confirmation",
            Self::Filter => "Typing the filter",
            Self::Prompt => "Typing a search or filter",
            Self::Picker => "Choosing log sources",
        }
    }

    /// Its name in the config file: `[keys.log_view]` (no action has it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Everywhere => "everywhere",
            Self::List => "list_view",
            Self::Logs => "log_view",
            Self::Database => "detail_view",
            Self::Confirm => "confirmation",
            Self::Filter => "filter_input",
            Self::Prompt => "log_prompt",
            Self::Picker => "source_picker",
        }
    }

    pub fn named(name: &str) -> Option<Context> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Keys of `Everywhere` work here too (not while typing or asked).
    fn with_everywhere(self) -> bool {
        !self.typing() && self != Self::Confirm
    }

    /// The keys go to what is typed or picked: a plain key is text here.
    fn typing(self) -> bool {
        matches!(self, Self::Filter | Self::Prompt | Self::Picker)
    }

    /// Whether `key` of `Everywhere` works here: any in a view, one with
    /// Ctrl while typing (Ctrl-C quits from anywhere), none when asked.
    fn shares(self, key: &Key) -> bool {
        self.with_everywhere() || (self.typing() && key.ctrl)
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
    bind(Context::Everywhere, Action::Timeline, &[ch('e')], "state changes, timeline", ""),
    bind(Context::Everywhere, Action::Quit, &[ch('q'), ctrl('c')], "quit", "quit"),
    bind(Context::Everywhere, Action::Suspend, &[ctrl('z')], "suspend (fg comes back)", ""),
    bind(Context::Confirm, Action::Confirm, &[ch('y')], "yes; any other key: no", "yes"),
    bind(Context::Filter, Action::KeepFilter, &[key(KeyCode::Enter)], "keep the filter", "keep"),
    bind(Context::Filter, Action::Back, &[key(KeyCode::Esc)], "clear it and stop", "clear"),
    bind(Context::Filter, Action::DeleteChar, &[key(KeyCode::Backspace)], "delete a character", ""),
    bind(Context::Filter, Action::ClearLine, &[ctrl('u')], "empty the filter", ""),
    bind(Context::Filter, Action::Up, &[key(KeyCode::Up)], "move up", ""),
    bind(Context::Filter, Action::Down, &[key(KeyCode::Down)], "move down", ""),
    bind(Context::Prompt, Action::Apply, &[key(KeyCode::Enter)], "apply; empty: end it", ""),
    bind(Context::Prompt, Action::Back, &[key(KeyCode::Esc)], "cancel (a filter: remove)", ""),
    bind(Context::Prompt, Action::DeleteChar, &[key(KeyCode::Backspace)], "delete a character", ""),
    bind(Context::Prompt, Action::ClearLine, &[ctrl('u')], "empty the pattern", ""),
    bind(Context::Picker, Action::Up, &[key(KeyCode::Up), ch('k')], "move up", ""),
    bind(Context::Picker, Action::Down, &[key(KeyCode::Down), ch('j')], "move down", ""),
    bind(Context::Picker, Action::ToggleSource, &[ch(' ')], "turn a source on or off", ""),
    bind(Context::Picker, Action::Back, &[key(KeyCode::Enter), key(KeyCode::Esc)], "close, load the chosen", ""),
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
    bind(Context::List, Action::OpenDatabase, &[ch('d')], "details: database, queues", "details"),
    bind(Context::List, Action::BringUp, &[ch('u')], "up: create and start", ""),
    bind(Context::List, Action::Reset, &[ch('X')], "reset: empty volumes, asks", "reset"),
    bind(Context::List, Action::ToggleAll, &[ch('a')], "one project / all projects", "all"),
    bind(Context::List, Action::Sort, &[ch('o')], "sort: problems, name, CPU…", ""),
    bind(Context::List, Action::Fold, &[ch(' ')], "fold or unfold the project", ""),
    bind(Context::List, Action::FoldAll, &[ch('Z')], "fold all / unfold all", ""),
    bind(Context::Database, Action::PrevPanel, &[key(KeyCode::BackTab)], "previous panel", ""),
    bind(Context::Database, Action::NextPanel, &[key(KeyCode::Tab)], "next panel", "panel"),
    bind(Context::Database, Action::Up, &[key(KeyCode::Up), ch('k')], "select up", "select"),
    bind(Context::Database, Action::Down, &[key(KeyCode::Down), ch('j')], "select down", "select"),
    bind(Context::Database, Action::CancelQuery, &[ch('c')], "cancel query (asks first)", "cancel"),
    bind(Context::Database, Action::TerminateBackend, &[ch('K')], "terminate backend (asks)", "terminate"),
    bind(Context::Database, Action::PurgeQueue, &[ch('P')], "purge the queue (asks first)", "purge"),
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

/// A binding in force: the table's, with the keys the config file chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub context: Context,
    pub action: Action,
    pub keys: Vec<Key>,
    pub help: &'static str,
    pub hint: &'static str,
}

/// The key table in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = BINDINGS
            .iter()
            .map(|b| Bound {
                context: b.context,
                action: b.action,
                keys: b.keys.to_vec(),
                help: b.help,
                hint: b.hint,
            })
            .collect();
        Self { bindings }
    }
}

/// Two actions that one key would ask for in the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub context: Context,
    pub key: Key,
    pub actions: [Action; 2],
}

impl Keymap {
    pub fn bindings(&self) -> &[Bound] {
        &self.bindings
    }

    /// Binds `action` to `keys` instead of its own, in `context` or (when
    /// `None`) wherever it is bound, except while typing the filter or
    /// answering a question (a letter there is text, or an answer) unless
    /// it is bound only there. Fails when it is bound nowhere there.
    pub fn rebind(
        &mut self,
        context: Option<Context>,
        action: Action,
        keys: &[Key],
    ) -> Result<(), String> {
        let mut found = false;
        for typing in [false, true] {
            for bound in &mut self.bindings {
                let place = match context {
                    Some(c) => c == bound.context,
                    None => bound.context.with_everywhere() != typing,
                };
                if bound.action == action && place {
                    bound.keys = keys.to_vec();
                    found = true;
                }
            }
            if found || context.is_some() {
                break;
            }
        }
        match (found, context) {
            (true, _) => Ok(()),
            (false, Some(c)) => Err(format!(
                "{} has no key in [keys.{}]",
                action.name(),
                c.name()
            )),
            (false, None) => Err(format!("{} has no key to change", action.name())),
        }
    }

    /// Keys bound to two actions in one context (or in one and
    /// everywhere), each once.
    pub fn clashes(&self) -> Vec<Clash> {
        let mut clashes = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let together = |key: &Key| {
                    a.context == b.context
                        || (a.context == Context::Everywhere && b.context.shares(key))
                        || (b.context == Context::Everywhere && a.context.shares(key))
                };
                if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k) && together(k)) {
                    let context = if a.context == Context::Everywhere {
                        b.context
                    } else {
                        a.context
                    };
                    clashes.push(Clash {
                        context,
                        key: *key,
                        actions: [a.action, b.action],
                    });
                }
            }
        }
        clashes
    }

    /// The action bound to `event` in `context`, else everywhere (when
    /// that key of `Everywhere` works in `context`).
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        let pressed = Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        };
        let bound = |ctx: Context| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.keys.contains(&pressed))
                .map(|b| b.action)
        };
        bound(context).or_else(|| {
            context
                .shares(&pressed)
                .then(|| bound(Context::Everywhere))
                .flatten()
        })
    }

    /// The footer of a view: `(key, word)` for the bindings of `context`
    /// that have a hint and that `shown` keeps, then the global ones.
    /// Neighbours with the same word share it: `↑/↓ select`.
    pub fn hints(
        &self,
        context: Context,
        shown: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        let mut hints: Vec<(String, &'static str)> = Vec::new();
        let contexts: &[Context] = if context.with_everywhere() {
            &[context, Context::Everywhere]
        } else {
            &[context]
        };
        let bindings = contexts
            .iter()
            .flat_map(|ctx| self.bindings.iter().filter(move |b| b.context == *ctx))
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

    /// How the first key of `action` in `context` is written, for
    /// messages that name a key ("? for help").
    pub fn key_of(&self, context: Context, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| {
                b.action == action && (b.context == context || b.context == Context::Everywhere)
            })
            .and_then(|b| b.keys.first())
            .map_or_else(|| "(unbound)".to_string(), key_label)
    }
}

/// Reads a key as the config file writes it: `r`, `R`, `ctrl-r`, `enter`,
/// `esc`, `tab`, `shift-tab`, `up`, `pgdn`, `f5`, `space`…
pub fn parse_key(text: &str) -> Result<Key, String> {
    let (ctrl, name) =
        match strip_ascii_prefix(text, "ctrl-").or_else(|| strip_ascii_prefix(text, "c-")) {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, text),
        };
    // Names are ASCII: lower-casing them keeps every byte where it was.
    let code = match name.to_ascii_lowercase().as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" | "s-tab" => KeyCode::BackTab,
        "backspace" | "bksp" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" | "page_up" => KeyCode::PageUp,
        "pagedown" | "pgdn" | "page_down" => KeyCode::PageDown,
        other => match function_key(other) {
            Some(n) => KeyCode::F(n),
            None => KeyCode::Char(one_char(text, name, ctrl)?),
        },
    };
    Ok(Key { code, ctrl })
}

/// `f1` to `f12`: the number.
fn function_key(name: &str) -> Option<u8> {
    let n: u8 = name.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(n)
}

/// `text` after `prefix`, whatever the case of its ASCII letters.
fn strip_ascii_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The one character `name` is, as typed: `R` is Shift-r (with Ctrl, the
/// letter alone). A character whose case does not map to one character
/// and back is refused: the Kelvin sign `K` lower-cases to the `k` of the
/// keyboard, `İ` to two characters; no key sends them as written.
fn one_char(text: &str, name: &str, ctrl: bool) -> Result<char, String> {
    let mut chars = name.chars();
    let c = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => c,
        _ => {
            return Err(format!(
                "{text:?} is not a key (try \"r\", \"ctrl-r\", \"enter\", \"f5\")"
            ));
        }
    };
    let code = format!("U+{:04X}", u32::from(c));
    match only(c.to_lowercase()) {
        None => Err(format!(
            "{text:?} is not a key: {code} lower-cases to {:?}, more than one character",
            c.to_lowercase().to_string()
        )),
        Some(lower) if lower != c && only(lower.to_uppercase()) != Some(c) => Err(format!(
            "{text:?} is not a key: {code} lower-cases to {lower:?}, which upper-cases to {:?}",
            lower.to_uppercase().to_string()
        )),
        Some(_) if ctrl => Ok(c.to_ascii_lowercase()),
        Some(_) => Ok(c),
    }
}

/// The one character `chars` holds; `None` for none or several.
fn only(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
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
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::F(n) => format!("F{n}"),
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
            Keymap::default().lookup(Context::List, &press(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            Keymap::default().lookup(Context::Logs, &press(KeyCode::Char('G'))),
            Some(Action::Follow)
        );
        assert_eq!(
            Keymap::default().lookup(Context::List, &press(KeyCode::Char('G'))),
            Some(Action::Bottom)
        );
        assert_eq!(
            Keymap::default().lookup(Context::Logs, &press(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
    }

    #[test]
    fn ctrl_c_quits_and_plain_c_does_not() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            Keymap::default().lookup(Context::List, &ctrl_c),
            Some(Action::Quit)
        );
        assert_eq!(
            Keymap::default().lookup(Context::List, &press(KeyCode::Char('c'))),
            None
        );
        for typing in [Context::Filter, Context::Prompt, Context::Picker] {
            let keys = Keymap::default();
            assert_eq!(
                keys.lookup(typing, &ctrl_c),
                Some(Action::Quit),
                "{typing:?}"
            );
            assert_eq!(keys.lookup(typing, &press(KeyCode::Char('q'))), None);
        }
    }

    #[test]
    fn footer_hints_come_from_the_bindings() {
        let list = Keymap::default().hints(Context::List, |_| true);
        assert!(list.contains(&("r".to_string(), "restart")));
        assert_eq!(list.last(), Some(&("q".to_string(), "quit")));
        let logs = Keymap::default().hints(Context::Logs, |_| true);
        assert!(logs.contains(&("Esc".to_string(), "back")));
        let db = Keymap::default().hints(Context::Database, |a| a != Action::CancelQuery);
        assert!(!db.iter().any(|(_, word)| *word == "cancel"));
        assert!(db.contains(&("↑/↓".to_string(), "select")));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        assert_eq!(Keymap::default().clashes(), Vec::new());
    }

    #[test]
    fn every_bound_action_has_a_name_of_its_own() {
        for binding in BINDINGS {
            let name = binding.action.name();
            assert_eq!(Action::named(name), Some(binding.action), "{name}");
        }
        for context in Context::ALL {
            assert_eq!(Context::named(context.name()), Some(context));
        }
    }

    #[test]
    fn every_action_name_reads_back_and_is_its_own() {
        for &action in Action::ALL {
            assert_eq!(Action::named(action.name()), Some(action), "{action:?}");
        }
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len(), "two actions share a name");
        let contexts: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
        for name in &contexts {
            assert_eq!(Action::named(name), None, "[keys.{name}] is a place");
        }
    }

    #[test]
    fn every_action_has_a_key_by_default() {
        for &action in Action::ALL {
            let bound = BINDINGS.iter().any(|b| b.action == action);
            assert!(bound, "{action:?} has a name but no key");
        }
    }

    #[test]
    fn keys_parse_as_the_config_writes_them() {
        let parsed = |text| parse_key(text).map(|k| key_label(&k));
        assert_eq!(parsed("r"), Ok("r".into()));
        assert_eq!(parsed("R"), Ok("R".into()));
        assert_eq!(parsed("ctrl-r"), Ok("Ctrl-r".into()));
        assert_eq!(parsed("Ctrl-R"), Ok("Ctrl-r".into()));
        assert_eq!(parsed("enter"), Ok("Enter".into()));
        assert_eq!(parsed("shift-tab"), Ok("S-Tab".into()));
        assert_eq!(parsed("pgdn"), Ok("PgDn".into()));
        assert_eq!(parsed("f5"), Ok("F5".into()));
        assert_eq!(parsed("space"), Ok("Space".into()));
        assert!(parse_key("ctrl-").is_err());
        assert!(parse_key("enterr").is_err());
    }

    #[test]
    fn letters_whose_case_is_not_one_letter_of_their_own_are_refused() {
        for text in [
            "\u{212A}",
            "ctrl-\u{212A}",
            "C-\u{212A}",
            "\u{0130}",
            "ctrl-\u{0130}",
            "\u{2126}",
            "\u{1E9E}",
            "\u{01C5}",
            "\u{1b}",
            "ctrl-\u{7f}",
        ] {
            let error = parse_key(text).unwrap_err();
            assert!(
                error.starts_with(&format!("{text:?} is not a key")),
                "{error}"
            );
        }
        let kelvin = parse_key("\u{212A}").unwrap_err();
        assert!(kelvin.contains("U+212A lower-cases to 'k'"), "{kelvin}");
        for (text, c) in [
            ("ß", 'ß'),
            ("é", 'é'),
            ("É", 'É'),
            ("Σ", 'Σ'),
            ("ς", 'ς'),
            ("ж", 'ж'),
        ] {
            assert_eq!(parse_key(text), Ok(ch(c)), "{text}");
        }
        assert_eq!(parse_key("CTRL-R"), Ok(ctrl('r')));
        assert_eq!(parse_key("F12"), Ok(key(KeyCode::F(12))));
        assert!(parse_key("f13").is_err());
    }

    /// Every character, alone and after `ctrl-`: a key or an error, never
    /// a panic.
    #[test]
    fn no_character_makes_the_key_parser_panic() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let _ = parse_key(c.encode_utf8(&mut [0; 4]));
            let _ = parse_key(&format!("ctrl-{c}"));
        }
    }
}
