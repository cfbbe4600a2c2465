//! stacktop: the command line, then the dashboard.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use stacktop::config::{Cli, Settings};
use stacktop::headless::print;
use stacktop::theme::Theme;
use stacktop::{headless, runtime};

fn main() -> ExitCode {
    let cli = match parse_arguments() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    // Everything that can be wrong with the input is checked here, before
    // the screen is taken, so the message stays readable. Errors quote the
    // input (a config key, a theme colour): they are printed cleaned.
    let prepared = prepare(&cli);
    let (settings, theme) = match prepared {
        Ok(ready) => ready,
        Err(e) => {
            print::error(&format!("{e:#}"));
            return ExitCode::from(2);
        }
    };
    let code = match cli.command {
        Some(command) => headless::run(settings, command),
        None => match start(settings, theme) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                print::error(&format!("{e:#}"));
                ExitCode::FAILURE
            }
        },
    };
    // A compose CLI still running would outlive stacktop.
    stacktop::child::end_all();
    code
}

/// The command line; a mistake in it is printed as clap words it, but
/// plain and cleaned, since it quotes what was typed.
fn parse_arguments() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        // Help and version are stacktop's own text, coloured as clap does.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            let words = e.render().to_string();
            eprint!("{}", stacktop::text::clean_lines(&words));
            Err(ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)))
        }
    }
}

fn prepare(cli: &Cli) -> Result<(Settings, Theme)> {
    init_logging(cli)?;
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let settings = Settings::load(cli, &cwd)?;
    let theme = match &settings.theme {
        Some(spec) => Theme::resolve(spec, &cwd)?,
        None => Theme::default(),
    };
    // NO_COLOR (no-color.org): set and not empty.
    let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = if no_colour {
        theme.without_colour()
    } else {
        theme
    };
    Ok((settings, theme))
}

fn start(settings: Settings, theme: Theme) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Each thread that allocates may get an allocator arena of its
        // own: a few blocking threads keep a busy start's memory small.
        .max_blocking_threads(8)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let result = runtime.block_on(runtime::run(settings, theme));
    // Log streams may sit in blocking reads; do not wait for them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}

/// Diagnostics go to a file when asked, never to the screen the UI uses.
fn init_logging(cli: &Cli) -> Result<()> {
    match &cli.log_file {
        Some(path) => stacktop::logging::init(path),
        None => Ok(()),
    }
}
