//! Host figures shown in the header.

/// One reading of the machine stacktop runs on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostSnapshot {
    /// Whole-machine CPU use, 0..=100.
    pub cpu_percent: f32,
    pub mem_used: u64,
    pub mem_total: u64,
    /// 1, 5 and 15 minute load averages.
    pub load: [f64; 3],
}
