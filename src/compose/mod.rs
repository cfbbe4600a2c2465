//! Reading compose projects: declared services, profiles, volumes.
//!
//! With a compose CLI on the machine its own `config` output is read, so
//! profiles, `.env` and interpolation are exactly what compose does; without
//! one the files are read and merged here ([`fallback`]).

mod cli;
mod declared;
pub mod fallback;
mod interpolate;
mod local;
mod yaml;

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use tokio::sync::mpsc::Sender;

use crate::event::{ComposeEvent, Event};
use crate::model::{ComposeProject, ProjectLocation};
use crate::text::one_line;

pub use cli::{ComposeCli, choose_compose_cli, find_compose_cli};
pub use declared::{is_active, profiles_from};
pub use interpolate::interpolate;
pub use local::{default_file, local_project, normalise_project, project_of_folder};

/// File names compose looks for when a project names none, in its order.
pub const DEFAULT_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Reads a project's declared services in a task of its own and reports
/// `ComposeEvent::Loaded` or `LoadFailed`.
pub fn spawn_load(location: ProjectLocation, tx: Sender<Event>) {
    tokio::spawn(async move {
        let cli = tokio::task::spawn_blocking(find_compose_cli)
            .await
            .unwrap_or(None);
        let env: HashMap<String, String> = std::env::vars().collect();
        let event = match load(&location, cli, &env).await {
            Ok(project) => ComposeEvent::Loaded(Box::new(project)),
            Err(error) => {
                tracing::warn!(project = %location.name, error = %format!("{error:#}"), "loading compose project failed");
                ComposeEvent::LoadFailed {
                    project: location.name,
                    error: one_line(&format!("{error:#}")),
                }
            }
        };
        let _ = tx.send(Event::Compose(event)).await;
    });
}

/// The declared services of a project, active with the `COMPOSE_PROFILES`
/// of `env` (else of the project's `.env`). `env` is the whole environment
/// the compose CLI runs with, or that interpolation reads without one.
pub async fn load(
    location: &ProjectLocation,
    cli: Option<ComposeCli>,
    env: &HashMap<String, String>,
) -> anyhow::Result<ComposeProject> {
    let dir = Path::new(&location.working_dir);
    let files = &location.files;
    let env_with_dotenv = fallback::with_dotenv(dir, env)?;
    let profiles = profiles_from(env_with_dotenv.get("COMPOSE_PROFILES").map(String::as_str));
    let config = match cli {
        Some(cli) => config_from_cli(cli, location, env).await?,
        None => {
            let files = if files.is_empty() {
                let file = default_file(dir)
                    .with_context(|| format!("no compose file in {}", dir.display()))?;
                vec![file.display().to_string()]
            } else {
                files.to_vec()
            };
            fallback::read_config(dir, &files, &env_with_dotenv)?
        }
    };
    Ok(ComposeProject {
        location: location.clone(),
        services: declared::services(&config, &profiles)?,
    })
}

/// `config` as the CLI prints it: JSON from v2, YAML from v1.
async fn config_from_cli(
    cli: ComposeCli,
    location: &ProjectLocation,
    env: &HashMap<String, String>,
) -> anyhow::Result<serde_json::Value> {
    let args: &[&str] = match cli {
        ComposeCli::V2 => &["config", "--format", "json"],
        ComposeCli::V1 => &["config"],
    };
    let text = cli
        .run(location, args, Some(env))
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
