//! Reading compose projects as Compose reads them: which project a folder
//! means ([`resolve`]), its environment ([`dotenv`]), and its declared
//! services, profiles and volumes.
//!
//! With a compose CLI on the machine its own `config` output is read. When
//! the CLI refuses the files (compose v1 does not know newer syntax) or
//! there is none, stacktop reads and merges them itself ([`fallback`]); a
//! project is only unreadable when both fail.

mod cli;
mod declared;
pub mod dotenv;
mod extends;
pub mod fallback;
mod file;
mod interpolate;
mod merge;
mod resolve;
mod validate;
pub mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use tokio::sync::mpsc::Sender;

use crate::event::{ComposeEvent, Event};
use crate::model::{CliFailure, ComposeProject, EngineId, ProjectKey, ProjectLocation};
use crate::tasks;

pub use cli::{ComposeCli, choose_compose_cli, find_compose_cli};
pub use declared::{is_active, profiles_from};
pub use interpolate::interpolate;
pub use resolve::{
    DEFAULT_FILES, OVERRIDE_FILES, ProjectOptions, Resolved, default_files, normalise_project,
    resolve,
};

/// Reads a project's declared services in a task of its own and reports
/// `ComposeEvent::Loaded` or `LoadFailed` (a panic included).
pub fn spawn_load(engine: EngineId, location: ProjectLocation, tx: Sender<Event>) {
    let project = ProjectKey::new(engine, location.name.clone());
    let failed = |error| {
        Event::Compose(ComposeEvent::LoadFailed {
            project,
            error: format!("stopped on an internal error: {error}"),
        })
    };
    tasks::spawn_event(tx, failed, async move {
        let cli = tokio::task::spawn_blocking(find_compose_cli)
            .await
            .unwrap_or(None);
        let env: HashMap<String, String> = std::env::vars().collect();
        Event::Compose(match load(&location, cli, &env).await {
            Ok(loaded) => {
                if let Some(failure) = &loaded.cli_failure {
                    tracing::warn!(project = %location.name, cli = %failure.program, error = %failure.error, "the compose CLI could not read the project; stacktop's reader did");
                }
                ComposeEvent::Loaded {
                    engine,
                    project: Box::new(loaded.project),
                    cli_failure: loaded.cli_failure,
                }
            }
            Err(error) => {
                let error = format!("{error:#}");
                tracing::warn!(project = %location.name, %error, "loading compose project failed");
                ComposeEvent::LoadFailed {
                    project: ProjectKey::new(engine, location.name),
                    error,
                }
            }
        })
    });
}

/// A project read, and the CLI's complaint when its own reader was used.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub project: ComposeProject,
    pub cli_failure: Option<CliFailure>,
}

/// The declared services of a project, with `os` as the process
/// environment: the compose CLI's view when `cli` reads the files, else
/// stacktop's own, which follows the same rules.
pub async fn load(
    location: &ProjectLocation,
    cli: Option<ComposeCli>,
    os: &HashMap<String, String>,
) -> anyhow::Result<Loaded> {
    let env = environment(location, os)?;
    let profiles = active_profiles(location, &env);
    let files = files_of(location)?;
    // A file past the bounds (too large, too deep, an alias bomb) is one
    // no reader gets through: the CLI is not started on it.
    for file in &files {
        file::check(&Path::new(&location.working_dir).join(file))?;
    }
    let own = || fallback::read_config(Path::new(&location.working_dir), &files, &env);
    let (config, cli_failure) = match cli {
        None => {
            let config = own()?;
            let refusal = validate::refusal(&config, &profiles, Path::new(&location.working_dir));
            let failure = refusal.map(|words| CliFailure {
                program: "stacktop's reader".to_string(),
                error: words.clone(),
                refusal: Some(words),
            });
            (config, failure)
        }
        Some(cli) => match config_from_cli(cli, location, os, &profiles).await {
            Ok(config) => (config, None),
            Err(cli_error) => match own() {
                Ok(config) => {
                    let error = format!("{cli_error:#}");
                    // v1's refusal is no verdict (it predates newer syntax);
                    // what Compose itself refuses is.
                    let dir = Path::new(&location.working_dir);
                    let said = (cli == ComposeCli::V2).then(|| cli::refusal(&error));
                    let refusal = said
                        .flatten()
                        .or_else(|| validate::refusal(&config, &profiles, dir));
                    let failure = CliFailure {
                        program: cli.program().to_string(),
                        error,
                        refusal,
                    };
                    (config, Some(failure))
                }
                Err(own_error) => anyhow::bail!(
                    "{} failed: {cli_error:#}\nstacktop's reader failed too: {own_error:#}",
                    cli.program()
                ),
            },
        },
    };
    Ok(Loaded {
        project: ComposeProject {
            location: location.clone(),
            services: declared::services(&config, &profiles)?,
        },
        cli_failure,
    })
}

