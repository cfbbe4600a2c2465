//! Resolution over temporary folders, with the answers `docker compose`
//! v2 gives for the same folders (the integration tests ask it directly).

use super::*;

/// A temporary folder tree, removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("stacktop-resolve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Tree(dir)
    }

    fn file(&self, path: &str, text: &str) -> &Self {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.0.join(sub)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SERVICE: &str = "services:\n  a:\n    image: x\n";

fn resolved(options: &ProjectOptions, cwd: &Path, os: &[(&str, &str)]) -> Resolved {
    let os = os
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    resolve(options, cwd, &os).unwrap().expect("a project")
}

fn names(location: &ProjectLocation) -> Vec<String> {
    location
        .files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn the_folder_name_is_made_valid() {
    let tree = Tree::new("fold");
    tree.file("My_App.Dir/compose.yaml", SERVICE);
    let r = resolved(&ProjectOptions::default(), &tree.path("My_App.Dir"), &[]);
    assert_eq!(r.location.name, "my_appdir");
    assert_eq!(names(&r.location), ["compose.yaml"]);
}

#[test]
fn the_default_override_is_merged_and_parents_are_searched() {
    let tree = Tree::new("override");
    tree.file("shop/docker-compose.yml", SERVICE)
        .file("shop/docker-compose.override.yml", SERVICE)
        .file("shop/compose.override.yaml", SERVICE)
        .file("shop/src/deep/readme", "");
    let r = resolved(&ProjectOptions::default(), &tree.path("shop/src/deep"), &[]);
    assert_eq!(r.location.name, "shop");
    assert_eq!(
        names(&r.location),
        ["docker-compose.yml", "compose.override.yaml"]
    );
    assert_eq!(
        r.location.working_dir,
        tree.path("shop").display().to_string()
    );
}

#[test]
fn the_name_comes_from_p_then_env_then_dotenv_then_the_file() {
    let tree = Tree::new("name");
    tree.file(
        "app/compose.yaml",
        "name: \"from-${WHERE:-file}\"\nservices: {}\n",
    );
    let dir = tree.path("app");
    let none = ProjectOptions::default();
    assert_eq!(resolved(&none, &dir, &[]).location.name, "from-file");
    assert_eq!(
        resolved(&none, &dir, &[("WHERE", "env")]).location.name,
        "from-env"
    );
    tree.file("app/.env", "COMPOSE_PROJECT_NAME=dotenv-name\n");
    assert_eq!(resolved(&none, &dir, &[]).location.name, "dotenv-name");
    let shell = [("COMPOSE_PROJECT_NAME", "shell-name")];
    assert_eq!(resolved(&none, &dir, &shell).location.name, "shell-name");
    let p = ProjectOptions {
        name: Some("given".into()),
        ..ProjectOptions::default()
    };
    assert_eq!(resolved(&p, &dir, &shell).location.name, "given");
}

#[test]
fn an_explicit_name_that_is_not_valid_is_an_error() {
    let tree = Tree::new("badname");
    tree.file("x/compose.yaml", SERVICE)
        .file("x/.env", "COMPOSE_PROJECT_NAME=Foo\n");
    let err = resolve(&ProjectOptions::default(), &tree.path("x"), &HashMap::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"Foo\"") && err.contains("COMPOSE_PROJECT_NAME"),
        "{err}"
    );
}

#[test]
fn compose_file_lists_files_with_its_separator() {
    let tree = Tree::new("cfile");
    tree.file("p/a.yaml", SERVICE)
        .file("p/b.yaml", SERVICE)
        .file("p/compose.yaml", SERVICE)
        .file("p/.env", "COMPOSE_FILE=a.yaml:b.yaml\n");
    let dir = tree.path("p");
    let r = resolved(&ProjectOptions::default(), &dir, &[]);
    assert_eq!(names(&r.location), ["a.yaml", "b.yaml"]);
    let shell = [
        ("COMPOSE_FILE", "b.yaml;a.yaml"),
        ("COMPOSE_PATH_SEPARATOR", ";"),
    ];
    let r = resolved(&ProjectOptions::default(), &dir, &shell);
    assert_eq!(names(&r.location), ["b.yaml", "a.yaml"]);
    let f = ProjectOptions {
        files: vec!["compose.yaml".into()],
        ..ProjectOptions::default()
    };
    assert_eq!(names(&resolved(&f, &dir, &[]).location), ["compose.yaml"]);
}

#[test]
fn the_project_folders_dotenv_is_read_not_the_starting_folders() {
    let tree = Tree::new("dotenv");
    tree.file("top/compose.yaml", SERVICE)
        .file("top/.env", "COMPOSE_PROJECT_NAME=top-name\n")
        .file("top/sub/.env", "COMPOSE_PROJECT_NAME=sub-name\n");
    let r = resolved(&ProjectOptions::default(), &tree.path("top/sub"), &[]);
    assert_eq!(r.location.name, "top-name");
}

#[test]
fn env_files_replace_the_dotenv() {
    let tree = Tree::new("envfile");
    tree.file("p/compose.yaml", SERVICE)
        .file("p/.env", "COMPOSE_PROJECT_NAME=dotenv\n")
        .file(
            "p/dev.env",
            "COMPOSE_PROJECT_NAME=dev\nCOMPOSE_PROFILES=debug\n",
        );
    let options = ProjectOptions {
        env_files: vec!["dev.env".into()],
        ..ProjectOptions::default()
    };
    let r = resolved(&options, &tree.path("p"), &[]);
    assert_eq!(r.location.name, "dev");
    assert_eq!(r.env["COMPOSE_PROFILES"], "debug");
    assert_eq!(r.location.env_files.len(), 1);
}

#[test]
fn no_compose_file_means_no_project_and_a_stray_dotenv_is_no_error() {
    let tree = Tree::new("none");
    tree.file("empty/.env", "not valid at all\n");
    let found = resolve(
        &ProjectOptions::default(),
        &tree.path("empty"),
        &HashMap::new(),
    );
    assert!(matches!(found, Ok(None)), "{found:?}");
}

#[test]
fn a_missing_named_file_is_an_error_naming_it() {
    let tree = Tree::new("missing");
    let options = ProjectOptions {
        files: vec!["nope.yaml".into()],
        ..ProjectOptions::default()
    };
    let err = resolve(&options, &tree.0, &HashMap::new()).unwrap_err();
    assert!(err.to_string().contains("nope.yaml"), "{err}");
}

#[test]
fn folder_names_are_normalised() {
    assert_eq!(normalise_project("My App"), Some("myapp".into()));
    assert_eq!(normalise_project("_x-y"), Some("x-y".into()));
    assert_eq!(normalise_project("???"), None);
}

/// compose-go's `loader` normalises a name from the file
/// (`TestLoadWithNormalizedProjectName`-style): capitals, dots and spaces go.
#[test]
fn a_name_in_the_file_is_made_valid_not_refused() {
    let tree = Tree::new("filename");
    tree.file("app/compose.yaml", "name: My.Shop_App\nservices: {}\n");
    let r = resolved(&ProjectOptions::default(), &tree.path("app"), &[]);
    assert_eq!(r.location.name, "myshop_app");
    // One with nothing valid in it names nothing: the folder does.
    tree.file("app/compose.yaml", "name: \"...\"\nservices: {}\n");
    let r = resolved(&ProjectOptions::default(), &tree.path("app"), &[]);
    assert_eq!(r.location.name, "app");
}

/// `docker compose -p '' config` takes the name from the next source.
#[test]
fn an_empty_p_names_nothing() {
    let tree = Tree::new("emptyp");
    tree.file("shop/compose.yaml", SERVICE);
    let p = ProjectOptions {
        name: Some(String::new()),
        ..ProjectOptions::default()
    };
    assert_eq!(resolved(&p, &tree.path("shop"), &[]).location.name, "shop");
    let env = [("COMPOSE_PROJECT_NAME", "from-env")];
    assert_eq!(
        resolved(&p, &tree.path("shop"), &env).location.name,
        "from-env"
    );
}

/// compose-go's `GetEnvFromFile`: a later `--env-file` interpolates with
/// the variables of the earlier ones.
#[test]
fn a_later_env_file_sees_the_earlier_ones() {
    let tree = Tree::new("envfiles");
    tree.file("p/compose.yaml", SERVICE)
        .file("p/one.env", "A=one\n")
        .file("p/two.env", "B=${A}-two\nA\n");
    let options = ProjectOptions {
        env_files: vec!["one.env".into(), "two.env".into()],
        ..ProjectOptions::default()
    };
    let r = resolved(&options, &tree.path("p"), &[]);
    assert_eq!(r.env.get("B").map(String::as_str), Some("one-two"));
    assert_eq!(r.env.get("A").map(String::as_str), Some("one"));
}

/// compose-go sets `COMPOSE_PROJECT_NAME` to the chosen name before it
/// interpolates the files.
#[test]
fn the_files_see_the_project_name() {
    let tree = Tree::new("pname");
    tree.file("shop/compose.yaml", SERVICE);
    let p = ProjectOptions {
        name: Some("given".into()),
        ..ProjectOptions::default()
    };
    let shell = [("COMPOSE_PROJECT_NAME", "from-env")];
    let os: HashMap<String, String> = [("COMPOSE_PROJECT_NAME".into(), "from-env".into())].into();
    let r = resolved(&p, &tree.path("shop"), &shell);
    let env = crate::compose::environment(&r.location, &os).unwrap();
    assert_eq!(env["COMPOSE_PROJECT_NAME"], "given");
    let r = resolved(&ProjectOptions::default(), &tree.path("shop"), &[]);
    let env = crate::compose::environment(&r.location, &HashMap::new()).unwrap();
    assert_eq!(env["COMPOSE_PROJECT_NAME"], "shop");
}

/// `docker compose --env-file x.env config` takes `COMPOSE_FILE` from
/// x.env, the folder's `.env` aside.
#[test]
fn compose_file_may_come_from_an_env_file() {
    let tree = Tree::new("envcfile");
    tree.file("p/compose.yaml", SERVICE)
        .file("p/other.yaml", SERVICE)
        .file("p/.env", "COMPOSE_FILE=compose.yaml\n")
        .file("p/x.env", "COMPOSE_FILE=other.yaml\n");
    let options = ProjectOptions {
        env_files: vec!["x.env".into()],
        ..ProjectOptions::default()
    };
    let r = resolved(&options, &tree.path("p"), &[]);
    assert_eq!(names(&r.location), ["other.yaml"]);
}

/// `COMPOSE_ENV_FILES=a.env,b.env` stands for two `--env-file`s, and
/// `COMPOSE_DISABLE_ENV_FILE=true` leaves the folder's `.env` unread.
#[test]
fn compose_env_files_and_disable_env_file() {
    let tree = Tree::new("envvars");
    tree.file("p/compose.yaml", SERVICE)
        .file("p/.env", "FROM=dotenv\n")
        .file("p/a.env", "FROM=a\n")
        .file("p/b.env", "B=${FROM}-b\n");
    let none = ProjectOptions::default();
    let r = resolved(
        &none,
        &tree.path("p"),
        &[("COMPOSE_ENV_FILES", "a.env,b.env")],
    );
    assert_eq!(r.env.get("B").map(String::as_str), Some("a-b"));
    assert_eq!(r.location.env_files.len(), 2);
    let r = resolved(&none, &tree.path("p"), &[]);
    assert_eq!(r.env.get("FROM").map(String::as_str), Some("dotenv"));
    let off = [("COMPOSE_DISABLE_ENV_FILE", "true")];
    let r = resolved(&none, &tree.path("p"), &off);
    assert_eq!(r.env.get("FROM"), None);
    let os: HashMap<String, String> = [("COMPOSE_DISABLE_ENV_FILE".into(), "1".into())].into();
    let env = crate::compose::environment(&r.location, &os).unwrap();
    assert_eq!(env.get("FROM"), None);
}

/// `COMPOSE_PROFILES` inside an `--env-file` picks the profiles, as with
/// `docker compose --env-file x.env config`.
#[test]
fn compose_profiles_may_come_from_an_env_file() {
    let tree = Tree::new("envprofiles");
    tree.file("p/compose.yaml", SERVICE)
        .file("p/x.env", "COMPOSE_PROFILES=debug,tools\n");
    let options = ProjectOptions {
        env_files: vec!["x.env".into()],
        ..ProjectOptions::default()
    };
    let r = resolved(&options, &tree.path("p"), &[]);
    let env = crate::compose::environment(&r.location, &HashMap::new()).unwrap();
    let profiles = crate::compose::active_profiles(&r.location, &env);
    assert_eq!(profiles, ["debug", "tools"]);
}
