#![allow(clippy::unwrap_used)]
//! End to end: stacktop started in a compose project's folder, the way a
//! user starts it, reads the project as Compose does. The folder has an
//! override file (which adds a service) and `COMPOSE_PROJECT_NAME` in its
//! `.env`; `u` brings the override's service up under that project name,
//! then `r` restarts it and `l` shows its logs.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::docker::{docker, inspect_field, require_engine, try_docker};
use support::tmux::Stacktop;
use support::{unique, wait_until};

const SECS: fn(u64) -> Duration = Duration::from_secs;

/// A copy of `tests/compose/e2e-override` under a project name of its own;
/// the project and the copy go on drop.
struct Project {
    dir: PathBuf,
    name: String,
}

impl Project {
    fn copy() -> Self {
        let name = format!("stacktop-e2e-override-{}", unique().replace('_', "-"));
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compose/e2e-override");
        for file in ["compose.yaml", "compose.override.yaml"] {
            std::fs::copy(fixture.join(file), dir.join(file)).unwrap();
        }
        let env = std::fs::read_to_string(fixture.join(".env")).unwrap();
        let env = env.replace("stacktop-e2e-override", &name);
        std::fs::write(dir.join(".env"), env).unwrap();
        Self { dir, name }
    }

    /// The container of `service` in this project, by compose's labels.
    fn container(&self, service: &str) -> Option<String> {
        let project = format!("label=com.docker.compose.project={}", self.name);
        let service = format!("label=com.docker.compose.service={service}");
        let out = docker(&[
            "ps",
            "-a",
            "--filter",
            &project,
            "--filter",
            &service,
            "--format",
            "{{.Names}}",
        ]);
        out.lines().next().map(str::to_string)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let label = format!("label=com.docker.compose.project={}", self.name);
        if let Ok(ids) = try_docker(&["ps", "-aq", "--filter", &label]) {
            for id in ids.lines() {
                let _ = try_docker(&["rm", "-f", id]);
            }
        }
        let _ = try_docker(&["network", "rm", &format!("{}_default", self.name)]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn from_a_folder_with_an_override_and_a_dotenv_name_up_restart_and_logs_work() {
    require_engine();
    let project = Project::copy();
    let app = Stacktop::start_in("e2e-compose", (140, 30), &project.dir, "", &[]);
    // The override's service is declared; the project is the .env's name.
    app.expect(&project.name, SECS(15));
    app.wait_screen_for("both services declared", SECS(15), |s| {
        s.lines()
            .filter(|l| l.contains("not created"))
            .any(|l| l.contains("sidecar"))
            && s.contains("api")
    });

    app.select("sidecar");
    app.text("u");
    let up = wait_until(SECS(30), Duration::from_millis(300), || {
        project
            .container("sidecar")
            .is_some_and(|c| inspect_field(&c, "{{.State.Status}}") == "running")
    });
    assert!(up, "u did not start sidecar:\n{}", app.screen());
    let sidecar = project.container("sidecar").unwrap();
    assert_eq!(
        inspect_field(
            &sidecar,
            "{{index .Config.Labels \"com.docker.compose.project\"}}"
        ),
        project.name,
        "the container carries the project name compose would give it"
    );
    app.wait_screen_for("sidecar running", SECS(10), |s| {
        s.lines()
            .any(|l| l.contains("sidecar") && l.contains("running"))
    });

    let before = inspect_field(&sidecar, "{{.State.StartedAt}}");
    app.text("r");
    let restarted = wait_until(SECS(20), Duration::from_millis(200), || {
        inspect_field(&sidecar, "{{.State.StartedAt}}") != before
    });
    assert!(restarted, "r did not restart sidecar:\n{}", app.screen());

    app.text("l");
    app.expect("Logs ", SECS(5));
    app.expect("sidecar-tick", SECS(10));
    app.escape();
    app.text("q");
    app.assert_restored("0");
}
