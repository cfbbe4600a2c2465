//! The bounds put on YAML before it is read. Compose's own reader gives up
//! on hostile files long before these; stacktop's must too, quickly and
//! with a message saying which limit the file broke:
//!
//! - its size ([`MAX_BYTES`]);
//! - how many `[` and `{` it holds ([`MAX_BRACKETS`]), counted before it
//!   is parsed: libyaml takes time quadratic in how deep flow collections
//!   nest (100,000 levels kept it busy for minutes), and a count of
//!   characters cannot be fooled by quotes or comments;
//! - how deep it nests ([`MAX_DEPTH`]): real compose files nest a dozen
//!   levels at most;
//! - how many values it holds once aliases are expanded ([`MAX_NODES`]): a
//!   "billion laughs" file is a few hundred bytes of anchors that expand
//!   to billions of values.
//!
//! Depth and values are counted in one pass over the parsed events that
//! builds nothing and stops at the first limit broken.

use std::cell::Cell;
use std::fmt;

use anyhow::{anyhow, bail};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// The largest compose file read, in bytes.
pub const MAX_BYTES: usize = 4 << 20;
/// The most `[` and `{` a file may hold; real compose files hold a few
/// hundred. At this many, nested, libyaml still answers within a second.
pub const MAX_BRACKETS: usize = 4_000;
/// The deepest nesting of mappings and lists read.
pub const MAX_DEPTH: usize = 64;
/// The most values (scalars, lists, mappings) a file may hold once its
/// aliases are expanded.
pub const MAX_NODES: usize = 250_000;

/// The message for a text over [`MAX_BYTES`].
pub fn too_large() -> String {
    format!(
        "larger than {} MiB, more than stacktop reads of a compose file",
        MAX_BYTES >> 20
    )
}

/// Refuses `text` when it is too large, nests too deep or expands to too
/// many values. Broken YAML is not refused here: parsing says where.
pub fn check(text: &str) -> anyhow::Result<()> {
    if text.len() > MAX_BYTES {
        bail!("{}", too_large());
    }
    let brackets = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if brackets > MAX_BRACKETS {
        bail!(
            "{brackets} `[` and `{{`, more than the {MAX_BRACKETS} stacktop reads of a compose file"
        );
    }
    let seen = Cell::new(0);
    let broken = Cell::new(None);
    let count = Count {
        seen: &seen,
        broken: &broken,
        depth: 0,
    };
    match count.deserialize(serde_yaml_ng::Deserializer::from_str(text)) {
        Err(e) => match (broken.get(), e.location()) {
            // The limit's own words: serde_yaml_ng would put the path of
            // keys first, 64 of them.
            (Some(limit), Some(at)) => Err(anyhow!("{}:{}: {limit}", at.line(), at.column())),
            (Some(limit), None) => Err(anyhow!("{limit}")),
            (None, _) if is_repetition(&e) => Err(anyhow!(
                "aliases expand to more values than stacktop reads ({e})"
            )),
            // Broken YAML: parsing says where.
            (None, _) => Ok(()),
        },
        Ok(()) => Ok(()),
    }
}

/// A bound broken, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Depth,
    Values,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Depth => write!(
                f,
                "nested more than {MAX_DEPTH} levels deep, more than stacktop reads"
            ),
            Self::Values => write!(
                f,
                "aliases expand to more than {MAX_NODES} values, more than stacktop reads"
            ),
        }
    }
}

/// serde_yaml_ng's own bound, which has no error kind of its own: aliases
/// replayed more than a hundred times the document's events. An alias
/// bomb smaller than [`MAX_NODES`] allows may reach it first.
fn is_repetition(error: &serde_yaml_ng::Error) -> bool {
    error.to_string().starts_with("repetition limit exceeded")
}

/// Counts the values below one node; `depth` is the node's own.
#[derive(Clone, Copy)]
struct Count<'a> {
    seen: &'a Cell<usize>,
    /// The limit broken, to tell that error from broken YAML.
    broken: &'a Cell<Option<Limit>>,
    depth: usize,
}

impl Count<'_> {
    /// Counts one more value.
    fn one<E: de::Error>(self) -> Result<(), E> {
        let seen = self.seen.get() + 1;
        self.seen.set(seen);
        if seen > MAX_NODES {
            return Err(self.broke(Limit::Values));
        }
        Ok(())
    }

    fn broke<E: de::Error>(self, limit: Limit) -> E {
        self.broken.set(Some(limit));
        E::custom(limit)
    }

    /// Counts a list or mapping and gives what counts its items.
    fn nest<E: de::Error>(self) -> Result<Self, E> {
        self.one()?;
        if self.depth >= MAX_DEPTH {
            return Err(self.broke(Limit::Depth));
        }
        Ok(Self {
            depth: self.depth + 1,
            ..self
        })
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.one()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.one()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.one()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.one()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.one()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.one()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.one()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let inner = self.nest()?;
        while items.next_element_seed(inner)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        let inner = self.nest()?;
        while entries.next_key_seed(inner)?.is_some() {
            entries.next_value_seed(inner)?;
        }
        Ok(())
    }

    /// A tagged value (`!reset []`): the tag, then the value under it.
    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess as _;
        let ((), value) = tagged.variant_seed(Tag)?;
        value.newtype_variant_seed(self)
    }
}

/// A tag's name, which is not counted.
struct Tag;

impl<'de> DeserializeSeed<'de> for Tag {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(de::IgnoredAny).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        check(text).unwrap_err().to_string()
    }

    #[test]
    fn real_files_pass() {
        let text = "x-base: &base\n  image: busybox\nservices:\n  a:\n    <<: *base\n    command: [sh, -c, 'echo {a}']\n    healthcheck:\n      test: !reset []\n";
        check(text).unwrap();
        check("").unwrap();
        check("a: [\n").unwrap();
    }

    #[test]
    fn deep_nesting_is_refused_with_the_limit() {
        let deep = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        let err = error(&deep);
        assert!(err.starts_with("1:"), "says where: {err}");
        assert!(err.ends_with("nested more than 64 levels deep, more than stacktop reads"));
        let deeper = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let err = error(&deeper);
        assert!(err.contains("100000 `[` and `{`"), "{err}");
        assert!(
            started.elapsed().as_millis() < 500,
            "{:?}",
            started.elapsed()
        );
        let mut block = String::new();
        for level in 0..100 {
            block.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        assert!(error(&block).contains("levels deep"));
    }

    #[test]
    fn an_alias_bomb_is_refused_with_the_limit() {
        let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let err = error(&bomb);
        assert!(err.contains("aliases expand"), "{err}");
    }

    #[test]
    fn a_large_text_is_refused_before_it_is_parsed() {
        let large = "#".repeat(MAX_BYTES + 1);
        assert!(error(&large).contains("larger than 4 MiB"));
    }
}
