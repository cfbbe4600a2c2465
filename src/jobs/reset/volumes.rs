//! Volumes of a reset: their sizes for the confirmation, their removal.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::{DataUsageOptions, RemoveVolumeOptions};
use serde_json::Value;

use super::Steps;
use crate::engine::{Engine, describe, is_not_found};
use crate::model::ResetPlan;

/// Longest wait for the engine's disk usage: it walks every volume.
pub(super) const DF_TIMEOUT: Duration = Duration::from_secs(30);

/// Fills the size of each of the plan's volumes the engine knows; the
/// others stay `None`. Never drops a volume from the plan.
pub async fn fill_sizes(engine: &Engine, docker: &Docker, plan: &mut ResetPlan) {
    let sizes = match volume_sizes(engine, docker).await {
        Ok(sizes) => sizes,
        Err(error) => {
            tracing::warn!(%error, "volume sizes unknown");
            HashMap::new()
        }
    };
    for volume in &mut plan.volumes {
        volume.size_bytes = sizes.get(&volume.name).copied().flatten();
    }
}

/// Sizes by volume name, from `docker.df()`. Engines before API 1.52 answer
/// in a shape bollard 0.21 does not read (`Volumes` at the top level), so
/// then the same request is made raw and both shapes are read.
async fn volume_sizes(
    engine: &Engine,
    docker: &Docker,
) -> Result<HashMap<String, Option<u64>>, String> {
    let options = DataUsageOptions {
        _type: Some(vec!["volume".to_string()]),
        ..Default::default()
    };
    // An older engine's answer may not even parse (its image entries differ).
    let typed = docker.df(Some(options)).await;
    if let Ok(Some(items)) = typed
        .as_ref()
        .map(|u| u.volume_usage.as_ref().and_then(|v| v.items.as_ref()))
    {
        return Ok(sizes_of(items));
    }
    let body =
        match tokio::time::timeout(DF_TIMEOUT, engine.raw_get("/system/df?type=volume")).await {
            Ok(Ok(body)) => body,
            Ok(Err(raw)) => {
                return Err(typed
                    .err()
                    .map_or(raw.clone(), |e| format!("{}; {raw}", describe(&e))));
            }
            Err(_) => return Err("the engine did not answer in time".to_string()),
        };
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| format!("reading /system/df: {e}"))?;
    let items = value
        .get("Volumes")
        .or_else(|| value.get("VolumeUsage").and_then(|u| u.get("Items")))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(sizes_of(&items))
}

/// Name → size of volume objects; a size of -1 (not computed) is `None`.
fn sizes_of(items: &[Value]) -> HashMap<String, Option<u64>> {
    items
        .iter()
        .filter_map(|item| {
            let name = item.get("Name")?.as_str()?.to_string();
            let size = item
                .get("UsageData")
                .and_then(|u| u.get("Size"))
                .and_then(Value::as_i64)
                .and_then(|s| u64::try_from(s).ok());
            Some((name, size))
        })
        .collect()
}

/// Removes the plan's volumes, each a step of its own. A volume already
/// gone (compose removed it with its container) counts as removed.
pub(super) async fn remove_volumes(
    docker: &Docker,
    plan: &ResetPlan,
    steps: &mut Steps<'_>,
) -> Result<usize, String> {
    for volume in &plan.volumes {
        steps.begin(format!("remove volume {}", volume.name)).await;
        match docker
            .remove_volume(&volume.name, None::<RemoveVolumeOptions>)
            .await
        {
            Ok(()) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(describe(&e)),
        }
    }
    Ok(plan.volumes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_read_both_shapes_and_unknown_is_none() {
        let items = vec![
            json!({"Name": "a", "UsageData": {"Size": 4096, "RefCount": 1}}),
            json!({"Name": "b", "UsageData": {"Size": -1, "RefCount": 0}}),
            json!({"Name": "c"}),
        ];
        let sizes = sizes_of(&items);
        assert_eq!(sizes["a"], Some(4096));
        assert_eq!(sizes["b"], None);
        assert_eq!(sizes["c"], None);
    }
}
