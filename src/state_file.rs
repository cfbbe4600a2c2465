//! The state file: what stacktop remembers between runs (the list's order
//! and the projects folded or unfolded), next to the user's config file.
//! Read at start and written when the user changes either, by the runtime;
//! never by `update` or a view.
//!
//! ```toml
//! sort = "cpu"
//!
//! [folded]
//! shop = true
//! billing = false
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::Sender;

use crate::event::Event;
use crate::model::{Prefs, SortKey};
use crate::toml_error::toml_error;

const HEADER: &str =
    "# stacktop's state: the list's order and folded projects. stacktop rewrites it.\n";

#[derive(Debug, Default, Serialize, Deserialize)]
struct StateFile {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    folded: BTreeMap<String, bool>,
}

/// What the file at `path` remembers; nothing when there is no file.
pub fn load(path: &Path) -> Result<Prefs> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Prefs::default()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    parse(&text, &path.display().to_string())
}

/// Reads a state file's text; `name` is how errors call the file. An
/// order stacktop does not know (from a newer version) is left as default.
pub fn parse(text: &str, name: &str) -> Result<Prefs> {
    let file: StateFile = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
    Ok(Prefs {
        sort: file
            .sort
            .as_deref()
            .and_then(SortKey::from_word)
            .unwrap_or_default(),
        folds: file.folded,
    })
}

/// The text of the state file for `prefs`.
pub fn render(prefs: &Prefs) -> Result<String> {
    let file = StateFile {
        sort: Some(prefs.sort.word().to_string()),
        folded: prefs.folds.clone(),
    };
    let body = toml::to_string(&file).context("writing the state as TOML")?;
    Ok(format!("{HEADER}{body}"))
}

/// Writes `prefs` to `path` whole or not at all (a temporary file renamed
/// over it), making its folder when missing.
pub fn save(path: &Path, prefs: &Prefs) -> Result<()> {
    let text = render(prefs)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".new");
    std::fs::write(&temporary, text).with_context(|| format!("writing {}", path.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

/// Writes the prefs off the UI thread, one write at a time, never an
/// older state over a newer one; a failure comes back as an event.
pub struct Writer {
    path: Option<PathBuf>,
    /// The number of the newest state written so far.
    written: Arc<Mutex<u64>>,
    next: u64,
}

impl Writer {
    /// A writer to `path`; with none, nothing is written.
    pub fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            written: Arc::new(Mutex::new(0)),
            next: 0,
        }
    }

    pub fn save(&mut self, prefs: Prefs, tx: &Sender<Event>) {
        let Some(path) = self.path.clone() else {
            return;
        };
        self.next += 1;
        let number = self.next;
        let written = Arc::clone(&self.written);
        let tx = tx.clone();
        tokio::task::spawn_blocking(move || {
            let mut newest = written.lock().unwrap_or_else(PoisonError::into_inner);
            if *newest > number {
                return;
            }
            *newest = number;
            if let Err(e) = save(&path, &prefs) {
                tracing::warn!(error = %format!("{e:#}"), "state file not written");
                let _ = tx.blocking_send(Event::PrefsNotSaved(format!("{e:#}")));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_survive_a_round_trip_through_the_file() {
        let dir = std::env::temp_dir().join(format!("stacktop-state-{}", std::process::id()));
        let path = dir.join("nested").join("state.toml");
        let mut prefs = Prefs {
            sort: SortKey::Memory,
            ..Prefs::default()
        };
        prefs.folds.insert("shop".into(), true);
        prefs.folds.insert("(no compose project)".into(), false);
        assert_eq!(load(&path).unwrap(), Prefs::default(), "no file yet");
        save(&path, &prefs).unwrap();
        assert_eq!(load(&path).unwrap(), prefs);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_broken_file_names_its_place_and_an_unknown_order_is_the_default() {
        let err = parse("sort = \n", "state.toml").unwrap_err().to_string();
        assert!(err.starts_with("state.toml:1:"), "{err}");
        assert_eq!(
            parse("sort = \"mood\"\n", "s").unwrap().sort,
            SortKey::default()
        );
    }
}
