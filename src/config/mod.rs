//! Command-line options and the settings derived from them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod file;
pub mod health;
pub mod keys;
pub mod notify;
mod subcommand;

use anyhow::{Context, Result, anyhow};
use clap::Parser;

use crate::compose::{self, ProjectOptions};
use crate::engine::endpoint::Request as EngineRequest;
use crate::keymap::Keymap;
use crate::model::{ProjectLocation, Target, TargetKind};
use health::HealthSettings;
use notify::NotifySettings;
pub use subcommand::Headless;

/// A terminal dashboard for local development stacks run by Docker Compose.
#[derive(Debug, Clone, Parser)]
#[command(name = "stacktop", version, about)]
pub struct Cli {
    /// Without a command, the dashboard.
    #[command(subcommand)]
    pub command: Option<Headless>,

    /// Show only this Compose project (default: the project of a compose
    /// file in the current folder, else every container).
    #[arg(global = true, short = 'p', long = "project")]
    pub project: Option<String>,

    /// Show every container, even from a folder holding a compose file.
    #[arg(global = true, short = 'a', long = "all", conflicts_with = "project")]
    pub all: bool,

    /// How often CPU and memory refresh, e.g. 1s, 500ms, 2.5s.
    #[arg(long, default_value = "1s", value_parser = parse_interval)]
    pub interval: Duration,

    /// A built-in theme (dark, light, high-contrast, ansi-16) or a theme
    /// file (default: the config file's `theme`, else dark). NO_COLOR turns
    /// colours off.
    #[arg(long, value_name = "NAME|FILE")]
    pub theme: Option<String>,

    /// Lines of log kept by the log view (older ones are dropped).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    pub log_lines: u32,

    /// Lines of history shown when a log view opens.
    #[arg(long, default_value_t = 500)]
    pub tail: u32,

    /// Compose file(s) of the project here, as `docker compose -f` (default:
    /// COMPOSE_FILE, else compose.yaml and the like here or in a parent
    /// folder, with its override file).
    #[arg(global = true, short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Env file(s) of the project here, as `docker compose --env-file`
    /// (default: the project folder's .env).
    #[arg(global = true, long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,

    /// Profile(s) to enable, as `docker compose --profile` (default:
    /// COMPOSE_PROFILES).
    #[arg(global = true, long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,

    /// The project folder, as `docker compose --project-directory`
    /// (default: the first compose file's folder).
    #[arg(global = true, long = "project-directory", value_name = "DIR")]
    pub project_directory: Option<PathBuf>,

    /// Refuse everything that changes the stack: restart, stop, start, up
    /// and reset of services, cancelling or terminating database backends,
    /// and purging queues. Watching and logs still work.
    #[arg(global = true, long)]
    pub read_only: bool,

    /// Config file (default: stacktop.toml here, else the user's
    /// stacktop/config.toml).
    #[arg(global = true, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The engine's address, as `docker --host`: unix://, tcp:// or
    /// ssh:// (repeatable: several engines at once).
    #[arg(global = true, short = 'H', long = "host", value_name = "URL")]
    pub hosts: Vec<String>,

    /// A docker context, as `docker --context` (repeatable: each context's
    /// engine is a group of its own).
    #[arg(global = true, short = 'c', long = "context", value_name = "NAME")]
    pub contexts: Vec<String>,

    /// Write stacktop's own diagnostics to this file (never to the screen).
    #[arg(global = true, long, value_name = "FILE", env = "STACKTOP_LOG")]
    pub log_file: Option<PathBuf>,
}

/// What the app needs from the options, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Only containers of this Compose project are shown, when set.
    pub project: Option<String>,
    pub interval: Duration,
    pub log_lines: usize,
    pub tail: usize,
    /// Database targets from the config file and the environment.
    pub targets: Vec<Target>,
    /// Everything that changes the stack is refused (see `--read-only`).
    pub read_only: bool,
    /// The compose project of the current folder.
    pub local_compose: Option<ProjectLocation>,
    /// HTTP health checks: which, how often, how long to wait.
    pub health: HealthSettings,
    /// Bell, desktop notification and pane title (all off by default).
    pub notify: NotifySettings,
    /// Where the list's order and folds are remembered; none in tests.
    pub state_file: Option<PathBuf>,
    /// Which engines to follow, as asked (resolved by `engine::endpoint`).
    pub engines: EngineRequest,
    /// The keys in force: the defaults with the config file's `[keys]`.
    pub keys: Keymap,
    /// The theme asked for: `--theme`, else the config file's `theme`
    /// (a file named there is relative to the config file's folder).
    pub theme: Option<String>,
    /// Where `S` in the log view writes files (`log_folder` in the config
    /// file; default: the current folder).
    pub log_folder: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            project: None,
            interval: Duration::from_secs(1),
            log_lines: 10_000,
            tail: 500,
            targets: Vec::new(),
            read_only: false,
            local_compose: None,
            health: HealthSettings::default(),
            notify: NotifySettings::default(),
            state_file: None,
            engines: EngineRequest::default(),
            keys: Keymap::default(),
            theme: None,
            log_folder: PathBuf::from("."),
        }
    }
}

