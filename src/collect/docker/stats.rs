//! Resource use of running containers, sampled every interval.
//!
//! The engine is asked for one-shot samples (it answers at once instead of
//! waiting a second for its own second sample), so CPU use is computed from
//! our previous sample of each container.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptionsBuilder;
use futures_util::{StreamExt, stream};
use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

use crate::event::{DockerEvent, Event};
use crate::model::Stats;

/// How many stats requests are in flight at once.
const CONCURRENT_REQUESTS: usize = 8;

/// The counters of one sample that CPU use is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuSample {
    /// Nanoseconds of CPU the container used since it started.
    pub container: u64,
    /// Nanoseconds of CPU the whole host used since boot.
    pub system: u64,
    pub online_cpus: u32,
}

impl CpuSample {
    pub fn from_response(response: &ContainerStatsResponse) -> Option<Self> {
        let cpu = response.cpu_stats.as_ref()?;
        let usage = cpu.cpu_usage.as_ref()?;
        let per_cpu = usage.percpu_usage.as_ref().map_or(0, Vec::len);
        let online_cpus = cpu
            .online_cpus
            .filter(|n| *n > 0)
            .or_else(|| u32::try_from(per_cpu).ok().filter(|n| *n > 0))
            .unwrap_or(1);
        Some(Self {
            container: usage.total_usage?,
            system: cpu.system_cpu_usage?,
            online_cpus,
        })
    }
}

/// Percent of one core used between two samples (200.0 = two cores busy).
pub fn cpu_percent(previous: CpuSample, current: CpuSample) -> f64 {
    let container = current.container.saturating_sub(previous.container);
    let system = current.system.saturating_sub(previous.system);
    if system == 0 {
        return 0.0;
    }
    container as f64 / system as f64 * f64::from(current.online_cpus) * 100.0
}

/// Memory in use without the page cache that could be dropped: usage less
/// `inactive_file` (cgroup v2) or `total_inactive_file` (cgroup v1).
pub fn memory_of(response: &ContainerStatsResponse) -> (u64, u64) {
    let Some(memory) = response.memory_stats.as_ref() else {
        return (0, 0);
    };
    let usage = memory.usage.unwrap_or(0);
    let inactive = memory
        .stats
        .as_ref()
        .and_then(|s| {
            s.get("inactive_file")
                .or_else(|| s.get("total_inactive_file"))
        })
        .copied()
        .unwrap_or(0);
    (usage.saturating_sub(inactive), memory.limit.unwrap_or(0))
}

/// Samples the containers named in `running` every `interval` and sends
/// [`DockerEvent::Stats`] until `tx` closes. The caller aborts it when the
/// engine goes away.
pub async fn sample_loop(
    docker: Docker,
    mut running: watch::Receiver<Vec<String>>,
    interval: Duration,
    tx: mpsc::Sender<Event>,
) {
    let mut ticks = tokio::time::interval(interval.max(Duration::from_millis(100)));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut previous: HashMap<String, CpuSample> = HashMap::new();
    loop {
        ticks.tick().await;
        let ids = running.borrow_and_update().clone();
        let stats = sample_all(&docker, ids, &mut previous).await;
        if tx
            .send(Event::Docker(DockerEvent::Stats(stats)))
            .await
            .is_err()
        {
            return;
        }
    }
}

/// One round: fetches every container's sample concurrently and forgets
/// the previous samples of containers no longer running.
async fn sample_all(
    docker: &Docker,
    ids: Vec<String>,
    previous: &mut HashMap<String, CpuSample>,
) -> Vec<(String, Stats)> {
    let samples: Vec<(String, ContainerStatsResponse)> = stream::iter(ids)
        .map(|id| async move {
            let response = fetch_one(docker, &id).await;
            response.map(|r| (id, r))
        })
        .buffer_unordered(CONCURRENT_REQUESTS)
        .filter_map(|r| async move { r })
        .collect()
        .await;
    let mut next = HashMap::with_capacity(samples.len());
    let stats = samples
        .into_iter()
        .map(|(id, response)| {
            let sample = CpuSample::from_response(&response);
            let cpu = match (previous.get(&id), sample) {
                (Some(before), Some(now)) => cpu_percent(*before, now),
                _ => 0.0,
            };
            if let Some(now) = sample {
                next.insert(id.clone(), now);
            }
            let (mem_used, mem_limit) = memory_of(&response);
            let stats = Stats {
                cpu_percent: cpu,
                mem_used,
                mem_limit,
            };
            (id, stats)
        })
        .collect();
    *previous = next;
    stats
}

async fn fetch_one(docker: &Docker, id: &str) -> Option<ContainerStatsResponse> {
    let options = StatsOptionsBuilder::new()
        .stream(false)
        .one_shot(true)
        .build();
    match docker.stats(id, Some(options)).next().await? {
        Ok(response) => Some(response),
        Err(error) => {
            // A container that just stopped has no stats: not worth a report.
            tracing::debug!(container = id, %error, "stats sample failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use bollard::models::{ContainerCpuStats, ContainerCpuUsage, ContainerMemoryStats};

    use super::*;

    fn response(total: u64, system: u64, cpus: Option<u32>) -> ContainerStatsResponse {
        ContainerStatsResponse {
            cpu_stats: Some(ContainerCpuStats {
                cpu_usage: Some(ContainerCpuUsage {
                    total_usage: Some(total),
                    percpu_usage: Some(vec![0; 4]),
                    ..Default::default()
                }),
                system_cpu_usage: Some(system),
                online_cpus: cpus,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn cpu_percent_is_share_of_one_core() {
        let before = CpuSample::from_response(&response(1_000, 10_000, Some(2))).expect("sample");
        // The container used 500 of 2000 ns of both cores: half of one core.
        let after = CpuSample::from_response(&response(1_500, 12_000, Some(2))).expect("sample");
        assert!((cpu_percent(before, after) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn cpu_percent_survives_counter_resets_and_idle_hosts() {
        let before = CpuSample {
            container: 5_000,
            system: 10_000,
            online_cpus: 1,
        };
        let restarted = CpuSample {
            container: 100,
            system: 11_000,
            online_cpus: 1,
        };
        assert_eq!(cpu_percent(before, restarted), 0.0);
        assert_eq!(cpu_percent(before, before), 0.0);
    }

    #[test]
    fn online_cpus_falls_back_to_per_cpu_count() {
        let sample = CpuSample::from_response(&response(1, 2, None)).expect("sample");
        assert_eq!(sample.online_cpus, 4);
        assert_eq!(
            CpuSample::from_response(&ContainerStatsResponse::default()),
            None
        );
    }

    fn memory(usage: u64, key: &str, inactive: u64) -> ContainerStatsResponse {
        ContainerStatsResponse {
            memory_stats: Some(ContainerMemoryStats {
                usage: Some(usage),
                limit: Some(8_000),
                stats: Some([(key.to_string(), inactive)].into_iter().collect()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn memory_leaves_out_inactive_page_cache() {
        assert_eq!(
            memory_of(&memory(1_000, "inactive_file", 300)),
            (700, 8_000)
        );
        assert_eq!(
            memory_of(&memory(1_000, "total_inactive_file", 400)),
            (600, 8_000)
        );
        assert_eq!(memory_of(&memory(100, "inactive_file", 300)), (0, 8_000));
        assert_eq!(memory_of(&ContainerStatsResponse::default()), (0, 0));
    }
}
