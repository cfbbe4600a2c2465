//! Targets: the servers of a stack that stacktop probes with a view of
//! their own (databases, queues, search engines), and how each probe is
//! doing.

use strum::VariantArray;

/// The kind of server a target is. Declared in the order containers are
/// recognised: the first kind whose image matches wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::VariantArray)]
pub enum TargetKind {
    Postgres,
    Redis,
    RabbitMq,
    Search,
}

/// What stacktop knows of one kind of server: how a container is
/// recognised and reached, what it is called, how it is configured. The
/// collector of a kind is chosen in `collect::probes`, its panels are the
/// `app::Panel`s whose `kind` it is, and what its view draws is the table
/// of `ui::database`: a new kind is a row here plus those places, each a
/// match the compiler points out.
#[derive(Debug)]
pub struct KindInfo {
    /// What the views call it.
    pub title: &'static str,
    /// Prefix of target ids and of the list's summary.
    pub short: &'static str,
    /// Parts of image names that mean this kind.
    pub images: &'static [&'static str],
    /// The container port stacktop talks to.
    pub port: u16,
    /// URL schemes a configured target of this kind may use.
    pub schemes: &'static [&'static str],
    /// A URL to show in errors.
    pub example: &'static str,
    /// Its table in the config file (`[[postgres]]`) and its variable.
    pub config_key: &'static str,
    pub env_var: &'static str,
}

const POSTGRES: KindInfo = KindInfo {
    title: "PostgreSQL",
    short: "pg",
    images: &[
        "postgres",
        "postgis",
        "timescale",
        "pgvector",
        "supabase/postgres",
    ],
    port: 5432,
    schemes: &["postgres", "postgresql"],
    example: "postgres://user:password@127.0.0.1:5432/db",
    config_key: "postgres",
    env_var: "STACKTOP_POSTGRES_URL",
};

const REDIS: KindInfo = KindInfo {
    title: "Redis",
    short: "redis",
    images: &["redis", "valkey", "keydb", "dragonfly"],
    port: 6379,
    schemes: &["redis", "rediss"],
    example: "redis://:password@127.0.0.1:6379/0",
    config_key: "redis",
    env_var: "STACKTOP_REDIS_URL",
};

const RABBITMQ: KindInfo = KindInfo {
    title: "RabbitMQ",
    short: "rabbit",
    images: &["rabbitmq"],
    port: 15672,
    schemes: &["http", "https"],
    example: "http://guest:guest@127.0.0.1:15672",
    config_key: "rabbitmq",
    env_var: "STACKTOP_RABBITMQ_URL",
};

const SEARCH: KindInfo = KindInfo {
    title: "Search",
    short: "es",
    images: &["elasticsearch", "opensearch"],
    port: 9200,
    schemes: &["http", "https"],
    example: "http://elastic:password@127.0.0.1:9200",
    config_key: "search",
    env_var: "STACKTOP_SEARCH_URL",
};

impl TargetKind {
    /// Every kind, in the order they are recognised: the enum's variants as
    /// the compiler lists them, so a new kind cannot be left out.
    pub const ALL: [TargetKind; <Self as VariantArray>::VARIANTS.len()] = {
        let variants = <Self as VariantArray>::VARIANTS;
        let mut all = [TargetKind::Postgres; <Self as VariantArray>::VARIANTS.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = variants[i];
            i += 1;
        }
        all
    };

    pub fn info(self) -> &'static KindInfo {
        match self {
            Self::Postgres => &POSTGRES,
            Self::Redis => &REDIS,
            Self::RabbitMq => &RABBITMQ,
            Self::Search => &SEARCH,
        }
    }
}

/// Where a target came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetOrigin {
    /// Found from a container's image, ports and environment.
    Discovered,
    /// A `[[postgres]]`, `[[redis]]`… entry of the config file.
    Config,
    /// `STACKTOP_POSTGRES_URL`, `STACKTOP_REDIS_URL`…
    Environment,
}

/// A server to probe.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// Stable key: `pg:NAME`, `redis:NAME`… (the kind's short name).
    pub id: String,
    pub kind: TargetKind,
    /// What the user sees: the service or config name.
    pub name: String,
    /// Connection URL, password included: never shown, never logged.
    pub url: String,
    /// The container this target lives in, to attach it to its row.
    pub container_id: Option<String>,
    pub origin: TargetOrigin,
}

impl std::fmt::Debug for Target {
    // The URL holds a password: debug output shows it masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("url", &mask_url(&self.url))
            .field("container_id", &self.container_id)
            .field("origin", &self.origin)
            .finish()
    }
}

