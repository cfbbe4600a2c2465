//! How compose merges one configuration over another (a later `-f` file
//! over the earlier ones, a service over the one it `extends`): a subset of
//! the compose specification, enough for what the dashboard reads.
//! Mappings merge key by key, the later wins for scalars and lists; a
//! service's `volumes` merge by target path.

use serde_json::Value;

/// Merges a whole configuration `over` into `base`, as a later file does.
pub fn merge_config(base: &mut Value, over: Value) {
    merge(base, over, 0, false);
}

/// Merges a service body `over` into `base`, as a later file does.
pub fn merge_service(base: &mut Value, over: Value) {
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
        merge_config(&mut base, over);
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
