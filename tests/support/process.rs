//! Processes of a test: whether one still runs, and what a process started,
//! to check that nothing is left behind.

use std::process::Command;

/// Whether process `pid` still runs (a zombie counts as gone).
pub fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

/// Every process `pid` started and they started in turn, as they are now.
pub fn descendants(pid: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut parents = vec![pid.to_string()];
    while let Some(parent) = parents.pop() {
        let out = Command::new("pgrep")
            .args(["-P", &parent])
            .output()
            .unwrap_or_else(|e| panic!("cannot run pgrep: {e}"));
        for child in String::from_utf8_lossy(&out.stdout).split_whitespace() {
            parents.push(child.to_string());
            found.push(child.to_string());
        }
    }
    found
}

/// The command line of process `pid`, for messages.
pub fn command_line(pid: &str) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
        .unwrap_or_default()
}
