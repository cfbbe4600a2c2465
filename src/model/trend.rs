//! Recent CPU and memory samples, for the trend lines.
//!
//! Each container keeps a fixed-size ring per figure, and the host one
//! more pair, so memory stays bounded however many containers run and
//! however long stacktop stays open. A removed container's rings go with
//! it.

use std::collections::HashMap;

use super::{HostSnapshot, Stats};

/// Samples kept per figure: three minutes at the default 1 s interval.
pub const SAMPLES: usize = 180;

/// The last [`SAMPLES`] values of one figure, oldest overwritten first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ring {
    samples: Vec<f32>,
    /// Where the next sample goes once the ring is full.
    next: usize,
}

impl Ring {
    pub fn push(&mut self, value: f32) {
        if self.samples.len() < SAMPLES {
            // One allocation of the final size, never grown past it.
            self.samples.reserve_exact(SAMPLES - self.samples.len());
            self.samples.push(value);
        } else {
            self.samples[self.next] = value;
            self.next = (self.next + 1) % SAMPLES;
        }
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The newest `n` samples (or all there are), oldest first.
    pub fn latest(&self, n: usize) -> Vec<f32> {
        let (newer, older) = self.samples.split_at(self.next);
        let all = older.iter().chain(newer);
        all.skip(self.len().saturating_sub(n)).copied().collect()
    }

    /// Bytes the ring holds once full.
    pub const fn full_size() -> usize {
        SAMPLES * std::mem::size_of::<f32>()
    }
}

/// CPU (percent of one core) and memory (bytes) of one container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    pub cpu: Ring,
    pub mem: Ring,
}

/// Every container's rings, by id, and the host's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trends {
    containers: HashMap<String, Usage>,
    /// Whole-machine CPU use (0..=100) and memory used (bytes).
    pub host: Usage,
}

impl Trends {
    pub fn record(&mut self, id: &str, stats: &Stats) {
        let usage = match self.containers.get_mut(id) {
            Some(usage) => usage,
            None => self.containers.entry(id.to_string()).or_default(),
        };
        usage.cpu.push(stats.cpu_percent as f32);
        usage.mem.push(stats.mem_used as f32);
    }

    pub fn record_host(&mut self, host: &HostSnapshot) {
        self.host.cpu.push(host.cpu_percent);
        self.host.mem.push(host.mem_used as f32);
    }

    pub fn of(&self, id: &str) -> Option<&Usage> {
        self.containers.get(id)
    }

    /// Drops the rings of containers that `keep` refuses.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.containers.retain(|id, _| keep(id));
    }

    pub fn remove(&mut self, id: &str) {
        self.containers.remove(id);
    }

    /// Containers with rings.
    pub fn len(&self) -> usize {
        self.containers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(cpu: f64, mem: u64) -> Stats {
        Stats {
            cpu_percent: cpu,
            mem_used: mem,
            mem_limit: 0,
        }
    }

    #[test]
    fn a_ring_never_holds_more_than_its_size() {
        let mut ring = Ring::default();
        for i in 0..SAMPLES * 3 {
            ring.push(i as f32);
        }
        assert_eq!(ring.len(), SAMPLES);
        assert!(ring.samples.capacity() <= SAMPLES, "never grown past");
    }

    #[test]
    fn a_full_ring_drops_its_oldest_samples() {
        let mut ring = Ring::default();
        for i in 0..SAMPLES + 5 {
            ring.push(i as f32);
        }
        let all = ring.latest(SAMPLES);
        assert_eq!(all.first(), Some(&5.0), "the five oldest are gone");
        assert_eq!(all.last(), Some(&((SAMPLES + 4) as f32)));
        assert!(all.windows(2).all(|w| w[0] < w[1]), "oldest first");
    }

    #[test]
    fn latest_gives_the_newest_oldest_first() {
        let mut ring = Ring::default();
        for i in 0..4 {
            ring.push(i as f32);
        }
        assert_eq!(ring.latest(2), vec![2.0, 3.0]);
        assert_eq!(ring.latest(10), vec![0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn a_removed_container_frees_its_rings() {
        let mut trends = Trends::default();
        trends.record("a", &stats(1.0, 10));
        trends.record("b", &stats(2.0, 20));
        trends.remove("a");
        assert!(trends.of("a").is_none());
        trends.retain(|id| id != "b");
        assert!(trends.is_empty());
    }

    #[test]
    fn records_cpu_and_memory_of_each_container() {
        let mut trends = Trends::default();
        trends.record("a", &stats(12.5, 1024));
        trends.record("a", &stats(25.0, 2048));
        let usage = trends.of("a").expect("recorded");
        assert_eq!(usage.cpu.latest(2), vec![12.5, 25.0]);
        assert_eq!(usage.mem.latest(2), vec![1024.0, 2048.0]);
    }
}
