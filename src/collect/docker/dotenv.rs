//! The URLs in compose projects' `.env` files, which discovery reads for
//! database credentials (`DATABASE_URL`, `REDIS_URL`...).
//!
//! Every inspect of a container wants its project's file, and a busy
//! project is inspected often. So files are read on a blocking thread,
//! never on the async ones, and a file is read again only when its
//! modification time or length changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use crate::model::ContainerSpec;

/// `KEY=value` pairs whose value is a URL.
type Urls = Vec<(String, String)>;

/// The files read so far, shared with the blocking thread that reads them.
#[derive(Clone, Default)]
pub struct DotenvFiles {
    cache: Arc<Mutex<Cache>>,
}

impl DotenvFiles {
    /// Fills each container's `dotenv_urls` from the `.env` of its
    /// project's folder.
    pub async fn fill<'a>(&self, specs: impl IntoIterator<Item = &'a mut ContainerSpec>) {
        let mut wanting: Vec<(PathBuf, &'a mut ContainerSpec)> = specs
            .into_iter()
            .filter_map(|c| {
                let dir = c.compose_working_dir.as_ref()?;
                Some((Path::new(dir).join(".env"), c))
            })
            .collect();
        if wanting.is_empty() {
            return;
        }
        let mut paths: Vec<PathBuf> = wanting.iter().map(|(p, _)| p.clone()).collect();
        paths.sort();
        paths.dedup();
        let cache = Arc::clone(&self.cache);
        let read = tokio::task::spawn_blocking(move || {
            let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
            paths
                .into_iter()
                .map(|path| {
                    let urls = cache.urls(&path);
                    (path, urls)
                })
                .collect::<HashMap<PathBuf, Urls>>()
        })
        .await;
        let urls = match read {
            Ok(urls) => urls,
            Err(error) => {
                tracing::warn!(%error, "reading the projects' .env files stopped");
                return;
            }
        };
        for (path, spec) in &mut wanting {
            spec.dotenv_urls = urls.get(path).cloned().unwrap_or_default();
        }
    }
}

/// What a file held when it had this modification time and length.
#[derive(Default)]
struct Cache {
    files: HashMap<PathBuf, (Option<Stamp>, Urls)>,
}

/// When a file last changed, as far as reading it again goes; the length
/// too, for file systems whose times are coarse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: SystemTime,
    len: u64,
}

impl Cache {
    /// The URLs of the file at `path`, read again only when it changed.
    fn urls(&mut self, path: &Path) -> Urls {
        let stamp = std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| Stamp {
                // Linux always has the time; elsewhere the length decides.
                modified: m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                len: m.len(),
            });
        if let Some((seen, urls)) = self.files.get(path)
            && *seen == stamp
        {
            return urls.clone();
        }
        let urls = if stamp.is_some() {
            read_urls(path)
        } else {
            Vec::new()
        };
        self.files.insert(path.to_path_buf(), (stamp, urls.clone()));
        urls
    }
}

/// The URL-valued pairs of a `.env` file, read as Compose reads it; none
/// when Compose would refuse it.
fn read_urls(path: &Path) -> Urls {
    let os = |name: &str| std::env::var(name).ok();
    match crate::compose::dotenv::read(path, &os) {
        Ok(entries) => entries
            .into_iter()
            .filter(|(_, value)| value.contains("://"))
            .collect(),
        Err(error) => {
            tracing::debug!(%error, "no database URLs from the project's .env");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs::{File, FileTimes};

    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stacktop-dotenv-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes `text` and gives the file the modification time `at`.
    fn write(path: &Path, text: &str, at: SystemTime) {
        std::fs::write(path, text).unwrap();
        let file = File::options().write(true).open(path).unwrap();
        file.set_times(FileTimes::new().set_modified(at)).unwrap();
    }

    #[test]
    fn a_file_is_read_again_only_when_its_time_or_length_changed() {
        let dir = folder("cache");
        let path = dir.join(".env");
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let mut cache = Cache::default();
        assert!(cache.urls(&path).is_empty(), "no file yet");
        write(&path, "DB_URL=postgres://a@db/one\nNAME=x\n", at);
        let first = vec![("DB_URL".to_string(), "postgres://a@db/one".to_string())];
        assert_eq!(cache.urls(&path), first, "a new file is read");
        // Same length and time: the cached URLs stand, the file is not read.
        write(&path, "DB_URL=postgres://b@db/one\nNAME=x\n", at);
        assert_eq!(cache.urls(&path), first);
        write(
            &path,
            "DB_URL=postgres://b@db/one\nNAME=x\n",
            at + std::time::Duration::from_secs(1),
        );
        assert_eq!(
            cache.urls(&path)[0].1,
            "postgres://b@db/one",
            "a newer time"
        );
        write(
            &path,
            "DB_URL=postgres://cc@db/one\nNAME=x\n",
            at + std::time::Duration::from_secs(1),
        );
        assert_eq!(
            cache.urls(&path)[0].1,
            "postgres://cc@db/one",
            "a new length"
        );
        std::fs::remove_file(&path).unwrap();
        assert!(cache.urls(&path).is_empty(), "a file removed has none");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn in_folder(dir: Option<String>) -> ContainerSpec {
        ContainerSpec {
            compose_working_dir: dir,
            ..ContainerSpec::default()
        }
    }

    #[tokio::test]
    async fn containers_get_the_urls_of_their_projects_file() {
        let dir = folder("fill");
        std::fs::write(dir.join(".env"), "REDIS_URL=redis://cache:6379/2\n").unwrap();
        let mut ours = in_folder(Some(dir.display().to_string()));
        let mut outside = in_folder(None);
        DotenvFiles::default().fill([&mut ours, &mut outside]).await;
        let urls = vec![("REDIS_URL".to_string(), "redis://cache:6379/2".to_string())];
        assert_eq!(ours.dotenv_urls, urls);
        assert!(outside.dotenv_urls.is_empty(), "no project folder");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
