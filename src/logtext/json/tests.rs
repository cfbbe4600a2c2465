use proptest::prelude::*;

use super::*;

fn shown(line: &str) -> String {
    read(line).expect("a JSON line").structured.text
}

fn role_text(line: &str, role: PartRole) -> Vec<String> {
    let s = read(line).expect("a JSON line").structured;
    s.parts
        .iter()
        .filter(|p| p.role == role)
        .map(|p| s.text[p.start as usize..p.end as usize].to_string())
        .collect()
}

#[test]
fn pino_line_reads_time_level_message_then_fields() {
    let line = r#"{"level":50,"time":1714557600123,"pid":7,"hostname":"web","msg":"db down","err":{"code":"ECONNREFUSED"}}"#;
    assert_eq!(
        shown(line),
        r#"10:00:00.123 ERROR db down pid=7 hostname=web err={"code":"ECONNREFUSED"}"#
    );
    assert_eq!(role_text(line, PartRole::Message), ["db down"]);
    let tag = read(line).unwrap().level.unwrap();
    assert_eq!(tag.severity, Severity::Error);
    assert_eq!(&line[tag.start as usize..tag.end as usize], "50");
}

#[test]
fn zap_logrus_structlog_and_slog_shapes() {
    let zap = r#"{"level":"warn","ts":1714557600.5,"caller":"main.go:3","msg":"slow"}"#;
    assert_eq!(shown(zap), "10:00:00.500 WARN  slow caller=main.go:3");
    let logrus = r#"{"level":"info","msg":"ready","time":"2024-05-01T10:00:00+02:00"}"#;
    assert_eq!(shown(logrus), "08:00:00.000 INFO  ready");
    let structlog = r#"{"event":"user logged in","user":"ann","level":"debug","timestamp":"2024-05-01T10:00:00Z"}"#;
    assert_eq!(
        shown(structlog),
        "10:00:00.000 DEBUG user logged in user=ann"
    );
    let slog = r#"{"time":"bad time","level":"ERROR","msg":"x","n":1.5e3,"ok":true,"v":null}"#;
    assert_eq!(shown(slog), "bad time ERROR x n=1.5e3 ok=true v=null");
}

#[test]
fn severity_key_and_the_level_tag_inside_quotes() {
    let line = r#"{"severity":"WARNING","message":"disk"}"#;
    let read = read(line).unwrap();
    let tag = read.level.unwrap();
    assert_eq!(tag.severity, Severity::Warn);
    assert_eq!(&line[tag.start as usize..tag.end as usize], "WARNING");
    assert_eq!(read.structured.text, "WARN  disk");
}

#[test]
fn strings_are_unescaped_safely_and_quoted_when_they_have_spaces() {
    let line = r#"{"msg":"a\nb\u001b[31m\u202Ex\ud83d\ude80","path":"/a b","empty":""}"#;
    assert_eq!(shown(line), "a b [31mx🚀 path=\"/a b\" empty=\"\"");
}

#[test]
fn not_one_valid_object_is_not_structured() {
    for line in [
        "plain text",
        "{",
        "{\"a\":1",
        "{\"a\":1} trailing",
        "{\"a\":1}{\"b\":2}",
        "{\"a\" 1}",
        "{\"a\":01}",
        "{\"a\":tru}",
        "{\"a\":[1,}",
        "{\"a\":{\"b\"}}",
        "{'a':1}",
        "{\"a\":\"\\x\"}",
        "[1,2]",
        "{\"a\":1,}",
    ] {
        assert!(read(line).is_none(), "{line} was read as JSON");
    }
    assert_eq!(shown("  {}  "), "");
}

#[test]
fn deep_and_huge_objects_are_cut_not_refused() {
    let deep = format!(
        "{{\"msg\":\"deep\",\"d\":{}1{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let text = shown(&deep);
    assert!(text.starts_with("deep d=[[[["), "{}", &text[..40]);
    assert!(text.ends_with('…'));
    assert!(text.chars().count() < 300);
    let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
    let wide = format!("{{\"msg\":\"m\",{}}}", many.join(","));
    assert!(shown(&wide).ends_with(" …(+52 fields)"));
    let long = format!("{{\"msg\":\"{}\"}}", "日".repeat(5000));
    assert_eq!(shown(&long).chars().count(), MAX_MESSAGE + 1);
}

/// Any JSON value, nested a few levels, as text.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("null".to_string()),
        "[ -~é日\\n]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-z@._]{1,8}", inner), 0..6).prop_map(|kv| {
                let members: Vec<String> =
                    kv.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
                format!("{{{}}}", members.join(", "))
            }),
        ]
    })
}

proptest! {
    /// Whatever serde_json accepts as an object, the scanner accepts too,
    /// and what it shows is safe and its parts are in order.
    #[test]
    fn valid_objects_are_read_and_parts_are_ordered(value in json_value()) {
        let object = format!("{{\"msg\":\"m\",\"v\":{value}}}");
        prop_assume!(serde_json::from_str::<serde_json::Value>(&object).is_ok());
        let read = read(&object).expect("a valid object is read");
        check_structured(&read.structured);
    }

    /// Any text: never a panic; what is read agrees with serde_json on
    /// whether it is an object.
    #[test]
    fn any_text_agrees_with_serde_json(text in "[{}\\[\\]\":,a-tv-z0-9 .\\\\-]{0,40}") {
        let ours = read(&text).is_some();
        let theirs = matches!(
            serde_json::from_str::<serde_json::Value>(&text),
            Ok(serde_json::Value::Object(_))
        );
        prop_assert_eq!(ours, theirs, "{}", text);
    }
}

/// Parts lie inside the text, in order, on character boundaries, and the
/// text holds nothing a terminal would act on.
pub fn check_structured(s: &Structured) {
    let mut last = 0;
    for part in &s.parts {
        assert!(part.start >= last && part.end > part.start, "{s:?}");
        assert!(s.text.is_char_boundary(part.start as usize));
        assert!(s.text.is_char_boundary(part.end as usize));
        last = part.end;
    }
    assert!(last as usize <= s.text.len());
    assert!(!s.text.chars().any(char::is_control), "{s:?}");
}
