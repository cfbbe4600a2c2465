//! The `[keys]` section of the config file: actions bound to the keys of
//! the user's choice.
//!
//! ```toml
//! [keys]
//! restart = ["r", "ctrl-r"]     # wherever restart is bound
//! logs = ["l", "enter"]
//!
//! [keys.log_view]                   # only in the log view
//! follow = ["F", "end"]
//! ```
//!
//! An entry replaces the action's keys. Unknown actions, keys that do not
//! parse, and one key for two actions in one place are errors that name
//! the file, line and column.

use anyhow::{Result, anyhow};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::keymap::{Action, Context, Key, Keymap, key_label, parse_key};
use crate::toml_error::line_column;

/// The keymap the `[keys]` section of `text` makes (the defaults when
/// there is none). `name` is how errors call the file.
pub fn keymap(text: &str, name: &str) -> Result<Keymap> {
    let at = |offset: usize, why: String| {
        let (line, column) = line_column(text, offset);
        anyhow!("{name}:{line}:{column}: {why}")
    };
    let document = DeTable::parse(text).map_err(|e| anyhow!("{name}: {}", e.message()))?;
    let mut keymap = Keymap::default();
    let Some(section) = document.get_ref().get("keys") else {
        return Ok(keymap);
    };
    let DeValue::Table(entries) = section.get_ref() else {
        return Err(at(section.span().start, "[keys] must be a table".into()));
    };
    // Where each rebound action was written, to place a clash.
    let mut written: Vec<(Option<Context>, Action, usize)> = Vec::new();
    for (key, value) in entries {
        match (Context::named(key.get_ref()), value.get_ref()) {
            (Some(context), DeValue::Table(inner)) => {
                for (key, value) in inner {
                    let action = rebind(&mut keymap, Some(context), key, value)
                        .map_err(|(offset, why)| at(offset, why))?;
                    written.push((Some(context), action, key.span().start));
                }
            }
            _ => {
                let action = rebind(&mut keymap, None, key, value)
                    .map_err(|(offset, why)| at(offset, why))?;
                written.push((None, action, key.span().start));
            }
        }
    }
    match keymap.clashes().first() {
        None => Ok(keymap),
        Some(clash) => {
            let offset = written
                .iter()
                .rev()
                .find(|(_, action, _)| clash.actions.contains(action))
                .map_or(section.span().start, |(_, _, offset)| *offset);
            let [a, b] = clash.actions;
            Err(at(
                offset,
                format!(
                    "{} is bound to both {} and {} in the {}",
                    key_label(&clash.key),
                    a.name(),
                    b.name(),
                    clash.context.title().to_lowercase()
                ),
            ))
        }
    }
}

/// Applies one `action = keys` entry; the action, or where and why not.
fn rebind(
    keymap: &mut Keymap,
    context: Option<Context>,
    key: &Spanned<DeString<'_>>,
    value: &Spanned<DeValue<'_>>,
) -> Result<Action, (usize, String)> {
    let name = key.get_ref().as_ref();
    let action = Action::named(name).ok_or_else(|| {
        let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        let why = match context {
            None if Context::named(name).is_some() => format!("[keys.{name}] must be a table"),
            _ => format!("unknown action {name:?}; known: {}", known.join(", ")),
        };
        (key.span().start, why)
    })?;
    let keys = keys_of(value)?;
    keymap
        .rebind(context, action, &keys)
        .map_err(|why| (key.span().start, why))?;
    Ok(action)
}

