//! How compose merges one configuration over another (a later `-f` file
//! over the earlier ones, a service over the one it `extends`): a subset of
//! the compose specification, enough for what the dashboard reads.
//! Mappings merge key by key, the later wins for scalars and lists; a
//! service's `volumes` merge by target path and its `profiles` add up. A
//! value tagged `!reset` is dropped, one tagged `!override` replaces.

use serde_json::Value;

use super::yaml::{OVERRIDE, RESET};

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
                let body = depth == 2 && in_services;
                match (base.get_mut(&key), tag_of(&value)) {
                    (_, Some(Tag::Reset)) => {
                        base.remove(&key);
                    }
                    (Some(existing), None) if body && key == "volumes" => {
                        merge_volumes(existing, settled(value));
                    }
                    (Some(existing), None) if body && key == "profiles" => {
                        merge_profiles(existing, settled(value));
                    }
                    (Some(existing), None) => {
                        merge(existing, value, depth + 1, in_services || services);
                    }
                    _ => {
                        base.insert(key, settled(value));
                    }
                }
            }
        }
        (base, over) => *base = settled(over),
    }
}

enum Tag {
    Reset,
    Override,
}

/// What a value was tagged with in its file, if anything Compose's merge
/// heeds.
fn tag_of(value: &Value) -> Option<Tag> {
    let Value::Object(map) = value else {
        return None;
    };
    match map.keys().next().map(String::as_str) {
        Some(RESET) if map.len() == 1 => Some(Tag::Reset),
        Some(OVERRIDE) if map.len() == 1 => Some(Tag::Override),
        _ => None,
    }
}

/// `value` with its tags applied: `!override` unwrapped, `!reset` dropped.
fn settled(value: Value) -> Value {
    match (tag_of(&value), value) {
        (Some(Tag::Override), Value::Object(mut map)) => {
            settled(map.remove(OVERRIDE).unwrap_or(Value::Null))
        }
        (_, Value::Object(map)) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !matches!(tag_of(v), Some(Tag::Reset)))
                .map(|(k, v)| (k, settled(v)))
                .collect(),
        ),
        (_, Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .filter(|v| !matches!(tag_of(v), Some(Tag::Reset)))
                .map(settled)
                .collect(),
        ),
        (_, other) => other,
    }
}

/// Profiles add up, each once, as compose-go merges them.
fn merge_profiles(base: &mut Value, over: Value) {
    let (Value::Array(items), Value::Array(more)) = (&mut *base, &over) else {
        *base = over;
        return;
    };
    for profile in more {
        if !items.contains(profile) {
            items.push(profile.clone());
        }
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

    /// compose-go's override tests: `!reset` drops a whole service or a
    /// key, `!override` replaces, profiles add up.
    #[test]
    fn reset_override_and_profiles() {
        let read = |text: &str| crate::compose::yaml::parse(text).unwrap();
        let mut merged = json!({});
        merge_config(
            &mut merged,
            read("services:\n  a: {image: x, profiles: [p1], ports: ['1:1']}\n  b: {image: y}\n"),
        );
        merge_config(
            &mut merged,
            read(
                "services:\n  a:\n    profiles: [p2, p1]\n    ports: !reset []\n  b: !reset null\n",
            ),
        );
        assert_eq!(
            merged,
            json!({"services": {"a": {"image": "x", "profiles": ["p1", "p2"]}}})
        );
        merge_config(
            &mut merged,
            read("services:\n  a: !override\n    image: z\n"),
        );
        assert_eq!(merged, json!({"services": {"a": {"image": "z"}}}));
    }
}
