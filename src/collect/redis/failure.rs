//! What went wrong with a Redis probe, sorted by the codes Redis puts in
//! its replies, and what that means for the probe runner.

use std::time::Duration;

use crate::collect::runner::{self, Trouble};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// WRONGPASS, NOAUTH, invalid password.
    Auth,
    /// The server is loading its data set (LOADING).
    Loading,
    /// The user may not run a command (NOPERM, ACL).
    NoPerm,
    /// Anything else: refused, reset, timed out, a server error.
    Other,
}

/// One failure, as a line for the screen (no password in it).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    /// A server error reply (`ERR ...`), not a lost connection.
    pub server_reply: bool,
}

impl Failure {
    pub fn from_redis(err: &redis::RedisError, doing: &str) -> Self {
        let text = err.to_string();
        let auth = err.kind() == redis::ErrorKind::AuthenticationFailed;
        Self {
            kind: if auth { Kind::Auth } else { classify(&text) },
            message: format!("{doing}: {text}"),
            server_reply: err.code().is_some(),
        }
    }

    pub fn timeout(doing: &str, after: Duration) -> Self {
        Self {
            kind: Kind::Other,
            message: format!("{doing}: timed out, no answer within {} s", after.as_secs()),
            server_reply: false,
        }
    }
}

impl Failure {
    /// The runner's failure: what it means for the probe, and the line to
    /// show; `target` is the masked URL.
    pub fn for_runner(self, target: &str) -> runner::Failure {
        match self.kind {
            Kind::Auth => runner::Failure::new(
                Trouble::Rejected,
                format!("authentication failed for {target}: {}", self.message),
            ),
            Kind::Loading => runner::Failure::new(Trouble::Starting, self.message),
            Kind::NoPerm | Kind::Other => runner::Failure::lost(self.message),
        }
    }
}

/// Sorts an error line by the codes Redis puts in its replies.
pub fn classify(text: &str) -> Kind {
    let upper = text.to_ascii_uppercase();
    let has = |needle: &str| upper.contains(needle);
    if has("WRONGPASS") || has("NOAUTH") || has("INVALID PASSWORD") || has("INVALID USERNAME") {
        Kind::Auth
    } else if has("LOADING") {
        Kind::Loading
    } else if has("NOPERM") {
        Kind::NoPerm
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_replies_are_sorted_by_code() {
        let auth = [
            "WRONGPASS: invalid username-password pair or user is disabled.",
            "NOAUTH: Authentication required.",
            "ERR invalid password",
        ];
        for text in auth {
            assert_eq!(classify(text), Kind::Auth, "{text}");
        }
        assert_eq!(
            classify("LOADING: Redis is loading the dataset in memory"),
            Kind::Loading
        );
        assert_eq!(
            classify("NOPERM: this user has no permissions to run the 'client|list' command"),
            Kind::NoPerm
        );
        assert_eq!(classify("Connection refused (os error 111)"), Kind::Other);
    }

    #[test]
    fn timeouts_say_what_was_waited_for() {
        let f = Failure::timeout(
            "connecting to redis://:***@127.0.0.1:1/0",
            Duration::from_secs(5),
        );
        assert_eq!(f.kind, Kind::Other);
        assert!(f.message.contains("timed out"), "{}", f.message);
        assert!(f.message.starts_with("connecting to redis://:***@"));
    }
}
