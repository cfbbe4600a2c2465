//! One compose file read from disk: no larger than stacktop reads
//! ([`yaml::MAX_BYTES`]), parsed within the YAML bounds, interpolated.
//! Errors name the file, and the line and column when the YAML is broken.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, anyhow};
use serde_json::Value;

use super::{interpolate, merge, yaml};

/// The file at `path`, parsed and interpolated with `env`.
pub fn read(path: &Path, env: &HashMap<String, String>) -> anyhow::Result<Value> {
    let mut value = parse(path)?;
    interpolate::interpolate_value(&mut value, env)
        .with_context(|| format!("interpolating {}", path.display()))?;
    Ok(value)
}

/// The file at `path`, parsed, nothing interpolated yet. Several
/// documents in it merge in order, as compose-go loads them.
pub fn parse(path: &Path) -> anyhow::Result<Value> {
    let text = text(path)?;
    let mut documents = yaml::documents(&text)
        .map_err(|e| named(path, &e))?
        .into_iter();
    // One document is kept as written: its `!reset`s apply to the files
    // before it.
    let mut merged = documents
        .next()
        .unwrap_or(Value::Object(serde_json::Map::new()));
    for document in documents {
        merge::merge_config(&mut merged, document);
    }
    Ok(merged)
}

/// Refuses the file at `path` when it breaks a bound of [`yaml`]: too
/// large, too deep, too many values once aliases are expanded. Broken YAML
/// passes: reading it says where it is broken.
pub fn check(path: &Path) -> anyhow::Result<()> {
    let text = text(path)?;
    yaml::check(&text).map_err(|e| named(path, &e))
}

/// `compose.yaml:3:7: …` when the error has a place, as editors and
/// terminals link it; `compose.yaml: …` when not.
fn named(path: &Path, error: &anyhow::Error) -> anyhow::Error {
    let joint = if error.to_string().starts_with(|c: char| c.is_ascii_digit()) {
        ":"
    } else {
        ": "
    };
    anyhow!("{}{joint}{error:#}", path.display())
}

/// The text of `path`, refused past [`yaml::MAX_BYTES`] before more of it
/// is read.
fn text(path: &Path) -> anyhow::Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(yaml::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() > yaml::MAX_BYTES {
        anyhow::bail!("{}: {}", path.display(), yaml::too_large());
    }
    String::from_utf8(bytes).map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// compose-go's loader reads every document of a file, later ones
    /// over earlier ones.
    #[test]
    fn documents_of_a_file_merge_in_order() {
        let path = std::env::temp_dir().join(format!("stacktop-docs-{}.yaml", std::process::id()));
        std::fs::write(
            &path,
            "name: first\nservices:\n  a: {image: x}\n---\nname: second\nservices:\n  b: {image: y}\n",
        )
        .unwrap();
        let value = parse(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(value["name"], "second");
        assert_eq!(value["services"]["a"]["image"], "x");
        assert_eq!(value["services"]["b"]["image"], "y");
    }
}
