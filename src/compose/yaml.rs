//! YAML documents as JSON values, so the compose CLI's JSON (v2), its YAML
//! (v1) and files read by hand all end up in one shape.
//!
//! The parser is libyaml's (through serde_yaml_ng), the family go-yaml and
//! so Compose come from: it takes what real compose files hold, such as a
//! flow sequence spread over lines with comments whose closing bracket sits
//! at its key's indentation, which stricter YAML 1.2 readers refuse.
//!
//! What it is handed is bounded first ([`bounds`]): its size, how deep it
//! nests and how many values it holds once aliases are expanded, so a
//! hostile file is refused at once with the limit it broke instead of
//! keeping stacktop busy.

mod bounds;

use anyhow::anyhow;
use serde_json::{Map, Value};
use serde_yaml_ng::Value as Yaml;

pub use bounds::{MAX_BYTES, MAX_DEPTH, MAX_NODES, check, too_large};

/// The first document of `text`, with anchors resolved and merge keys
/// (`<<: *base`, `<<: [*a, *b]`) applied; keys written in a mapping win
/// over merged ones. An empty text is an empty mapping. Errors carry the
/// line and column: `3:7: did not find expected key`.
pub fn parse(text: &str) -> anyhow::Result<Value> {
    bounds::check(text)?;
    let yaml: Yaml = serde_yaml_ng::from_str(text).map_err(|e| positioned(&e))?;
    to_json(yaml)
}

/// Every document of `text`, in order, each as [`parse`] reads one.
pub fn documents(text: &str) -> anyhow::Result<Vec<Value>> {
    bounds::check(text)?;
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|document| {
            let yaml =
                <Yaml as serde::Deserialize>::deserialize(document).map_err(|e| positioned(&e))?;
            to_json(yaml)
        })
        .collect()
}

fn positioned(error: &serde_yaml_ng::Error) -> anyhow::Error {
    let message = error.to_string();
    // The message may end with " at line L column C": say it up front.
    let plain = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    match error.location() {
        Some(at) => anyhow!("{}:{}: {plain}", at.line(), at.column()),
        None => anyhow!("{plain}"),
    }
}

fn to_json(yaml: Yaml) -> anyhow::Result<Value> {
    Ok(match yaml {
        Yaml::Null => Value::Object(Map::new()),
        document => node(document)?,
    })
}

fn node(yaml: Yaml) -> anyhow::Result<Value> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => serde_json::to_value(&n).unwrap_or(Value::String(n.to_string())),
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => {
            Value::Array(items.into_iter().map(node).collect::<Result<_, _>>()?)
        }
        Yaml::Mapping(mapping) => {
            let mut map = Map::new();
            let mut merged: Vec<Map<String, Value>> = Vec::new();
            for (key, value) in mapping {
                if matches!(&key, Yaml::String(k) if k == "<<") {
                    // Converted first, so a merged mapping's own merges
                    // (an anchor built on another) are applied too.
                    merged.extend(merge_sources(node(value)?)?);
                    continue;
                }
                map.insert(key_string(key)?, node(value)?);
            }
            // Keys written in the mapping win over merged ones; among the
            // merged mappings the first listed wins.
            for source in merged {
                for (key, value) in source {
                    map.entry(key).or_insert(value);
                }
            }
            Value::Object(map)
        }
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let value = node(tagged.value)?;
            match tag.trim_start_matches('!') {
                "reset" => marked(RESET, Value::Null),
                "override" => marked(OVERRIDE, value),
                _ => value,
            }
        }
    })
}

/// The key of a one-key mapping standing for a value tagged `!reset`
/// (Compose's merge drops what it tags), unlike any key a file holds.
pub const RESET: &str = "\u{0}!reset";
/// The same for `!override` (Compose's merge replaces rather than merges).
pub const OVERRIDE: &str = "\u{0}!override";

fn marked(tag: &str, value: Value) -> Value {
    Value::Object(Map::from_iter([(tag.to_string(), value)]))
}

fn merge_sources(value: Value) -> anyhow::Result<Vec<Map<String, Value>>> {
    match value {
        Value::Object(map) => Ok(vec![map]),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Ok(map),
                _ => Err(anyhow!("a merge key (<<) takes mappings only")),
            })
            .collect(),
        _ => Err(anyhow!(
            "a merge key (<<) takes a mapping or a list of mappings"
        )),
    }
}

fn key_string(key: Yaml) -> anyhow::Result<String> {
    Ok(match key {
        Yaml::String(s) => s,
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Null => "null".to_string(),
        other => return Err(anyhow!("unsupported mapping key {other:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_keys_and_anchors_are_applied() {
        let text = "x-base: &base\n  image: busybox\n  init: true\nservices:\n  a:\n    <<: *base\n    init: false\n    ports: [1, 2.5]\n";
        let value = parse(text).unwrap();
        assert_eq!(
            value["services"]["a"],
            json!({"init": false, "ports": [1, 2.5], "image": "busybox"})
        );
    }

    #[test]
    fn anchors_on_their_own_line_and_merge_lists() {
        let text = "x-a:\n  &a\n  A: '1'\nx-b: &b\n  B: 2\nenv:\n  <<: [*a, *b]\n  C: yes\n";
        let value = parse(text).unwrap();
        assert_eq!(value["env"], json!({"A": "1", "B": 2, "C": "yes"}));
    }

    #[test]
    fn a_flow_sequence_over_lines_with_comments_closing_at_its_key() {
        let text = "services:\n  app:\n    command: [\n      \"run\",\n      # the port\n      \"--port\", \"8080\",\n    # done\n    ]\n    image: x\n";
        let value = parse(text).unwrap();
        assert_eq!(
            value["services"]["app"]["command"],
            json!(["run", "--port", "8080"])
        );
    }

    #[test]
    fn an_anchor_built_on_another_is_merged_whole() {
        let text = "x-base: &base\n  image: busybox\nx-worker: &worker\n  <<: *base\n  command: [sleep]\nservices:\n  w:\n    <<: *worker\n";
        let value = parse(text).unwrap();
        assert_eq!(
            value["services"]["w"],
            json!({"command": ["sleep"], "image": "busybox"})
        );
    }

    #[test]
    fn block_scalars_keep_their_lines() {
        let text = "a: |\n  one\n    two\nb: >-\n  x\n  y\n";
        let value = parse(text).unwrap();
        assert_eq!(value["a"], json!("one\n  two\n"));
        assert_eq!(value["b"], json!("x y"));
    }

    #[test]
    fn port_pairs_and_leading_zeros_stay_text() {
        let value = parse("ports: [8080:80]\nmode: 0755\n").unwrap();
        assert_eq!(value["ports"], json!(["8080:80"]));
        assert_eq!(value["mode"], json!("0755"));
    }

    #[test]
    fn empty_text_is_an_empty_mapping() {
        assert_eq!(parse("").unwrap(), json!({}));
        assert_eq!(parse("# only a comment\n").unwrap(), json!({}));
    }

    #[test]
    fn bad_yaml_says_where() {
        let err = parse("a: [\n").unwrap_err().to_string();
        assert!(err.starts_with("2:1:") || err.starts_with("1:"), "{err}");
        let err = parse("a:\n  b: 1\n c: 2\n").unwrap_err().to_string();
        assert!(err.starts_with("3:"), "{err}");
    }
}
