//! Replays the fuzz corpus (seeds and any inputs the fuzzer found) through
//! the fuzz targets' checks, so every CI run covers them.
//! `scripts/fuzz.sh` runs the fuzzers themselves, for a bounded time.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(&data);
        count += 1;
    }
    count
}

#[test]
fn sanitizer_corpus_replays_clean() {
    assert!(replay("sanitize", checks::sanitizer) >= 5);
}

#[test]
fn config_corpus_replays_clean() {
    assert!(replay("config", checks::config) >= 3);
}

#[test]
fn json_corpus_replays_clean() {
    assert!(replay("json", checks::json_line) >= 3);
}

#[test]
fn key_corpus_replays_clean() {
    assert!(replay("keys", checks::key) >= 3);
}

#[test]
fn compose_yaml_corpus_replays_clean() {
    assert!(replay("compose_yaml", checks::compose_yaml) >= 5);
}
