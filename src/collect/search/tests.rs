//! Answers shaped as Elasticsearch 8 and OpenSearch 2 give them (their
//! documented formats; no server of either runs on the test machines).

use super::*;

fn json(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/collect/search/testdata")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn read(prefix: &str) -> SearchSnapshot {
    snapshot(
        &json(&format!("{prefix}-root.json")),
        &json(&format!("{prefix}-health.json")),
        &json(&format!("{prefix}-nodes.json")),
        &json(&format!("{prefix}-indices.json")),
    )
}

#[test]
fn an_elasticsearch_cluster_reads_whole() {
    let s = read("es8");
    assert_eq!(s.product, "elasticsearch 8.13.4");
    assert_eq!(s.cluster, "docker-cluster");
    assert_eq!(s.health, ClusterHealth::Yellow);
    assert_eq!(s.unassigned_shards, 3);
    assert_eq!(s.nodes.len(), 1);
    assert_eq!(s.nodes[0].heap_percent, Some(41));
    assert_eq!(s.nodes[0].load_1m, Some(0.52));
    let names: Vec<&str> = s.indices.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["orders-2026.11", "products", "empty", ".kibana_8.13.4_001"]
    );
    assert_eq!(s.indices[0].docs, 50211);
    assert_eq!(s.indices[0].size_bytes, 31_457_280);
    assert_eq!(s.indices[0].primaries, 2);
}

#[test]
fn an_opensearch_cluster_names_its_distribution() {
    let s = read("opensearch2");
    assert_eq!(s.product, "opensearch 2.13.0");
    assert_eq!(s.health, ClusterHealth::Green);
    let nodes: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(nodes, ["opensearch-node1", "opensearch-node2"]);
    assert_eq!(s.indices[0].name, "logs");
}

#[test]
fn missing_fields_read_as_nothing_rather_than_failing() {
    let empty = serde_json::json!({});
    let s = snapshot(
        &empty,
        &empty,
        &serde_json::json!([{}]),
        &serde_json::json!([]),
    );
    assert_eq!(s.health, ClusterHealth::Unknown);
    assert_eq!(s.nodes[0].heap_percent, None);
    assert!(s.indices.is_empty());
}
