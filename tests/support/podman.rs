//! A Podman API service of its own for one test: its own storage, run
//! folder and socket, so nothing is shared with another Podman user.
//!
//! Dropping it removes its containers, stops the service, unmounts what
//! it left mounted and removes the folder.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::docker::BUSYBOX;
use super::engine::{checked, copy_image, mounts_under, ping};
use super::wait_until;

pub struct Podman {
    dir: PathBuf,
    service: Option<Child>,
}

impl Podman {
    /// Starts `podman system service` on a fresh socket, with the fixture
    /// image copied in from the shared Docker engine.
    pub fn start(purpose: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("stp-{purpose}-{}", std::process::id()));
        let mut podman = Self { dir, service: None };
        podman.clear_folder();
        std::fs::create_dir_all(podman.dir.join("tmp"))
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", podman.dir.display()));
        podman.load(BUSYBOX);
        let log = std::fs::File::create(podman.dir.join("service.log")).expect("service log");
        let service = podman
            .command()
            .args(["system", "service", "--time=0", &podman.host()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run podman ({e}); run scripts/test.sh, which installs it")
            });
        podman.service = Some(service);
        let socket = podman.dir.join("podman.sock");
        assert!(
            wait_until(Duration::from_secs(20), Duration::from_millis(50), || ping(
                &socket
            )),
            "the podman service did not answer; its log:\n{}",
            std::fs::read_to_string(podman.dir.join("service.log")).unwrap_or_default()
        );
        podman
    }

    /// `unix://…/podman.sock`, for `DOCKER_HOST`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.dir.join("podman.sock").display())
    }

    /// `podman` with this instance's storage. The VFS driver and cgroupfs
    /// work in a container without systemd; the events go to a file.
    fn command(&self) -> Command {
        let dir = |name: &str| self.dir.join(name).to_string_lossy().into_owned();
        let mut cmd = Command::new("podman");
        // Podman reads registry logins from $DOCKER_CONFIG/config.json and
        // fails when the folder has none (test.sh points it at compose v2).
        cmd.env_remove("DOCKER_CONFIG");
        cmd.args(["--root", &dir("root"), "--runroot", &dir("run")])
            .args(["--tmpdir", &dir("tmp"), "--storage-driver", "vfs"])
            .args(["--cgroup-manager", "cgroupfs", "--events-backend", "file"]);
        cmd
    }

    /// `podman ARGS`, trimmed stdout; panics when it fails.
    pub fn podman(&self, args: &[&str]) -> String {
        checked(self.command(), args, "podman")
    }

    /// Runs a detached fixture container without a network (the limits
    /// keep it under this machine's hard limits), with `labels`.
    pub fn run(&self, name: &str, labels: &[&str], script: &str) -> String {
        let image = format!("localhost/{BUSYBOX}");
        let mut args = vec!["run", "-d", "--name", name, "--network", "none"];
        args.extend([
            "--ulimit",
            "nofile=20000:20000",
            "--ulimit",
            "nproc=4096:4096",
        ]);
        for label in labels {
            args.extend(["--label", label]);
        }
        args.extend([image.as_str(), "sh", "-c", script]);
        self.podman(&args)
    }

    /// `docker save IMAGE | podman load`: named `localhost/IMAGE` there.
    fn load(&self, image: &str) {
        let mut load = self.command();
        load.arg("load");
        copy_image(image, load, "podman");
    }

    fn clear_folder(&self) {
        for mount in mounts_under(&self.dir) {
            let _ = Command::new("umount").arg("-l").arg(&mount).output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = self.command().args(["rm", "-a", "-f", "-t", "0"]).output();
        if let Some(mut service) = self.service.take() {
            let _ = service.kill();
            let _ = service.wait();
        }
        self.clear_folder();
    }
}