/// The process environment over the project's env files.
pub fn environment(
    location: &ProjectLocation,
    os: &HashMap<String, String>,
) -> anyhow::Result<HashMap<String, String>> {
    let files: Vec<PathBuf> = if location.env_files.is_empty() {
        resolve::default_env_file(Path::new(&location.working_dir), os)
            .into_iter()
            .collect()
    } else {
        location.env_files.iter().map(PathBuf::from).collect()
    };
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut env = dotenv::environment(os, &refs)?;
    // The files may say `${COMPOSE_PROJECT_NAME}`: it is the name chosen,
    // whichever source gave it, as compose-go sets it before interpolating.
    env.insert("COMPOSE_PROJECT_NAME".to_string(), location.name.clone());
    Ok(env)
}

/// The profiles asked for, else those of `COMPOSE_PROFILES`.
pub fn active_profiles(location: &ProjectLocation, env: &HashMap<String, String>) -> Vec<String> {
    if location.profiles.is_empty() {
        profiles_from(env.get("COMPOSE_PROFILES").map(String::as_str))
    } else {
        location.profiles.clone()
    }
}

/// The project's files, or its folder's default files when it names none.
fn files_of(location: &ProjectLocation) -> anyhow::Result<Vec<String>> {
    let dir = Path::new(&location.working_dir);
    if !location.files.is_empty() {
        return Ok(location.files.iter().map(|f| label_file(dir, f)).collect());
    }
    let files =
        default_files(dir).with_context(|| format!("no compose file in {}", dir.display()))?;
    Ok(files.iter().map(|f| f.display().to_string()).collect())
}

/// A compose file as a container's label names it. Compose v2 writes
/// absolute paths; v1 writes them as given on its command line, relative to
/// where it ran, which is often not the project folder: when the path does
/// not resolve from the project folder, the file of that name in it is the
/// one meant.
fn label_file(dir: &Path, file: &str) -> String {
    let path = dir.join(file);
    let own = Path::new(file).file_name().map(|name| dir.join(name));
    match own {
        Some(own) if !path.exists() && own.exists() => own.display().to_string(),
        _ => file.to_string(),
    }
}

/// `config` as the CLI prints it: JSON from v2, YAML from v1.
async fn config_from_cli(
    cli: ComposeCli,
    location: &ProjectLocation,
    os: &HashMap<String, String>,
    profiles: &[String],
) -> anyhow::Result<serde_json::Value> {
    let args: &[&str] = match cli {
        ComposeCli::V2 => &["config", "--format", "json"],
        ComposeCli::V1 => &["config"],
    };
    let mut env = os.clone();
    env.insert("COMPOSE_PROFILES".to_string(), profiles.join(","));
    let text = cli
        .run(location, args, Some(&env))
        .await
        .map_err(anyhow::Error::msg)?;
    let mut config = match cli {
        ComposeCli::V2 => {
            serde_json::from_str(&text).context("reading `docker compose config` JSON")?
        }
        ComposeCli::V1 => yaml::parse(&text).context("reading `docker-compose config` YAML")?,
    };
    // The CLI prints a literal `$` escaped again (`$$`), so its output can
    // be fed back to it; the values are meant here.
    unescape_dollars(&mut config);
    Ok(config)
}

fn unescape_dollars(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains("$$") => *s = s.replace("$$", "$"),
        Value::Array(items) => items.iter_mut().for_each(unescape_dollars),
        Value::Object(map) => map.values_mut().for_each(unescape_dollars),
        _ => {}
    }
}
