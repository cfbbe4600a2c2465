//! A private Docker engine for one test: its own network namespace, socket,
//! data and exec folders, pidfile and containerd namespace, so it can be
//! stopped and started without touching the machine's shared engine. In a
//! namespace of its own it cannot touch the host's bridges or firewall
//! either; its containers run without a network.
//!
//! Dropping it kills the engine, unmounts whatever it left mounted under
//! its folder and removes the folder, whether the test passed or not.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::project::{cli, compose_command};
use super::{Folder, wait_until};

/// Longest wait for the engine to answer after it was started.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest wait for the engine to exit after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

pub struct PrivateEngine {
    dir: PathBuf,
    daemon: Option<Child>,
    /// How many times the daemon was started, to name its log files.
    starts: u32,
}

impl PrivateEngine {
    /// Starts a daemon in a fresh folder and waits until it answers.
    pub fn start(purpose: &str) -> Self {
        // Short: the socket paths under it must stay within 108 bytes.
        let dir = std::env::temp_dir().join(format!("stf-{purpose}-{}", std::process::id()));
        let mut engine = Self {
            dir,
            daemon: None,
            starts: 0,
        };
        // A folder left by a killed earlier run of this pid is ours to clear.
        engine.clear_folder();
        std::fs::create_dir_all(&engine.dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", engine.dir.display()));
        engine.launch();
        engine
    }

    /// `unix://…/docker.sock`, for `DOCKER_HOST`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("docker.sock")
    }

    /// Runs the daemon with the fixed set of flags, and waits for it.
    pub fn launch(&mut self) {
        assert!(self.daemon.is_none(), "the private engine already runs");
        self.starts += 1;
        let log_path = self.dir.join(format!("dockerd-{}.log", self.starts));
        let log = std::fs::File::create(&log_path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", log_path.display()));
        let log_err = log
            .try_clone()
            .unwrap_or_else(|e| panic!("cannot share {}: {e}", log_path.display()));
        let dir = |name: &str| self.dir.join(name).to_string_lossy().into_owned();
        // `unshare --net` execs dockerd in a new network namespace: there
        // `--bridge none` removes nothing of the host's (in the host's
        // namespace it would delete docker0, which the shared engine needs).
        let child = Command::new("unshare")
            .args(["--net", "dockerd"])
            .args(["--host", &self.host()])
            .args(["--data-root", &dir("data")])
            .args(["--exec-root", &dir("exec")])
            .args(["--pidfile", &dir("docker.pid")])
            .args(["--containerd-namespace", CONTAINERD_NAMESPACE])
            .args(["--containerd-plugins-namespace", CONTAINERD_PLUGINS])
            .args(["--bridge", "none", "--iptables=false", "--ip6tables=false"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run unshare/dockerd ({e}); run scripts/test.sh, which installs docker.io"
                )
            });
        self.daemon = Some(child);
        let up = wait_until(START_TIMEOUT, Duration::from_millis(50), || {
            self.answers() || self.exited()
        });
        assert!(
            up && self.answers(),
            "the private dockerd did not answer within {START_TIMEOUT:?}; its log ends:\n{}",
            self.log_tail()
        );
    }

