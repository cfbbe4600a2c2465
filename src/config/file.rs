//! The config file: `stacktop.toml` in the working folder, else
//! `stacktop/config.toml` in the user's config folder.
//!
//! ```toml
//! [[postgres]]
//! name = "auth_db"
//! url = "postgres://app:secret@127.0.0.1:5433/auth"
//!
//! [[redis]]
//! name = "cache"
//! url = "redis://:secret@127.0.0.1:6379/0"
//!
//! [[rabbitmq]]
//! name = "bus"
//! url = "http://guest:guest@127.0.0.1:15672"
//!
//! # Where `S` in the log view saves (default: the current folder).
//! log_folder = "~/logs"
//! ```
//!
//! `engines = ["desktop-linux", "devbox"]` follows several engines at once
//! (context names, or addresses such as `ssh://dev@devbox`).
//!
//! Every mistake names the file, line and column and what was expected.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;
use toml::Spanned;

use super::health::{HealthSection, HealthSettings};
use super::notify::{NotifySection, NotifySettings};
use crate::discover::target_id;
use crate::keymap::Keymap;
use crate::model::{Target, TargetKind, TargetOrigin};
use crate::toml_error::{line_column, toml_error};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    /// Disables restart, stop, start, up and reset.
    #[serde(default)]
    read_only: bool,
    /// Engines to follow at once: context names or addresses.
    #[serde(default)]
    engines: Vec<String>,
    /// Where the log view saves files; `~/` is the home folder.
    log_folder: Option<Spanned<String>>,
    #[serde(default)]
    postgres: Vec<TargetEntry>,
    #[serde(default)]
    redis: Vec<TargetEntry>,
    #[serde(default)]
    rabbitmq: Vec<TargetEntry>,
    #[serde(default)]
    search: Vec<TargetEntry>,
    health: Option<HealthSection>,
    notify: Option<NotifySection>,
    /// Read with its positions by `keys::keymap`.
    keys: Option<toml::Table>,
    /// A built-in theme's name, or a theme file.
    theme: Option<String>,
}

