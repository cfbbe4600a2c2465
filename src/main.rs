//! stacktop: the command line, then the dashboard.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use stacktop::config::{Cli, Settings};
use stacktop::theme::Theme;
use stacktop::{headless, runtime};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Everything that can be wrong with the input is checked here, before
    // the screen is taken, so the message stays readable.
    let prepared = prepare(&cli);
    let (settings, theme) = match prepared {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("stacktop: {e:#}");
            return ExitCode::from(2);
        }
    };
    let code = match cli.command {
        Some(command) => headless::run(settings, command),
        None => match start(settings, theme) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("stacktop: {e:#}");
                ExitCode::FAILURE
            }
        },
    };
    // A compose CLI still running would outlive stacktop.
    stacktop::child::end_all();
    code
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
    let Some(path) = &cli.log_file else {
        return Ok(());
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening log file {}", path.display()))?;
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("stacktop=debug")),
        )
        .init();
    Ok(())
}
