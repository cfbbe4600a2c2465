//! What stacktop says: the status line, and the history behind it (`m`),
//! so a message that went by, or was too long for the line, can be read
//! whole.

use std::collections::VecDeque;

use chrono::{DateTime, Duration as Age, FixedOffset};

use super::App;
use super::notices::Notices;
use crate::command::Command;

/// Messages kept for the history overlay.
pub const HISTORY: usize = 50;
/// How long a message stays in the status line.
const SHOWN_FOR: Age = Age::seconds(8);
/// An error is not replaced by an info message before it was shown this long.
const ERROR_AT_LEAST: Age = Age::seconds(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// One thing stacktop said, with the whole story when there is more.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub at: DateTime<FixedOffset>,
    pub level: Level,
    pub text: String,
    /// More than fits a line: a CLI's whole output, say.
    pub detail: Option<String>,
}

/// The message in the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    /// When it was said.
    pub since: DateTime<FixedOffset>,
    pub until: DateTime<FixedOffset>,
    /// The history holds more than the line shows.
    pub has_detail: bool,
}

/// What stacktop says and has noticed: the status line, the history
/// behind it, and the changes of the session.
#[derive(Debug, Clone, Default)]
pub struct Messages {
    pub status: Option<Status>,
    /// The newest info message said while an error held the status line;
    /// it shows when the error's first seconds are over.
    held: Option<Status>,
    /// What was said, newest first (the `m` overlay).
    pub history: History,
    /// State changes of the session, and those not seen yet.
    pub notices: Notices,
    /// Input the user just gave is being handled: what it says answers
    /// them, and shows even over an error still in its first seconds.
    answering: bool,
}

impl App {
    /// Handles input from the user with `handle`: see `say_more`.
    pub(super) fn answering(
        &mut self,
        handle: impl FnOnce(&mut Self) -> Vec<Command>,
    ) -> Vec<Command> {
        self.messages.answering = true;
        let commands = handle(self);
        self.messages.answering = false;
        commands
    }

    pub(crate) fn say(&mut self, level: Level, text: String) {
        self.say_more(level, text, None);
    }

    /// Says `text`, with `detail` kept in the history. An error in the
    /// status line stays its first seconds against news the user did not
    /// ask for; the answer to a key they pressed shows at once (the error
    /// stays in the history).
    pub(crate) fn say_more(&mut self, level: Level, text: String, detail: Option<String>) {
        self.messages.say(self.store.now, level, text, detail);
    }
}

impl Messages {
    fn say(
        &mut self,
        now: DateTime<FixedOffset>,
        level: Level,
        text: String,
        detail: Option<String>,
    ) {
        let keep_error = !self.answering
            && self.status.as_ref().is_some_and(|s| {
                s.level == Level::Error && level == Level::Info && now < s.since + ERROR_AT_LEAST
            });
        let status = Status {
            text: text.clone(),
            level,
            since: now,
            until: now + SHOWN_FOR,
            has_detail: detail.is_some(),
        };
        if keep_error {
            self.held = Some(status);
        } else {
            self.status = Some(status);
            self.held = None;
        }
        self.history.push_front(Message {
            at: now,
            level,
            text,
            detail,
        });
        self.history.truncate(HISTORY);
    }

    /// Clears the status line once its time is up; an info message held
    /// back by an error takes the line when the error's first seconds are
    /// over, for the rest of its own time.
    pub(super) fn expire_status(&mut self, now: DateTime<FixedOffset>) {
        let error_done = self
            .status
            .as_ref()
            .is_none_or(|s| s.level != Level::Error || s.since + ERROR_AT_LEAST <= now);
        if error_done
            && let Some(held) = self.held.take()
            && held.until > now
        {
            self.status = Some(held);
        }
        if self.status.as_ref().is_some_and(|s| s.until <= now) {
            self.status = None;
        }
    }
}

/// The history, newest first.
pub type History = VecDeque<Message>;
