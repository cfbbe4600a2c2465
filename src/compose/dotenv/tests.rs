//! Values as `docker compose` v2 reads them (checked against `docker
//! compose config` on the same file).

use super::*;

fn parsed(text: &str) -> HashMap<String, String> {
    let os = |name: &str| (name == "BARE").then(|| "from-os".to_string());
    parse(text, &os).unwrap().into_iter().collect()
}

const SAMPLE: &str = r#"# comment
ORG=Default Organization
export EXP=exported
HASH=a#b
CMT=value # trailing
SQ='lit ${ORG} \n'
DQ="line1\nline2 ${ORG} \$HOME \"q\""
ML="first
second"
DEF=${MISSING:-fallback}
REF=${ORG}-x
YAML: colon
SPACES =  padded  
EMPTY=
BARE
OCT="\0101"
TAB="a\tb"
"#;

#[test]
fn values_read_as_compose_reads_them() {
    let env = parsed(SAMPLE);
    let expect = [
        ("ORG", "Default Organization"),
        ("EXP", "exported"),
        ("HASH", "a#b"),
        ("CMT", "value"),
        ("SQ", "lit ${ORG} \\n"),
        ("DQ", "line1\nline2 Default Organization $HOME \"q\""),
        ("ML", "first\nsecond"),
        ("DEF", "fallback"),
        ("REF", "Default Organization-x"),
        ("YAML", "colon"),
        ("SPACES", "padded"),
        ("EMPTY", ""),
        ("BARE", "from-os"),
        ("OCT", "A"),
        ("TAB", "a\tb"),
    ];
    for (key, value) in expect {
        assert_eq!(env.get(key).map(String::as_str), Some(value), "{key}");
    }
    assert_eq!(env.len(), expect.len());
}

#[test]
fn the_process_environment_wins_in_interpolation() {
    let os = |name: &str| (name == "A").then(|| "os".to_string());
    let env = parse("A=file\nB=${A}\n", &os).unwrap();
    assert_eq!(
        env,
        [("A".into(), "file".into()), ("B".into(), "os".into())]
    );
}

#[test]
fn a_later_line_replaces_an_earlier_one_in_place() {
    let env = parse("A=1\nB=2\nA=3\n", &|_| None).unwrap();
    assert_eq!(env, [("A".into(), "3".into()), ("B".into(), "2".into())]);
}

#[test]
fn broken_lines_name_their_line_and_column() {
    let err = parse("OK=1\n  BAD KEY=x\n", &|_| None).unwrap_err();
    assert_eq!((err.line, err.column), (2, 3), "{err}");
    assert!(err.message.contains("space"), "{err}");
    let err = parse("A=1\nB=\"never closed\nC=2\n", &|_| None).unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    assert!(err.message.contains("unterminated"), "{err}");
    let err = parse("A$B=1\n", &|_| None).unwrap_err();
    assert!(err.message.contains("unexpected character '$'"), "{err}");
    let err = parse("A=${MISSING:?set it}\n", &|_| None).unwrap_err();
    assert!(err.message.contains("set it"), "{err}");
}

#[test]
fn windows_line_ends_and_a_missing_last_newline_are_fine() {
    let env = parsed("A=1\r\nB=two words\r\nC='x'");
    assert_eq!(env["A"], "1");
    assert_eq!(env["B"], "two words");
    assert_eq!(env["C"], "x");
}

#[test]
fn files_merge_under_the_process_environment() {
    let dir = std::env::temp_dir().join(format!("stacktop-dotenv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (first, second) = (dir.join("a.env"), dir.join("b.env"));
    std::fs::write(&first, "A=1\nB=1\n").unwrap();
    std::fs::write(&second, "B=2\nC=${A}2\n").unwrap();
    let os: HashMap<String, String> = [("A".to_string(), "os".to_string())].into();
    let env = environment(&os, &[&first, &second]).unwrap();
    assert_eq!(env["A"], "os");
    assert_eq!(env["B"], "2");
    assert_eq!(env["C"], "os2");
    std::fs::write(&second, "oops key=1\n").unwrap();
    let err = environment(&os, &[&first, &second])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("{}:1:1:", second.display())),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// compose-go's dotenv skips a UTF-8 byte-order mark at the start.
#[test]
fn a_byte_order_mark_is_skipped() {
    let vars = parsed("\u{feff}FIRST=1\nSECOND=2\n");
    assert_eq!(vars.get("FIRST").map(String::as_str), Some("1"));
    assert_eq!(vars.get("SECOND").map(String::as_str), Some("2"));
}
