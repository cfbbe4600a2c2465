//! stacktop's own diagnostics, written to the `--log-file` only.
//!
//! Two guards keep secrets out of the file. Dependencies log at `warn`
//! unless `RUST_LOG` names them: a bare level such as `RUST_LOG=debug` is
//! stacktop's level only (the engine client logs whole inspect answers at
//! debug, environment and command included). And whatever the filter,
//! every line written is cleaned (`crate::text::clean_lines`) and has its
//! secrets masked ([`secrets::mask`]) on its way to the file.

pub mod secrets;

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;

/// stacktop's level when `RUST_LOG` gives none.
const OWN_LEVEL: &str = "debug";
/// Every other target's level unless `RUST_LOG` names it.
const DEPENDENCIES_LEVEL: &str = "warn";

/// Sends diagnostics to the file at `path` (appended to).
pub fn init(path: &Path) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening log file {}", path.display()))?;
    let asked = std::env::var("RUST_LOG").ok();
    let filter = EnvFilter::try_new(directives(asked.as_deref()))
        .unwrap_or_else(|_| EnvFilter::new(directives(None)));
    tracing_subscriber::fmt()
        .with_writer(MaskedFile(Mutex::new(file)))
        .with_ansi(false)
        .with_env_filter(filter)
        .init();
    Ok(())
}

/// The filter's directives for `RUST_LOG` (`None`: not set): bare levels
/// set stacktop's level, directives naming a target are kept as they are.
pub fn directives(rust_log: Option<&str>) -> String {
    let mut own = OWN_LEVEL.to_string();
    let mut named = Vec::new();
    for directive in rust_log.unwrap_or("").split(',').map(str::trim) {
        if directive.is_empty() {
            continue;
        }
        if directive.parse::<LevelFilter>().is_ok() {
            own = directive.to_string();
        } else {
            named.push(directive.to_string());
        }
    }
    let mut all = vec![DEPENDENCIES_LEVEL.to_string()];
    if !named.iter().any(|d| d.starts_with("stacktop")) {
        all.push(format!("stacktop={own}"));
    }
    all.extend(named);
    all.join(",")
}

/// The log file, written one event at a time, cleaned and masked.
struct MaskedFile(Mutex<std::fs::File>);

impl<'a> MakeWriter<'a> for MaskedFile {
    type Writer = EventWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        EventWriter {
            file: &self.0,
            text: Vec::new(),
        }
    }
}

/// Gathers one event's text; writes it, masked, when dropped, so a secret
/// is never split between two writes.
struct EventWriter<'a> {
    file: &'a Mutex<std::fs::File>,
    text: Vec<u8>,
}

impl Write for EventWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventWriter<'_> {
    fn drop(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.text);
        let clean = crate::text::clean_lines(&text);
        let safe = secrets::mask(&clean);
        // A poisoned lock still holds a usable file.
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        // Nowhere to report a failed write of a diagnostic.
        let _ = file.write_all(safe.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_levels_are_stacktops_and_dependencies_stay_at_warn() {
        assert_eq!(directives(None), "warn,stacktop=debug");
        assert_eq!(directives(Some("debug")), "warn,stacktop=debug");
        assert_eq!(directives(Some("trace")), "warn,stacktop=trace");
        assert_eq!(
            directives(Some("info,bollard=debug")),
            "warn,stacktop=info,bollard=debug"
        );
        assert_eq!(
            directives(Some("stacktop::collect=trace")),
            "warn,stacktop::collect=trace"
        );
    }
}
