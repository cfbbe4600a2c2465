//! Container CPU and memory read straight from the host's cgroup files.
//!
//! When the engine runs on this machine, its containers' cgroups are plain
//! files here: reading them costs the engine nothing, where a stats stream
//! per container keeps the engine and every container's shim busy each
//! second. Used when the files are found; the engine's stats otherwise.

use std::path::{Path, PathBuf};

use crate::model::Stats;

/// Where one container's figures are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cgroup {
    /// cgroup v1: cpuacct and memory controllers in their own trees.
    V1 { cpu: PathBuf, memory: PathBuf },
    /// cgroup v2: one directory.
    V2 { dir: PathBuf },
}

/// Limits the engine uses for "no limit" in cgroup v1 (page-rounded
/// i64::MAX) and above: reported as 0.
const V1_NO_LIMIT: u64 = 1 << 62;

impl Cgroup {
    /// Finds the cgroup of container `id` under `root` (`/sys/fs/cgroup`),
    /// for the cgroupfs and systemd drivers.
    pub fn locate(root: &Path, id: &str) -> Option<Self> {
        let scope = format!("docker-{id}.scope");
        let v2 = [
            root.join("system.slice").join(&scope),
            root.join("docker").join(id),
        ];
        if let Some(dir) = v2.into_iter().find(|d| d.join("cpu.stat").is_file()) {
            return Some(Self::V2 { dir });
        }
        let v1 = |controller: &str| {
            [
                root.join(controller).join("docker").join(id),
                root.join(controller).join("system.slice").join(&scope),
            ]
            .into_iter()
            .find(|d| d.is_dir())
        };
        let cpu = v1("cpuacct").or_else(|| v1("cpu,cpuacct"))?;
        let memory = v1("memory")?;
        cpu.join("cpuacct.usage")
            .is_file()
            .then_some(Self::V1 { cpu, memory })
    }

    /// Inactive page cache and the limit (0 = none): they change slowly,
    /// so a sampler reads them less often than CPU and usage.
    pub fn memory_extras(&self) -> (u64, u64) {
        match self {
            Self::V1 { memory, .. } => {
                let inactive = stat_value(&memory.join("memory.stat"), "total_inactive_file");
                let limit = read_u64(&memory.join("memory.limit_in_bytes")).unwrap_or(0);
                (inactive, if limit >= V1_NO_LIMIT { 0 } else { limit })
            }
            Self::V2 { dir } => {
                let inactive = stat_value(&dir.join("memory.stat"), "inactive_file");
                // "max" does not parse: no limit.
                (inactive, read_u64(&dir.join("memory.max")).unwrap_or(0))
            }
        }
    }
}

/// Reads of the slow-changing memory figures: one in this many samples.
const EXTRAS_EVERY: u32 = 10;

/// A small cgroup file kept open and read again from its start: one
/// `pread` a sample instead of open, stat, read, read and close.
#[derive(Debug)]
struct Held {
    path: PathBuf,
    /// `None` when it could not be kept open (out of descriptors): the
    /// file is then opened for each read.
    file: Option<std::fs::File>,
    /// For `key value` files, the key whose value is wanted.
    key: Option<&'static str>,
}

impl Held {
    fn new(path: PathBuf, key: Option<&'static str>) -> Self {
        let file = std::fs::File::open(&path).ok();
        Self { path, file, key }
    }

    /// The number in the file (or after its key); `None` once it is gone.
    fn value(&self) -> Option<u64> {
        use std::os::unix::fs::FileExt;
        let mut buf = [0u8; 256];
        let text = match &self.file {
            Some(file) => {
                let n = file.read_at(&mut buf, 0).ok()?;
                String::from_utf8_lossy(&buf[..n]).into_owned()
            }
            None => std::fs::read_to_string(&self.path).ok()?,
        };
        parse_value(&text, self.key)
    }
}

/// Samples one container's cgroup: CPU time and memory usage each sample,
/// from files kept open; the rest now and then.
#[derive(Debug)]
pub struct Sampler {
    cgroup: Cgroup,
    cpu: Held,
    usage: Held,
    previous: Option<(u64, std::time::Instant)>,
    extras: (u64, u64),
    samples: u32,
}

impl Sampler {
    pub fn new(cgroup: Cgroup) -> Self {
        let (cpu, usage) = match &cgroup {
            Cgroup::V1 { cpu, memory } => (
                Held::new(cpu.join("cpuacct.usage"), None),
                Held::new(memory.join("memory.usage_in_bytes"), None),
            ),
            Cgroup::V2 { dir } => (
                Held::new(dir.join("cpu.stat"), Some("usage_usec")),
                Held::new(dir.join("memory.current"), None),
            ),
        };
        Self {
            cgroup,
            cpu,
            usage,
            previous: None,
            extras: (0, 0),
            samples: 0,
        }
    }

    /// CPU time in nanoseconds (cgroup v2 counts microseconds).
    fn cpu_ns(&self) -> Option<u64> {
        let value = self.cpu.value()?;
        match self.cgroup {
            Cgroup::V1 { .. } => Some(value),
            Cgroup::V2 { .. } => value.checked_mul(1000),
        }
    }

    /// Figures now; CPU as percent of one core since the previous sample.
    /// `None` once the cgroup is gone.
    pub fn sample(&mut self) -> Option<Stats> {
        let cpu_ns = self.cpu_ns()?;
        let usage = self.usage.value()?;
        if self.samples.is_multiple_of(EXTRAS_EVERY) {
            self.extras = self.cgroup.memory_extras();
        }
        self.samples = self.samples.wrapping_add(1);
        let at = std::time::Instant::now();
        let reading = (cpu_ns, usage.saturating_sub(self.extras.0), self.extras.1);
        let stats = match self.previous {
            Some((before, then)) => {
                let elapsed = u64::try_from((at - then).as_nanos()).unwrap_or(u64::MAX);
                stats_between((before, 0, 0), reading, elapsed)
            }
            None => stats_between(reading, reading, 0),
        };
        self.previous = Some((cpu_ns, at));
        Some(stats)
    }
}