impl Target {
    /// The URL with its password replaced by `***`.
    pub fn display_url(&self) -> String {
        mask_url(&self.url)
    }
}

#[cfg(test)]
impl Target {
    /// A configured target of `kind` named `name`, at the kind's example URL.
    pub fn example(kind: TargetKind, name: &str) -> Self {
        Self {
            id: format!("{}:{name}", kind.info().short),
            kind,
            name: name.into(),
            url: kind.info().example.into(),
            container_id: None,
            origin: TargetOrigin::Config,
        }
    }
}

/// Replaces the password of `scheme://user:password@host/...` with `***`,
/// and a `password=` query parameter too.
///
/// The password may hold `/`, `?`, `#` or `@` written as they are (a URL
/// that then fails to parse is quoted in the error that says so): the user
/// part ends at the last `@`. Past an `@` in a path or a query this masks
/// more than the password, the safe way to be wrong.
pub fn mask_url(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        if let Some(at) = out[rest_start..].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                let start = rest_start + colon + 1;
                out.replace_range(start..rest_start + at, "***");
            }
        }
    }
    if let Some(q) = out.find("password=") {
        let start = q + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |i| start + i);
        out.replace_range(start..end, "***");
    }
    out
}

/// How long a probe waits after refused credentials (or a URL that cannot
/// work) before it tries again: rarely, so a wrong password makes no storm of
/// failed logins in the server's log. The probe runner waits this long and
/// the database view says so.
pub const AUTH_RETRY: std::time::Duration = std::time::Duration::from_secs(60);

/// How a target's probe is doing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProbeStatus {
    #[default]
    Connecting,
    /// Figures are fresh.
    Live,
    /// The server says it is starting up (Postgres 57P03, Redis LOADING).
    Starting,
    /// The connection was lost; the probe retries with backoff. Figures
    /// from before are not shown as live.
    Reconnecting { error: String, retry_in_ms: u64 },
    /// Wrong credentials: retried after [`AUTH_RETRY`].
    AuthFailed { error: String },
}

impl ProbeStatus {
    /// The state in one word, the same in the list, the database view and
    /// the headless commands.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Connecting => "connecting",
            Self::Starting => "starting",
            Self::Reconnecting { .. } => "retrying",
            Self::AuthFailed { .. } => "auth error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_in_urls() {
        assert_eq!(
            mask_url("postgres://app:s3cr%40t@127.0.0.1:5433/auth_db"),
            "postgres://app:***@127.0.0.1:5433/auth_db"
        );
        assert_eq!(
            mask_url("redis://:pw@localhost:6379/0"),
            "redis://:***@localhost:6379/0"
        );
        assert_eq!(
            mask_url("postgres://app@h/db?password=x&sslmode=disable"),
            "postgres://app@h/db?password=***&sslmode=disable"
        );
        assert_eq!(mask_url("redis://localhost"), "redis://localhost");
    }

    #[test]
    fn passwords_holding_url_delimiters_are_masked_whole() {
        for password in [
            "pa/ss",
            "p@ss",
            "p#ss",
            "p?ss",
            "p/a@s#s?w",
            "@/#?",
            "p@ss/w",
        ] {
            let url = format!("postgres://app:{password}@127.0.0.1:5433/db?sslmode=disable");
            assert_eq!(
                mask_url(&url),
                "postgres://app:***@127.0.0.1:5433/db?sslmode=disable",
                "{password}"
            );
        }
        assert_eq!(mask_url("redis://:a/b@h:6379/0"), "redis://:***@h:6379/0");
    }

    #[test]
    fn every_kind_has_its_row() {
        for kind in TargetKind::ALL {
            let info = kind.info();
            assert!(!info.images.is_empty() && info.port > 0, "{kind:?}");
        }
        assert_eq!(TargetKind::RabbitMq.info().title, "RabbitMQ");
        assert_eq!(TargetKind::ALL[0], TargetKind::Postgres, "PostgreSQL first");
        let mut shorts: Vec<&str> = TargetKind::ALL.iter().map(|k| k.info().short).collect();
        shorts.sort_unstable();
        shorts.dedup();
        assert_eq!(shorts.len(), TargetKind::ALL.len(), "target ids stay apart");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let t = Target {
            id: "pg:db".into(),
            kind: TargetKind::Postgres,
            name: "db".into(),
            url: "postgres://u:topsecret@127.0.0.1/db".into(),
            container_id: None,
            origin: TargetOrigin::Config,
        };
        assert!(!format!("{t:?}").contains("topsecret"));
    }
}
