//! Host CPU, memory and load, read with sysinfo.
//!
//! Only CPU usage and memory are refreshed (never the process list), which
//! reads two small files under `/proc` on Linux: microseconds, so the
//! refresh runs inline on the runtime rather than through `spawn_blocking`.

use std::time::Duration;

use sysinfo::{CpuRefreshKind, MINIMUM_CPU_UPDATE_INTERVAL, MemoryRefreshKind, System};
use tokio::sync::mpsc::Sender;
use tokio::time::{self, MissedTickBehavior};

use crate::event::Event;
use crate::model::HostSnapshot;

/// Sends a [`HostSnapshot`] every `interval` until the receiver is gone.
///
/// The first one comes after one interval: CPU use is a difference between
/// two readings, so an earlier one would show a meaningless figure.
/// Intervals shorter than sysinfo's minimum are raised to it for the same
/// reason. If the host cannot be read at all, the task logs it and ends;
/// the header then shows no host figures rather than the app failing.
pub async fn run(tx: Sender<Event>, interval: Duration) {
    let mut system = match System::new() {
        Ok(system) => system,
        Err(error) => {
            tracing::warn!(%error, "cannot read host figures");
            return;
        }
    };
    refresh(&mut system);
    let period = interval.max(MINIMUM_CPU_UPDATE_INTERVAL);
    let mut ticks = time::interval_at(time::Instant::now() + period, period);
    // After a stall (laptop sleep), one reading is enough, not a burst.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = tx.closed() => return,
        }
        refresh(&mut system);
        if tx.send(Event::Host(snapshot(&system))).await.is_err() {
            return;
        }
    }
}

fn refresh(system: &mut System) {
    system.refresh_cpu_specifics(CpuRefreshKind::nothing().with_usage());
    system.refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram());
}

fn snapshot(system: &System) -> HostSnapshot {
    // Load average is not there on every platform (Windows); zeros then.
    let load = System::load_average().map_or([0.0; 3], |l| [l.one, l.five, l.fifteen]);
    HostSnapshot {
        cpu_percent: system.global_cpu_usage(),
        mem_used: system.used_memory(),
        mem_total: system.total_memory(),
        load,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sends_a_snapshot_with_memory() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        let task = tokio::spawn(run(tx, Duration::from_millis(1)));
        let event = time::timeout(Duration::from_secs(5), rx.recv()).await;
        let Ok(Some(Event::Host(host))) = event else {
            panic!("no host snapshot: {event:?}");
        };
        assert!(host.mem_total > 0);
        assert!(host.mem_used <= host.mem_total);
        assert!((0.0..=100.0).contains(&host.cpu_percent));
        drop(rx);
        // With the receiver gone the task ends on its own.
        let ended = time::timeout(Duration::from_secs(5), task).await;
        assert!(ended.is_ok(), "host task kept running");
    }
}
