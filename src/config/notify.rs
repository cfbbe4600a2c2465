//! The `[notify]` section of the config file: how stacktop tells of a
//! service that changed for the worse besides its own screen. All off by
//! default.
//!
//! ```toml
//! [notify]
//! bell = true           # ring the terminal bell (tmux marks the window)
//! desktop = "osc9"      # a desktop notification: "osc9", "osc777" or "off"
//! title = true          # the pane title says `stacktop: 2 problems`
//! ```

use anyhow::{Result, anyhow};
use serde::Deserialize;
use toml::Spanned;

use crate::toml_error::line_column;

/// How a desktop notification is asked of the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Desktop {
    #[default]
    Off,
    /// `OSC 9 ; text`: iTerm2, Windows Terminal, kitty, WezTerm, ghostty.
    Osc9,
    /// `OSC 777 ; notify ; title ; text`: urxvt, foot, Konsole, WezTerm.
    Osc777,
}

impl Desktop {
    const WORDS: [(&str, Desktop); 3] = [
        ("off", Desktop::Off),
        ("osc9", Desktop::Osc9),
        ("osc777", Desktop::Osc777),
    ];
}

/// Which alerts go out when a service changes for the worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotifySettings {
    pub bell: bool,
    pub desktop: Desktop,
    /// The pane title tells how many problems there are.
    pub title: bool,
}

impl NotifySettings {
    /// Whether a change for the worse sends anything to the terminal.
    pub fn alerts(&self) -> bool {
        self.bell || self.desktop != Desktop::Off
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NotifySection {
    #[serde(default)]
    bell: bool,
    desktop: Option<Spanned<String>>,
    #[serde(default)]
    title: bool,
}

impl NotifySection {
    /// The settings this section gives; a bad `desktop` names its place.
    pub(super) fn settings(&self, text: &str, name: &str) -> Result<NotifySettings> {
        let desktop = match &self.desktop {
            None => Desktop::Off,
            Some(value) => Desktop::WORDS
                .iter()
                .find(|(word, _)| *word == value.get_ref())
                .map(|(_, desktop)| *desktop)
                .ok_or_else(|| {
                    let (line, column) = line_column(text, value.span().start);
                    anyhow!(
                        "{name}:{line}:{column}: desktop = \"{}\" is not known; expected \"osc9\", \"osc777\" or \"off\"",
                        value.get_ref()
                    )
                })?,
        };
        Ok(NotifySettings {
            bell: self.bell,
            desktop,
            title: self.title,
        })
    }
}
