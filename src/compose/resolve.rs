//! Which compose project a folder means, by Compose's own rules (as
//! `docker compose` v2 applies them):
//!
//! 1. Files: `-f` (repeatable), else `COMPOSE_FILE` (split on
//!    `COMPOSE_PATH_SEPARATOR`, `:` by default), else the first default file
//!    name found in the folder or the nearest parent that has one, with that
//!    folder's default override file merged over it.
//! 2. The project folder: `--project-directory`, else the first file's.
//! 3. Environment: the process environment over the env files (`--env-file`,
//!    else the project folder's `.env`). `COMPOSE_FILE` and the like are
//!    also read from the `.env` of the folder stacktop starts in.
//! 4. Name: `-p`, else `COMPOSE_PROJECT_NAME`, else the files' top-level
//!    `name:`, else the project folder's name made valid (lower case, only
//!    `a-z 0-9 _ -`). A name given explicitly must already be valid.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};

use super::{dotenv, interpolate};
use crate::model::ProjectLocation;

/// File names compose looks for when a project names none, in its order.
pub const DEFAULT_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// Override files merged over the default file, in compose's order.
pub const OVERRIDE_FILES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// How the user pointed at a project: the compose CLI's own options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectOptions {
    /// `-p`
    pub name: Option<String>,
    /// `-f`, repeatable.
    pub files: Vec<PathBuf>,
    /// `--env-file`, repeatable.
    pub env_files: Vec<PathBuf>,
    /// `--profile`, repeatable.
    pub profiles: Vec<String>,
    /// `--project-directory`
    pub project_directory: Option<PathBuf>,
}

/// The project of a folder, as compose would run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub location: ProjectLocation,
    /// The process environment over the project's env files.
    pub env: HashMap<String, String>,
}

