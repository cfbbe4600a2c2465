//! Writing a log view's lines to a file, off the UI thread.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use tokio::sync::mpsc::Sender;

use crate::event::Event;
use crate::model::Job;
use crate::tasks::spawn_job;

/// Names tried when the file exists already: `x.log`, `x-2.log`… `x-9.log`.
const TRIES: usize = 9;

/// Writes `text` to a new file at `path` (or `path` with `-2`… before its
/// extension, if taken); reports the full path or why it failed.
pub fn spawn_save(path: PathBuf, text: String, lines: usize, tx: Sender<Event>) {
    let job = Job::SaveLog { path: path.clone() };
    spawn_job(job, tx, async move {
        tokio::task::spawn_blocking(move || save(&path, &text, lines))
            .await
            .map_err(|e| format!("saving logs: {e}"))?
    });
}

fn save(path: &Path, text: &str, lines: usize) -> Result<String, String> {
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut last = shown.clone();
    for n in 1..=TRIES {
        let candidate = numbered(&shown, n);
        match write_new(&candidate, text) {
            Ok(()) => return Ok(format!("saved {lines} lines to {}", candidate.display())),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last = candidate,
            Err(e) => return Err(format!("cannot save logs to {}: {e}", candidate.display())),
        }
    }
    Err(format!(
        "cannot save logs to {}: the file and {TRIES} numbered ones exist",
        last.display()
    ))
}

/// `x.log` for 1, `x-2.log` for 2…
fn numbered(path: &Path, n: usize) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

/// Creates the file (never overwrites one) and writes all of `text`; a
/// full disk shows as the write's or the flush's error.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("stacktop-save-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn saves_a_new_file_and_numbers_the_next_one() {
        let dir = temp_dir("ok");
        let path = dir.join("web-20261125-120000.log");
        let said = save(&path, "a\nb\n", 2).unwrap();
        assert!(said.starts_with("saved 2 lines to /"), "{said}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nb\n");
        let again = save(&path, "c\n", 1).unwrap();
        assert!(again.ends_with("web-20261125-120000-2.log"), "{again}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failure_names_the_path_and_the_reason() {
        let dir = temp_dir("fail");
        let file = dir.join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        let path = file.join("web.log");
        let error = save(&path, "a\n", 1).unwrap_err();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.to_lowercase().contains("not a directory"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
