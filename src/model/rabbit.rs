//! What a RabbitMQ probe reports, from the management API.

/// A resource of the node against its limit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Gauge {
    pub used: u64,
    pub limit: u64,
}

impl Gauge {
    /// used / limit, 0 when there is no limit.
    pub fn ratio(&self) -> f64 {
        if self.limit == 0 {
            0.0
        } else {
            self.used as f64 / self.limit as f64
        }
    }
}

/// One queue, with its rates over the management API's sample window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Queue {
    pub vhost: String,
    pub name: String,
    pub ready: u64,
    pub unacked: u64,
    pub consumers: u64,
    /// Messages a second.
    pub publish_rate: f64,
    pub deliver_rate: f64,
    pub ack_rate: f64,
}

impl Queue {
    pub fn depth(&self) -> u64 {
        self.ready + self.unacked
    }

    /// `vhost/name`: unique on the node.
    pub fn key(&self) -> String {
        format!("{}/{}", self.vhost, self.name)
    }

    /// No messages and nothing moving.
    pub fn is_idle(&self) -> bool {
        self.depth() == 0 && self.publish_rate == 0.0 && self.deliver_rate == 0.0
    }
}

/// Connections sharing a client name, user, peer host and vhost: the
/// connection pool of one application.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientGroup {
    /// The client-provided connection name, else the connection's own.
    pub client: String,
    pub user: String,
    pub peer_host: String,
    pub vhost: String,
    pub connections: u32,
    pub channels: u32,
}

/// One poll of a RabbitMQ node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RabbitSnapshot {
    pub version: String,
    pub node: String,
    pub uptime_secs: u64,
    /// Memory against the high watermark.
    pub memory: Gauge,
    pub file_descriptors: Gauge,
    pub sockets: Gauge,
    /// Disk free against its limit (an alarm goes off below the limit).
    pub disk_free: u64,
    pub disk_free_limit: u64,
    /// Resource alarms in force: `memory`, `disk`.
    pub alarms: Vec<String>,
    /// Deepest first; idle queues last.
    pub queues: Vec<Queue>,
    pub clients: Vec<ClientGroup>,
    /// Messages published a second, all queues.
    pub publish_rate: f64,
    pub notes: Vec<String>,
    pub poll_ms: f64,
}
