//! What takes the keys inside the log view: a prompt being typed, or the
//! source picker of merged logs.

use super::Pattern;
use crate::keymap::Context;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Prompt(Prompt),
    /// The source picker; `cursor` is the source under the cursor.
    Picker {
        cursor: usize,
    },
}

impl Input {
    /// Where its keys are bound.
    pub fn context(&self) -> Context {
        match self {
            Self::Prompt(_) => Context::Prompt,
            Self::Picker { .. } => Context::Picker,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: a pattern to find.
    Search,
    /// `&`: a pattern lines must match (`!` first: must not).
    Filter,
}

impl PromptKind {
    /// The character the prompt starts with, as in `less`.
    pub fn sigil(self) -> char {
        match self {
            Self::Search => '/',
            Self::Filter => '&',
        }
    }
}

/// A pattern being typed, and why it does not compile yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    pub error: Option<String>,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: String) -> Self {
        let mut prompt = Self {
            kind,
            text,
            error: None,
        };
        prompt.check();
        prompt
    }

    pub fn push(&mut self, c: char) {
        self.text.push(c);
        self.check();
    }

    pub fn pop(&mut self) {
        self.text.pop();
        self.check();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.check();
    }

    /// The typed pattern compiled; `None` for an empty prompt.
    pub fn pattern(&self) -> Option<Result<Pattern, String>> {
        if self.text.is_empty() {
            return None;
        }
        Some(match self.kind {
            PromptKind::Search => Pattern::search(&self.text),
            PromptKind::Filter => Pattern::filter(&self.text),
        })
    }

    /// Compiles as the user types, so an error shows before Enter.
    fn check(&mut self) {
        self.error = self.pattern().and_then(Result::err);
    }
}
