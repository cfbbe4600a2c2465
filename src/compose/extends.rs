//! `extends`: a service built on another one, in the same file
//! (`extends: base` or `extends: {service: base}`) or in another file
//! (`extends: {file: common.yaml, service: base}`, relative to the file
//! that says it). The base comes first and the extending service's own
//! keys are merged over it, as a later file's would be; bases may extend
//! in turn.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use super::file;
use super::merge::merge_service;

/// Resolves every `extends` of the services of `config`, read from `file`.
pub fn apply(config: &mut Value, file: &Path, env: &HashMap<String, String>) -> anyhow::Result<()> {
    let Some(services) = config.get("services").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut resolved = Map::new();
    for name in services.keys() {
        let mut chain = Vec::new();
        let body = service(services, name, file, env, &mut chain)
            .with_context(|| format!("service {name}: extends"))?;
        resolved.insert(name.clone(), body);
    }
    config["services"] = Value::Object(resolved);
    Ok(())
}

/// Service `name` of `services` (read from `file`) with its base merged in.
fn service(
    services: &Map<String, Value>,
    name: &str,
    file: &Path,
    env: &HashMap<String, String>,
    chain: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<Value> {
    let Some(body) = services.get(name) else {
        bail!("no service {name} in {}", file.display());
    };
    let Some(extends) = body.get("extends") else {
        return Ok(body.clone());
    };
    let link = (file.to_path_buf(), name.to_string());
    if chain.contains(&link) {
        bail!("{name} in {} extends itself through others", file.display());
    }
    chain.push(link);
    let (base_file, base_name) = target(extends, file)?;
    let mut base = if base_file == file {
        service(services, &base_name, file, env, chain)?
    } else {
        let other = file::read(&base_file, env)?;
        let empty = Map::new();
        let others = other
            .get("services")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        service(others, &base_name, &base_file, env, chain)?
    };
    let mut own = body.clone();
    if let Some(map) = own.as_object_mut() {
        map.remove("extends");
    }
    if let Some(map) = base.as_object_mut() {
        map.remove("extends");
    }
    merge_service(&mut base, own);
    Ok(base)
}

/// The file and service an `extends` names.
fn target(extends: &Value, file: &Path) -> anyhow::Result<(PathBuf, String)> {
    match extends {
        Value::String(service) => Ok((file.to_path_buf(), service.clone())),
        Value::Object(long) => {
            let Some(service) = long.get("service").and_then(Value::as_str) else {
                bail!("`extends` names no service");
            };
            let path = match long.get("file").and_then(Value::as_str) {
                Some(other) => file.parent().unwrap_or(Path::new(".")).join(other),
                None => file.to_path_buf(),
            };
            Ok((path, service.to_string()))
        }
        _ => bail!("`extends` is neither a service name nor a mapping"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_service_extends_one_of_its_file_then_one_of_another() {
        let dir = std::env::temp_dir().join(format!("stacktop-extends-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("common")).unwrap();
        let base = dir.join("common/base.yaml");
        std::fs::write(
            &base,
            "services:\n  root:\n    image: busybox\n    profiles: [tools]\n    volumes: [data:/data]\n",
        )
        .unwrap();
        let main = dir.join("compose.yaml");
        let mut config = json!({"services": {
            "web": {"extends": {"file": "common/base.yaml", "service": "root"}, "image": "nginx"},
            "worker": {"extends": "web", "scale": 2},
            "loop": {"extends": "loop"}
        }});
        let err = apply(&mut config.clone(), &main, &HashMap::new()).unwrap_err();
        assert!(format!("{err:#}").contains("extends itself"), "{err:#}");
        config["services"].as_object_mut().unwrap().remove("loop");
        apply(&mut config, &main, &HashMap::new()).unwrap();
        assert_eq!(
            config["services"]["web"],
            json!({"image": "nginx", "profiles": ["tools"], "volumes": ["data:/data"]})
        );
        assert_eq!(config["services"]["worker"]["image"], "nginx");
        assert_eq!(config["services"]["worker"]["scale"], 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
