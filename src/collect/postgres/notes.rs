//! The lines a snapshot carries about what it cannot show, and why.

use std::time::Duration;

/// How to enable pg_stat_statements in `database`, as one line. `loaded`:
/// whether the server already has it in shared_preload_libraries.
pub fn pgss_hint(database: &str, loaded: bool) -> String {
    if loaded {
        format!(
            "pg_stat_statements is not installed in {database}: run CREATE EXTENSION pg_stat_statements; there"
        )
    } else {
        format!(
            "pg_stat_statements is off: add it to shared_preload_libraries, restart the server, \
             then CREATE EXTENSION pg_stat_statements; in {database}"
        )
    }
}

/// Why sessions of other roles show no state, query or client.
pub fn hidden_sessions(user: &str, hidden: usize) -> String {
    format!(
        "{hidden} session(s) of other roles hide their state, query and client: \
         role {user} is not a member of pg_read_all_stats (GRANT pg_monitor TO {user} shows them)"
    )
}

/// Why some pg_stat_statements entries are left out.
pub fn hidden_statements(user: &str, hidden: usize) -> String {
    format!(
        "{hidden} statement(s) of other roles are hidden from top statements: \
         role {user} is not a member of pg_read_all_stats"
    )
}

/// Why database sizes are no longer read.
pub fn sizes_off(took: Duration) -> String {
    format!(
        "database sizes are off: reading them took {} ms (over 500 ms)",
        took.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_says_what_is_missing() {
        let not_created = pgss_hint("plain_db", true);
        assert!(not_created.contains("CREATE EXTENSION pg_stat_statements"));
        assert!(not_created.contains("plain_db"));
        assert!(!not_created.contains("shared_preload_libraries"));
        let not_loaded = pgss_hint("plain_db", false);
        assert!(not_loaded.contains("shared_preload_libraries"));
        assert!(not_loaded.contains("CREATE EXTENSION"));
        assert!(!not_loaded.contains('\n'));
    }

    #[test]
    fn notes_name_the_role_and_the_grant() {
        let note = hidden_sessions("reader", 3);
        assert!(note.starts_with("3 session(s)"));
        assert!(note.contains("GRANT pg_monitor TO reader"));
        assert!(sizes_off(Duration::from_millis(812)).contains("812 ms"));
    }
}