/// The project `options` and the folder `cwd` mean, with `os` as the
/// process environment; `None` when there is no compose file to find.
pub fn resolve(
    options: &ProjectOptions,
    cwd: &Path,
    os: &HashMap<String, String>,
) -> anyhow::Result<Option<Resolved>> {
    let options = &with_env_files(options, os);
    let base = options
        .project_directory
        .as_ref()
        .map_or_else(|| cwd.to_path_buf(), |d| cwd.join(d));
    let files = match config_files(options, cwd, &base, os)? {
        Some(files) => files,
        None => return Ok(None),
    };
    let working_dir = match &options.project_directory {
        Some(_) => base.clone(),
        None => files[0].parent().map_or(base.clone(), Path::to_path_buf),
    };
    // Compose picks the default `.env` once it knows the first file: from
    // -f, COMPOSE_FILE or the search. Files that only the starting
    // folder's `.env` names leave that `.env` as the project's, all of it.
    let dotenv_named_them = options.files.is_empty()
        && os.get("COMPOSE_FILE").is_none_or(|f| f.is_empty())
        && default_files(&base).is_none();
    let env_folder = if dotenv_named_them {
        &base
    } else {
        &working_dir
    };
    let env_files = env_files(options, cwd, env_folder, os)?;
    let file_refs: Vec<&Path> = env_files.iter().map(PathBuf::as_path).collect();
    let env = dotenv::environment(os, &file_refs)?;
    let name = project_name(options, &env, &files, &working_dir)?;
    let listed = if options.env_files.is_empty() && dotenv_named_them {
        env_files.clone()
    } else {
        options.env_files.iter().map(|f| cwd.join(f)).collect()
    };
    let location = ProjectLocation {
        name,
        working_dir: display(&working_dir),
        files: files.iter().map(|f| display(f)).collect(),
        env_files: listed.iter().map(|f| display(f)).collect(),
        profiles: options.profiles.clone(),
    };
    Ok(Some(Resolved { location, env }))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// `-f`, else `COMPOSE_FILE`, else the default file (searched upwards) and
/// its override.
fn config_files(
    options: &ProjectOptions,
    cwd: &Path,
    base: &Path,
    os: &HashMap<String, String>,
) -> anyhow::Result<Option<Vec<PathBuf>>> {
    if !options.files.is_empty() {
        return existing(options.files.iter().map(|f| cwd.join(f))).map(Some);
    }
    // COMPOSE_FILE may come from the --env-files, as with Compose.
    if !options.env_files.is_empty() {
        let given = existing(options.env_files.iter().map(|f| cwd.join(f)))
            .context("reading the --env-file files")?;
        let refs: Vec<&Path> = given.iter().map(PathBuf::as_path).collect();
        return listed_files(&dotenv::environment(os, &refs)?, cwd, base);
    }
    // Else from the .env of the folder compose runs in.
    let local_env = base.join(".env");
    let env = if local_env.is_file() && !default_env_disabled(os) {
        match dotenv::environment(os, &[&local_env]) {
            Ok(env) => env,
            // Only an error if there is a project here to read it for.
            Err(e) if default_files(base).is_some() => return Err(e),
            Err(_) => os.clone(),
        }
    } else {
        os.clone()
    };
    listed_files(&env, cwd, base)
}

/// The files `COMPOSE_FILE` lists in `env`, else the default ones.
fn listed_files(
    env: &HashMap<String, String>,
    cwd: &Path,
    base: &Path,
) -> anyhow::Result<Option<Vec<PathBuf>>> {
    if let Some(listed) = env.get("COMPOSE_FILE").filter(|f| !f.is_empty()) {
        let separator = env
            .get("COMPOSE_PATH_SEPARATOR")
            .filter(|s| !s.is_empty())
            .map_or(":", String::as_str);
        let files = listed
            .split(separator)
            .filter(|f| !f.is_empty())
            .map(|f| cwd.join(f));
        return existing(files).map(Some);
    }
    Ok(default_files(base))
}

fn existing(files: impl Iterator<Item = PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
    files
        .map(|f| {
            if f.is_file() {
                Ok(f)
            } else {
                Err(anyhow!("compose file {} not found", f.display()))
            }
        })
        .collect()
}

/// The first default file in `dir` or its nearest parent that has one,
/// with the override file next to it.
pub fn default_files(dir: &Path) -> Option<Vec<PathBuf>> {
    dir.ancestors().find_map(|folder| {
        let main = first_of(folder, &DEFAULT_FILES)?;
        Some(
            std::iter::once(main)
                .chain(first_of(folder, &OVERRIDE_FILES))
                .collect(),
        )
    })
}

fn first_of(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// `--env-file`, else those `COMPOSE_ENV_FILES` lists (split on commas),
/// as compose-go's `WithEnvFiles` takes them.
fn with_env_files(options: &ProjectOptions, os: &HashMap<String, String>) -> ProjectOptions {
    let listed = os.get("COMPOSE_ENV_FILES").filter(|v| !v.is_empty());
    match listed {
        Some(listed) if options.env_files.is_empty() => ProjectOptions {
            env_files: listed.split(',').map(PathBuf::from).collect(),
            ..options.clone()
        },
        _ => options.clone(),
    }
}

/// `COMPOSE_DISABLE_ENV_FILE`: no default `.env` is read.
fn default_env_disabled(os: &HashMap<String, String>) -> bool {
    os.get("COMPOSE_DISABLE_ENV_FILE").is_some_and(|v| {
        ["1", "true", "yes", "y"]
            .iter()
            .any(|t| v.eq_ignore_ascii_case(t))
    })
}

/// The project folder's `.env`, if there is one and
/// `COMPOSE_DISABLE_ENV_FILE` does not say to leave it.
pub fn default_env_file(working_dir: &Path, os: &HashMap<String, String>) -> Option<PathBuf> {
    let default = working_dir.join(".env");
    (default.is_file() && !default_env_disabled(os)).then_some(default)
}

/// `--env-file` (relative to `cwd`), else [`default_env_file`].
fn env_files(
    options: &ProjectOptions,
    cwd: &Path,
    working_dir: &Path,
    os: &HashMap<String, String>,
) -> anyhow::Result<Vec<PathBuf>> {
    if options.env_files.is_empty() {
        return Ok(default_env_file(working_dir, os).into_iter().collect());
    }
    existing(options.env_files.iter().map(|f| cwd.join(f))).context("reading the --env-file files")
}

/// `-p`, `COMPOSE_PROJECT_NAME`, the files' `name:`, the folder's name.
fn project_name(
    options: &ProjectOptions,
    env: &HashMap<String, String>,
    files: &[PathBuf],
    working_dir: &Path,
) -> anyhow::Result<String> {
    // `-p ''` names nothing: the next source gives the name, as in Compose.
    if let Some(name) = options.name.as_ref().filter(|n| !n.is_empty()) {
        return valid(name, "-p");
    }
    if let Some(name) = env.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty()) {
        return valid(name, "COMPOSE_PROJECT_NAME");
    }
    // Compose makes a file's `name:` valid rather than refusing it
    // (`My.Shop_App` is `myshop_app`); only -p and the variable are checked.
    if let Some(name) = declared_name(files, env)?.and_then(|n| normalise_project(&n)) {
        return Ok(name);
    }
    let folder = working_dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    normalise_project(folder).ok_or_else(|| {
        anyhow!(
            "the folder name {folder:?} makes no project name; give one with -p or COMPOSE_PROJECT_NAME"
        )
    })
}

/// The top-level `name:` of the last file that sets one, interpolated.
fn declared_name(
    files: &[PathBuf],
    env: &HashMap<String, String>,
) -> anyhow::Result<Option<String>> {
    let mut found = None;
    for file in files {
        // A file that cannot be read is reported when the project is read,
        // on screen.
        let Ok(config) = super::file::parse(file) else {
            continue;
        };
        if let Some(raw) = config.get("name").and_then(|n| n.as_str()) {
            let name = interpolate(raw, env)
                .with_context(|| format!("interpolating `name:` in {}", file.display()))?;
            if !name.is_empty() {
                found = Some(name);
            }
        }
    }
    Ok(found)
}

/// Compose's rule for names: lower-case letters, digits, `_` and `-`,
/// starting with a letter or digit.
fn valid(name: &str, from: &str) -> anyhow::Result<String> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if first_ok && rest_ok {
        return Ok(name.to_string());
    }
    bail!(
        "invalid project name {name:?} (from {from}): compose names are lower-case letters, digits, `-` and `_`, starting with a letter or digit"
    )
}

/// A folder name made a valid project name, the way Compose does it.
pub fn normalise_project(name: &str) -> Option<String> {
    let name: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect();
    let name = name.trim_start_matches(['-', '_']).to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests;
