//! The engine's container list, read entry by entry as it arrives.
//!
//! With 100,000 containers the answer is tens of megabytes: neither the
//! whole of it nor the client's types of all its entries are held at
//! once. Over a unix socket or plain TCP each entry is parsed as soon as
//! it is complete; over SSH or TLS bollard reads the list whole.

use bollard::Docker;
use bollard::models::ContainerSummary;
use bollard::query_parameters::ListContainersOptionsBuilder;

use super::{Engine, engine_error};

/// Longest entry of the list read: past it the answer is hostile.
const ENTRY_AT_MOST: usize = 4 * 1024 * 1024;

/// Why the list could not be read.
#[derive(Debug)]
pub enum ListError {
    /// The engine answered JSON the client cannot read (Podman's
    /// `stopped`, between a stop and its cleanup): worth asking again.
    Unreadable(String),
    Failed(anyhow::Error),
}

impl Engine {
    /// Calls `each` with every container's entry in the list, in the
    /// engine's order.
    pub async fn list_each(
        &self,
        docker: &Docker,
        mut each: impl FnMut(ContainerSummary),
    ) -> Result<(), ListError> {
        if !self.answers_raw() {
            let options = ListContainersOptionsBuilder::new().all(true).build();
            return match docker.list_containers(Some(options)).await {
                Ok(all) => {
                    all.into_iter().for_each(each);
                    Ok(())
                }
                Err(e) if is_unreadable(&e) => Err(ListError::Unreadable(super::describe(&e))),
                Err(e) => Err(ListError::Failed(engine_error(e))),
            };
        }
        let mut body = self
            .raw_open("/containers/json?all=1")
            .await
            .map_err(|e| ListError::Failed(anyhow::anyhow!(e)))?;
        let mut entries = Entries::default();
        let mut buf = Vec::new();
        while body
            .read(&mut buf)
            .await
            .map_err(|e| ListError::Failed(anyhow::anyhow!(e)))?
        {
            entries.take(&mut buf, |entry| {
                let summary = serde_json::from_slice(entry)
                    .map_err(|e| format!("an entry of the list: {e}"))?;
                each(summary);
                Ok(())
            })?;
        }
        entries.finish()
    }
}

/// Whether the engine answered with JSON the client cannot read.
pub fn is_unreadable(error: &bollard::errors::Error) -> bool {
    matches!(
        error,
        bollard::errors::Error::JsonDataError { .. }
            | bollard::errors::Error::JsonSerdeError { .. }
    )
}

/// Where a JSON array of objects, arriving in pieces, has got to.
#[derive(Debug, Default)]
struct Entries {
    /// Past the opening `[`.
    opened: bool,
    /// Past the closing `]`.
    closed: bool,
    /// Nesting inside the current entry (0 between entries).
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Bytes at the start of the buffer scanned already: the start of an
    /// entry not complete yet.
    scanned: usize,
}

impl Entries {
    /// Scans what `buf` holds, calls `each` with every entry completed in
    /// it, and leaves in `buf` only the start of an entry not complete
    /// yet.
    fn take(
        &mut self,
        buf: &mut Vec<u8>,
        mut each: impl FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), ListError> {
        let mut start = 0;
        for at in self.scanned..buf.len() {
            if self.depth == 0 {
                start = at;
            }
            if self.step(buf[at])? {
                each(&buf[start..=at]).map_err(ListError::Unreadable)?;
            }
        }
        if self.depth == 0 {
            buf.clear();
        } else {
            buf.drain(..start);
        }
        self.scanned = buf.len();
        if buf.len() > ENTRY_AT_MOST {
            return Err(not_a_list("an entry over 4 MB"));
        }
        Ok(())
    }

    /// Takes one byte; true when it ends an entry.
    fn step(&mut self, byte: u8) -> Result<bool, ListError> {
        if self.in_string {
            match (self.escaped, byte) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
            return Ok(false);
        }
        match (self.opened && !self.closed, self.depth, byte) {
            (_, _, b' ' | b'\n' | b'\r' | b'\t') => {}
            (false, _, b'[') if !self.opened => self.opened = true,
            (false, _, _) => return Err(not_a_list("not a JSON array")),
            (true, 0, b',') => {}
            (true, 0, b']') => self.closed = true,
            (true, 0, b'{') => self.depth = 1,
            (true, 0, _) => return Err(not_a_list("not a list of objects")),
            (true, _, b'"') => self.in_string = true,
            (true, _, b'{' | b'[') => self.depth += 1,
            (true, depth, b'}' | b']') => {
                self.depth = depth - 1;
                return Ok(self.depth == 0);
            }
            (true, _, _) => {}
        }
        Ok(false)
    }

    fn finish(self) -> Result<(), ListError> {
        if self.closed {
            Ok(())
        } else {
            Err(not_a_list("the list ends before its `]`"))
        }
    }
}

fn not_a_list(why: &str) -> ListError {
    ListError::Unreadable(format!("the engine's container list is unreadable: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of `pieces`, fed one after the other.
    fn entries(pieces: &[&str]) -> Result<Vec<String>, ListError> {
        let mut entries = Entries::default();
        let mut found = Vec::new();
        let mut buf = Vec::new();
        for piece in pieces {
            buf.extend_from_slice(piece.as_bytes());
            entries.take(&mut buf, |e| {
                found.push(String::from_utf8_lossy(e).into_owned());
                Ok(())
            })?;
        }
        entries.finish()?;
        Ok(found)
    }

    #[test]
    fn entries_are_found_across_pieces_whatever_their_strings_hold() {
        let list = r#" [ {"a":"}{\"]","b":[1,{"c":2}]} , {"d":"\\"}]"#;
        let whole = entries(&[list]).expect("a list");
        assert_eq!(whole, [r#"{"a":"}{\"]","b":[1,{"c":2}]}"#, r#"{"d":"\\"}"#]);
        for cut in 1..list.len() {
            let (a, b) = list.split_at(cut);
            assert_eq!(entries(&[a, b]).expect("a list"), whole, "cut at {cut}");
        }
        assert!(entries(&["[]"]).expect("empty").is_empty());
    }

    #[test]
    fn what_is_no_list_of_objects_is_unreadable() {
        for garbage in ["\u{1b}]0;pwned\u{7}{{{ not json", "{}", "[1,2]", "[{}", ""] {
            assert!(
                matches!(entries(&[garbage]), Err(ListError::Unreadable(_))),
                "{garbage:?}"
            );
        }
    }
}
