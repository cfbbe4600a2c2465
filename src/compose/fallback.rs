//! Reading compose files without a compose CLI: interpolation, `extends`,
//! then the merge of several `-f` files.
//!
//! Merge rules (a subset of the compose specification, enough for what the
//! dashboard reads): mappings merge key by key, later files win for scalars
//! and lists; a service's `volumes` merge by target path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;

use super::{extends, interpolate, yaml};

/// The merged configuration of `files` (relative to `working_dir`), with
/// variables taken from `env` (the process environment over the env files).
pub fn read_config(
    working_dir: &Path,
    files: &[String],
    env: &HashMap<String, String>,
) -> anyhow::Result<Value> {
    let mut merged = Value::Object(serde_json::Map::new());
    for file in files {
        let path = working_dir.join(file);
        let mut value = read_file(&path, env)?;
        extends::apply(&mut value, &path, env)?;
        merge(&mut merged, value, 0, false);
    }
    Ok(merged)
}

/// One compose file, parsed and interpolated; errors name the file (and
/// the line and column when the YAML is broken).
pub(super) fn read_file(path: &PathBuf, env: &HashMap<String, String>) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut value = yaml::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e:#}", path.display()))?;
    interpolate::interpolate_value(&mut value, env)
        .with_context(|| format!("interpolating {}", path.display()))?;
    Ok(value)
}

/// Merges a service body `over` into `base`, as a later file does.
pub(super) fn merge_service(base: &mut Value, over: Value) {
    merge(base, over, 2, true);
}

/// Merges `over` into `base`. `depth` 2 under `services` is a service body,
/// where `volumes` merge by target.
fn merge(base: &mut Value, over: Value, depth: usize, in_services: bool) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                let services = depth == 0 && key == "services";
                match base.get_mut(&key) {
                    Some(existing) if depth == 2 && in_services && key == "volumes" => {
                        merge_volumes(existing, value);
                    }
                    Some(existing) => merge(existing, value, depth + 1, in_services || services),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

fn merge_volumes(base: &mut Value, over: Value) {
    let (Value::Array(items), Value::Array(more)) = (&mut *base, &over) else {
        *base = over;
        return;
    };
    for mount in more {
        let target = volume_target(mount);
        match items
            .iter_mut()
            .find(|m| target.is_some() && volume_target(m) == target)
        {
            Some(existing) => *existing = mount.clone(),
            None => items.push(mount.clone()),
        }
    }
}

fn volume_target(mount: &Value) -> Option<String> {
    match mount {
        Value::String(short) => {
            let parts: Vec<&str> = short.split(':').collect();
            Some(if parts.len() == 1 { parts[0] } else { parts[1] }.to_string())
        }
        Value::Object(long) => long
            .get("target")
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn later_file_wins_and_volumes_merge_by_target() {
        let mut base = json!({"services": {"db": {
            "image": "postgres:14",
            "environment": {"A": "1", "B": "2"},
            "volumes": ["pgdata:/data", "/scratch"],
            "command": ["a", "b"]
        }}, "volumes": {"pgdata": {}}});
        let over = json!({"services": {"db": {
            "image": "postgres:15",
            "environment": {"B": "3"},
            "volumes": ["other:/data", "logs:/logs"],
            "command": ["c"]
        }, "web": {"image": "nginx"}}});
        merge(&mut base, over, 0, false);
        assert_eq!(
            base,
            json!({"services": {"db": {
                "image": "postgres:15",
                "environment": {"A": "1", "B": "3"},
                "volumes": ["other:/data", "/scratch", "logs:/logs"],
                "command": ["c"]
            }, "web": {"image": "nginx"}}, "volumes": {"pgdata": {}}})
        );
    }
}
