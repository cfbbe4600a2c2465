//! Resource use of running containers, sampled every interval.
//!
//! CPU use is computed from deltas between two samples of a container:
//! its own CPU time against the host's, times the number of CPUs.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptionsBuilder;
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;

use super::cgroup::{Cgroup, Sampler};
use crate::engine::Engine;
use crate::event::{DockerEvent, Event};
use crate::model::{EngineId, Stats};
use crate::tasks::{AbortOnDrop, supervise};

/// Samples waiting to be read from the per-container streams.
const SAMPLE_QUEUE: usize = 256;

/// Pause before reopening a stats stream that ended.
const STREAM_RETRY: Duration = Duration::from_secs(1);

/// Running containers followed at most (the first by id): past them an
/// engine would hold a stream a container, and the host a file pair a
/// container, for figures no screen has room for. The others show none.
pub const FOLLOWED_AT_MOST: usize = 500;

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

/// Where figures come from: the engine, or the host's cgroup files when
/// the engine is local and they are found.
pub struct Source {
    /// Which engine: its figures are reported as its own.
    pub engine: EngineId,
    pub docker: Docker,
    /// The cgroup root (`/sys/fs/cgroup`) when the engine is on this host.
    pub cgroups: Option<PathBuf>,
}

/// The cgroup root to read when the engine is on this host.
pub fn local_cgroups(engine: &Engine) -> Option<PathBuf> {
    let root = Path::new("/sys/fs/cgroup");
    (engine.is_local() && root.is_dir()).then(|| root.to_path_buf())
}

/// Follows the stats of the containers named in `running` and sends the
/// newest figures as [`DockerEvent::Stats`] every `interval`, until `tx`
/// closes. The caller aborts it when the engine goes away.
///
/// Each running container has one long-lived stats stream. A one-shot
/// request looks cheaper but engines up to at least 20.10 answer it only
/// at their collector's next one-second tick, so polling 50 containers
/// eight at a time took seven seconds a round; streams get every sample of
/// a tick at once, with no request per container per second. With a local
/// engine, the cgroup files are read instead: no cost to the engine at all.
pub async fn sample_loop(
    source: Source,
    mut running: watch::Receiver<Vec<String>>,
    interval: Duration,
    tx: mpsc::Sender<Event>,
) {
    let (sample_tx, mut samples) = mpsc::channel(SAMPLE_QUEUE);
    let mut streams: HashMap<String, AbortOnDrop> = HashMap::new();
    let mut latest: HashMap<String, Stats> = HashMap::new();
    let mut samplers: HashMap<String, Sampler> = HashMap::new();
    let mut ticks = tokio::time::interval(interval.max(Duration::from_millis(100)));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let follow = Follow {
        source: &source,
        sample_tx: &sample_tx,
        tx: &tx,
    };
    follow.running(&running.borrow_and_update(), &mut streams, &mut samplers);
    loop {
        tokio::select! {
            changed = running.changed() => {
                if changed.is_err() {
                    return;
                }
                let ids = running.borrow_and_update().clone();
                follow.running(&ids, &mut streams, &mut samplers);
                latest.retain(|id, _| streams.contains_key(id) || samplers.contains_key(id));
            }
            Some((id, stats)) = samples.recv() => {
                if streams.contains_key(&id) {
                    latest.insert(id, stats);
                }
            }
            _ = ticks.tick() => {
                // One pass over every cgroup: two small files each.
                samplers.retain(|id, sampler| match sampler.sample() {
                    Some(stats) => {
                        latest.insert(id.clone(), stats);
                        true
                    }
                    None => false,
                });
                let mut all: Vec<(String, Stats)> =
                    latest.iter().map(|(id, s)| (id.clone(), *s)).collect();
                all.sort_by(|a, b| a.0.cmp(&b.0));
                if tx.send(Event::Docker(source.engine, DockerEvent::Stats(all))).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// How new containers are followed.
struct Follow<'a> {
    source: &'a Source,
    sample_tx: &'a mpsc::Sender<(String, Stats)>,
    /// Where a stream that stops on a panic is reported.
    tx: &'a mpsc::Sender<Event>,
}

impl Follow<'_> {
    /// Follows each newly running container (its cgroup files when found,
    /// else an engine stream) and stops following those that stopped; no
    /// more than [`FOLLOWED_AT_MOST`] of `ids`, which come sorted.
    fn running(
        &self,
        ids: &[String],
        streams: &mut HashMap<String, AbortOnDrop>,
        samplers: &mut HashMap<String, Sampler>,
    ) {
        let ids = &ids[..ids.len().min(FOLLOWED_AT_MOST)];
        let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
        streams.retain(|id, _| wanted.contains(id.as_str()));
        samplers.retain(|id, _| wanted.contains(id.as_str()));
        for id in ids {
            if streams.contains_key(id) || samplers.contains_key(id) {
                continue;
            }
            let cgroup = self
                .source
                .cgroups
                .as_deref()
                .and_then(|root| Cgroup::locate(root, id));
            match cgroup {
                Some(cgroup) => {
                    samplers.insert(id.clone(), Sampler::new(cgroup));
                }
                None => {
                    let (docker, tx) = (self.source.docker.clone(), self.sample_tx.clone());
                    let stream = self.stream(id, follow_one(docker, id.clone(), tx));
                    streams.insert(id.clone(), stream);
                }
            }
        }
    }
}

impl Follow<'_> {
    /// Runs container `id`'s stats stream: one that stops on a panic is
    /// reported, rather than its figures freezing unseen.
    fn stream<F>(&self, id: &str, work: F) -> AbortOnDrop
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let short = id.get(..12).unwrap_or(id);
        let task = format!("the stats stream of container {short}");
        AbortOnDrop(supervise(task, self.tx.clone(), work))
    }
}

