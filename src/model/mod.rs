//! Plain data shared by collectors, the app state and the views.
//!
//! Nothing here does I/O or knows about bollard, tokio-postgres or redis:
//! collectors convert their types into these at the edge, so every view can
//! be built from a hand-made state in tests.

pub mod host;
pub mod log;
pub mod service;

pub use host::HostSnapshot;
pub use log::{LogBuffer, LogLine, LogStream, SgrColor, SgrStyle, StyledSpan};
pub use service::{Container, ContainerState, Health, PortMapping, Stats};
