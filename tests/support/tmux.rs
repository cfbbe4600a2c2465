//! stacktop in a tmux pane, driven by keys as a user would, and what the
//! tests read from its screen and from its frame statistics.
//!
//! [`Tmux`] is the pane; [`Stacktop`] runs the binary in one and is what
//! the end-to-end tests drive.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::wait_until;

/// The stacktop binary to drive: `STACKTOP_BIN` (the release build, set by
/// `scripts/test.sh`), else the binary cargo built for this test run.
pub fn stacktop_bin() -> PathBuf {
    std::env::var_os("STACKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_stacktop")))
}

fn run(cmd: &str, args: &[&str]) -> Output {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{cmd}` ({e}); run scripts/test.sh, which installs it")
    });
    assert!(
        out.status.success(),
        "`{cmd} {}` failed ({}):\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    out
}

/// A detached tmux session running one command in its own tmux server, for
/// end-to-end tests of the terminal UI. The server is killed on drop.
///
/// Panes stay after their command exits (`remain-on-exit`), so what the
/// command printed last can still be read.
pub struct Tmux {
    socket: String,
    /// The server's socket file: `kill-server` leaves it behind, so Drop removes it.
    socket_path: Option<PathBuf>,
    session: String,
    config: PathBuf,
}

static TMUX_SERVERS: AtomicUsize = AtomicUsize::new(0);

impl Tmux {
    /// Starts `command` (a shell command line) in a `width`x`height` session.
    pub fn start(session: &str, width: u16, height: u16, command: &str) -> Tmux {
        let n = TMUX_SERVERS.fetch_add(1, Ordering::SeqCst);
        let socket = format!("stacktop-test-{}-{n}", std::process::id());
        // A config file, not a later set-option, so remain-on-exit is already on
        // when a fast command exits.
        let config = std::env::temp_dir().join(format!("{socket}.conf"));
        std::fs::write(
            &config,
            "set -g remain-on-exit on\n\
             set -g default-terminal screen-256color\n\
             set -g history-limit 10000\n\
             set -g status off\n",
        )
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", config.display()));
        let mut tmux = Tmux {
            socket,
            socket_path: None,
            session: session.to_string(),
            config,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let config_arg = tmux.config.to_string_lossy().to_string();
        let args = [
            "-L",
            tmux.socket.as_str(),
            "-f",
            config_arg.as_str(),
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &w,
            "-y",
            &h,
            command,
        ];
        let out = Command::new("tmux")
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run tmux ({e}); run scripts/test.sh, which installs it")
            });
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        tmux.socket_path = Some(PathBuf::from(tmux.format("#{socket_path}")));
        tmux
    }

    /// An interactive shell (prompt `ready$ `), so job control (`fg`)
    /// works, that has started `stacktop ARGS`; returns once the list's
    /// titles are on screen.
    pub fn shell_running_stacktop(session: &str, width: u16, height: u16, args: &str) -> Tmux {
        let tmux = Tmux::start(
            session,
            width,
            height,
            "PS1='ready$ ' bash --norc --noprofile -i",
        );
        tmux.expect_on_screen("ready$", Duration::from_secs(5));
        tmux.send_text(&format!("'{}' {args}", stacktop_bin().display()));
        tmux.send_keys(&["Enter"]);
        tmux.expect_on_screen("SERVICE", Duration::from_secs(15));
        tmux
    }

    /// Runs a tmux command against this session's server.
    fn tmux(&self, args: &[&str]) -> Output {
        let mut full = vec!["-L", self.socket.as_str()];
        full.extend_from_slice(args);
        run("tmux", &full)
    }

    fn target(&self) -> String {
        format!("{}:", self.session)
    }

    /// Resizes the window (and so the pane) to `width`x`height`.
    pub fn resize(&self, width: u16, height: u16) {
        let target = self.target();
        let (w, h) = (width.to_string(), height.to_string());
        self.tmux(&["resize-window", "-t", &target, "-x", &w, "-y", &h]);
    }

    /// Sends keys as `tmux send-keys` understands them: `"q"`, `"Enter"`, `"C-c"`, `"Down"`.
    pub fn send_keys(&self, keys: &[&str]) {
        let target = self.target();
        let mut args = vec!["send-keys", "-t", target.as_str()];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types `text` literally (no key-name lookup).
    pub fn send_text(&self, text: &str) {
        let target = self.target();
        self.tmux(&["send-keys", "-t", &target, "-l", text]);
    }

    /// A left click at column `x`, row `y` (from 0), as a terminal in SGR
    /// mouse mode reports it: the press, then the release. (`send-keys -M`
    /// only forwards a mouse event tmux itself received; written as text,
    /// the report reaches the program as a real terminal would send it.)
    pub fn click(&self, x: u16, y: u16) {
        let (col, row) = (x + 1, y + 1);
        self.send_text(&format!("\x1b[<0;{col};{row}M\x1b[<0;{col};{row}m"));
    }

    /// The visible screen as plain text, one line per row.
    pub fn capture(&self) -> String {
        let target = self.target();
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", &target]).stdout)
            .into_owned()
    }

    /// The scrollback history followed by the visible screen. (When the pane
    /// dies, tmux writes its "Pane is dead" line at the bottom, which can push
    /// the first line of a short output into the history.)
    pub fn capture_history(&self) -> String {
        let target = self.target();
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-S", "-", "-t", &target])
                .stdout,
        )
        .into_owned()
    }

    /// The visible screen with colours and attributes as escape sequences.
    pub fn capture_with_escapes(&self) -> String {
        let target = self.target();
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-e", "-t", &target])
                .stdout,
        )
        .into_owned()
    }

    /// Waits until `text` is in the pane (screen or scrollback; a full-screen
    /// program on the alternate screen has no scrollback, so for it this is the
    /// screen). Returns whether it appeared in time.
    pub fn wait_for_text(&self, text: &str, timeout: Duration) -> bool {
        wait_until(timeout, Duration::from_millis(100), || {
            self.capture_history().contains(text)
        })
    }

    /// Fails the test unless `text` is on the visible screen within
    /// `timeout`, showing the screen it saw.
    pub fn expect_on_screen(&self, text: &str, timeout: Duration) {
        assert!(
            self.wait_for_text_on_screen(text, timeout),
            "`{text}` not on screen after {timeout:?}:\n{}",
            self.capture()
        );
    }

    /// Waits until `text` is on the visible screen.
    pub fn wait_for_text_on_screen(&self, text: &str, timeout: Duration) -> bool {
        wait_until(timeout, Duration::from_millis(100), || {
            self.capture().contains(text)
        })
    }

    /// Reads a tmux format for the pane, e.g. `"#{pane_pid}"`.
    pub fn format(&self, format: &str) -> String {
        let target = self.target();
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", &target, format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Size of the pane as (width, height).
    pub fn size(&self) -> (u16, u16) {
        let s = self.format("#{pane_width} #{pane_height}");
        let mut it = s.split(' ').map(|v| v.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    }

    /// PID of the command running in the pane.
    pub fn pid(&self) -> u32 {
        let s = self.format("#{pane_pid}");
        s.parse()
            .unwrap_or_else(|_| panic!("tmux gave no pane pid: {s:?}"))
    }

    /// Whether the command in the pane has exited.
    pub fn pane_dead(&self) -> bool {
        self.format("#{pane_dead}") == "1"
    }

    /// From now on, appends every byte the pane's program writes to
    /// `file` (bells and titles included, which no capture shows).
    pub fn record_output(&self, file: &Path) {
        let target = self.target();
        let command = format!("cat >> '{}'", file.display());
        self.tmux(&["pipe-pane", "-o", "-t", &target, &command]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        let _ = std::fs::remove_file(&self.config);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The run loop's own figures, from `STACKTOP_STATS_FILE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameStats {
    pub frames: u64,
    pub keys: u64,
    pub max_key_ms: f64,
}

/// stacktop running in a tmux pane. When it exits, the shell prints its
/// exit status and the terminal's modes on one line (`stacktop-exit=0
/// modes: icanon echo .`), to check the terminal was restored. The pane and
/// the stats file go on drop.
pub struct Stacktop {
    pub tmux: Tmux,
    stats_file: PathBuf,
    /// The state file of this run, unless the test chose one: a run never
    /// reads or writes the user's own.
    own_state_file: Option<PathBuf>,
    /// Keys sent so far, to match against the keys stacktop counted.
    sent: Cell<u64>,
}

impl Stacktop {
    /// Runs `stacktop ARGS` in a `width`x`height` pane with `env` set.
    pub fn start(session: &str, size: (u16, u16), args: &str, env: &[(&str, String)]) -> Self {
        Self::launch(session, size, None, args, env)
    }

    /// Like [`Stacktop::start`], in the folder `dir`, as a user who `cd`s
    /// into a project and runs stacktop there.
    pub fn start_in(
        session: &str,
        size: (u16, u16),
        dir: &Path,
        args: &str,
        env: &[(&str, String)],
    ) -> Self {
        Self::launch(session, size, Some(dir), args, env)
    }

    fn launch(
        session: &str,
        size: (u16, u16),
        dir: Option<&Path>,
        args: &str,
        env: &[(&str, String)],
    ) -> Self {
        let stats_file =
            std::env::temp_dir().join(format!("stacktop-stats-{session}-{}", std::process::id()));
        let _ = std::fs::remove_file(&stats_file);
        let mut vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
        vars.push(format!("STACKTOP_STATS_FILE='{}'", stats_file.display()));
        let own_state_file = (!env.iter().any(|(k, _)| *k == "STACKTOP_STATE_FILE")).then(|| {
            std::env::temp_dir().join(format!("stacktop-state-{session}-{}", std::process::id()))
        });
        if let Some(file) = &own_state_file {
            let _ = std::fs::remove_file(file);
            vars.push(format!("STACKTOP_STATE_FILE='{}'", file.display()));
        }
        let cd = dir.map_or(String::new(), |d| format!("cd '{}' && ", d.display()));
        let command = format!(
            "{cd}env {} '{}' {args}; s=$?; m=$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '); echo \"stacktop-exit=$s modes: $m.\"; sleep 60",
            vars.join(" "),
            stacktop_bin().display()
        );
        let tmux = Tmux::start(session, size.0, size.1, &command);
        Self {
            tmux,
            stats_file,
            own_state_file,
            sent: Cell::new(0),
        }
    }

    /// `stacktop -a --context NAME…` with the docker config folder
    /// `config`, which names those contexts: every project of each engine.
    pub fn on_contexts(session: &str, size: (u16, u16), config: &Path, contexts: &[&str]) -> Self {
        let named: Vec<String> = contexts.iter().map(|c| format!("--context {c}")).collect();
        let args = format!("-a {}", named.join(" "));
        let env = [("DOCKER_CONFIG", config.display().to_string())];
        Self::start(session, size, &args, &env)
    }

    /// `stacktop -p PROJECT` on the test stack.
    pub fn on_stack(session: &str, size: (u16, u16)) -> Self {
        let args = format!("-p '{}'", super::stack::project());
        Self::start(session, size, &args, &[])
    }

    pub fn screen(&self) -> String {
        self.tmux.capture()
    }

    /// Fails the test unless `text` is on screen within `timeout`.
    pub fn expect(&self, text: &str, timeout: Duration) {
        self.tmux.expect_on_screen(text, timeout);
    }

    /// Waits until `text` is on screen; returns how long that took.
    pub fn wait_screen(&self, text: &str, timeout: Duration) -> Duration {
        self.wait_screen_for(text, timeout, |s| s.contains(text))
    }

    /// Waits until `check` accepts the screen; fails naming `what`.
    pub fn wait_screen_for(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&str) -> bool,
    ) -> Duration {
        let start = Instant::now();
        let found = wait_until(timeout, Duration::from_millis(25), || check(&self.screen()));
        assert!(
            found,
            "{what}: not on screen within {timeout:?}:\n{}",
            self.screen()
        );
        start.elapsed()
    }

    /// Sends keys by tmux name: `"Enter"`, `"Down"`, `"C-c"`.
    pub fn keys(&self, keys: &[&str]) {
        self.tmux.send_keys(keys);
        self.sent.set(self.sent.get() + keys.len() as u64);
    }

    /// Types `text` literally.
    pub fn text(&self, text: &str) {
        self.tmux.send_text(text);
        self.sent.set(self.sent.get() + text.chars().count() as u64);
    }

    /// How many keys were sent so far.
    pub fn sent(&self) -> u64 {
        self.sent.get()
    }

    /// Selects the row of `name` with the filter (`/name` Enter), and waits
    /// until the filter is kept, so the next key goes to the list.
    pub fn select(&self, name: &str) {
        self.text(&format!("/{name}"));
        self.wait_screen(&format!("/{name}"), Duration::from_secs(5));
        self.keys(&["Enter"]);
        self.wait_screen(&format!("filter: {name}"), Duration::from_secs(5));
    }

    /// Presses Esc and waits until the screen changed: an Esc followed at
    /// once by more input would be read as Alt+key.
    pub fn escape(&self) {
        let before = self.screen();
        self.keys(&["Escape"]);
        let changed = wait_until(Duration::from_secs(5), Duration::from_millis(20), || {
            self.screen() != before
        });
        assert!(changed, "Esc changed nothing on screen:\n{before}");
    }

    /// The pid of stacktop, the child of the pane's shell.
    pub fn pid(&self) -> String {
        let out = Command::new("pgrep")
            .args(["-P", &self.tmux.pid().to_string(), "stacktop"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run pgrep: {e}"));
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            !pid.is_empty(),
            "stacktop is not running:\n{}",
            self.screen()
        );
        pid
    }

    /// Sends `signal` (`TERM`, `HUP`…) to stacktop.
    pub fn signal(&self, signal: &str) {
        let pid = self.pid();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
        assert!(status.success(), "kill -{signal} {pid} failed");
    }

    /// Fails unless stacktop exited with `exit` and left the terminal as it
    /// found it: canonical mode, echo, main screen.
    pub fn assert_restored(&self, exit: &str) {
        self.tmux
            .expect_on_screen("modes: ", Duration::from_secs(10));
        let screen = self.tmux.capture_history();
        assert!(
            screen.contains(&format!("stacktop-exit={exit} ")),
            "{screen}"
        );
        assert!(screen.contains("icanon echo"), "{screen}");
        assert_eq!(
            self.tmux.format("#{alternate_on}"),
            "0",
            "alternate screen left"
        );
    }

    /// The last figures written, if any yet.
    pub fn stats(&self) -> Option<FrameStats> {
        let text = std::fs::read_to_string(&self.stats_file).ok()?;
        let field = |name: &str| {
            text.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .and_then(|v| v.parse::<f64>().ok())
        };
        Some(FrameStats {
            frames: field("frames")? as u64,
            keys: field("keys")? as u64,
            max_key_ms: field("max_key_ms")?,
        })
    }

    /// Waits until the stats file shows every key sent so far handled (it
    /// is written about once a second).
    pub fn stats_after_keys(&self) -> FrameStats {
        let keys = self.sent();
        let mut last = None;
        let done = wait_until(Duration::from_secs(5), Duration::from_millis(100), || {
            last = self.stats();
            last.is_some_and(|s| s.keys >= keys)
        });
        assert!(
            done,
            "the stats file shows {last:?}, not {keys} keys:\n{}",
            self.screen()
        );
        last.expect("checked above")
    }
}

impl Drop for Stacktop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.stats_file);
        if let Some(file) = &self.own_state_file {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// How many lines of `screen` contain `text`.
pub fn rows_with(screen: &str, text: &str) -> usize {
    list_lines(screen).filter(|l| l.contains(text)).count()
}

/// The screen's lines but the trend strip's rule, which names the selected
/// service too.
pub fn list_lines(screen: &str) -> impl Iterator<Item = &str> {
    screen.lines().filter(|l| !l.starts_with("──"))
}

/// `N containers` from the header line.
pub fn containers_counted(screen: &str) -> Option<usize> {
    let header = screen.lines().nth(1)?;
    let before = header.split(" containers:").next()?;
    before.split_whitespace().last()?.parse().ok()
}

/// The title line of the log view, where its notice is.
pub fn title_of_logs(screen: &str) -> String {
    let line = screen.lines().find(|l| l.contains("Logs ")).unwrap_or("");
    line.trim().to_string()
}