    /// Whether the daemon process has ended.
    fn exited(&mut self) -> bool {
        match self.daemon.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => false,
            Some(Ok(Some(_)) | Err(_)) | None => true,
        }
    }

    /// Whether the engine answers `GET /_ping` right now.
    pub fn answers(&self) -> bool {
        ping(&self.socket())
    }

    /// Sends SIGTERM and waits for the daemon to exit; returns when it did.
    pub fn stop(&mut self) -> Instant {
        let pid = self.pid().expect("the private engine runs");
        signal("TERM", pid);
        let gone = wait_until(STOP_TIMEOUT, Duration::from_millis(10), || self.exited());
        assert!(
            gone,
            "the private dockerd did not exit within {STOP_TIMEOUT:?} of SIGTERM"
        );
        let exited = Instant::now();
        self.daemon = None;
        exited
    }

    fn pid(&self) -> Option<u32> {
        self.daemon.as_ref().map(Child::id)
    }

    /// `docker -H <this engine> ARGS`, trimmed stdout; panics when it fails.
    pub fn docker(&self, args: &[&str]) -> String {
        let mut docker = Command::new("docker");
        docker.args(["-H", &self.host()]);
        checked(docker, args, "the private engine")
    }

    /// `docker inspect -f TEMPLATE NAME` on this engine.
    pub fn inspect(&self, name: &str, template: &str) -> String {
        self.docker(&["inspect", "-f", template, name])
    }

    /// The compose CLI the tests drive, on this engine: `-p PROJECT -f
    /// FILE ARGS`; trimmed stdout, panics when it fails.
    pub fn compose(&self, project: &str, file: &Path, args: &[&str]) -> String {
        let mut compose = compose_command(cli());
        compose
            .env("DOCKER_HOST", self.host())
            .env_remove("DOCKER_CONTEXT");
        let file = file.to_string_lossy();
        let mut full = vec!["-p", project, "-f", &file];
        full.extend_from_slice(args);
        checked(compose, &full, "the private engine")
    }

    /// Copies `image` from the shared engine into this one.
    pub fn load_image(&self, image: &str) {
        let mut load = Command::new("docker");
        load.args(["-H", &self.host(), "load"]);
        copy_image(image, load, "the private engine");
    }

    /// The last lines the daemon logged, for failure messages.
    pub fn log_tail(&self) -> String {
        let path = self.dir.join(format!("dockerd-{}.log", self.starts));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Unmounts what the daemon left mounted under the folder, then removes it.
    fn clear_folder(&self) {
        for mount in mounts_under(&self.dir) {
            let _ = Command::new("umount").arg("-l").arg(&mount).output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for PrivateEngine {
    fn drop(&mut self) {
        if let Some(mut daemon) = self.daemon.take() {
            signal("TERM", daemon.id());
            let deadline = Instant::now() + Duration::from_secs(15);
            while matches!(daemon.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
        // The containerd that dockerd started survives a dockerd that was
        // killed rather than stopped: end it by its pid file.
        let containerd = self.dir.join("exec/containerd/containerd.pid");
        if let Some(pid) = std::fs::read_to_string(containerd)
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok())
        {
            signal("KILL", pid);
        }
        self.clear_folder();
    }
}

/// A docker config folder with contexts `(name, host)`, and optionally a
/// current context, as `docker context create` and `use` write them;
/// removed when dropped.
pub fn config_with_contexts(
    purpose: &str,
    contexts: &[(&str, &str)],
    current: Option<&str>,
) -> Folder {
    let config = Folder::new(purpose);
    for (name, host) in contexts {
        let digest = Command::new("sh")
            .args([
                "-c",
                &format!("printf %s '{name}' | sha256sum | cut -d' ' -f1"),
            ])
            .output()
            .expect("sha256sum");
        let hash = String::from_utf8_lossy(&digest.stdout).trim().to_string();
        let meta = config.0.join("contexts/meta").join(hash);
        std::fs::create_dir_all(&meta).expect("context folder");
        let json = format!(
            r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#
        );
        std::fs::write(meta.join("meta.json"), json).expect("meta.json");
    }
    let current = match current {
        Some(name) => format!(r#"{{"auths":{{}},"currentContext":"{name}"}}"#),
        None => r#"{"auths":{}}"#.to_string(),
    };
    config.write("config.json", &current);
    config
}

/// Runs `program ARGS` and returns its trimmed stdout; panics with its
/// stderr, naming `engine`, when it fails.
pub fn checked(mut program: Command, args: &[&str], engine: &str) -> String {
    let name = program.get_program().to_string_lossy().into_owned();
    let out = program
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    assert!(
        out.status.success(),
        "`{name} {}` on {engine} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `docker save IMAGE | LOAD`: copies an image of the shared engine into
/// another engine.
pub fn copy_image(image: &str, mut load: Command, engine: &str) {
    let mut save = Command::new("docker")
        .args(["save", image])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run docker save: {e}"));
    let saved = save.stdout.take().expect("piped stdout");
    let loaded = load
        .stdin(saved)
        .output()
        .unwrap_or_else(|e| panic!("cannot load into {engine}: {e}"));
    let saved_ok = save.wait().is_ok_and(|s| s.success());
    assert!(
        saved_ok && loaded.status.success(),
        "copying {image} into {engine} failed (is it built? run scripts/test.sh): {}",
        String::from_utf8_lossy(&loaded.stderr).trim()
    );
}

/// Sends `signal` to `pid` (ignoring a process already gone).
pub fn signal(signal: &str, pid: u32) {
    let _ = Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .output();
}

/// Whether an engine answers `GET /_ping` on `socket` within half a second.
pub fn ping(socket: &Path) -> bool {
    let Ok(mut stream) = UnixStream::connect(socket) else {
        return false;
    };
    let timeout = Some(Duration::from_millis(500));
    if stream.set_read_timeout(timeout).is_err() || stream.set_write_timeout(timeout).is_err() {
        return false;
    }
    if stream
        .write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut reply = [0u8; 12];
    stream.read_exact(&mut reply).is_ok() && reply.ends_with(b" 200")
}

/// Mount points at or under `dir`, deepest first.
pub fn mounts_under(dir: &Path) -> Vec<PathBuf> {
    let table = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut found: Vec<PathBuf> = table
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(PathBuf::from)
        .filter(|point| point.starts_with(dir))
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    found
}

/// The private engine's containerd namespaces, apart from the shared
/// engine's `moby`, should both ever talk to one containerd.
const CONTAINERD_NAMESPACE: &str = "stacktop-test-private";
const CONTAINERD_PLUGINS: &str = "stacktop-test-private-plugins";
