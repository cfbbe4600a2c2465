//! What Compose refuses in files that stacktop's own reader read, for when
//! no compose CLI can say it: a dependency on a service that is not there
//! (or not active), a dependency cycle, a required `env_file` that is
//! missing. Only active services are looked at, as `docker compose config`
//! does; the messages are Compose's own.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// Compose's reason for refusing `config` with `active_profiles`, if any.
pub fn refusal(config: &Value, active_profiles: &[String], working_dir: &Path) -> Option<String> {
    let services = active(config, active_profiles);
    for (name, body) in &services {
        for dependency in depends_on(body) {
            if !services.contains_key(dependency.as_str()) {
                return Some(format!(
                    "service {name:?} depends on undefined service {dependency:?}: invalid compose project"
                ));
            }
        }
    }
    if let Some(cycle) = cycle(&services) {
        return Some(format!("dependency cycle detected: {}", cycle.join(" -> ")));
    }
    services
        .values()
        .flat_map(|body| env_files(body))
        .map(|file| working_dir.join(file))
        .find(|path| !path.is_file())
        .map(|path| {
            let path = path.display();
            format!("env file {path} not found: stat {path}: no such file or directory")
        })
}

/// The active services by name: no profiles, or one of them active.
fn active<'a>(config: &'a Value, active_profiles: &[String]) -> BTreeMap<&'a str, &'a Value> {
    let Some(services) = config.get("services").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    services
        .iter()
        .filter(|(_, body)| {
            let profiles: Vec<&str> = body
                .get("profiles")
                .and_then(Value::as_array)
                .map(|p| p.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            super::declared::profiles_active(&profiles, active_profiles)
        })
        .map(|(name, body)| (name.as_str(), body))
        .collect()
}

/// The services `body` depends on and requires: a list of names, or a
/// mapping whose entries may say `required: false`.
fn depends_on(body: &Value) -> Vec<String> {
    match body.get("depends_on") {
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(_, how)| how.get("required") != Some(&Value::Bool(false)))
            .map(|(name, _)| name.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// The `env_file`s of `body` that must exist: a path, a list of paths, or
/// entries with `path` and `required`.
fn env_files(body: &Value) -> Vec<String> {
    let entries = match body.get("env_file") {
        Some(Value::String(path)) => return vec![path.clone()],
        Some(Value::Array(entries)) => entries,
        _ => return Vec::new(),
    };
    entries
        .iter()
        .filter_map(|entry| match entry {
            Value::String(path) => Some(path.clone()),
            Value::Object(long) if long.get("required") != Some(&Value::Bool(false)) => {
                long.get("path").and_then(Value::as_str).map(str::to_string)
            }
            _ => None,
        })
        .collect()
}

/// A dependency cycle among `services`, named from where it starts to where
/// it closes (`a -> b -> a`), if there is one.
fn cycle(services: &BTreeMap<&str, &Value>) -> Option<Vec<String>> {
    let mut done = Vec::new();
    for name in services.keys() {
        let mut path = Vec::new();
        if let Some(found) = walk(name, services, &mut path, &mut done) {
            return Some(found);
        }
    }
    None
}

fn walk(
    name: &str,
    services: &BTreeMap<&str, &Value>,
    path: &mut Vec<String>,
    done: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|n| n == name) {
        let mut cycle = path[at..].to_vec();
        cycle.push(name.to_string());
        return Some(cycle);
    }
    if done.iter().any(|n| n == name) {
        return None;
    }
    path.push(name.to_string());
    let body = services.get(name)?;
    for dependency in depends_on(body) {
        if let Some(found) = walk(&dependency, services, path, done) {
            return Some(found);
        }
    }
    path.pop();
    done.push(name.to_string());
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn said(config: Value, profiles: &[&str]) -> Option<String> {
        let profiles: Vec<String> = profiles.iter().map(|p| p.to_string()).collect();
        refusal(&config, &profiles, Path::new("/nowhere"))
    }

    /// The messages `docker compose config` gives for the same files.
    #[test]
    fn what_compose_refuses_in_its_words() {
        let undefined = json!({"services": {"api": {"depends_on": ["db"]},
            "db": {"profiles": ["x"]}}});
        assert_eq!(
            said(undefined.clone(), &[]).unwrap(),
            r#"service "api" depends on undefined service "db": invalid compose project"#
        );
        assert_eq!(said(undefined, &["x"]), None);
        let cycle = json!({"services": {"a": {"depends_on": ["b"]},
            "b": {"depends_on": {"a": {"condition": "service_started"}}}}});
        assert_eq!(
            said(cycle, &[]).unwrap(),
            "dependency cycle detected: a -> b -> a"
        );
        let env = json!({"services": {"api": {"env_file": "missing.env"}}});
        assert_eq!(
            said(env, &[]).unwrap(),
            "env file /nowhere/missing.env not found: stat /nowhere/missing.env: no such file or directory"
        );
    }

    #[test]
    fn what_compose_accepts() {
        let optional = json!({"services": {
            "api": {"depends_on": {"cache": {"required": false}},
                    "env_file": [{"path": "local.env", "required": false}]},
            "tool": {"profiles": ["p"], "env_file": "missing.env", "depends_on": ["nothere"]}}});
        assert_eq!(said(optional, &[]), None);
    }
}
