//! `stacktop status`, `check` and `wait`: what the screen shows, for
//! scripts and CI, from the same collectors and state without a screen.
//!
//! Exit codes: 0 when all is well, 1 when a service has a problem (or the
//! wait timed out), 2 on a usage or connection error. Nothing printed
//! carries an escape sequence, a control or a bidi control from the stack
//! (see `print`); only stacktop's own progress line uses one, and only when
//! stdout is a terminal.

mod figures;
pub mod json;
mod observe;
pub mod print;
mod report;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use tokio::time::Instant;

use crate::app::{HealthSummary, Store};
use crate::config::{Headless, Settings};
use crate::model::ContainerState;
use crate::text::fit;
use observe::Observer;
use report::ServiceReport;

/// Longest wait for everything to answer once (probes time out sooner).
const SETTLE: Duration = Duration::from_secs(6);

/// Runs a headless command to its exit code.
pub fn run(settings: Settings, command: Headless) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let result = match runtime {
        Ok(runtime) => {
            let result = runtime.block_on(execute(settings, command));
            runtime.shutdown_timeout(Duration::from_millis(100));
            result
        }
        Err(e) => Err(format!("starting the async runtime: {e}")),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            print::error(&error);
            ExitCode::from(2)
        }
    }
}

async fn execute(settings: Settings, command: Headless) -> Result<u8, String> {
    let wants_cpu = matches!(command, Headless::Status { .. });
    let engines = crate::engine::choose(&settings.engines).await?;
    let mut observer = Observer::start(settings, engines, wants_cpu);
    match command {
        Headless::Status { json, timeout } => {
            settle(&mut observer, Some(timeout)).await?;
            print_status(&observer, json)
        }
        Headless::Check { services, timeout } => {
            settle(&mut observer, None).await?;
            // A service not created is known from its compose file only;
            // the folder's own project is read, to say if it cannot be.
            let here = observer.settings.local_compose.is_some();
            if here || !named_all(&observer, &services) {
                settle(&mut observer, Some(timeout)).await?;
            }
            check(&observer, &services)
        }
        Headless::Wait { timeout, services } => wait(&mut observer, timeout, &services).await,
    }
}

/// Takes events until everything has answered once: the engine and the
/// probes within [`SETTLE`], the compose projects too (read meanwhile) when
/// `compose` gives how long they may take. A slow compose CLI (v1 may take
/// longer than the engine) is waited for, and named when it took too long.
async fn settle(observer: &mut Observer, compose: Option<Duration>) -> Result<(), String> {
    let started = Instant::now();
    if compose.is_some() {
        observer.read_projects();
    }
    observer.until(started + SETTLE, false).await?;
    observer.tick();
    if !observer.listed() {
        return Err(format!(
            "the engine at {} did not answer within {} s",
            observer.endpoints(),
            SETTLE.as_secs()
        ));
    }
    if let Some(timeout) = compose {
        observer.until(started + timeout, true).await?;
        observer.tick();
        if !observer.projects_read() {
            print::error(&format!(
                "the compose files were not all read within {} s (--timeout): services they declare may be missing",
                timeout.as_secs()
            ));
        }
    }
    Ok(())
}

fn print_status(observer: &Observer, as_json: bool) -> Result<u8, String> {
    let services = report::services(&observer.store, &observer.settings);
    let mut out = std::io::stdout().lock();
    let written = if as_json {
        print::json(&mut out, &json::status(&observer.store, &services))
    } else {
        write_table(&mut out, &services).and_then(|()| {
            unreadable_lines(&observer.store)
                .iter()
                .try_for_each(|line| print::line(&mut out, line))
        })
    };
    match written {
        // A reader that stopped early (`| head`) is no error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(format!("writing the status: {e}")),
        Ok(()) => Ok(0),
    }
}

/// The status as a plain table, grouped by project.
fn write_table(out: &mut impl Write, services: &[ServiceReport<'_>]) -> std::io::Result<()> {
    let columns = [24, 22, 22, 4, 7, 10];
    let titles = ["SERVICE", "STATE", "HEALTH", "RST", "CPU", "MEM"];
    let mut header: Vec<String> = titles.iter().zip(columns).map(|(t, w)| fit(t, w)).collect();
    header.push("DATABASE".into());
    print::line(out, header.join(" ").trim_end())?;
    let mut group = None;
    for s in services {
        if group != Some(s.group()) {
            group = Some(s.group());
            print::line(out, s.group())?;
        }
        let cells = [
            format!("  {}", s.name),
            s.container
                .map_or_else(|| "not created".to_string(), |c| c.state.words()),
            s.health
                .as_ref()
                .map_or("—".to_string(), HealthSummary::text),
            s.container
                .map_or(String::new(), |c| c.restart_count.to_string()),
            s.stats
                .map_or("—".to_string(), |st| format!("{:.1}%", st.cpu_percent)),
            s.stats
                .map_or("—".to_string(), |st| crate::text::bytes(st.mem_used)),
        ];
        let mut line: Vec<String> = cells.iter().zip(columns).map(|(c, w)| fit(c, w)).collect();
        line.push(s.probe.map_or(String::new(), |p| p.summary().0));
        print::line(out, line.join(" ").trim_end())?;
    }
    Ok(())
}

/// Whether every name matches a service already listed.
fn named_all(observer: &Observer, names: &[String]) -> bool {
    let services = report::services(&observer.store, &observer.settings);
    names.iter().all(|n| services.iter().any(|s| s.is_named(n)))
}

/// Which services a command looks at when none are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unnamed {
    /// `check`: those with a container or a probe. A one-shot container
    /// that exited 0 (a migration, a seed) is done, not failing.
    Present,
    /// `wait`: the same, and the declared services not created yet.
    Declared,
}

