use super::*;
use crate::model::Sample;
use crate::model::{ContainerState, EngineId};

fn container(service: &str, image: &str, published: Option<(u16, u16)>, env: &[&str]) -> Container {
    let sample = Sample::service("shop", service, 1)
        .id(format!("id-{service}"))
        .image(image)
        .env(env);
    match published {
        Some((host, inner)) => sample.port(host, inner),
        None => sample,
    }
    .build()
}

#[test]
fn postgres_per_service_on_its_own_port_with_env_credentials() {
    let containers = vec![
        container(
            "auth_db",
            "postgres:16",
            Some((5433, 5432)),
            &[
                "POSTGRES_USER=auth",
                "POSTGRES_PASSWORD=pw",
                "POSTGRES_DB=auth_db",
            ],
        ),
        container(
            "user_db",
            "postgis/postgis:16-3.4",
            Some((5434, 5432)),
            &["POSTGRES_PASSWORD=x"],
        ),
        container("web", "shop/web", Some((8080, 8080)), &[]),
    ];
    let targets = discover(&containers, LOCAL);
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0].id, "pg:shop/auth_db");
    assert_eq!(targets[0].url, "postgres://auth:pw@127.0.0.1:5433/auth_db");
    assert_eq!(targets[0].container_id.as_deref(), Some("id-auth_db"));
    assert_eq!(
        targets[1].url,
        "postgres://postgres:x@127.0.0.1:5434/postgres"
    );
}

#[test]
fn any_image_exposing_5432_or_6379_counts() {
    let mut custom = container("db", "company/custom-db", Some((15432, 5432)), &[]);
    custom.spec.exposed_ports = vec![5432];
    assert_eq!(kind_of(&custom), Some(TargetKind::Postgres));
    let cache = container("cache", "bitnami/valkey:8", Some((6380, 6379)), &[]);
    assert_eq!(kind_of(&cache), Some(TargetKind::Redis));
}

#[test]
fn redis_password_comes_from_requirepass_then_env() {
    let mut redis = container(
        "cache",
        "redis:7-alpine",
        Some((6379, 6379)),
        &["REDIS_PASSWORD=fromenv"],
    );
    redis.spec.command = vec![
        "redis-server".into(),
        "--requirepass".into(),
        "s3cret".into(),
        "--maxmemory".into(),
        "64mb".into(),
    ];
    assert_eq!(
        discover(&[redis.clone()], LOCAL)[0].url,
        "redis://:s3cret@127.0.0.1:6379"
    );
    redis.spec.command = vec![
        "sh".into(),
        "-c".into(),
        "redis-server --requirepass=\"quoted\"".into(),
    ];
    assert_eq!(
        discover(&[redis.clone()], LOCAL)[0].url,
        "redis://:quoted@127.0.0.1:6379"
    );
    redis.spec.command.clear();
    assert_eq!(
        discover(&[redis], LOCAL)[0].url,
        "redis://:fromenv@127.0.0.1:6379"
    );
}

#[test]
fn dotenv_urls_supply_credentials_by_service_name_or_port() {
    let mut db = container("product_db", "postgres:15", Some((5435, 5432)), &[]);
    db.spec.dotenv_urls = vec![
        (
            "AUTH_DATABASE_URL".into(),
            "postgres://a:b@localhost:5433/auth".into(),
        ),
        (
            "PRODUCT_DATABASE_URL".into(),
            "postgresql://prod:pp@product_db:5432/products".into(),
        ),
    ];
    assert_eq!(
        discover(&[db.clone()], LOCAL)[0].url,
        "postgresql://prod:pp@127.0.0.1:5435/products"
    );
    db.spec.dotenv_urls = vec![(
        "DATABASE_URL".into(),
        "postgres://p:q@localhost:5435/x".into(),
    )];
    assert_eq!(
        discover(&[db], LOCAL)[0].url,
        "postgres://p:q@127.0.0.1:5435/x"
    );
    let mut cache = container("cache", "redis:7", Some((16379, 6379)), &[]);
    cache.spec.dotenv_urls = vec![("REDIS_URL".into(), "redis://:rp@cache:6379/2".into())];
    assert_eq!(
        discover(&[cache], LOCAL)[0].url,
        "redis://:rp@127.0.0.1:16379/2"
    );
}

#[test]
fn unpublished_or_stopped_databases_are_not_probed() {
    let hidden = container("db", "postgres:16", None, &[]);
    let mut stopped = container("db2", "postgres:16", Some((5440, 5432)), &[]);
    stopped.state = ContainerState::Exited { code: 0 };
    let mut elsewhere = container("db3", "postgres:16", Some((5441, 5432)), &[]);
    elsewhere.ports[0].host_ip = "192.168.1.5".into();
    assert!(discover(&[hidden, stopped, elsewhere], LOCAL).is_empty());
}

#[test]
fn passwords_with_special_characters_are_encoded() {
    let db = container(
        "db",
        "postgres",
        Some((5432, 5432)),
        &["POSTGRES_PASSWORD=p@ss:w/rd"],
    );
    let url = &discover(&[db], LOCAL)[0].url;
    assert_eq!(
        url,
        "postgres://postgres:p%40ss%3Aw%2Frd@127.0.0.1:5432/postgres"
    );
}

#[test]
fn configured_targets_replace_discovered_ones_by_name_and_add_others() {
    let discovered = discover(
        &[container("auth_db", "postgres", Some((5433, 5432)), &[])],
        LOCAL,
    );
    let configured = vec![
        Target {
            id: "pg:auth_db".into(),
            kind: TargetKind::Postgres,
            name: "auth_db".into(),
            url: "postgres://ro:pw@127.0.0.1:5433/auth".into(),
            container_id: None,
            origin: TargetOrigin::Config,
        },
        Target {
            id: "redis:sessions".into(),
            kind: TargetKind::Redis,
            name: "sessions".into(),
            url: "redis://127.0.0.1:6390".into(),
            container_id: None,
            origin: TargetOrigin::Environment,
        },
    ];
    let all = merge(discovered, &configured);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].url, "postgres://ro:pw@127.0.0.1:5433/auth");
    assert_eq!(
        all[0].container_id.as_deref(),
        Some("id-auth_db"),
        "keeps its row"
    );
    assert_eq!(all[1].name, "sessions");
}

#[test]
fn a_remote_engines_ports_are_reached_on_its_host_and_ids_stay_apart() {
    let hosts = ["127.0.0.1".to_string(), "10.0.0.7".to_string()];
    let mut all_addresses = container("db", "postgres:16", Some((5433, 5432)), &[]);
    all_addresses.engine = EngineId(1);
    all_addresses.ports[0].host_ip = "0.0.0.0".into();
    let found = discover(std::slice::from_ref(&all_addresses), &hosts);
    assert_eq!(found[0].url, "postgres://postgres@10.0.0.7:5433/postgres");
    assert_eq!(
        found[0].id, "pg:shop/db@1",
        "apart from the first engine's shop/db"
    );
    // Bound to the remote machine's loopback: out of reach from here.
    let mut loopback_only = all_addresses.clone();
    loopback_only.ports[0].host_ip = "127.0.0.1".into();
    assert!(discover(&[loopback_only.clone()], &hosts).is_empty());
    // Over SSH to this very machine, its loopback is ours.
    let here = ["127.0.0.1".to_string(), "127.0.0.1".to_string()];
    assert_eq!(discover(&[loopback_only], &here).len(), 1);
}
