//! Engines reached as remote ones are: over TLS and over SSH, both on the
//! loopback, in front of a private engine's socket.
//!
//! - [`TlsProxy`]: `socat` listening with TLS on `127.0.0.1:<port>`,
//!   verifying client certificates, forwarding to a unix socket; the
//!   certificates are made by `openssl` for the test.
//! - [`Sshd`]: an `sshd` of the test's own on `127.0.0.1:<port>`, with
//!   generated keys, whose logins see `DOCKER_HOST` set to the engine's
//!   socket, so `docker system dial-stdio` reaches it; and an `ssh` on a
//!   PATH of its own that knows the key and the host.
//!
//! Dropping either stops its process and removes its folder.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::ports::free_port;
use super::wait_until;

/// A folder of the test's own, removed on drop by its owner.
fn fresh_folder(purpose: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("str-{purpose}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Runs a setup command line in `dir` (words split on spaces); panics
/// with its stderr when it fails.
fn run_in(dir: &Path, line: &str) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (program, args) = words.split_first().expect("a command");
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program} ({e}); run scripts/test.sh, which installs it")
        });
    assert!(
        out.status.success(),
        "`{line}` failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

/// Waits until something accepts TCP connections on `127.0.0.1:port`.
fn wait_for_port(port: u16, what: &str, child: &mut Child) {
    let up = wait_until(Duration::from_secs(10), Duration::from_millis(50), || {
        TcpStream::connect(("127.0.0.1", port)).is_ok() || matches!(child.try_wait(), Ok(Some(_)))
    });
    assert!(
        up && TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "{what} did not listen on 127.0.0.1:{port}"
    );
}

fn stop(child: &mut Option<Child>) {
    if let Some(mut child) = child.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// EC keys: quick to make.
const NEW_KEY: &str = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

/// A CA (`NAME.pem`, `NAME-key.pem`), made with `openssl`.
fn make_ca(dir: &Path, name: &str) {
    run_in(
        dir,
        &format!(
            "openssl req -x509 {NEW_KEY} -keyout {name}-key.pem -out {name}.pem -days 2 -subj /CN=stacktop-test-{name}"
        ),
    );
}

/// `NAME-key.pem` and `NAME-cert.pem` signed by `ca`, with `extensions`.
fn make_cert(dir: &Path, name: &str, ca: &str, extensions: &str) {
    std::fs::write(dir.join(format!("{name}.ext")), extensions).expect("extensions file");
    run_in(
        dir,
        &format!(
            "openssl req {NEW_KEY} -keyout {name}-key.pem -out {name}.csr -subj /CN=127.0.0.1"
        ),
    );
    run_in(
        dir,
        &format!(
            "openssl x509 -req -in {name}.csr -CA {ca}.pem -CAkey {ca}-key.pem -CAcreateserial -out {name}-cert.pem -days 2 -extfile {name}.ext"
        ),
    );
}

/// TLS on `127.0.0.1:<port>` in front of an engine's unix socket.
pub struct TlsProxy {
    dir: PathBuf,
    pub port: u16,
    socat: Option<Child>,
}

impl TlsProxy {
    pub fn start(purpose: &str, socket: &Path) -> Self {
        let dir = fresh_folder(purpose);
        make_ca(&dir, "ca");
        make_ca(&dir, "other-ca");
        make_cert(
            &dir,
            "server",
            "ca",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        );
        make_cert(&dir, "client", "ca", "extendedKeyUsage=clientAuth\n");
        for (folder, ca) in [("client", "ca.pem"), ("wrong-ca", "other-ca.pem")] {
            let to = dir.join(folder);
            std::fs::create_dir_all(&to).expect("client folder");
            for (from, name) in [
                (ca, "ca.pem"),
                ("client-cert.pem", "cert.pem"),
                ("client-key.pem", "key.pem"),
            ] {
                std::fs::copy(dir.join(from), to.join(name)).expect("copy a certificate");
            }
        }
        let port = free_port();
        let path = |name: &str| dir.join(name).display().to_string();
        let listen = format!(
            "openssl-listen:{port},bind=127.0.0.1,reuseaddr,fork,cert={},key={},cafile={},verify=1",
            path("server-cert.pem"),
            path("server-key.pem"),
            path("ca.pem"),
        );
        let log = std::fs::File::create(dir.join("socat.log")).expect("socat log");
        let mut socat = Command::new("socat")
            .arg("-d")
            .arg(listen)
            .arg(format!("UNIX-CONNECT:{}", socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run socat ({e}); run scripts/test.sh, which installs it")
            });
        wait_for_port(port, "socat", &mut socat);
        Self {
            dir,
            port,
            socat: Some(socat),
        }
    }

    /// `tcp://127.0.0.1:<port>`, for `DOCKER_HOST`.
    pub fn host(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.port)
    }

    /// A `DOCKER_CERT_PATH`: the right CA and a client certificate.
    pub fn client_certs(&self) -> PathBuf {
        self.dir.join("client")
    }

    /// What socat said: its TLS errors.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("socat.log")).unwrap_or_default()
    }

    /// The same client certificate, with a CA that did not sign the
    /// server's certificate.
    pub fn wrong_ca_certs(&self) -> PathBuf {
        self.dir.join("wrong-ca")
    }
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        stop(&mut self.socat);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An sshd of the test's own whose logins reach an engine's socket.
pub struct Sshd {
    dir: PathBuf,
    pub port: u16,
    sshd: Option<Child>,
}

impl Sshd {
    pub fn start(purpose: &str, engine_host: &str) -> Self {
        let dir = fresh_folder(purpose);
        for key in ["host_key", "client_key"] {
            let made = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f", key])
                .current_dir(&dir)
                .status();
            assert!(made.is_ok_and(|s| s.success()), "ssh-keygen failed");
        }
        std::fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).expect("keys");
        // Privilege separation wants this folder; the package makes it only
        // for the system's own sshd.
        std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
        let port = free_port();
        let path = |name: &str| dir.join(name).display().to_string();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\n\
             AuthorizedKeysFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n\
             SetEnv DOCKER_HOST={engine_host}\n",
            path("host_key"),
            path("sshd.pid"),
            path("authorized_keys"),
        );
        std::fs::write(dir.join("sshd_config"), config).expect("sshd_config");
        let host_key = std::fs::read_to_string(dir.join("host_key.pub")).expect("host key");
        std::fs::write(
            dir.join("known_hosts"),
            format!("[127.0.0.1]:{port} {host_key}"),
        )
        .expect("known_hosts");
        let client = format!(
            "Host *\n  IdentityFile {}\n  IdentitiesOnly yes\n  UserKnownHostsFile {}\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n",
            path("client_key"),
            path("known_hosts"),
        );
        std::fs::write(dir.join("ssh_config"), client).expect("ssh_config");
        std::fs::create_dir_all(dir.join("bin")).expect("bin");
        let wrapper = dir.join("bin/ssh");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nexec /usr/bin/ssh -F {} \"$@\"\n",
                path("ssh_config")
            ),
        )
        .expect("ssh wrapper");
        run_in(&dir, &format!("chmod +x {}", wrapper.display()));
        let mut sshd = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f", &path("sshd_config")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("sshd.log")).expect("sshd log"))
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run sshd ({e}); run scripts/test.sh, which installs openssh-server")
            });
        wait_for_port(port, "sshd", &mut sshd);
        Self {
            dir,
            port,
            sshd: Some(sshd),
        }
    }

    /// `ssh://root@127.0.0.1:<port>`, for `DOCKER_HOST`.
    pub fn host(&self) -> String {
        format!("ssh://root@127.0.0.1:{}", self.port)
    }

    /// A `PATH` whose `ssh` knows this server's key and the client key.
    pub fn path(&self) -> String {
        let system = std::env::var("PATH").unwrap_or_default();
        format!("{}:{system}", self.dir.join("bin").display())
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        stop(&mut self.sshd);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
