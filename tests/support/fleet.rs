//! Many containers of the fixture image at once, for tests of scale and
//! of engines: all removed on drop, also when a test fails half-way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::docker::{BUSYBOX, LABEL, docker, docker_cli};

/// Parallel `docker run`s: the engine serialises much of the work, more
/// clients only queue.
const WORKERS: usize = 8;

/// Idle containers of the fixture image, all removed on drop.
pub struct Fleet {
    /// A label only this fleet carries, to remove exactly its containers.
    run_label: String,
    pub names: Vec<String>,
}

impl Fleet {
    /// Starts `count` idle containers named `{prefix}-000`… with `docker run`
    /// from [`WORKERS`] threads; panics (and cleans up) if any fails.
    pub fn start(prefix: &str, count: usize) -> Self {
        let fleet = Self {
            run_label: format!("org.stacktop.fixture.run={prefix}"),
            names: (0..count).map(|i| format!("{prefix}-{i:03}")).collect(),
        };
        let next = AtomicUsize::new(0);
        let failures: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..WORKERS)
                .map(|_| {
                    scope.spawn(|| {
                        let mut failed = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::SeqCst);
                            let Some(name) = fleet.names.get(i) else {
                                return failed;
                            };
                            if let Err(e) = fleet.run_one(name) {
                                failed.push(e);
                                return failed;
                            }
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|_| vec!["a worker panicked".into()])
                })
                .collect()
        });
        assert!(
            failures.is_empty(),
            "starting the fleet failed: {failures:?}"
        );
        fleet
    }

    fn run_one(&self, name: &str) -> Result<(), String> {
        let out = docker_cli()
            .args(["run", "-d", "--network", "none", "--name", name])
            .args(["--label", LABEL, "--label", &self.run_label])
            .args([BUSYBOX, "sleep", "3600"])
            .output()
            .map_err(|e| format!("cannot run docker: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// Ids of the containers of this fleet that exist now.
    fn existing(&self) -> Vec<String> {
        let filter = format!("label={}", self.run_label);
        docker_cli()
            .args(["ps", "-aq", "--filter", &filter])
            .output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        // `sleep` ignores SIGTERM as pid 1, so `rm -f` (SIGKILL) at once.
        for _ in 0..3 {
            let ids = self.existing();
            if ids.is_empty() {
                return;
            }
            std::thread::scope(|scope| {
                for chunk in ids.chunks(ids.len().div_ceil(WORKERS)) {
                    scope.spawn(move || {
                        let _ = docker_cli().args(["rm", "-f"]).args(chunk).output();
                    });
                }
            });
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// `docker run` of a detached fixture container without a network.
pub fn run_args<'a>(name: &'a str, script: &'a str) -> [&'a str; 12] {
    [
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        name,
        "--label",
        LABEL,
        BUSYBOX,
        "sh",
        "-c",
        script,
    ]
}

/// Runs a logger named `name` on the shared engine printing `word N`.
pub fn run_logger(name: &str, word: &str) {
    let script =
        format!("trap 'exit 0' TERM; i=0; while :; do echo {word} $i; i=$((i+1)); sleep 0.3; done");
    docker(&run_args(name, &script));
}