impl FileConfig {
    /// The entries of `kind`'s table (`[[postgres]]`…).
    fn entries(&self, kind: TargetKind) -> &[TargetEntry] {
        match kind {
            TargetKind::Postgres => &self.postgres,
            TargetKind::Redis => &self.redis,
            TargetKind::RabbitMq => &self.rabbitmq,
            TargetKind::Search => &self.search,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetEntry {
    name: String,
    url: Spanned<String>,
}

/// Where the config file is looked for, first found wins.
pub fn candidates(cwd: &Path) -> Vec<PathBuf> {
    let mut paths = vec![cwd.join("stacktop.toml")];
    if let Some(dir) = dirs::config_dir() {
        paths.push(dir.join("stacktop").join("config.toml"));
    }
    paths
}

/// What the config file sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileSettings {
    pub read_only: bool,
    pub engines: Vec<String>,
    pub targets: Vec<Target>,
    pub health: HealthSettings,
    pub notify: NotifySettings,
    pub keys: Keymap,
    pub theme: Option<String>,
    pub log_folder: Option<PathBuf>,
}

/// Settings of the first config file found (defaults when there is none).
pub fn load(paths: &[PathBuf]) -> Result<FileSettings> {
    let Some(path) = paths.iter().find(|p| p.is_file()) else {
        return Ok(FileSettings::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading config {}", path.display()))?;
    let mut settings = parse(&text, &path.display().to_string())?;
    // A theme file is named relative to the config file.
    if let (Some(theme), Some(dir)) = (&settings.theme, path.parent())
        && !crate::theme::names().contains(&theme.as_str())
    {
        settings.theme = Some(dir.join(theme).display().to_string());
    }
    Ok(settings)
}

/// Parses a config file's text; `name` is how errors call the file.
pub fn parse(text: &str, name: &str) -> Result<FileSettings> {
    let file: FileConfig = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
    let health = match &file.health {
        Some(section) => section.settings(text, name)?,
        None => HealthSettings::default(),
    };
    let notify = match &file.notify {
        Some(section) => section.settings(text, name)?,
        None => NotifySettings::default(),
    };
    let keys = match &file.keys {
        Some(_) => super::keys::keymap(text, name)?,
        None => Keymap::default(),
    };
    Ok(FileSettings {
        read_only: file.read_only,
        engines: file.engines.clone(),
        targets: targets_of(&file, text, name)?,
        health,
        notify,
        keys,
        log_folder: log_folder_of(&file, text, name)?,
        theme: file.theme,
    })
}

/// The `log_folder` key: a folder path, `~/` for the home folder.
fn log_folder_of(file: &FileConfig, text: &str, name: &str) -> Result<Option<PathBuf>> {
    let Some(folder) = &file.log_folder else {
        return Ok(None);
    };
    let at = |why: &str| {
        let (line, column) = line_column(text, folder.span().start);
        anyhow!("{name}:{line}:{column}: {why}")
    };
    let value = folder.get_ref().trim();
    if value.is_empty() {
        return Err(at("log_folder is empty; expected a folder like \"~/logs\""));
    }
    match value.strip_prefix("~/") {
        Some(rest) => {
            let home = dirs::home_dir()
                .ok_or_else(|| at("log_folder starts with ~/ but there is no home folder"))?;
            Ok(Some(home.join(rest)))
        }
        None => Ok(Some(PathBuf::from(value))),
    }
}

fn targets_of(file: &FileConfig, text: &str, name: &str) -> Result<Vec<Target>> {
    let mut targets = Vec::new();
    for kind in TargetKind::ALL {
        for entry in file.entries(kind) {
            check_url(kind, entry.url.get_ref()).map_err(|why| {
                let (line, column) = line_column(text, entry.url.span().start);
                anyhow!("{name}:{line}:{column}: {why}")
            })?;
            targets.push(Target {
                id: target_id(kind, &None, &entry.name),
                kind,
                name: entry.name.clone(),
                url: entry.url.get_ref().clone(),
                container_id: None,
                origin: TargetOrigin::Config,
            });
        }
    }
    Ok(targets)
}

/// A target from `STACKTOP_POSTGRES_URL` or `STACKTOP_REDIS_URL`.
pub fn env_target(kind: TargetKind, var: &str, value: &str) -> Result<Target> {
    check_url(kind, value).map_err(|why| anyhow!("{var}: {why}"))?;
    let name = url::Url::parse(value)
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port()?)))
        .unwrap_or_else(|| var.to_string());
    Ok(Target {
        id: target_id(kind, &None, &name),
        kind,
        name,
        url: value.to_string(),
        container_id: None,
        origin: TargetOrigin::Environment,
    })
}

/// A URL of the right scheme with a host; the error says what is expected.
fn check_url(kind: TargetKind, text: &str) -> Result<(), String> {
    let info = kind.info();
    let (schemes, example) = (info.schemes, info.example);
    let masked = crate::model::mask_url(text);
    let url = url::Url::parse(text)
        .map_err(|e| format!("bad URL `{masked}` ({e}); expected a URL like {example}"))?;
    if !schemes.contains(&url.scheme()) {
        return Err(format!(
            "URL `{masked}` has scheme `{}`; expected {} (like {example})",
            url.scheme(),
            schemes.join(" or ")
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "URL `{masked}` has no host; expected a URL like {example}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_of_both_kinds_are_read() {
        let text = "[[postgres]]\nname = \"auth_db\"\nurl = \"postgres://a:b@127.0.0.1:5433/auth\"\n\n[[redis]]\nname = \"cache\"\nurl = \"redis://127.0.0.1:6379\"\n";
        let targets = parse(text, "stacktop.toml").unwrap().targets;
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0].id, "pg:auth_db");
        assert_eq!(targets[1].kind, TargetKind::Redis);
        assert_eq!(targets[1].origin, TargetOrigin::Config);
    }

    #[test]
    fn unknown_key_names_file_line_and_column() {
        let text = "[[postgres]]\nname = \"x\"\nurl = \"postgres://h/db\"\npasword = \"oops\"\n";
        let err = parse(text, "stacktop.toml").unwrap_err().to_string();
        assert!(err.starts_with("stacktop.toml:4:1:"), "{err}");
        assert!(err.contains("pasword"), "{err}");
    }

    #[test]
    fn bad_url_names_the_position_of_the_url_and_hides_the_password() {
        let text = "[[redis]]\nname = \"cache\"\nurl = \"http://:topsecret@127.0.0.1:6379\"\n";
        let err = parse(text, "stacktop.toml").unwrap_err().to_string();
        assert!(err.starts_with("stacktop.toml:3:7:"), "{err}");
        assert!(err.contains("expected redis or rediss"), "{err}");
        assert!(!err.contains("topsecret"), "{err}");
    }

    #[test]
    fn broken_toml_names_the_position() {
        let err = parse("[[postgres]\n", "cfg.toml").unwrap_err().to_string();
        assert!(err.starts_with("cfg.toml:1:"), "{err}");
    }

    #[test]
    fn missing_file_means_no_targets() {
        let none = load(&[PathBuf::from("/nonexistent/stacktop.toml")]).unwrap();
        assert_eq!(none, FileSettings::default());
    }

    #[test]
    fn the_health_section_is_read_and_bad_durations_are_placed() {
        let text = "[health]\nguess = false\ninterval = \"10s\"\n\n[[health.check]]\nservice = \"api\"\nurl = \"/ready\"\n";
        let health = parse(text, "c.toml").unwrap().health;
        assert!(!health.rules.guess);
        assert_eq!(health.interval, std::time::Duration::from_secs(10));
        assert_eq!(health.timeout, std::time::Duration::from_secs(2));
        assert_eq!(health.rules.declared[0].url, "/ready");
        let err = parse("[health]\ntimeout = \"soon\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:2:11:"), "{err}");
        let err = parse("[health]\ngues = true\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c.toml:2:1:") && err.contains("gues"),
            "{err}"
        );
    }

    #[test]
    fn notify_is_off_by_default_and_a_bad_desktop_is_placed() {
        let none = parse("", "c.toml").unwrap().notify;
        assert_eq!(none, NotifySettings::default());
        assert!(!none.alerts() && !none.title);
        let text = "[notify]\nbell = true\ndesktop = \"osc777\"\ntitle = true\n";
        let notify = parse(text, "c.toml").unwrap().notify;
        assert!(notify.bell && notify.title);
        assert_eq!(notify.desktop, super::super::notify::Desktop::Osc777);
        let err = parse("[notify]\ndesktop = \"growl\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c.toml:2:11:") && err.contains("osc9"),
            "{err}"
        );
        let err = parse("[notify]\nbel = true\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c.toml:2:1:") && err.contains("bel"),
            "{err}"
        );
    }

    #[test]
    fn engines_are_read() {
        let text = "engines = [\"desktop-linux\", \"ssh://dev@box\"]\n";
        let engines = parse(text, "c.toml").unwrap().engines;
        assert_eq!(engines, ["desktop-linux", "ssh://dev@box"]);
    }

    #[test]
    fn read_only_is_read() {
        assert!(parse("read_only = true\n", "c.toml").unwrap().read_only);
        let err = parse("read_only = \"yes\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:1:13:"), "{err}");
    }

    #[test]
    fn log_folder_is_read_and_a_bad_one_names_its_position() {
        let settings = parse("log_folder = \"/tmp/logs\"\n", "c.toml").unwrap();
        assert_eq!(settings.log_folder, Some(PathBuf::from("/tmp/logs")));
        let home = parse("log_folder = \"~/logs\"\n", "c.toml").unwrap();
        assert!(home.log_folder.unwrap().ends_with("logs"));
        let err = parse("\nlog_folder = \" \"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:2:14:"), "{err}");
        let err = parse("log_folder = 3\n", "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1:14:"), "{err}");
    }

    #[test]
    fn env_urls_become_targets_named_by_host_and_port() {
        let t = env_target(
            TargetKind::Postgres,
            "STACKTOP_POSTGRES_URL",
            "postgres://u:p@127.0.0.1:5439/db",
        )
        .unwrap();
        assert_eq!(t.name, "127.0.0.1:5439");
        assert_eq!(t.origin, TargetOrigin::Environment);
        assert!(env_target(TargetKind::Redis, "STACKTOP_REDIS_URL", "nonsense").is_err());
    }
}
