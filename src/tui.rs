//! Terminal setup and teardown.
//!
//! The terminal is put back (raw mode off, main screen, cursor and mouse
//! released) on every way out: normal exit and errors through `Drop`, panics
//! through the panic hook, which restores first and then prints the message.

use std::io::{self, Stdout, Write};

use anyhow::{Context, Result};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::config::notify::Desktop;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// The terminal in raw mode on the alternate screen; restored on drop.
pub struct Tui {
    pub terminal: Term,
    /// The title the terminal had was saved before stacktop set its own.
    title_saved: bool,
    /// The terminal reports the mouse to stacktop (else it selects text).
    mouse: bool,
}

impl Tui {
    pub fn enter() -> Result<Self> {
        install_panic_hook();
        setup(true).context("setting up the terminal")?;
        let terminal =
            Terminal::new(CrosstermBackend::new(io::stdout())).context("opening the terminal")?;
        Ok(Self {
            terminal,
            title_saved: false,
            mouse: true,
        })
    }

    /// Rings the terminal's bell (tmux flags the window).
    pub fn bell(&mut self) -> Result<()> {
        write_raw("\x07").context("ringing the bell")
    }

    /// Asks the terminal for a desktop notification saying `text`.
    pub fn notify(&mut self, desktop: Desktop, text: &str) -> Result<()> {
        let sequence = match desktop {
            Desktop::Off => return Ok(()),
            Desktop::Osc9 => format!("\x1b]9;{}\x1b\\", plain(text)),
            Desktop::Osc777 => format!(
                "\x1b]777;notify;stacktop;{}\x1b\\",
                plain(text).replace(';', ",")
            ),
        };
        let inside_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
        let sequence = if inside_tmux {
            through_tmux(&sequence)
        } else {
            sequence
        };
        write_raw(&sequence).context("sending a desktop notification")
    }

    /// Sets the window or pane title (tmux keeps it as `pane_title`); the
    /// terminal's own title is saved first and put back on the way out.
    pub fn set_title(&mut self, text: &str) -> Result<()> {
        if !self.title_saved {
            write_raw("\x1b[22;0t").context("saving the title")?;
            self.title_saved = true;
        }
        write_raw(&format!("\x1b]2;{}\x1b\\", plain(text))).context("setting the title")
    }

    /// Turns mouse capture on or off, if it is not so already: off, the
    /// terminal's own selection works for copying.
    pub fn capture_mouse(&mut self, on: bool) -> Result<()> {
        if on == self.mouse {
            return Ok(());
        }
        let result = if on {
            execute!(io::stdout(), EnableMouseCapture)
        } else {
            execute!(io::stdout(), DisableMouseCapture)
        };
        result.context("switching mouse capture")?;
        self.mouse = on;
        Ok(())
    }

    /// Ctrl-Z: give the terminal back, stop the process, take it again on `fg`.
    pub fn suspend(&mut self) -> Result<()> {
        restore();
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
            .context("suspending stacktop")?;
        // Execution continues here after SIGCONT.
        setup(self.mouse).context("setting up the terminal again")?;
        // A fresh Terminal redraws everything on the next frame. (Its
        // clear() would ask the terminal for the cursor position, and the
        // answer would be read by the input task instead.)
        execute!(io::stdout(), Clear(ClearType::All)).context("clearing after resume")?;
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
            .context("opening the terminal again")?;
        Ok(())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if self.title_saved {
            let _ = write_raw("\x1b[23;0t");
        }
        restore();
    }
}

/// Writes a sequence between frames: none of these moves the cursor.
fn write_raw(sequence: &str) -> io::Result<()> {
    let mut out = io::stdout();
    out.write_all(sequence.as_bytes())?;
    out.flush()
}

/// `text` with no control character left: it goes inside a sequence.
fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::clean(text)
}

/// A sequence wrapped for tmux to pass to the terminal outside it (when
/// its `allow-passthrough` option lets it; else tmux drops it).
fn through_tmux(sequence: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
}

fn setup(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Puts the terminal back as it was; safe to call more than once.
pub fn restore() {
    // Errors are ignored: this runs on the way out, when nothing better
    // can be done about a terminal that refuses.
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = io::stdout().flush();
}

/// A panic of the UI (the main thread) ends stacktop: restore the terminal
/// first, then print the message where it can be read. A panic in a task
/// (a worker thread) does not end it: the terminal stays as it is, the
/// message goes to the log file and never onto the screen being drawn, and
/// `tasks` shows on screen which task stopped.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            restore();
            previous(info);
            // Unwinding will not reach main's own ending of children.
            crate::child::end_all();
        } else {
            tracing::error!(panic = %info, "a task panicked");
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_text_cannot_end_a_sequence_early() {
        assert_eq!(plain("api\x07\x1b]2;owned\n"), "api");
        assert_eq!(plain("api\u{9c}\u{202e}x"), "api<U+202E>x");
    }

    #[test]
    fn tmux_passthrough_doubles_every_escape() {
        assert_eq!(
            through_tmux("\x1b]9;hi\x1b\\"),
            "\x1bPtmux;\x1b\x1b]9;hi\x1b\x1b\\\x1b\\"
        );
    }
}
