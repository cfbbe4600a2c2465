//! Plain data shared by collectors, the app state and the views.
//!
//! Nothing here does I/O or knows about bollard, tokio-postgres or redis:
//! collectors convert their types into these at the edge, so every view can
//! be built from a hand-made state in tests.

pub mod compose;
pub mod health;
pub mod host;
pub mod job;
pub mod log;
pub mod pg;
pub mod prefs;
pub mod rabbit;
pub mod redis;
pub mod reset;
pub mod sample;
pub use sample::Sample;
pub mod search;
pub mod service;
pub mod snapshot;
pub mod sort;
pub mod target;
pub mod trend;

pub use compose::{
    CliFailure, ComposeProject, DeclaredService, ProjectKey, ProjectLocation, VolumeMount,
};
pub use health::{CheckResult, CheckSource, HealthCheck, Verdict};
pub use host::HostSnapshot;
pub use job::{
    ComposeVerb, ComposeWork, Done, Job, JobError, LogQuery, LogSource, PgSignal, TimeRange, Verb,
};
pub use log::{
    LevelTag, LogBuffer, LogLine, LogStream, Mark, Part, PartRole, Pushed, Severity, SgrColor,
    SgrStyle, Structured, StyledSpan,
};
pub use pg::{PgBackend, PgDatabase, PgPool, PgSnapshot, PgStatement, StateCounts, TopStatements};
pub use prefs::Prefs;
pub use rabbit::{ClientGroup, Gauge, Queue, RabbitSnapshot};
pub use redis::{ClientPool, KeyspaceDb, RedisSnapshot, SlowEntry};
pub use reset::{ContainerRef, ResetPlan, VolumeToRemove, plan_reset};
pub use search::{ClusterHealth, SearchIndex, SearchNode, SearchSnapshot};
pub use service::{Container, ContainerSpec, ContainerState, EngineId, Health, PortMapping, Stats};
pub use snapshot::Snapshot;
pub use sort::SortKey;
pub use target::{AUTH_RETRY, KindInfo, ProbeStatus, Target, TargetKind, TargetOrigin, mask_url};
