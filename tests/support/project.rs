//! A throwaway compose project of `tests/stack/reset.yaml` for one test:
//! started under its own name, removed with `down -v` when dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};

use stacktop::compose::{ComposeCli, find_compose_cli};
use stacktop::engine::Engine;
use stacktop::model::{Container, ProjectLocation, ResetPlan, plan_reset};

use super::docker::{BUSYBOX, POSTGRES, docker, require_engine, require_image};

pub struct Stack {
    pub project: String,
    pub file: PathBuf,
    pub dir: PathBuf,
    pub cli: ComposeCli,
}

/// The compose CLI the tests drive; a missing one fails the test.
pub fn cli() -> ComposeCli {
    find_compose_cli().expect(
        "no compose CLI: these tests need `docker compose` (v2) or `docker-compose` (v1); \
         scripts/test.sh installs docker-compose",
    )
}

/// `docker compose` or `docker-compose`, without COMPOSE_PROFILES, so
/// only a test's own arguments choose profiles.
pub fn compose_command(cli: ComposeCli) -> Command {
    let mut command = match cli {
        ComposeCli::V2 => {
            let mut c = Command::new("docker");
            c.arg("compose");
            c
        }
        ComposeCli::V1 => Command::new("docker-compose"),
    };
    command.env_remove("COMPOSE_PROFILES");
    command
}

impl Stack {
    /// Starts `services` of the reset stack under `stacktop-reset-<test>-<pid>`.
    pub fn up(test: &str, services: &[&str]) -> Stack {
        require_engine();
        require_image(BUSYBOX);
        if services.contains(&"db") {
            require_image(POSTGRES);
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stack");
        let stack = Stack {
            project: format!("stacktop-reset-{test}-{}", std::process::id()),
            file: dir.join("reset.yaml"),
            dir,
            cli: cli(),
        };
        let mut args = vec!["up", "-d"];
        args.extend_from_slice(services);
        stack.compose(&args);
        stack
    }

    /// Runs compose on this project, panicking with stderr on failure.
    pub fn compose(&self, args: &[&str]) -> Output {
        let out = self.try_compose(args);
        assert!(
            out.status.success(),
            "compose {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        out
    }

    pub fn try_compose(&self, args: &[&str]) -> Output {
        let file = self.file.to_string_lossy();
        let mut full: Vec<&str> = vec!["-p", &self.project, "-f", &file];
        full.extend_from_slice(args);
        compose_command(self.cli)
            .args(&full)
            .output()
            .unwrap_or_else(|e| panic!("cannot run compose: {e}"))
    }

    /// How compose is pointed at this project.
    pub fn location(&self) -> ProjectLocation {
        ProjectLocation {
            name: self.project.clone(),
            working_dir: self.dir.to_string_lossy().into_owned(),
            files: vec![self.file.to_string_lossy().into_owned()],
            ..ProjectLocation::default()
        }
    }

    /// Names of the service's containers, running or not.
    pub fn containers_of(&self, service: &str) -> Vec<String> {
        let out = docker(&[
            "ps",
            "-a",
            "--filter",
            &format!("label=com.docker.compose.project={}", self.project),
            "--filter",
            &format!("label=com.docker.compose.service={service}"),
            "--format",
            "{{.Names}}",
        ]);
        out.lines().map(str::to_string).collect()
    }

    /// The one container of `service`.
    pub fn container(&self, service: &str) -> String {
        let names = self.containers_of(service);
        assert_eq!(
            names.len(),
            1,
            "{service} should have one container: {names:?}"
        );
        names[0].clone()
    }

    /// The engine name of a named volume of this project.
    pub fn volume(&self, key: &str) -> String {
        format!("{}_{key}", self.project)
    }

    /// The project's containers as the collector sees them.
    pub async fn engine_containers(&self) -> Vec<Container> {
        let engine = Engine::from_env();
        let client = engine.client().await.expect("engine");
        let ids = docker(&[
            "ps",
            "-aq",
            "--no-trunc",
            "--filter",
            &format!("label=com.docker.compose.project={}", self.project),
        ]);
        let mut containers = Vec::new();
        for id in ids.lines() {
            let container = engine.inspect(&client, id).await.expect("inspect");
            containers.extend(container);
        }
        containers
    }

    /// A reset plan as the app builds it, from the engine's containers
    /// and the project as it was read (`None` services: the whole project).
    pub async fn plan(&self, services: Option<&[&str]>) -> ResetPlan {
        let services: Option<Vec<String>> =
            services.map(|s| s.iter().map(|s| s.to_string()).collect());
        plan_reset(
            &self.engine_containers().await,
            &self.project,
            services.as_deref(),
            Some(&self.location()),
        )
        .unwrap_or_else(|e| panic!("no reset plan: {e}"))
    }

    /// `127.0.0.1:PORT` the engine gave to the container port of a service.
    pub fn host_port(&self, service: &str, port: &str) -> u16 {
        let out = docker(&["port", &self.container(service), port]);
        let line = out.lines().next().unwrap_or_default();
        line.rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no host port for {service} {port}: {out:?}"))
    }

    pub fn write_marker(&self, text: &str) {
        let c = self.container("keeper");
        docker(&[
            "exec",
            &c,
            "sh",
            "-c",
            &format!("echo {text} > /keep/marker"),
        ]);
    }

    pub fn marker(&self) -> String {
        let c = self.container("keeper");
        docker(&["exec", &c, "cat", "/keep/marker"])
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // With the profile, so `extra` goes too when a test started it.
        let _ = self.try_compose(&[
            "--profile",
            "extra",
            "down",
            "-v",
            "--remove-orphans",
            "-t",
            "1",
        ]);
    }
}

/// The process environment without COMPOSE_PROFILES, plus `more`.
pub fn env_with(more: &[(&str, &str)]) -> HashMap<String, String> {
    let mut env: HashMap<String, String> = std::env::vars().collect();
    env.remove("COMPOSE_PROFILES");
    for (k, v) in more {
        env.insert(k.to_string(), v.to_string());
    }
    env
}
