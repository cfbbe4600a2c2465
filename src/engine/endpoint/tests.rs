//! Resolution over a temporary home: variables, config.json, context
//! files and sockets made for the test.

use std::path::Path;

use super::*;

/// A temporary home folder, removed on drop.
struct Home(PathBuf);

impl Home {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("stacktop-resolve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp home");
        Self(dir)
    }

    fn env(&self, vars: &[(&str, &str)]) -> Environment {
        Environment {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            home: Some(self.0.clone()),
            uid: Some(1000),
        }
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("write");
    }

    /// A context as `docker context create NAME --docker host=HOST` writes it.
    fn context(&self, name: &str, host: &str) {
        let meta = format!(
            r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#
        );
        self.write(
            &format!(".docker/contexts/meta/{}/meta.json", context_folder(name)),
            &meta,
        );
    }

    fn current(&self, name: &str) {
        self.write(
            ".docker/config.json",
            &format!(r#"{{"auths":{{}},"currentContext":"{name}"}}"#),
        );
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn hosts(resolved: &Resolved) -> Vec<&str> {
    resolved
        .endpoints()
        .iter()
        .map(|e| e.host.as_str())
        .collect()
}

fn ask(hosts: &[&str], contexts: &[&str]) -> Request {
    Request {
        hosts: hosts.iter().map(|s| s.to_string()).collect(),
        contexts: contexts.iter().map(|s| s.to_string()).collect(),
        from_file: Vec::new(),
    }
}

#[test]
fn context_folders_are_the_sha256_of_the_name() {
    // `printf desktop-linux | sha256sum`
    assert_eq!(
        context_folder("desktop-linux"),
        "fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e"
    );
}

#[test]
fn docker_host_wins_over_docker_context_and_the_current_context() {
    let home = Home::new("host-first");
    home.context("remote", "tcp://10.0.0.9:2375");
    home.current("remote");
    let env = home.env(&[
        ("DOCKER_HOST", "unix:///tmp/x.sock"),
        ("DOCKER_CONTEXT", "remote"),
    ]);
    let resolved = resolve(&Request::default(), &env).expect("resolves");
    assert_eq!(
        resolved,
        Resolved::Chosen(vec![Endpoint::plain("default", "unix:///tmp/x.sock")])
    );
}

#[test]
fn a_context_flag_wins_over_docker_host_as_in_the_docker_cli() {
    let home = Home::new("flag-first");
    home.context("remote", "ssh://dev@box");
    let env = home.env(&[("DOCKER_HOST", "unix:///tmp/x.sock")]);
    let resolved = resolve(&ask(&[], &["remote"]), &env).expect("resolves");
    assert_eq!(hosts(&resolved), ["ssh://dev@box"]);
    assert_eq!(resolved.endpoints()[0].name, "remote");
}

#[test]
fn host_and_context_flags_conflict() {
    let home = Home::new("conflict");
    let error = resolve(&ask(&["unix:///a"], &["b"]), &home.env(&[])).expect_err("conflict");
    assert!(error.to_string().contains("not both"), "{error}");
}

#[test]
fn docker_context_wins_over_the_current_context() {
    let home = Home::new("env-context");
    home.context("one", "unix:///one.sock");
    home.context("two", "unix:///two.sock");
    home.current("one");
    let resolved = resolve(&Request::default(), &home.env(&[("DOCKER_CONTEXT", "two")]));
    assert_eq!(hosts(&resolved.expect("resolves")), ["unix:///two.sock"]);
    let resolved = resolve(&Request::default(), &home.env(&[]));
    assert_eq!(hosts(&resolved.expect("resolves")), ["unix:///one.sock"]);
}

#[test]
fn docker_config_moves_the_config_folder() {
    let home = Home::new("docker-config");
    home.write("elsewhere/config.json", r#"{"currentContext":"colima"}"#);
    let meta = r#"{"Name":"colima","Endpoints":{"docker":{"Host":"unix:///c.sock"}}}"#;
    home.write(
        &format!(
            "elsewhere/contexts/meta/{}/meta.json",
            context_folder("colima")
        ),
        meta,
    );
    let config = home.0.join("elsewhere");
    let env = home.env(&[("DOCKER_CONFIG", config.to_str().expect("utf-8"))]);
    let resolved = resolve(&Request::default(), &env).expect("resolves");
    assert_eq!(resolved.endpoints()[0].name, "colima");
    assert_eq!(hosts(&resolved), ["unix:///c.sock"]);
}

#[test]
fn a_context_with_tls_material_gets_its_files() {
    let home = Home::new("tls");
    home.context("secure", "tcp://127.0.0.1:2376");
    let tls = format!(".docker/contexts/tls/{}/docker", context_folder("secure"));
    for file in ["ca.pem", "cert.pem", "key.pem"] {
        home.write(&format!("{tls}/{file}"), "pem");
    }
    let resolved = resolve(&ask(&[], &["secure"]), &home.env(&[])).expect("resolves");
    let files = resolved.endpoints()[0].tls.clone().expect("tls files");
    assert!(files.verify);
    assert_eq!(files.ca, home.0.join(&tls).join("ca.pem"));
}

#[test]
fn docker_tls_verify_takes_files_from_docker_cert_path() {
    let home = Home::new("tls-env");
    let env = home.env(&[
        ("DOCKER_HOST", "tcp://127.0.0.1:2376"),
        ("DOCKER_TLS_VERIFY", "1"),
        ("DOCKER_CERT_PATH", "/certs"),
    ]);
    let resolved = resolve(&Request::default(), &env).expect("resolves");
    let files = resolved.endpoints()[0].tls.clone().expect("tls files");
    assert_eq!(files.cert, Path::new("/certs/cert.pem"));
    assert!(files.verify);
    // Without DOCKER_TLS_VERIFY the same address is plain TCP.
    let env = home.env(&[("DOCKER_HOST", "tcp://127.0.0.1:2376")]);
    let resolved = resolve(&Request::default(), &env).expect("resolves");
    assert_eq!(resolved.endpoints()[0].tls, None);
}

#[test]
fn a_missing_context_says_where_it_looked() {
    let home = Home::new("missing");
    let error = resolve(&ask(&[], &["nope"]), &home.env(&[])).expect_err("no such context");
    let text = format!("{error:#}");
    assert!(text.contains("\"nope\" not found"), "{text}");
    assert!(text.contains("docker context ls"), "{text}");
}

#[test]
fn the_default_context_is_docker_host_or_the_standard_socket() {
    let home = Home::new("default");
    home.current("default");
    let resolved = resolve(&ask(&[], &["default"]), &home.env(&[])).expect("resolves");
    assert_eq!(hosts(&resolved), [DEFAULT_SOCKET]);
    // `currentContext: default` is no choice: the sockets are searched.
    let resolved = resolve(&Request::default(), &home.env(&[])).expect("resolves");
    assert!(matches!(resolved, Resolved::Search(_)));
}

#[test]
fn with_nothing_named_the_well_known_sockets_are_searched_in_order() {
    let home = Home::new("search");
    home.write(".colima/work/docker.sock", "");
    home.write(".colima/default/docker.sock", "");
    let resolved = resolve(&Request::default(), &home.env(&[])).expect("resolves");
    let h = home.0.display();
    let expected = [
        "unix:///var/run/docker.sock".to_string(),
        "unix:///run/user/1000/docker.sock".to_string(),
        format!("unix://{h}/.docker/run/docker.sock"),
        format!("unix://{h}/.docker/desktop/docker.sock"),
        format!("unix://{h}/.colima/default/docker.sock"),
        format!("unix://{h}/.colima/work/docker.sock"),
        format!("unix://{h}/.orbstack/run/docker.sock"),
        format!("unix://{h}/.rd/docker.sock"),
        "unix:///run/user/1000/podman/podman.sock".to_string(),
        "unix:///run/podman/podman.sock".to_string(),
    ];
    assert!(matches!(resolved, Resolved::Search(_)));
    assert_eq!(hosts(&resolved), expected);
}

#[test]
fn xdg_runtime_dir_places_the_rootless_and_podman_sockets() {
    let home = Home::new("xdg");
    let env = home.env(&[("XDG_RUNTIME_DIR", "/run/user/77")]);
    let found = well_known(&env);
    let hosts: Vec<&str> = found.iter().map(|e| e.host.as_str()).collect();
    assert!(hosts.contains(&"unix:///run/user/77/docker.sock"));
    assert!(hosts.contains(&"unix:///run/user/77/podman/podman.sock"));
}

#[test]
fn several_contexts_are_several_engines_and_duplicates_fold() {
    let home = Home::new("several");
    home.context("a", "unix:///a.sock");
    home.context("b", "ssh://me@b");
    home.context("a-again", "unix:///a.sock");
    let resolved = resolve(&ask(&[], &["a", "b", "a-again"]), &home.env(&[])).expect("resolves");
    assert_eq!(hosts(&resolved), ["unix:///a.sock", "ssh://me@b"]);
}

#[test]
fn config_file_engines_come_before_the_environment() {
    let home = Home::new("file");
    home.context("a", "unix:///a.sock");
    let request = Request {
        from_file: vec!["a".into(), "tcp://127.0.0.1:2375".into()],
        ..Request::default()
    };
    let env = home.env(&[("DOCKER_HOST", "unix:///x.sock")]);
    let resolved = resolve(&request, &env).expect("resolves");
    assert_eq!(hosts(&resolved), ["unix:///a.sock", "tcp://127.0.0.1:2375"]);
    // The command line wins over the file.
    let request = Request {
        hosts: vec!["unix:///cli.sock".into()],
        ..request
    };
    let resolved = resolve(&request, &env).expect("resolves");
    assert_eq!(hosts(&resolved), ["unix:///cli.sock"]);
}

#[test]
fn addresses_are_checked_and_bare_tcp_gets_the_cli_port() {
    let home = Home::new("addresses");
    let env = home.env(&[]);
    let resolved = resolve(&ask(&["tcp://box"], &[]), &env).expect("resolves");
    assert_eq!(hosts(&resolved), ["tcp://box:2375"]);
    let error = resolve(&ask(&["/var/run/docker.sock"], &[]), &env).expect_err("no scheme");
    assert!(error.to_string().contains("unix://"), "{error}");
    assert!(resolve(&ask(&["ftp://x"], &[]), &env).is_err());
}

#[test]
fn published_ports_are_reached_on_the_engine_host() {
    let at = |host: &str| Endpoint::plain("x", host).ports_host();
    assert_eq!(at("unix:///var/run/docker.sock"), "127.0.0.1");
    assert_eq!(at("tcp://10.1.2.3:2376"), "10.1.2.3");
    assert_eq!(at("ssh://dev@devbox.lan:2222"), "devbox.lan");
    assert_eq!(at("ssh://devbox"), "devbox");
    assert_eq!(at("tcp://[fd00::5]:2376"), "[fd00::5]");
    assert_eq!(at("tcp://localhost:2375"), "127.0.0.1");
}
