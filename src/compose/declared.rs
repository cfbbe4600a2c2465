//! Declared services out of a compose configuration, whichever way it was
//! read: `docker compose config --format json`, `docker-compose config`
//! (YAML) or the files merged by hand.

use anyhow::{Context, bail};
use serde_json::Value;

use crate::model::{DeclaredService, VolumeMount};

/// The services of `config` active with `active_profiles`, in their order.
pub fn services(
    config: &Value,
    active_profiles: &[String],
) -> anyhow::Result<Vec<DeclaredService>> {
    let Some(services) = config.get("services") else {
        return Ok(Vec::new());
    };
    let Some(services) = services.as_object() else {
        bail!("`services` is not a mapping");
    };
    let mut out = Vec::new();
    for (name, body) in services {
        let service = service(name, body).with_context(|| format!("service {name}"))?;
        if is_active(&service, active_profiles) {
            out.push(service);
        }
    }
    Ok(out)
}

/// A service without profiles is always active; one with profiles when one
/// of them is active (`*` activates all).
pub fn is_active(service: &DeclaredService, active_profiles: &[String]) -> bool {
    profiles_active(&service.profiles, active_profiles)
}

/// Whether a service with `profiles` is active with `active_profiles`.
pub fn profiles_active<P: AsRef<str>>(profiles: &[P], active_profiles: &[String]) -> bool {
    profiles.is_empty()
        || active_profiles
            .iter()
            .any(|p| p == "*" || profiles.iter().any(|own| own.as_ref() == p))
}

/// Profiles named in `COMPOSE_PROFILES` (comma separated).
pub fn profiles_from(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn service(name: &str, body: &Value) -> anyhow::Result<DeclaredService> {
    let profiles = match body.get("profiles") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
        Some(_) => bail!("`profiles` is not a list"),
    };
    let volumes = match body.get("volumes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(volume).collect(),
        Some(_) => bail!("`volumes` is not a list"),
    };
    let replicas = body
        .get("deploy")
        .and_then(|d| d.get("replicas"))
        .or_else(|| body.get("scale"))
        .map(|v| count(v).context("`scale` / `deploy.replicas` is not a count"))
        .transpose()?
        .unwrap_or(1);
    Ok(DeclaredService {
        name: name.to_string(),
        image: body.get("image").and_then(scalar),
        profiles,
        volumes,
        replicas,
    })
}

/// A string, number or boolean as text (interpolated values are strings).
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn count(value: &Value) -> anyhow::Result<u32> {
    let text = scalar(value).unwrap_or_default();
    text.trim()
        .parse()
        .with_context(|| format!("{text:?} is not a count"))
}

/// A volume mount of a service, or `None` for bind mounts and tmpfs.
/// Named volumes carry their compose key, anonymous ones no name.
fn volume(value: &Value) -> Option<VolumeMount> {
    match value {
        Value::String(short) => short_volume(short),
        Value::Object(long) => {
            let kind = long.get("type").and_then(Value::as_str).unwrap_or("volume");
            if kind != "volume" {
                return None;
            }
            let target = long.get("target").and_then(scalar)?;
            let source = long
                .get("source")
                .and_then(scalar)
                .filter(|s| !s.is_empty());
            Some(VolumeMount {
                anonymous: source.is_none(),
                name: source,
                target,
            })
        }
        _ => None,
    }
}

/// `name:/path[:mode]`, `/path` (anonymous); `./x:/y`, `/x:/y`, `~/x:/y` are binds.
fn short_volume(short: &str) -> Option<VolumeMount> {
    let parts: Vec<&str> = short.split(':').collect();
    match parts.as_slice() {
        [target] => Some(VolumeMount {
            name: None,
            target: (*target).to_string(),
            anonymous: true,
        }),
        [source, target, ..] => {
            let bind = source.starts_with(['.', '/', '~']) || source.contains('/');
            (!bind).then(|| VolumeMount {
                name: Some((*source).to_string()),
                target: (*target).to_string(),
                anonymous: false,
            })
        }
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn volumes_short_and_long_binds_left_out() {
        let config = json!({"services": {"db": {
            "image": "postgres:15",
            "volumes": [
                "pgdata:/var/lib/postgresql/data:rw",
                "/scratch",
                "./init:/docker-entrypoint-initdb.d:ro",
                "/abs/host:/x",
                {"type": "volume", "source": "logs", "target": "/logs"},
                {"type": "volume", "target": "/anon"},
                {"type": "bind", "source": "/h", "target": "/b"},
                {"type": "tmpfs", "target": "/t"}
            ]
        }}});
        let db = &services(&config, &[]).unwrap()[0];
        let got: Vec<(Option<&str>, &str, bool)> = db
            .volumes
            .iter()
            .map(|v| (v.name.as_deref(), v.target.as_str(), v.anonymous))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("pgdata"), "/var/lib/postgresql/data", false),
                (None, "/scratch", true),
                (Some("logs"), "/logs", false),
                (None, "/anon", true),
            ]
        );
        assert_eq!(db.image.as_deref(), Some("postgres:15"));
        assert_eq!(db.replicas, 1);
    }

    #[test]
    fn profiles_decide_what_is_active() {
        let config = json!({"services": {
            "a": {},
            "b": {"profiles": ["extra"]},
            "c": {"profiles": ["debug", "extra"]}
        }});
        let names = |active: &[String]| -> Vec<String> {
            services(&config, active)
                .unwrap()
                .into_iter()
                .map(|s| s.name)
                .collect()
        };
        assert_eq!(names(&[]), ["a"]);
        assert_eq!(names(&profiles_from(Some("debug"))), ["a", "c"]);
        assert_eq!(names(&profiles_from(Some(" extra , x"))), ["a", "b", "c"]);
        assert_eq!(names(&profiles_from(Some("*"))), ["a", "b", "c"]);
    }

    #[test]
    fn replicas_from_scale_or_deploy() {
        let config = json!({"services": {
            "a": {"scale": 3},
            "b": {"deploy": {"replicas": "2"}},
            "c": {"scale": "x"}
        }});
        let err = services(&config, &[]).unwrap_err();
        assert!(format!("{err:#}").contains("service c"), "{err:#}");
        let config = json!({"services": {"a": {"scale": 3}, "b": {"deploy": {"replicas": "2"}}}});
        let got: Vec<u32> = services(&config, &[])
            .unwrap()
            .iter()
            .map(|s| s.replicas)
            .collect();
        assert_eq!(got, [3, 2]);
    }
}
