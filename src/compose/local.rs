//! The compose project of the folder stacktop starts in.

use std::path::{Path, PathBuf};

use super::{DEFAULT_FILES, yaml};
use crate::model::ProjectLocation;

/// The default compose file of `dir`, if it has one.
pub fn default_file(dir: &Path) -> Option<PathBuf> {
    DEFAULT_FILES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// The project of the current folder: from `-f FILE…` when given, else the
/// folder's default compose file; `name` from `-p` wins over the file's.
pub fn local_project(cwd: &Path, files: &[PathBuf], name: Option<&str>) -> Option<ProjectLocation> {
    let files: Vec<PathBuf> = if files.is_empty() {
        default_file(cwd).into_iter().collect()
    } else {
        files.iter().map(|f| cwd.join(f)).collect()
    };
    let first = files.first()?;
    let dir = first.parent().unwrap_or(cwd);
    let name = name
        .map(str::to_string)
        .or_else(|| project_of_folder(dir))?;
    Some(ProjectLocation {
        name,
        working_dir: dir.display().to_string(),
        files: files.iter().map(|f| f.display().to_string()).collect(),
    })
}

/// The Compose project a folder's compose file belongs to: its top-level
/// `name:`, else the folder name normalised the way Compose does it.
pub fn project_of_folder(dir: &Path) -> Option<String> {
    let file = default_file(dir)?;
    let text = std::fs::read_to_string(file).ok()?;
    let declared = yaml::parse(&text).ok().and_then(|config| {
        let name = config.get("name")?.as_str()?.trim().to_string();
        (!name.is_empty() && !name.contains('$')).then_some(name)
    });
    declared.or_else(|| normalise_project(dir.file_name()?.to_str()?))
}

/// Compose project names are lowercase letters, digits, `-` and `_`.
pub fn normalise_project(name: &str) -> Option<String> {
    let name: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let name = name.trim_start_matches(['-', '_']).to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_are_normalised() {
        assert_eq!(normalise_project("My App"), Some("myapp".into()));
        assert_eq!(normalise_project("_x-y"), Some("x-y".into()));
        assert_eq!(normalise_project("???"), None);
    }

    #[test]
    fn compose_file_name_wins_over_folder() {
        let dir = std::env::temp_dir().join(format!("stacktop-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("compose.yaml"), "name: \"shop\"\nservices: {}\n").unwrap();
        assert_eq!(project_of_folder(&dir), Some("shop".into()));
        std::fs::write(
            dir.join("compose.yaml"),
            "services:\n  a:\n    name: not-this\n",
        )
        .unwrap();
        let folder = normalise_project(dir.file_name().unwrap().to_str().unwrap());
        assert_eq!(project_of_folder(&dir), folder);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn folder_without_compose_file_has_no_project() {
        let dir = std::env::temp_dir().join(format!("stacktop-none-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(project_of_folder(&dir), None);
        assert_eq!(local_project(&dir, &[], None), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
