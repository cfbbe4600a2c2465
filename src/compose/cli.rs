//! The compose command line: `docker compose` (v2) or `docker-compose` (v1).

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::process::Command;

use crate::child::{self, RunError};
use crate::model::ProjectLocation;

/// Which compose command line runs compose commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeCli {
    /// The `docker compose` plugin.
    V2,
    /// The standalone `docker-compose` 1.x.
    V1,
}

/// Longest a compose command may run: `up` may have to pull nothing but
/// waits for dependencies; `rm -s` waits for stop timeouts.
const CLI_TIMEOUT: Duration = Duration::from_secs(180);
/// Longest `config` may run: it only reads files, so a file that keeps it
/// busy longer is one it will not get through (an alias bomb).
const CONFIG_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest `version` may run while the CLI is looked for.
const VERSION_TIMEOUT: Duration = Duration::from_secs(10);

/// The compose CLI on this machine, v2 first; looked for once per process.
pub fn find_compose_cli() -> Option<ComposeCli> {
    static FOUND: OnceLock<Option<ComposeCli>> = OnceLock::new();
    *FOUND.get_or_init(detect)
}

/// `STACKTOP_COMPOSE_CLI`-style choice made explicit: `none` (never use a
/// CLI), `v1`, `v2`, or anything else / nothing for [`find_compose_cli`].
pub fn choose_compose_cli(setting: Option<&str>) -> Option<ComposeCli> {
    match setting.map(str::trim) {
        Some("none") => None,
        Some("v1") => Some(ComposeCli::V1),
        Some("v2") => Some(ComposeCli::V2),
        _ => find_compose_cli(),
    }
}

fn detect() -> Option<ComposeCli> {
    let works = |program: &str, args: &[&str]| {
        let mut cmd = std::process::Command::new(program);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        child::status_blocking(&mut cmd, VERSION_TIMEOUT).is_ok_and(|s| s.success())
    };
    if works("docker", &["compose", "version"]) {
        Some(ComposeCli::V2)
    } else if works("docker-compose", &["version"]) {
        Some(ComposeCli::V1)
    } else {
        None
    }
}

impl ComposeCli {
    pub fn program(self) -> &'static str {
        match self {
            Self::V2 => "docker compose",
            Self::V1 => "docker-compose",
        }
    }

    /// `docker compose -p NAME --project-directory WD -f F... ARGS`, run in
    /// the working dir so relative file names resolve as they did for the
    /// user.
    pub fn command(self, project: &ProjectLocation, args: &[&str]) -> Command {
        let mut cmd = match self {
            Self::V2 => {
                let mut c = Command::new("docker");
                c.arg("compose");
                c
            }
            Self::V1 => Command::new("docker-compose"),
        };
        cmd.args(["-p", &project.name]);
        if !project.working_dir.is_empty() {
            cmd.args(["--project-directory", &project.working_dir]);
            cmd.current_dir(&project.working_dir);
        }
        for file in &project.files {
            cmd.args(["-f", file]);
        }
        // v1 takes one env file: the last, which wins anyway.
        let env_files = match self {
            Self::V2 => &project.env_files[..],
            Self::V1 => &project.env_files[project.env_files.len().saturating_sub(1)..],
        };
        for file in env_files {
            cmd.args(["--env-file", file]);
        }
        for profile in &project.profiles {
            cmd.args(["--profile", profile]);
        }
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs a compose command; `Ok` holds stdout, `Err` what went wrong:
    /// the command, then the CLI's whole stderr (its error comes last,
    /// after progress lines).
    pub async fn run(
        self,
        project: &ProjectLocation,
        args: &[&str],
        env: Option<&HashMap<String, String>>,
    ) -> Result<String, String> {
        let mut cmd = self.command(project, args);
        if let Some(env) = env {
            cmd.env_clear().envs(env);
        }
        let shown = format!("{} {}", self.program(), args.join(" "));
        let output = match child::output(cmd, timeout(args)).await {
            Err(e @ RunError::TimedOut(_)) => return Err(format!("`{shown}` {e}")),
            Err(e) => return Err(format!("cannot run `{shown}`: {e}")),
            Ok(output) => output,
        };
        if output.status.success() {
            return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "`{shown}`{EXITED}({}): {}",
            output.status,
            stderr.trim()
        ))
    }
}

/// What [`ComposeCli::run`]'s error says when the CLI ran and refused.
const EXITED: &str = " failed ";

/// The CLI's own words when an error of [`ComposeCli::run`] is its refusal
/// (it ran and exited non-zero; its error is the last line it printed), not
/// a timeout or a CLI that could not start.
pub fn refusal(error: &str) -> Option<String> {
    let (_, stderr) = error
        .strip_prefix('`')?
        .split_once(&format!("`{EXITED}("))?;
    let (_, stderr) = stderr.split_once("): ")?;
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty())?;
    Some(last.trim().to_string())
}

/// How long a compose command may run.
fn timeout(args: &[&str]) -> Duration {
    match args.first() {
        Some(&"config") => CONFIG_TIMEOUT,
        _ => CLI_TIMEOUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_the_last_line_the_cli_printed() {
        let error = "`docker compose config --format json` failed (exit status: 15): \
                     Loading…\nservice \"api\" depends on undefined service \"db\": invalid compose project\n";
        assert_eq!(
            refusal(error).as_deref(),
            Some(r#"service "api" depends on undefined service "db": invalid compose project"#)
        );
        assert_eq!(
            refusal("`docker compose config` timed out after 15 s"),
            None
        );
        assert_eq!(
            refusal("cannot run `docker compose config`: not found"),
            None
        );
    }

    #[test]
    fn command_line_names_project_directory_and_files() {
        let project = ProjectLocation {
            name: "shop".into(),
            working_dir: "/src/shop".into(),
            files: vec!["a.yaml".into(), "b.yaml".into()],
            env_files: vec!["one.env".into(), "two.env".into()],
            profiles: vec!["debug".into()],
        };
        let cmd = ComposeCli::V1.command(&project, &["config"]);
        let std = cmd.as_std();
        assert_eq!(std.get_program(), "docker-compose");
        let args: Vec<_> = std
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "-p",
                "shop",
                "--project-directory",
                "/src/shop",
                "-f",
                "a.yaml",
                "-f",
                "b.yaml",
                "--env-file",
                "two.env",
                "--profile",
                "debug",
                "config"
            ]
        );
        let v2 = ComposeCli::V2.command(&project, &["up", "-d"]);
        let args: Vec<_> = v2
            .as_std()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args[0], "compose");
        assert_eq!(args.last().map(String::as_str), Some("-d"));
    }

    #[test]
    fn choice_none_means_no_cli() {
        assert_eq!(choose_compose_cli(Some("none")), None);
        assert_eq!(choose_compose_cli(Some("v1")), Some(ComposeCli::V1));
    }
}
