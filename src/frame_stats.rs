//! The run loop's own timing: frames drawn and keypress-to-frame latency.
//!
//! Written once a second to the file named by `STACKTOP_STATS_FILE`, so
//! tests and the benchmark measure the app from its own clock instead of
//! guessing from the outside with sleeps. Off (and free) when unset.

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct FrameStats {
    file: Option<PathBuf>,
    frames: u64,
    keys: u64,
    /// When the oldest key not yet shown on screen arrived.
    key_since: Option<Instant>,
    last_key_ms: f64,
    max_key_ms: f64,
    last_write: Instant,
}

impl FrameStats {
    pub fn from_env() -> Self {
        Self::to_file(std::env::var_os("STACKTOP_STATS_FILE").map(PathBuf::from))
    }

    pub fn to_file(file: Option<PathBuf>) -> Self {
        Self {
            file,
            frames: 0,
            keys: 0,
            key_since: None,
            last_key_ms: 0.0,
            max_key_ms: 0.0,
            last_write: Instant::now(),
        }
    }

    pub fn key_received(&mut self) {
        self.keys += 1;
        self.key_since.get_or_insert_with(Instant::now);
    }

    pub fn frame_drawn(&mut self) {
        self.frames += 1;
        if let Some(since) = self.key_since.take() {
            self.last_key_ms = since.elapsed().as_secs_f64() * 1000.0;
            self.max_key_ms = self.max_key_ms.max(self.last_key_ms);
        }
        if self.last_write.elapsed() >= Duration::from_secs(1) {
            self.write();
        }
    }

    /// One line: `frames=N keys=N last_key_ms=F max_key_ms=F`.
    pub fn line(&self) -> String {
        format!(
            "frames={} keys={} last_key_ms={:.2} max_key_ms={:.2}\n",
            self.frames, self.keys, self.last_key_ms, self.max_key_ms
        )
    }

    pub fn write(&mut self) {
        self.last_write = Instant::now();
        if let Some(path) = &self.file
            && let Err(e) = std::fs::write(path, self.line())
        {
            tracing::warn!("writing frame stats to {}: {e}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_runs_from_the_first_unshown_key_to_the_frame() {
        let mut stats = FrameStats::to_file(None);
        stats.key_received();
        std::thread::sleep(Duration::from_millis(5));
        stats.key_received();
        stats.frame_drawn();
        assert!(stats.last_key_ms >= 5.0, "{}", stats.line());
        assert_eq!(stats.keys, 2);
        stats.frame_drawn();
        assert_eq!(stats.frames, 2);
        assert!(stats.line().starts_with("frames=2 keys=2"));
    }
}
