//! YAML documents as JSON values, so the compose CLI's JSON (v2), its YAML
//! (v1) and files read by hand all end up in one shape.

use anyhow::{Context, bail};
use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// The first document of `text`; anchors are resolved and merge keys
/// (`<<: *base`) applied. An empty text is an empty mapping.
pub fn parse(text: &str) -> anyhow::Result<Value> {
    let docs = YamlLoader::load_from_str(text).context("invalid YAML")?;
    match docs.into_iter().next() {
        Some(doc) => to_json(doc),
        None => Ok(Value::Object(Map::new())),
    }
}

fn to_json(yaml: Yaml) -> anyhow::Result<Value> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(text) => match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => Value::String(text),
        },
        Yaml::String(s) => Value::String(s),
        Yaml::Array(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            let mut merged: Vec<Map<String, Value>> = Vec::new();
            for (key, value) in hash {
                if matches!(&key, Yaml::String(k) if k == "<<") {
                    merged.extend(merge_sources(to_json(value)?)?);
                    continue;
                }
                map.insert(key_string(key)?, to_json(value)?);
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
        Yaml::Alias(_) => bail!("unresolved YAML alias"),
        Yaml::BadValue => bail!("invalid YAML value"),
    })
}

fn merge_sources(value: Value) -> anyhow::Result<Vec<Map<String, Value>>> {
    match value {
        Value::Object(map) => Ok(vec![map]),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Ok(map),
                _ => bail!("a merge key (<<) takes mappings only"),
            })
            .collect(),
        _ => bail!("a merge key (<<) takes a mapping or a list of mappings"),
    }
}

fn key_string(key: Yaml) -> anyhow::Result<String> {
    Ok(match key {
        Yaml::String(s) | Yaml::Real(s) => s,
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => "null".to_string(),
        other => bail!("unsupported mapping key {other:?}"),
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
    fn empty_text_is_an_empty_mapping() {
        assert_eq!(parse("").unwrap(), json!({}));
    }

    #[test]
    fn bad_yaml_is_an_error() {
        assert!(parse("a: [").is_err());
    }
}