/// The number a cgroup file holds: the whole text, or with `key` the
/// value on its `key value` line.
fn parse_value(text: &str, key: Option<&str>) -> Option<u64> {
    match key {
        None => text.trim().parse().ok(),
        Some(key) => text.lines().find_map(|line| {
            let (k, v) = line.split_once(' ')?;
            (k == key).then(|| v.trim().parse().ok()).flatten()
        }),
    }
}

fn read_u64(path: &Path) -> Option<u64> {
    parse_value(&std::fs::read_to_string(path).ok()?, None)
}

/// The value of `key` in a `key value` per line file; 0 when absent.
fn stat_value(path: &Path, key: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| parse_value(&text, Some(key)))
        .unwrap_or(0)
}

/// Figures from two readings `elapsed_ns` apart: CPU as percent of one core.
pub fn stats_between(before: (u64, u64, u64), now: (u64, u64, u64), elapsed_ns: u64) -> Stats {
    let used = now.0.saturating_sub(before.0);
    let cpu_percent = if elapsed_ns == 0 {
        0.0
    } else {
        used as f64 / elapsed_ns as f64 * 100.0
    };
    Stats {
        cpu_percent,
        mem_used: now.1,
        mem_limit: now.2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("stacktop-cg-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        root
    }

    /// CPU time, memory in use and limit, as a new sampler first sees them.
    fn read(cgroup: &Cgroup) -> Option<(u64, u64, u64)> {
        let mut sampler = Sampler::new(cgroup.clone());
        let cpu_ns = sampler.cpu_ns()?;
        let stats = sampler.sample()?;
        Some((cpu_ns, stats.mem_used, stats.mem_limit))
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn v1_cgroupfs_layout_is_read() {
        let root = tree("v1");
        write(&root.join("cpuacct/docker/abc/cpuacct.usage"), "5000000\n");
        write(
            &root.join("memory/docker/abc/memory.usage_in_bytes"),
            "1000\n",
        );
        write(
            &root.join("memory/docker/abc/memory.stat"),
            "inactive_file 1\ntotal_inactive_file 300\n",
        );
        write(
            &root.join("memory/docker/abc/memory.limit_in_bytes"),
            "9223372036854771712\n",
        );
        let cgroup = Cgroup::locate(&root, "abc").unwrap();
        assert_eq!(read(&cgroup), Some((5_000_000, 700, 0)));
        assert_eq!(Cgroup::locate(&root, "other"), None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn v2_systemd_layout_is_read() {
        let root = tree("v2");
        let dir = root.join("system.slice/docker-abc.scope");
        write(&dir.join("cpu.stat"), "usage_usec 2500\nuser_usec 2000\n");
        write(&dir.join("memory.current"), "4096\n");
        write(&dir.join("memory.stat"), "anon 1\ninactive_file 96\n");
        write(&dir.join("memory.max"), "max\n");
        let cgroup = Cgroup::locate(&root, "abc").unwrap();
        assert_eq!(read(&cgroup), Some((2_500_000, 4000, 0)));
        write(&dir.join("memory.max"), "1048576\n");
        assert_eq!(read(&cgroup), Some((2_500_000, 4000, 1_048_576)));
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(read(&cgroup), None, "gone with the container");
    }

    #[test]
    fn sampler_reads_memory_extras_now_and_then() {
        let root = tree("sampler");
        write(&root.join("cpuacct/docker/abc/cpuacct.usage"), "1000\n");
        write(
            &root.join("memory/docker/abc/memory.usage_in_bytes"),
            "1000\n",
        );
        write(
            &root.join("memory/docker/abc/memory.stat"),
            "total_inactive_file 100\n",
        );
        write(
            &root.join("memory/docker/abc/memory.limit_in_bytes"),
            "5000\n",
        );
        let mut sampler = Sampler::new(Cgroup::locate(&root, "abc").unwrap());
        let first = sampler.sample().unwrap();
        assert_eq!(
            (first.cpu_percent, first.mem_used, first.mem_limit),
            (0.0, 900, 5000)
        );
        write(
            &root.join("memory/docker/abc/memory.stat"),
            "total_inactive_file 500\n",
        );
        write(
            &root.join("cpuacct/docker/abc/cpuacct.usage"),
            "100000000\n",
        );
        let second = sampler.sample().unwrap();
        assert_eq!(second.mem_used, 900, "extras are not read every sample");
        assert!(second.cpu_percent > 0.0);
        std::fs::remove_dir_all(&root).unwrap();
        let gone = Cgroup::V1 {
            cpu: root.join("cpuacct/docker/abc"),
            memory: root.join("memory/docker/abc"),
        };
        assert_eq!(Sampler::new(gone).sample(), None, "files gone: no figures");
    }

    #[test]
    fn cpu_is_share_of_one_core_over_wall_time() {
        let stats = stats_between((1_000, 0, 0), (501_000, 10, 20), 1_000_000);
        assert!((stats.cpu_percent - 50.0).abs() < 1e-9);
        assert_eq!((stats.mem_used, stats.mem_limit), (10, 20));
        assert_eq!(stats_between((0, 0, 0), (5, 0, 0), 0).cpu_percent, 0.0);
    }
}
