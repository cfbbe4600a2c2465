//! Small text helpers shared by collectors and jobs.

/// Joins the lines of a message into one and trims the ends: errors from
/// the engine and the compose CLI end on one status line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