/// The services asked for: those named, or by default (see `Unnamed`). A
/// name that matches nothing is a usage error.
fn wanted<'a>(
    services: Vec<ServiceReport<'a>>,
    names: &[String],
    default: Unnamed,
) -> Result<Vec<ServiceReport<'a>>, String> {
    if names.is_empty() {
        let finished = |s: &ServiceReport<'_>| {
            s.container
                .is_some_and(|c| c.state == ContainerState::Exited { code: 0 })
        };
        return Ok(services
            .into_iter()
            .filter(|s| s.container.is_some() || s.probe.is_some() || default == Unnamed::Declared)
            .filter(|s| !finished(s))
            .collect());
    }
    for name in names {
        if !services.iter().any(|s| s.is_named(name)) {
            let known: Vec<String> = services.iter().map(ServiceReport::full_name).collect();
            return Err(format!(
                "no service named {name:?}; known: {}",
                known.join(", ")
            ));
        }
    }
    Ok(services
        .into_iter()
        .filter(|s| names.iter().any(|n| s.is_named(n)))
        .collect())
}

/// One line a problem: `user-service: unhealthy (docker health check failing)`.
fn problem_lines(services: &[ServiceReport<'_>]) -> Vec<String> {
    services
        .iter()
        .flat_map(|s| {
            let name = s.full_name();
            s.problems()
                .into_iter()
                .map(move |p| format!("{name}: {p}"))
        })
        .collect()
}

/// One line for each project whose compose files could not be read (with
/// the first line of why) or that Compose refuses (in its words):
/// `shop: compose files unreadable: …`.
fn unreadable_lines(store: &Store) -> Vec<String> {
    let unreadable = store.unreadable().map(|(key, error)| {
        let why = error.lines().next().unwrap_or_default();
        format!("{}: compose files unreadable: {why}", key.name)
    });
    let invalid = store
        .invalid()
        .map(|(key, words)| format!("{}: Compose refuses the files: {words}", key.name));
    unreadable.chain(invalid).collect()
}

fn check(observer: &Observer, names: &[String]) -> Result<u8, String> {
    let services = wanted(
        report::services(&observer.store, &observer.settings),
        names,
        Unnamed::Present,
    )?;
    // Checking everything, a project that cannot be read is not ready.
    let mut problems = if names.is_empty() {
        unreadable_lines(&observer.store)
    } else {
        Vec::new()
    };
    if services.is_empty() && problems.is_empty() {
        print::say("no service to check");
        return Ok(0);
    }
    problems.extend(problem_lines(&services));
    if problems.is_empty() {
        print::say(&format!(
            "all {} services run and are healthy",
            services.len()
        ));
        return Ok(0);
    }
    for line in &problems {
        print::say(line);
    }
    Ok(1)
}

async fn wait(observer: &mut Observer, timeout: Duration, names: &[String]) -> Result<u8, String> {
    let started = Instant::now();
    let deadline = started + timeout;
    let terminal = std::io::stdout().is_terminal();
    let mut shown = String::new();
    observer.read_projects();
    loop {
        let more = observer.next(deadline).await?;
        observer.tick();
        let over = !more && Instant::now() >= deadline;
        if !observer.listed() {
            if over {
                return Err(format!(
                    "the engine at {} did not answer within {} s",
                    observer.endpoints(),
                    timeout.as_secs()
                ));
            }
            continue;
        }
        // Before everything answered once, a service may look unready
        // only because its check has not run yet.
        if !observer.settled(true) && !over {
            continue;
        }
        let services = wanted(
            report::services(&observer.store, &observer.settings),
            names,
            Unnamed::Declared,
        )?;
        let problems = problem_lines(&services);
        if problems.is_empty() {
            progress(&mut shown, terminal, "");
            let took = started.elapsed().as_secs_f64();
            print::say(&format!(
                "all {} services run and are healthy ({took:.1} s)",
                services.len()
            ));
            return Ok(0);
        }
        if over {
            progress(&mut shown, terminal, "");
            print::say(&format!("timed out after {} s:", timeout.as_secs()));
            for line in &problems {
                print::say(line);
            }
            return Ok(1);
        }
        progress(&mut shown, terminal, &waiting_line(&services));
    }
}

/// `waiting: 3 of 5 ready; not yet: api, worker`.
fn waiting_line(services: &[ServiceReport<'_>]) -> String {
    let pending: Vec<&str> = services
        .iter()
        .filter(|s| !s.problems().is_empty())
        .map(|s| s.name.as_str())
        .collect();
    format!(
        "waiting: {} of {} ready; not yet: {}",
        services.len() - pending.len(),
        services.len(),
        pending.join(", ")
    )
}

/// Shows the progress line: rewritten in place on a terminal, else a new
/// line each time it changes. An empty `line` clears it. The line is
/// cleaned (by `fit`, or `print::line`) before stacktop's own sequences
/// frame it.
fn progress(shown: &mut String, terminal: bool, line: &str) {
    if line == shown.as_str() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = if terminal {
        // Back to the line's start, the line cut to the width, then
        // "erase to the end of the line".
        let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
        write!(
            out,
            "\r{}\x1b[K",
            fit(line, width.saturating_sub(1)).trim_end()
        )
    } else if line.is_empty() {
        Ok(())
    } else {
        print::line(&mut out, line)
    };
    let _ = out.flush();
    *shown = line.to_string();
}
