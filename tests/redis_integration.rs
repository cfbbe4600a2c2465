//! The Redis probe against real servers: the test stack's `redis` service
//! (read-mostly, each test in its own db) and throwaway containers of the
//! same image for anything that changes the server (config, restarts,
//! passwords). Nothing is skipped: a missing service fails with what to start.

mod support;

use std::time::{Duration, Instant};

use stacktop::model::ProbeStatus;
use support::docker::docker;
use support::ports::silent_listener;
use support::probe::describe;
use support::redis::{Probe, Throwaway, connect, info_field, run, stack_url};

const SECS: fn(u64) -> Duration = Duration::from_secs;
const POLL: Duration = Duration::from_millis(500);

fn is_live(s: &ProbeStatus) -> bool {
    *s == ProbeStatus::Live
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyspace_and_hit_ratio_follow_reads_and_writes() {
    let url = stack_url(5);
    let mut conn = connect(&url).await;
    let _: () = run(&mut conn, &["FLUSHDB"]).await;
    for i in 0..20 {
        let key = format!("ks:{i}");
        let _: () = run(&mut conn, &["SET", &key, "v"]).await;
        if i < 5 {
            let _: () = run(&mut conn, &["EXPIRE", &key, "300"]).await;
        }
    }

    let mut probe = Probe::start(&url, POLL);
    probe
        .snapshot_where(SECS(10), "a first snapshot", |_| true)
        .await;
    // 6 hits and 2 misses in one transaction, so no poll falls among them.
    let mut lookups = redis::pipe();
    lookups.atomic();
    for key in [
        "ks:1", "ks:2", "ks:3", "ks:4", "ks:10", "ks:11", "nope:1", "nope:2",
    ] {
        lookups.cmd("GET").arg(key);
    }
    let _: redis::Value = lookups.query_async(&mut conn).await.expect("lookups");
    let snap = probe
        .snapshot_where(SECS(10), "a snapshot with a hit ratio", |s| {
            s.hit_ratio.is_some()
        })
        .await;

    assert_eq!(snap.hit_ratio, Some(0.75), "6 hits, 2 misses");
    let db5 = snap.keyspace.iter().find(|db| db.db == 5);
    let db5 = db5.unwrap_or_else(|| panic!("no db 5 in {:?}", snap.keyspace));
    assert_eq!((db5.keys, db5.expires), (20, 5));
    assert!(db5.avg_ttl_ms > 0 && db5.avg_ttl_ms <= 300_000, "{db5:?}");
    assert!(snap.version.starts_with('7'), "version {}", snap.version);
    assert_eq!(snap.role, "master");
    // The test's own connection; the probe's is left out.
    assert!(snap.connected_clients >= 1, "{}", snap.connected_clients);
    assert!(
        snap.poll_ms > 0.0 && snap.poll_ms < 1000.0,
        "{}",
        snap.poll_ms
    );
    println!("poll_ms {:.2}", snap.poll_ms);
    let _: () = run(&mut conn, &["FLUSHDB"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maxmemory_is_reported_for_the_gauge() {
    let server = Throwaway::start("maxmemory", "pw-maxmemory");
    let mut probe = Probe::start(&server.url(0), POLL);
    let first = probe.snapshot_where(SECS(10), "a snapshot", |_| true).await;
    assert_eq!(first.maxmemory, 0, "no limit set: 0");
    assert!(first.used_memory > 0 && first.used_memory_rss > 0);
    assert!(first.used_memory_peak >= first.used_memory);
    assert!(first.fragmentation_ratio > 0.0);

    let mut conn = connect(&server.url(0)).await;
    let _: () = run(&mut conn, &["CONFIG", "SET", "maxmemory", "32mb"]).await;
    let _: () = run(
        &mut conn,
        &["CONFIG", "SET", "maxmemory-policy", "volatile-lru"],
    )
    .await;
    let snap = probe
        .snapshot_where(SECS(10), "maxmemory 32 MiB", |s| s.maxmemory != 0)
        .await;
    assert_eq!(snap.maxmemory, 32 * 1024 * 1024);
    assert_eq!(snap.eviction_policy, "volatile-lru");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_pools_group_connections_and_exclude_stacktop() {
    let url = stack_url(4);
    let mut pool = Vec::new();
    for _ in 0..3 {
        let mut conn = connect(&url).await;
        let _: () = run(&mut conn, &["CLIENT", "SETNAME", "pool-r"]).await;
        let _: () = run(&mut conn, &["PING"]).await;
        pool.push(conn);
    }
    let mut probe = Probe::start(&url, POLL);
    let snap = probe
        .snapshot_where(SECS(15), "a pool pool-r of 3", |s| {
            s.client_pools
                .iter()
                .flatten()
                .any(|p| p.name == "pool-r" && p.count == 3)
        })
        .await;
    let pools = snap.client_pools.unwrap_or_default();
    let row = pools.iter().find(|p| p.name == "pool-r").expect("pool-r");
    assert_eq!((row.db, row.last_command.as_str()), (4, "ping"));
    assert!(!row.host.is_empty());
    assert!(pools.iter().all(|p| p.name != "stacktop"), "{pools:?}");
    assert!(snap.notes.is_empty(), "{:?}", snap.notes);
    drop(pool);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowlog_entries_are_listed() {
    let server = Throwaway::start("slowlog", "pw-slowlog");
    let mut conn = connect(&server.url(0)).await;
    let _: () = run(
        &mut conn,
        &["CONFIG", "SET", "slowlog-log-slower-than", "0"],
    )
    .await;
    let long = "x".repeat(500);
    let _: () = run(&mut conn, &["SET", "slow-marker", &long]).await;

    let mut probe = Probe::start(&server.url(0), POLL);
    let snap = probe
        .snapshot_where(SECS(10), "the SET in the slow log", |s| {
            s.slowlog
                .iter()
                .any(|e| e.command.starts_with("SET slow-marker"))
        })
        .await;
    let entry = snap
        .slowlog
        .iter()
        .find(|e| e.command.starts_with("SET slow-marker"))
        .expect("entry");
    assert!(entry.command.chars().count() <= 120, "{}", entry.command);
    assert!(entry.at > 1_600_000_000, "unix time {}", entry.at);
    assert!(snap.slowlog.len() <= 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_reconnects_and_reauthenticates() {
    let server = Throwaway::start("restart", "pw-restart");
    let url = server.url(3);
    let mut probe = Probe::start(&url, POLL);
    probe.status_where(SECS(10), "Live", is_live).await;
    probe.snapshot_where(SECS(10), "a snapshot", |_| true).await;

    docker(&["restart", "-t", "1", &server.id]);
    let restarted = Instant::now();
    probe
        .status_where(SECS(15), "Reconnecting", |s| {
            matches!(s, ProbeStatus::Reconnecting { .. })
        })
        .await;
    // No figures while the connection is down: the next snapshot comes after Live.
    probe.live_before_figures(SECS(15), "Live again").await;
    assert!(restarted.elapsed() < SECS(15));
    probe
        .snapshot_where(SECS(5), "a snapshot after the restart", |_| true)
        .await;

    let mut conn = connect(&server.url(0)).await;
    let list: String = run(&mut conn, &["CLIENT", "LIST"]).await;
    let ours: Vec<&str> = list
        .lines()
        .filter(|l| l.contains(" name=stacktop "))
        .collect();
    assert_eq!(ours.len(), 1, "{list}");
    assert!(
        ours[0].contains(" db=3 "),
        "db 3 not selected again: {}",
        ours[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_fails_without_a_retry_storm() {
    let server = Throwaway::start("wrongpw", "right-password");
    let url = format!("redis://:not-the-password@127.0.0.1:{}/0", server.port);
    let mut conn = connect(&server.url(0)).await;

    let mut probe = Probe::start(&url, POLL);
    let status = probe
        .status_where(SECS(10), "AuthFailed", |s| {
            matches!(s, ProbeStatus::AuthFailed { .. })
        })
        .await;
    let ProbeStatus::AuthFailed { error } = status else {
        unreachable!()
    };
    let masked = format!("redis://:***@127.0.0.1:{}/0", server.port);
    assert!(error.contains(&masked), "{error}");
    assert!(!error.contains("not-the-password"), "{error}");

    let before: u64 = info_field(&mut conn, "stats", "total_connections_received")
        .await
        .parse()
        .expect("a number");
    let mut events = Vec::new();
    while let Some(event) = probe.next(SECS(10)).await {
        events.push(describe(&event));
    }
    let after: u64 = info_field(&mut conn, "stats", "total_connections_received")
        .await
        .parse()
        .expect("a number");
    assert!(
        after - before <= 1,
        "{} connections in 10 s",
        after - before
    );
    assert!(
        events.is_empty(),
        "events while waiting to retry: {events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_server_times_out_cleanly() {
    let port = silent_listener();

    let started = Instant::now();
    let mut probe = Probe::start(&format!("redis://:pw@127.0.0.1:{port}/0"), POLL);
    let status = probe
        .status_where(SECS(10), "Reconnecting", |s| {
            matches!(s, ProbeStatus::Reconnecting { .. })
        })
        .await;
    let took = started.elapsed();
    let ProbeStatus::Reconnecting { error, retry_in_ms } = status else {
        unreachable!()
    };
    assert!(error.contains("timed out"), "{error}");
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    assert!(!error.contains(":pw@"), "{error}");
    assert_eq!(retry_in_ms, 500);
    assert!(took >= SECS(4) && took < SECS(8), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loading_server_shows_starting() {
    // 10 000 keys at 500 µs each load in about 5 s, and the server answers
    // between keys (every KiB of the file), so the probes see it loading.
    let options = [
        "--key-load-delay",
        "500",
        "--loading-process-events-interval-bytes",
        "1024",
    ];
    let server = Throwaway::start_with("loading", "pw-loading", &options);
    let mut conn = connect(&server.url(0)).await;
    let mut fill = redis::pipe();
    for i in 0..10_000 {
        fill.cmd("SET").arg(format!("k{i}")).arg("v").ignore();
    }
    let _: () = fill.query_async(&mut conn).await.expect("fill");
    let _: () = run(&mut conn, &["SAVE"]).await;

    // db 0 answers INFO with loading:1; db 2 fails at SELECT with LOADING.
    let fast = Duration::from_millis(200);
    let mut probes = [
        Probe::start(&server.url(0), fast),
        Probe::start(&server.url(2), fast),
    ];
    for probe in &mut probes {
        probe.status_where(SECS(10), "Live", is_live).await;
    }
    docker(&["restart", "-t", "1", &server.id]);
    for probe in &mut probes {
        probe
            .status_where(SECS(10), "Starting", |s| *s == ProbeStatus::Starting)
            .await;
        probe
            .live_before_figures(SECS(20), "Live after loading")
            .await;
    }
    let snap = probes[0]
        .snapshot_where(SECS(5), "a snapshot", |_| true)
        .await;
    let db0 = snap.keyspace.iter().find(|db| db.db == 0).expect("db 0");
    assert_eq!(db0.keys, 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_client_list_rights_gets_figures_and_a_note() {
    let server = Throwaway::start("acl", "pw-acl");
    let mut admin = connect(&server.url(0)).await;
    let acl = [
        "ACL",
        "SETUSER",
        "watcher",
        "on",
        ">watch-pw",
        "+@all",
        "-client|list",
    ];
    let _: () = run(&mut admin, &acl).await;
    let _: () = run(&mut admin, &["ACL", "SETUSER", "watcher", "-slowlog", "~*"]).await;

    let url = format!("redis://watcher:watch-pw@127.0.0.1:{}/1", server.port);
    let mut probe = Probe::start(&url, POLL);
    let snap = probe.snapshot_where(SECS(10), "a snapshot", |_| true).await;
    assert_eq!(snap.client_pools, None);
    assert!(snap.slowlog.is_empty());
    let notes = snap.notes.join(" | ");
    assert!(notes.contains("CLIENT LIST not allowed"), "{notes}");
    assert!(notes.contains("SLOWLOG not allowed"), "{notes}");
    assert!(snap.version.starts_with('7'));

    let list: String = run(&mut admin, &["CLIENT", "LIST"]).await;
    let ours = list.lines().find(|l| l.contains(" user=watcher "));
    let ours = ours.unwrap_or_else(|| panic!("no watcher connection in {list}"));
    assert!(
        ours.contains(" name=stacktop ") && ours.contains(" db=1 "),
        "{ours}"
    );
}
