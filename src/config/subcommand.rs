//! The subcommands of the command line. Without one, stacktop shows the
//! dashboard; each of these runs once without a screen, for scripts.
//! Here, below both the config and the headless runner that reads them.

use std::time::Duration;

use clap::Subcommand;

use super::parse_interval;

/// A run without a screen: what it prints, and when it exits.
#[derive(Debug, Clone, Subcommand)]
pub enum Headless {
    /// Print one snapshot of the stack (what the screen shows) and exit.
    Status {
        /// JSON, in the documented `stacktop.status/1` shape.
        #[arg(long)]
        json: bool,
        /// How long to wait at most for the compose projects to be read,
        /// e.g. 30s, 2m (the engine has 6 s to answer).
        #[arg(long, default_value = "30s", value_parser = parse_interval)]
        timeout: Duration,
    },
    /// Exit 0 when every service named (default: every service listed)
    /// runs and is healthy with each probe answering; else 1, one line per
    /// problem.
    Check {
        /// How long to wait at most for the compose projects to be read,
        /// e.g. 30s, 2m (the engine has 6 s to answer).
        #[arg(long, default_value = "30s", value_parser = parse_interval)]
        timeout: Duration,
        /// Services to check (by name, container name or project/name).
        services: Vec<String>,
    },
    /// Wait until the services named (default: every service listed) run
    /// and are healthy, like `docker compose up --wait`; 1 on timeout.
    Wait {
        /// How long to wait at most, e.g. 60s, 2m.
        #[arg(long, default_value = "60s", value_parser = parse_interval)]
        timeout: Duration,
        services: Vec<String>,
    },
}
