#![allow(clippy::unwrap_used)]
//! Every compose folder of `tests/compose/` read three ways, with compose
//! v2, with only v1, and with no CLI: the project name, the services and
//! their profiles must be the same each time, and the same as `docker
//! compose config` (v2) reports from the folder on its own. Nothing is
//! skipped: without the v2 plugin (scripts/test.sh provides it) or v1 the
//! tests fail and say so.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use stacktop::compose::{ComposeCli, ProjectOptions, load, resolve};
use support::compose_cli::{v2_config_dir, without_compose_vars};

/// What must come out the same however the project is read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reading {
    name: String,
    /// Service name → its profiles.
    services: BTreeMap<String, Vec<String>>,
}

fn folder(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/compose")
        .join(name)
}

/// `docker compose config --format json`, run in the folder as a user would.
fn compose_v2_says(dir: &Path) -> Reading {
    let out = Command::new("docker")
        .args(["compose", "config", "--format", "json"])
        .current_dir(dir)
        .env_clear()
        .envs(without_compose_vars())
        .env("DOCKER_CONFIG", v2_config_dir())
        .output()
        .expect("run docker compose");
    assert!(
        out.status.success(),
        "docker compose config in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let config: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let services = config["services"]
        .as_object()
        .expect("services")
        .iter()
        .map(|(name, body)| {
            let profiles = body["profiles"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            (name.clone(), profiles)
        })
        .collect();
    Reading {
        name: config["name"].as_str().expect("name").to_string(),
        services,
    }
}

/// stacktop's reading of the folder with `cli` (v2 through `DOCKER_CONFIG`).
async fn stacktop_says(dir: &Path, cli: Option<ComposeCli>) -> (Reading, bool) {
    let mut os = without_compose_vars();
    os.insert("DOCKER_CONFIG".into(), v2_config_dir());
    let resolved = resolve(&ProjectOptions::default(), dir, &os)
        .expect("resolve")
        .expect("a project");
    let loaded = load(&resolved.location, cli, &os)
        .await
        .unwrap_or_else(|e| panic!("{} with {cli:?}: {e:#}", dir.display()));
    let services = loaded
        .project
        .services
        .iter()
        .map(|s| (s.name.clone(), s.profiles.clone()))
        .collect();
    let reading = Reading {
        name: resolved.location.name,
        services,
    };
    (reading, loaded.cli_failure.is_some())
}

/// Reads `name` the three ways; returns whether v1 had to be replaced by
/// stacktop's reader.
async fn same_three_ways(name: &str) -> bool {
    let dir = folder(name);
    let truth = compose_v2_says(&dir);
    let (v2, v2_failed) = stacktop_says(&dir, Some(ComposeCli::V2)).await;
    let (v1, v1_failed) = stacktop_says(&dir, Some(ComposeCli::V1)).await;
    let (none, _) = stacktop_says(&dir, None).await;
    assert!(!v2_failed, "{name}: compose v2 itself refused the files");
    assert_eq!(v2, truth, "{name}: with compose v2");
    assert_eq!(v1, truth, "{name}: with only compose v1");
    assert_eq!(none, truth, "{name}: with no compose CLI");
    v1_failed
}

#[tokio::test]
async fn newer_syntax_v1_refuses_is_read_by_stacktop_instead() {
    assert!(
        same_three_ways("newer-syntax").await,
        "v1 should have refused the newer syntax"
    );
}

#[tokio::test]
async fn dotenv_with_unquoted_spaces_and_a_project_name() {
    assert!(!same_three_ways("dotenv-spaces").await);
    assert_eq!(
        compose_v2_says(&folder("dotenv-spaces")).name,
        "studio-local"
    );
}

#[tokio::test]
async fn the_default_override_file_is_merged() {
    same_three_ways("default-override").await;
    let services = compose_v2_says(&folder("default-override")).services;
    assert!(services.contains_key("mailcatcher"), "{services:?}");
}

#[tokio::test]
async fn compose_file_names_two_files() {
    same_three_ways("compose-file").await;
    let services = compose_v2_says(&folder("compose-file")).services;
    assert!(!services.contains_key("unused"), "{services:?}");
}

#[tokio::test]
async fn profiles_come_from_the_dotenv() {
    same_three_ways("profiles-dotenv").await;
    let services = compose_v2_says(&folder("profiles-dotenv")).services;
    assert_eq!(services["seeder"], ["tools", "debug"]);
    assert!(!services.contains_key("exporter"));
}

#[tokio::test]
async fn extends_across_files() {
    same_three_ways("extends-files").await;
}

#[tokio::test]
async fn a_flow_sequence_over_lines_with_comments() {
    same_three_ways("flow-comments").await;
}

#[tokio::test]
async fn anchors_on_their_own_line() {
    same_three_ways("anchors-own-line").await;
}

/// compose-go normalises a `name:` from the file (`My.Shop_App`).
#[tokio::test]
async fn a_file_name_with_capitals_and_dots_is_normalised() {
    same_three_ways("name-normalised").await;
}

/// compose-go's dotenv fixtures: a `.env` saved with a byte-order mark.
#[tokio::test]
async fn a_dotenv_with_a_byte_order_mark() {
    same_three_ways("dotenv-bom").await;
}

/// compose-go's override tests: `!reset` on a whole service, profiles that
/// add up across files.
#[tokio::test]
async fn reset_a_service_and_add_profiles_in_the_override() {
    same_three_ways("reset-override").await;
}

/// compose-go's loader: several YAML documents in one file.
#[tokio::test]
async fn several_documents_in_one_file() {
    same_three_ways("multi-document").await;
}

/// docker/compose refuses a `depends_on` on an undefined service: stacktop
/// still reads the services, and says Compose's own words, whichever CLI
/// there is (v1's refusals alone are no verdict: it predates newer syntax).
#[tokio::test]
async fn files_compose_refuses_are_read_and_marked_invalid() {
    let dir = folder("refused-depends");
    let mut os = without_compose_vars();
    os.insert("DOCKER_CONFIG".into(), v2_config_dir());
    let resolved = resolve(&ProjectOptions::default(), &dir, &os)
        .unwrap()
        .unwrap();
    let v2 = load(&resolved.location, Some(ComposeCli::V2), &os)
        .await
        .unwrap();
    let failure = v2.cli_failure.expect("compose v2 refuses the files");
    assert_eq!(
        failure.refusal.as_deref(),
        Some(r#"service "api" depends on undefined service "db": invalid compose project"#)
    );
    assert!(
        failure.error.contains("depends on undefined service"),
        "{}",
        failure.error
    );
    assert_eq!(v2.project.services.len(), 1);
    // With v1 only or no CLI, stacktop's reader says what Compose would.
    for cli in [Some(ComposeCli::V1), None] {
        let other = load(&resolved.location, cli, &os).await.unwrap();
        let failure = other.cli_failure.expect("refused without v2 too");
        assert_eq!(
            failure.refusal.as_deref(),
            Some(r#"service "api" depends on undefined service "db": invalid compose project"#),
            "{cli:?}"
        );
        assert_eq!(other.project.services.len(), 1);
    }
}

/// `COMPOSE_FILE` in the starting folder's `.env` naming a file in a
/// subfolder: that `.env` is the project's, its profiles and variables too,
/// not the subfolder's.
#[tokio::test]
async fn the_dotenv_that_names_the_files_is_the_projects() {
    same_three_ways("dotenv-names-files").await;
}

#[tokio::test]
async fn a_large_project_with_anchors_and_two_profiles() {
    same_three_ways("large").await;
    let services = compose_v2_says(&folder("large")).services;
    assert!(services.len() > 40, "{}", services.len());
}

#[tokio::test]
async fn images_and_volumes_agree_between_v2_and_stacktops_reader() {
    for name in ["extends-files", "anchors-own-line", "large"] {
        let dir = folder(name);
        let mut os = without_compose_vars();
        os.insert("DOCKER_CONFIG".into(), v2_config_dir());
        let location = resolve(&ProjectOptions::default(), &dir, &os)
            .unwrap()
            .unwrap()
            .location;
        let by = |cli| {
            let (location, os) = (location.clone(), os.clone());
            async move {
                let project = load(&location, cli, &os).await.unwrap().project;
                let mut seen: HashMap<String, (Option<String>, Vec<String>)> = HashMap::new();
                for s in project.services {
                    let mut volumes: Vec<String> =
                        s.volumes.iter().map(|v| v.target.clone()).collect();
                    volumes.sort();
                    seen.insert(s.name, (s.image, volumes));
                }
                seen
            }
        };
        assert_eq!(by(Some(ComposeCli::V2)).await, by(None).await, "{name}");
    }
}
