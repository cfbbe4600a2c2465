//! Choosing a compose CLI for a test: v2 is a docker CLI plugin, found
//! through `DOCKER_CONFIG` (scripts/test.sh puts one under target/), so a
//! test picks v2 by pointing there and "only v1" by pointing elsewhere.

use std::collections::HashMap;
use std::path::Path;

/// The `DOCKER_CONFIG` folder holding the compose v2 plugin.
pub fn v2_config_dir() -> String {
    let dir = std::env::var("STACKTOP_TEST_COMPOSE_V2").unwrap_or_else(|_| {
        panic!(
            "STACKTOP_TEST_COMPOSE_V2 is not set: run the tests through scripts/test.sh, \
             which provides the compose v2 plugin"
        )
    });
    let plugin = Path::new(&dir).join("cli-plugins/docker-compose");
    assert!(
        plugin.is_file(),
        "no compose v2 plugin at {}: run scripts/test.sh",
        plugin.display()
    );
    dir
}

/// The process environment without the COMPOSE_* variables and
/// DOCKER_CONFIG, so only a test's folder decides.
pub fn without_compose_vars() -> HashMap<String, String> {
    std::env::vars()
        .filter(|(k, _)| !k.starts_with("COMPOSE_") && k != "DOCKER_CONFIG")
        .collect()
}

/// Makes the compose v2 plugin a plugin of the docker config folder
/// `config` too, as a user's own config folder holds it.
pub fn add_v2_plugin(config: &Path) {
    let plugins = Path::new(&v2_config_dir()).join("cli-plugins");
    let link = config.join("cli-plugins");
    std::os::unix::fs::symlink(&plugins, &link)
        .unwrap_or_else(|e| panic!("cannot link {}: {e}", link.display()));
}