/// `"r"` or `["r", "ctrl-r"]`.
fn keys_of(value: &Spanned<DeValue<'_>>) -> Result<Vec<Key>, (usize, String)> {
    let one = |value: &Spanned<DeValue<'_>>| match value.get_ref() {
        DeValue::String(text) => parse_key(text).map_err(|why| (value.span().start, why)),
        _ => Err((
            value.span().start,
            "a key is a string, e.g. \"r\"".to_string(),
        )),
    };
    match value.get_ref() {
        DeValue::Array(items) if items.is_empty() => Err((
            value.span().start,
            "an action needs at least one key".to_string(),
        )),
        DeValue::Array(items) => items.iter().map(one).collect(),
        _ => Ok(vec![one(value)?]),
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn an_entry_replaces_the_action_s_keys_where_it_is_bound() {
        let text = "[keys]\nrestart = [\"R\", \"ctrl-r\"]\n\n[keys.log_view]\nfollow = \"F\"\n";
        let keys = keymap(text, "k.toml").unwrap();
        let r = press(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(keys.lookup(Context::List, &r), Some(Action::Restart));
        let plain = press(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(
            keys.lookup(Context::List, &plain),
            None,
            "r is no longer bound"
        );
        let f = press(KeyCode::Char('F'), KeyModifiers::SHIFT);
        assert_eq!(keys.lookup(Context::Logs, &f), Some(Action::Follow));
        let g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(keys.lookup(Context::Logs, &g), None);
        assert_eq!(
            keys.hints(Context::List, |_| true)[1],
            ("R".into(), "restart")
        );
    }

    #[test]
    fn mistakes_name_their_line_and_column() {
        let cases = [
            (
                "[keys]\nrestrat = \"r\"\n",
                "k.toml:2:1: unknown action \"restrat\"",
            ),
            (
                "[keys]\nrestart = \"ctrl-\"\n",
                "k.toml:2:11: \"ctrl-\" is not a key",
            ),
            (
                "[keys]\nrestart = [\"r\", \"\u{212A}\"]\n",
                "k.toml:2:17: \"\u{212A}\" is not a key: U+212A lower-cases to 'k'",
            ),
            (
                "[keys.log_view]\nfollow = \"\u{0130}\"\n",
                "k.toml:2:10: \"\u{0130}\" is not a key: U+0130 lower-cases to",
            ),
            (
                "[keys]\nrestart = []\n",
                "k.toml:2:11: an action needs at least one key",
            ),
            (
                "[keys]\nrestart = \"s\"\n",
                "k.toml:2:1: s is bound to both restart and stop_start in the service list",
            ),
            (
                "[keys]\nhelp = \"r\"\n",
                "k.toml:2:1: r is bound to both help and restart in the service list",
            ),
            (
                "[keys]\nquit = [\"q\", \"ctrl-u\"]\n",
                "k.toml:2:1: Ctrl-u is bound to both quit and clear_line",
            ),
            (
                "[keys.log_view]\nreset = \"x\"\n",
                "k.toml:2:1: reset has no key in [keys.log_view]",
            ),
        ];
        for (text, want) in cases {
            let error = keymap(text, "k.toml").unwrap_err().to_string();
            assert!(error.starts_with(want), "{text:?}: {error}");
        }
    }

    /// A key of quit with Ctrl quits while typing too; one without is text.
    #[test]
    fn ctrl_keys_of_everywhere_work_while_typing() {
        let keys = keymap("[keys]\nquit = [\"Q\", \"ctrl-q\"]\n", "k.toml").unwrap();
        let ctrl_q = press(KeyCode::Char('q'), KeyModifiers::CONTROL);
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let shift_q = press(KeyCode::Char('Q'), KeyModifiers::SHIFT);
        for typing in [Context::Filter, Context::Prompt, Context::Picker] {
            assert_eq!(keys.lookup(typing, &ctrl_q), Some(Action::Quit));
            assert_eq!(keys.lookup(typing, &ctrl_c), None, "{typing:?}");
            assert_eq!(keys.lookup(typing, &shift_q), None, "{typing:?}");
        }
        assert_eq!(keys.lookup(Context::List, &shift_q), Some(Action::Quit));
        assert_eq!(keys.lookup(Context::Confirm, &ctrl_q), None, "asked: no");
    }

    /// The presets the README offers parse and clash with nothing.
    #[test]
    fn the_readme_presets_parse() {
        let readme = include_str!("../../README.md");
        let presets: Vec<&str> = readme
            .split("```toml\n")
            .skip(1)
            .filter_map(|block| block.split("```").next())
            .filter(|block| block.contains("[keys"))
            .collect();
        assert!(presets.len() >= 2, "the vim and tmux-friendly presets");
        for preset in presets {
            keymap(preset, "README.md").unwrap();
        }
        for action in Action::ALL {
            let name = format!("`{}`", action.name());
            assert!(readme.contains(&name), "the README names {name}");
        }
    }

    /// The README's table of places and their actions is the key table's.
    #[test]
    fn the_readme_lists_each_place_s_actions() {
        let readme = include_str!("../../README.md");
        for context in Context::ALL {
            let start = format!("| `{}` | ", context.name());
            let row = readme
                .lines()
                .find_map(|line| line.strip_prefix(start.as_str()))
                .unwrap_or_else(|| panic!("the README has no row {start:?}"));
            let listed: Vec<&str> = row.split('`').skip(1).step_by(2).collect();
            let mut bound: Vec<&str> = Vec::new();
            let bindings = Keymap::default();
            for binding in bindings.bindings().iter().filter(|b| b.context == context) {
                if !bound.contains(&binding.action.name()) {
                    bound.push(binding.action.name());
                }
            }
            assert_eq!(listed, bound, "the README's row for {}", context.name());
        }
    }

    #[test]
    fn the_tmux_preset_binds_no_prefix_key() {
        let readme = include_str!("../../README.md");
        let preset = readme
            .split("A tmux-friendly preset")
            .nth(1)
            .and_then(|rest| rest.split("```toml\n").nth(1))
            .and_then(|block| block.split("```").next())
            .unwrap();
        let keys = keymap(preset, "README.md").unwrap();
        for prefix in ['a', 'b', ' '] {
            let pressed = press(KeyCode::Char(prefix), KeyModifiers::CONTROL);
            for context in Context::ALL {
                assert_eq!(
                    keys.lookup(context, &pressed),
                    None,
                    "Ctrl-{prefix:?} in {context:?}"
                );
            }
        }
        let back = press(KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(keys.lookup(Context::List, &back), Some(Action::Back));
    }
}