/// Streams one container's stats; reopens after a pause if the stream
/// ends while the container is still meant to run.
async fn follow_one(docker: Docker, id: String, sample_tx: mpsc::Sender<(String, Stats)>) {
    let options = StatsOptionsBuilder::new().stream(true).build();
    loop {
        let mut previous = None;
        let mut stream = docker.stats(&id, Some(options.clone()));
        while let Some(frame) = stream.next().await {
            let response = match frame {
                Ok(response) => response,
                Err(error) => {
                    tracing::debug!(container = %id, %error, "stats stream failed");
                    break;
                }
            };
            let stats = stats_of(&response, &mut previous);
            if sample_tx.send((id.clone(), stats)).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(STREAM_RETRY).await;
    }
}

/// Figures of one sample; CPU use from our previous sample of the same
/// stream (the engine's own `precpu_stats` is empty in a stream's first
/// sample).
fn stats_of(response: &ContainerStatsResponse, previous: &mut Option<CpuSample>) -> Stats {
    let sample = CpuSample::from_response(response);
    let cpu = match (*previous, sample) {
        (Some(before), Some(now)) => cpu_percent(before, now),
        _ => 0.0,
    };
    if sample.is_some() {
        *previous = sample;
    }
    let (mem_used, mem_limit) = memory_of(response);
    Stats {
        cpu_percent: cpu,
        mem_used,
        mem_limit,
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

    #[test]
    fn first_sample_of_a_stream_has_no_cpu_figure() {
        let mut previous = None;
        let first = stats_of(&response(1_000, 10_000, Some(1)), &mut previous);
        assert_eq!(first.cpu_percent, 0.0);
        let second = stats_of(&response(1_250, 11_000, Some(1)), &mut previous);
        assert!((second.cpu_percent - 25.0).abs() < 1e-9);
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

    #[tokio::test]
    async fn a_stats_stream_that_panics_is_reported_as_a_stopped_task() {
        let source = Source {
            engine: EngineId::default(),
            docker: Docker::connect_with_host("tcp://127.0.0.1:9").unwrap(),
            cgroups: None,
        };
        let (sample_tx, _samples) = mpsc::channel(1);
        let (tx, mut rx) = mpsc::channel(4);
        let follow = Follow {
            source: &source,
            sample_tx: &sample_tx,
            tx: &tx,
        };
        let id = "0123456789abcdef";
        let _stream = follow.stream(id, async { panic!("unreadable frame") });
        let event = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
        match event {
            Ok(Some(Event::TaskFailed { task, error })) => {
                assert_eq!(task, "the stats stream of container 0123456789ab");
                assert_eq!(error, "unreadable frame");
            }
            other => panic!("expected TaskFailed, got {other:?}"),
        }
    }
}
