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

    /// CPU time used so far (ns), memory in use without inactive page
    /// cache, and the memory limit (0 = none). `None` once it is gone.
    pub fn read(&self) -> Option<(u64, u64, u64)> {
        match self {
            Self::V1 { cpu, memory } => {
                let cpu_ns = read_u64(&cpu.join("cpuacct.usage"))?;
                let usage = read_u64(&memory.join("memory.usage_in_bytes"))?;
                let inactive = stat_value(&memory.join("memory.stat"), "total_inactive_file");
                let limit = read_u64(&memory.join("memory.limit_in_bytes")).unwrap_or(0);
                let limit = if limit >= V1_NO_LIMIT { 0 } else { limit };
                Some((cpu_ns, usage.saturating_sub(inactive), limit))
            }
            Self::V2 { dir } => {
                let cpu_ns = stat_value(&dir.join("cpu.stat"), "usage_usec").checked_mul(1000)?;
                let usage = read_u64(&dir.join("memory.current"))?;
                let inactive = stat_value(&dir.join("memory.stat"), "inactive_file");
                // "max" does not parse: no limit.
                let limit = read_u64(&dir.join("memory.max")).unwrap_or(0);
                Some((cpu_ns, usage.saturating_sub(inactive), limit))
            }
        }
    }
}

fn read_u64(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// The value of `key` in a `key value` per line file; 0 when absent.
fn stat_value(path: &Path, key: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    text.lines()
        .find_map(|line| {
            let (k, v) = line.split_once(' ')?;
            (k == key).then(|| v.trim().parse().ok()).flatten()
        })
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
        assert_eq!(cgroup.read(), Some((5_000_000, 700, 0)));
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
        assert_eq!(cgroup.read(), Some((2_500_000, 4000, 0)));
        write(&dir.join("memory.max"), "1048576\n");
        assert_eq!(cgroup.read(), Some((2_500_000, 4000, 1_048_576)));
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(cgroup.read(), None, "gone with the container");
    }

    #[test]
    fn cpu_is_share_of_one_core_over_wall_time() {
        let stats = stats_between((1_000, 0, 0), (501_000, 10, 20), 1_000_000);
        assert!((stats.cpu_percent - 50.0).abs() < 1e-9);
        assert_eq!((stats.mem_used, stats.mem_limit), (10, 20));
        assert_eq!(stats_between((0, 0, 0), (5, 0, 0), 0).cpu_percent, 0.0);
    }
}
