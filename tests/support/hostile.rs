//! Hostile text for the tests: the escape sequences, controls and bidi
//! controls an attacker puts into names, query texts and answers, and the
//! check that none of it reaches what stacktop prints.

#[path = "../../fuzz/checks.rs"]
mod checks;
use checks::reorders;

/// Each payload on its own: a CSI sequence (colour, clear screen), an OSC
/// title ending in BEL, the 8-bit forms (CSI, OSC, ST, NEL), a right-to-left
/// override and a left-to-right isolate.
pub const PAYLOADS: [&str; 5] = [
    "\x1b[31m\x1b[2J",
    "\x1b]0;owned\x07",
    "\u{9b}2J\u{9d}0;c1\u{9c}\u{85}",
    "\u{202e}",
    "\u{2066}",
];

/// `tag` with every payload inside, then `end`: `q…end`. What stays of it
/// once cleaned is [`shown`].
pub fn payload(tag: &str) -> String {
    format!("{tag}{}end", PAYLOADS.concat())
}

/// What [`payload`] shows as once stacktop cleaned it: the sequences gone
/// whole, the bidi controls made visible.
pub fn shown(tag: &str) -> String {
    format!("{tag}<U+202E><U+2066>end")
}

/// Fails unless `bytes` (what stacktop wrote, named `what`) hold no C0
/// control but newline (and tab, where `tabs`), no DEL, no C1 control and
/// no bidi control.
pub fn assert_printable(what: &str, bytes: &[u8], tabs: bool) {
    let text = String::from_utf8_lossy(bytes);
    for (at, c) in text.char_indices() {
        let allowed = c == '\n' || (tabs && c == '\t');
        let bad = (c.is_control() && !allowed) || reorders(c);
        assert!(
            !bad,
            "{what}: {c:?} at byte {at}: {:?}",
            &text[at.saturating_sub(60)..(at + 60).min(text.len())]
        );
    }
}

/// A container of the fixture image in the test stack's compose project,
/// on its network, listed as service `service`, with `labels` more
/// (`key=value`) and `options` for `docker run`; removed when dropped.
pub fn stack_container(
    service: &str,
    labels: &[&str],
    options: &[&str],
    image_and_command: &[&str],
) -> super::docker::Throwaway {
    let project = super::stack::project();
    let network = format!("{project}_default");
    let project_label = format!("com.docker.compose.project={project}");
    let service_label = format!("com.docker.compose.service={service}");
    let mut all = vec![
        "--network",
        &network,
        "--label",
        &project_label,
        "--label",
        &service_label,
        "--label",
        "com.docker.compose.container-number=1",
    ];
    for label in labels {
        all.extend(["--label", label]);
    }
    all.extend_from_slice(options);
    super::docker::Throwaway::run_with("hostile", &all, image_and_command)
}
