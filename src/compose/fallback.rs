//! Reading compose files without a compose CLI: interpolation, `extends`,
//! then the merge of several `-f` files ([`merge`]).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::{extends, file, merge};

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
        let mut value = file::read(&path, env)?;
        extends::apply(&mut value, &path, env)?;
        merge::merge_config(&mut merged, value);
    }
    Ok(merged)
}
