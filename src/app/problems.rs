//! The one definition of "a problem", used by the `!` marks, the counts,
//! the pane title, the notices and `stacktop check`/`wait`.
//!
//! A problem is something wrong now: a crash or a crash loop, bad health
//! from any source, a probe that cannot reach its database. The strict
//! rule of `check` and `wait` adds what is not ready yet: a container not
//! running, a health check still starting or not answered yet, a probe
//! still connecting, a declared service not created.

use chrono::{DateTime, Duration as Age, Utc};

use super::Store;
use super::health::{CheckState, HealthSummary, Level, Source};
use super::probes::Probe;
use crate::model::{Container, ContainerState, ProbeStatus};
use crate::text::age;

/// A container the engine restarted that has been up less than this is
/// still in its crash loop: the engine itself starts its restart delay
/// again only after a container stays up 10 s.
pub const CRASH_LOOP_WINDOW: Age = Age::seconds(10);

/// Which rule: the screen's, or the stricter one of `check` and `wait`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Wrong now: what the marks, counts and notices show.
    Now,
    /// Also not ready yet: what `check` and `wait` fail on.
    Strict,
}

/// What is known of one service, to judge it by.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub container: Option<&'a Container>,
    /// A service declared in its compose files.
    pub declared: bool,
    pub health: Option<&'a HealthSummary>,
    pub check: Option<&'a CheckState>,
    pub probe: Option<&'a Probe>,
    /// To tell how long a failure lasts.
    pub now: DateTime<Utc>,
}

/// One reason a service is not running and healthy, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why this service is not running and healthy by `rule`; empty when it
/// is.
pub fn problems(facts: &Facts<'_>, rule: Rule) -> Vec<Problem> {
    let strict = rule == Rule::Strict;
    let mut found = Vec::new();
    match facts.container {
        Some(c) => {
            if strict || c.state.is_bad() {
                found.extend(state_problem(c));
            }
            found.extend(crash_loop(c, facts.now));
            found.extend(
                facts
                    .health
                    .and_then(|h| health_problem(h, facts.now, strict)),
            );
        }
        None if facts.declared && strict => found.push("not created".to_string()),
        None => {}
    }
    if strict && facts.check.is_some_and(|c| c.result.is_none()) {
        found.push("health check did not answer yet".to_string());
    }
    found.extend(facts.probe.and_then(|p| probe_problem(p, strict)));
    found.into_iter().map(Problem).collect()
}

fn state_problem(c: &Container) -> Option<String> {
    match &c.state {
        ContainerState::Running => None,
        ContainerState::Restarting { exit_code } => Some(format!(
            "restarting, exit {exit_code}, {} restarts",
            c.restart_count
        )),
        other => Some(other.words()),
    }
}

/// A container caught running between two crashes of a loop: restarted
/// by the engine, and up for less than [`CRASH_LOOP_WINDOW`].
fn crash_loop(c: &Container, now: DateTime<Utc>) -> Option<String> {
    let up = now - c.started_at?;
    let looping =
        c.state == ContainerState::Running && c.restart_count > 0 && up < CRASH_LOOP_WINDOW;
    looping.then(|| {
        format!(
            "crash loop, {} restarts, up {}",
            c.restart_count,
            age(up.max(Age::zero()))
        )
    })
}

/// `unhealthy (health check failing for 3m05s)`, `unhealthy (health
/// check: http 503)`, `rabbit alarm: memory`.
fn health_problem(health: &HealthSummary, now: DateTime<Utc>, strict: bool) -> Option<String> {
    let since = health
        .since
        .map(|t| format!(" for {}", age(now - t)))
        .unwrap_or_default();
    match (health.level, health.source) {
        (Level::Bad, Source::Docker) => Some(format!("unhealthy (health check failing{since})")),
        (Level::Bad, Source::Http) => Some(format!(
            "unhealthy (health check: {}{})",
            health.words,
            since.replacen(" for", ", failing for", 1)
        )),
        (Level::Bad, Source::RabbitMq) => Some(format!("RabbitMQ {}", health.words)),
        (Level::Bad, Source::Search) => Some(format!("cluster {}", health.words)),
        (Level::Bad, _) => Some(health.words.clone()),
        (Level::Warn, Source::Docker) if strict => Some("health check still starting".into()),
        _ => None,
    }
}

/// A probe that cannot reach its database is a problem; one still
/// connecting or starting only by the strict rule.
fn probe_problem(probe: &Probe, strict: bool) -> Option<String> {
    let title = probe.target.kind.info().title;
    match &probe.status {
        ProbeStatus::Live => None,
        ProbeStatus::Connecting if strict => Some(format!("{title} did not answer yet")),
        ProbeStatus::Starting if strict => Some(format!("{title} is starting")),
        ProbeStatus::Connecting | ProbeStatus::Starting => None,
        ProbeStatus::Reconnecting { error, .. } | ProbeStatus::AuthFailed { error } => {
            Some(format!("{title} {}: {error}", probe.status.word()))
        }
    }
}

impl Store {
    /// What is known of container `c`, to judge it by.
    pub fn problems_of(&self, c: &Container, rule: Rule) -> Vec<Problem> {
        let health = self.health_of(c);
        let facts = Facts {
            container: Some(c),
            declared: false,
            health: Some(&health),
            check: self.check_of_container(&c.id),
            probe: self.probe_of_container(&c.id),
            now: self.now.with_timezone(&Utc),
        };
        problems(&facts, rule)
    }

    /// A row that needs attention: a problem by the screen's rule (what
    /// `problems_of(c, Rule::Now)` finds, without putting it in words: it
    /// is asked of every row).
    pub fn needs_attention(&self, c: &Container) -> bool {
        let probe_failing = self.probe_of_container(&c.id).is_some_and(|p| {
            matches!(
                p.status,
                ProbeStatus::Reconnecting { .. } | ProbeStatus::AuthFailed { .. }
            )
        });
        c.state.is_bad() || self.health_level(c) == Level::Bad || probe_failing
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::Sample;

    fn judged(c: &Container, now: DateTime<Utc>, rule: Rule) -> Vec<Problem> {
        let facts = Facts {
            container: Some(c),
            declared: false,
            health: None,
            check: None,
            probe: None,
            now,
        };
        problems(&facts, rule)
    }

    #[test]
    fn a_crash_loop_caught_running_is_a_problem_by_both_rules() {
        let started = Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap();
        let c = Sample::service("shop", "worker", 1)
            .started(started)
            .restarts(5)
            .build();
        let soon = started + Age::seconds(2);
        for rule in [Rule::Now, Rule::Strict] {
            assert_eq!(
                judged(&c, soon, rule),
                [Problem("crash loop, 5 restarts, up 2s".into())],
                "{rule:?}"
            );
        }
        // Up past the window, or never restarted by the engine: running fine.
        assert!(judged(&c, started + CRASH_LOOP_WINDOW, Rule::Strict).is_empty());
        let fresh = Sample::from(c).restarts(0).build();
        assert!(judged(&fresh, soon, Rule::Strict).is_empty());
    }
}