impl Settings {
    /// Settings from the options, the config file and the environment.
    pub fn load(cli: &Cli, cwd: &Path) -> Result<Self> {
        let os: HashMap<String, String> = std::env::vars().collect();
        let mut settings = Self::from_cli(cli, cwd, &os)?;
        let paths = match &cli.config {
            Some(path) if !path.is_file() => {
                return Err(anyhow!("config file {} not found", path.display()));
            }
            Some(path) => vec![path.clone()],
            None => file::candidates(cwd),
        };
        let from_file = file::load(&paths)?;
        settings.targets = from_file.targets;
        settings.health = from_file.health;
        settings.notify = from_file.notify;
        settings.read_only |= from_file.read_only;
        settings.state_file = state_file(&os);
        settings.keys = from_file.keys;
        settings.theme = settings.theme.take().or(from_file.theme);
        settings.read_only |= from_file.read_only;
        settings.engines.from_file = from_file.engines;
        if let Some(folder) = from_file.log_folder {
            settings.log_folder = folder;
        }
        for kind in TargetKind::ALL {
            let var = kind.info().env_var;
            if let Ok(value) = std::env::var(var) {
                settings.targets.push(file::env_target(kind, var, &value)?);
            }
        }
        Ok(settings)
    }

    /// Settings from the options alone; `os` is the process environment,
    /// which decides the project here as it does for compose.
    pub fn from_cli(cli: &Cli, cwd: &Path, os: &HashMap<String, String>) -> Result<Self> {
        let options = ProjectOptions {
            name: cli.project.clone(),
            files: cli.files.clone(),
            env_files: cli.env_files.clone(),
            profiles: cli.profiles.clone(),
            project_directory: cli.project_directory.clone(),
        };
        let local = compose::resolve(&options, cwd, os)
            .context("finding the compose project of this folder")?
            .map(|resolved| resolved.location);
        let project = match (&local, cli.all) {
            (_, true) => None,
            (Some(location), false) => Some(location.name.clone()),
            (None, false) => cli.project.clone(),
        };
        Ok(Self {
            project,
            interval: cli.interval,
            log_lines: cli.log_lines as usize,
            tail: cli.tail as usize,
            targets: Vec::new(),
            read_only: cli.read_only,
            local_compose: local,
            health: HealthSettings::default(),
            notify: NotifySettings::default(),
            state_file: None,
            engines: EngineRequest {
                hosts: cli.hosts.clone(),
                contexts: cli.contexts.clone(),
                from_file: Vec::new(),
            },
            keys: Keymap::default(),
            theme: cli.theme.clone(),
            log_folder: PathBuf::from("."),
        })
    }
}

/// The state file: `STACKTOP_STATE_FILE`, else `state.toml` in the user's
/// stacktop config folder, next to `config.toml`.
fn state_file(os: &HashMap<String, String>) -> Option<PathBuf> {
    match os.get("STACKTOP_STATE_FILE") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => dirs::config_dir().map(|dir| dir.join("stacktop").join("state.toml")),
    }
}

/// Parses `1s`, `500ms`, `2.5s`, `1m` or a bare number of seconds.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else {
        (text, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (try 1s, 500ms, 2.5s)"))?;
    let secs = value * scale;
    if !(0.1..=3600.0).contains(&secs) {
        return Err(format!("`{text}` is out of range (100ms to 1h)"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_with_units() {
        assert_eq!(parse_interval("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_interval("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_interval("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_interval("1m"), Ok(Duration::from_secs(60)));
        assert!(parse_interval("fast").is_err());
        assert!(parse_interval("0s").is_err());
    }
}
