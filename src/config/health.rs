//! The `[health]` section of the config file: HTTP health checks.
//!
//! ```toml
//! [health]
//! guess = true          # try /health, /healthz… on apps' published ports
//! interval = "5s"       # how often each check runs
//! timeout = "2s"        # how long a check may wait for its answer
//! # where a `stacktop.health` label may point besides the service's own
//! # published ports (hosts, or host:port)
//! label_hosts = ["status.internal", "10.0.0.5:8080"]
//!
//! [[health.check]]
//! service = "user-service"
//! url = "http://127.0.0.1:3001/health"   # or a path: "/ready"
//! ```

use std::time::Duration;

use anyhow::{Result, anyhow};
use serde::Deserialize;
use toml::Spanned;

use super::parse_interval;
use crate::discover::health::{CheckRules, Declared};
use crate::toml_error::line_column;

/// How health checks run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthSettings {
    pub rules: CheckRules,
    pub interval: Duration,
    pub timeout: Duration,
}

impl Default for HealthSettings {
    fn default() -> Self {
        Self {
            rules: CheckRules {
                declared: Vec::new(),
                guess: true,
                label_hosts: Vec::new(),
            },
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HealthSection {
    guess: Option<bool>,
    interval: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    #[serde(default)]
    label_hosts: Vec<String>,
    #[serde(default)]
    check: Vec<CheckEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    service: String,
    url: String,
}

impl HealthSection {
    /// The settings this section gives; a bad duration names its place.
    pub(super) fn settings(&self, text: &str, name: &str) -> Result<HealthSettings> {
        let defaults = HealthSettings::default();
        let duration = |value: &Option<Spanned<String>>, default: Duration| match value {
            None => Ok(default),
            Some(spanned) => parse_interval(spanned.get_ref()).map_err(|why| {
                let (line, column) = line_column(text, spanned.span().start);
                anyhow!("{name}:{line}:{column}: {why}")
            }),
        };
        Ok(HealthSettings {
            rules: CheckRules {
                declared: self
                    .check
                    .iter()
                    .map(|c| Declared {
                        service: c.service.clone(),
                        url: c.url.clone(),
                    })
                    .collect(),
                guess: self.guess.unwrap_or(defaults.rules.guess),
                label_hosts: self.label_hosts.clone(),
            },
            interval: duration(&self.interval, defaults.interval)?,
            timeout: duration(&self.timeout, defaults.timeout)?,
        })
    }
}
