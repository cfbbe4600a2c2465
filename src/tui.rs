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

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// The terminal in raw mode on the alternate screen; restored on drop.
pub struct Tui {
    pub terminal: Term,
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
            mouse: true,
        })
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
        restore();
    }
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
        } else {
            tracing::error!(panic = %info, "a task panicked");
        }
    }));
}
