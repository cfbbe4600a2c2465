//! What an Elasticsearch or OpenSearch probe reports.

/// Green, yellow or red, as the cluster says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClusterHealth {
    Green,
    Yellow,
    Red,
    #[default]
    Unknown,
}

impl ClusterHealth {
    pub fn parse(text: &str) -> Self {
        match text {
            "green" => Self::Green,
            "yellow" => Self::Yellow,
            "red" => Self::Red,
            _ => Self::Unknown,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Red => "red",
            Self::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchNode {
    pub name: String,
    pub roles: String,
    pub heap_percent: Option<u32>,
    pub cpu_percent: Option<u32>,
    pub load_1m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchIndex {
    pub name: String,
    pub health: ClusterHealth,
    pub docs: u64,
    pub size_bytes: u64,
    pub primaries: u32,
    pub replicas: u32,
}

/// One poll of a search cluster.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchSnapshot {
    /// `elasticsearch 8.13.0`, `opensearch 2.13.0`.
    pub product: String,
    pub cluster: String,
    pub health: ClusterHealth,
    pub unassigned_shards: u32,
    pub nodes: Vec<SearchNode>,
    /// Largest first.
    pub indices: Vec<SearchIndex>,
    pub notes: Vec<String>,
    pub poll_ms: f64,
}
