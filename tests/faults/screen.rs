//! The release binary in tmux, with its frame statistics file, and what the
//! fault tests read from both.

use std::cell::Cell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::common::{Tmux, stacktop_bin, wait_until};

/// The run loop's own figures, from `STACKTOP_STATS_FILE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameStats {
    pub frames: u64,
    pub keys: u64,
    pub max_key_ms: f64,
}

/// stacktop running in a tmux pane; the pane and the stats file go on drop.
pub struct Stacktop {
    pub tmux: Tmux,
    stats_file: PathBuf,
    /// Keys sent so far, to match against the keys stacktop counted.
    sent: Cell<u64>,
}

impl Stacktop {
    /// Runs `stacktop ARGS` in a `width`x`height` pane with `env` set.
    pub fn start(session: &str, size: (u16, u16), args: &str, env: &[(&str, String)]) -> Self {
        let stats_file =
            std::env::temp_dir().join(format!("stf-stats-{session}-{}", std::process::id()));
        let _ = std::fs::remove_file(&stats_file);
        let mut vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
        vars.push(format!("STACKTOP_STATS_FILE='{}'", stats_file.display()));
        let command = format!(
            "env {} '{}' {args}; echo stacktop-exit=$?; sleep 60",
            vars.join(" "),
            stacktop_bin().display()
        );
        let tmux = Tmux::start(session, size.0, size.1, &command);
        Self {
            tmux,
            stats_file,
            sent: Cell::new(0),
        }
    }

    pub fn screen(&self) -> String {
        self.tmux.capture()
    }

    /// Waits until `text` is on screen; returns how long that took.
    pub fn wait_screen(&self, text: &str, timeout: Duration) -> Duration {
        self.wait_screen_for(text, timeout, |s| s.contains(text))
    }

    /// Waits until `check` accepts the screen; fails naming `what`.
    pub fn wait_screen_for(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&str) -> bool,
    ) -> Duration {
        let start = Instant::now();
        let found = wait_until(timeout, Duration::from_millis(25), || check(&self.screen()));
        assert!(
            found,
            "{what}: not on screen within {timeout:?}:\n{}",
            self.screen()
        );
        start.elapsed()
    }

    pub fn keys(&self, keys: &[&str]) {
        self.tmux.send_keys(keys);
        self.sent.set(self.sent.get() + keys.len() as u64);
    }

    pub fn text(&self, text: &str) {
        self.tmux.send_text(text);
        self.sent.set(self.sent.get() + text.chars().count() as u64);
    }

    /// How many keys were sent so far.
    pub fn sent(&self) -> u64 {
        self.sent.get()
    }

    /// Selects the row of `name` with the filter (`/name` Enter).
    pub fn select(&self, name: &str) {
        self.text(&format!("/{name}"));
        self.wait_screen(&format!("/{name}"), Duration::from_secs(5));
        self.keys(&["Enter"]);
    }

    /// Presses Esc and waits until the screen changed, so the next key is
    /// not read as Alt+key.
    pub fn escape(&self) {
        let before = self.screen();
        self.keys(&["Escape"]);
        wait_until(Duration::from_secs(2), Duration::from_millis(20), || {
            self.screen() != before
        });
        std::thread::sleep(Duration::from_millis(60));
    }

    /// The last figures written, if any yet.
    pub fn stats(&self) -> Option<FrameStats> {
        let text = std::fs::read_to_string(&self.stats_file).ok()?;
        let field = |name: &str| {
            text.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .and_then(|v| v.parse::<f64>().ok())
        };
        Some(FrameStats {
            frames: field("frames")? as u64,
            keys: field("keys")? as u64,
            max_key_ms: field("max_key_ms")?,
        })
    }

    /// Waits until the stats file shows every key sent so far handled (it
    /// is written about once a second).
    pub fn stats_after_keys(&self) -> FrameStats {
        let keys = self.sent();
        let mut last = None;
        let done = wait_until(Duration::from_secs(5), Duration::from_millis(100), || {
            last = self.stats();
            last.is_some_and(|s| s.keys >= keys)
        });
        assert!(
            done,
            "the stats file shows {last:?}, not {keys} keys:\n{}",
            self.screen()
        );
        last.expect("checked above")
    }
}

impl Drop for Stacktop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.stats_file);
    }
}

/// How many lines of `screen` contain `text`.
pub fn rows_with(screen: &str, text: &str) -> usize {
    screen.lines().filter(|l| l.contains(text)).count()
}

/// `N containers` from the header line.
pub fn containers_counted(screen: &str) -> Option<usize> {
    let header = screen.lines().nth(1)?;
    let before = header.split(" containers:").next()?;
    before.split_whitespace().last()?.parse().ok()
}

/// The title line of the log view, where its notice is.
pub fn title_of_logs(screen: &str) -> String {
    let line = screen.lines().find(|l| l.contains("Logs ")).unwrap_or("");
    line.trim().to_string()
}
