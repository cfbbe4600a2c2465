//! CLIENT LIST: one line a connection, grouped into pools.

use std::collections::BTreeMap;

use crate::model::ClientPool;

/// The name stacktop gives its connections: never shown as a pool, whichever
/// stacktop (this one or another dashboard) opened it.
pub const OWN_NAME: &str = "stacktop";

/// One line of CLIENT LIST, the fields the pools need.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Client {
    pub id: u64,
    pub name: String,
    pub host: String,
    pub db: u32,
    pub idle_secs: u64,
    pub cmd: String,
}

/// Parses `id=3 addr=172.18.0.1:51234 ... name=web db=0 ... idle=4 ... cmd=get` lines.
pub fn parse(text: &str) -> Vec<Client> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(parse_line)
        .collect()
}

fn parse_line(line: &str) -> Client {
    let mut client = Client::default();
    for (k, v) in line.split_whitespace().filter_map(|kv| kv.split_once('=')) {
        match k {
            "id" => client.id = v.parse().unwrap_or(0),
            "addr" => client.host = host_of(v).to_string(),
            "name" => client.name = v.to_string(),
            "db" => client.db = v.parse().unwrap_or(0),
            "idle" => client.idle_secs = v.parse().unwrap_or(0),
            // Redis 7 writes subcommands as `client|list`.
            "cmd" => client.cmd = v.replace('|', " "),
            _ => {}
        }
    }
    client
}

/// `172.18.0.5:40312` → `172.18.0.5`; `[::1]:40312` and `::1:40312` → `::1`.
fn host_of(addr: &str) -> &str {
    let host = addr.rsplit_once(':').map_or(addr, |(host, _port)| host);
    host.trim_start_matches('[').trim_end_matches(']')
}

/// Groups clients by (name, host, db), leaving out `own_id` and every
/// connection named [`OWN_NAME`]. Largest pools first. The last command is
/// that of the pool's most recently active client.
pub fn pools(clients: &[Client], own_id: u64) -> Vec<ClientPool> {
    // Per pool: the pool so far and the idle time of its freshest client.
    let mut groups: BTreeMap<(&str, &str, u32), (ClientPool, u64)> = BTreeMap::new();
    let theirs = clients
        .iter()
        .filter(|c| c.id != own_id && c.name != OWN_NAME);
    for c in theirs {
        let key = (c.name.as_str(), c.host.as_str(), c.db);
        let (pool, freshest) = groups.entry(key).or_insert_with(|| {
            let pool = ClientPool {
                name: c.name.clone(),
                host: c.host.clone(),
                db: c.db,
                ..ClientPool::default()
            };
            (pool, u64::MAX)
        });
        pool.count += 1;
        pool.max_idle_secs = pool.max_idle_secs.max(c.idle_secs);
        if c.idle_secs < *freshest {
            *freshest = c.idle_secs;
            pool.last_command.clone_from(&c.cmd);
        }
    }
    let mut out: Vec<ClientPool> = groups.into_values().map(|(pool, _)| pool).collect();
    out.sort_by_key(|pool| std::cmp::Reverse(pool.count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
id=9 addr=172.17.0.1:50354 laddr=172.17.0.2:6379 fd=8 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 multi=-1 cmd=client|list user=default resp=2
id=10 addr=172.18.0.7:40100 laddr=172.18.0.2:6379 fd=9 name=web age=30 idle=12 flags=N db=1 cmd=get user=default resp=2
id=11 addr=172.18.0.7:40102 laddr=172.18.0.2:6379 fd=10 name=web age=30 idle=2 flags=N db=1 cmd=set user=default resp=2
id=12 addr=172.18.0.8:40110 laddr=172.18.0.2:6379 fd=11 name=web age=3 idle=3 flags=N db=1 cmd=get user=default resp=2
id=13 addr=172.18.0.1:40200 laddr=172.18.0.2:6379 fd=12 name=stacktop age=3 idle=0 flags=N db=0 cmd=info user=default resp=2
";

    #[test]
    fn lines_are_parsed() {
        let clients = parse(SAMPLE);
        assert_eq!(clients.len(), 5);
        assert_eq!(
            clients[0],
            Client {
                id: 9,
                name: String::new(),
                host: "172.17.0.1".into(),
                db: 0,
                idle_secs: 0,
                cmd: "client list".into(),
            }
        );
    }

    #[test]
    fn pools_group_by_name_host_and_db() {
        let pools = pools(&parse(SAMPLE), 9);
        let want = [
            ClientPool {
                name: "web".into(),
                host: "172.18.0.7".into(),
                db: 1,
                count: 2,
                max_idle_secs: 12,
                last_command: "set".into(),
            },
            ClientPool {
                name: "web".into(),
                host: "172.18.0.8".into(),
                db: 1,
                count: 1,
                max_idle_secs: 3,
                last_command: "get".into(),
            },
        ];
        assert_eq!(pools, want);
    }

    #[test]
    fn unnamed_clients_form_a_pool_unless_they_are_the_probe() {
        let pools = pools(&parse(SAMPLE), 13);
        assert!(pools.iter().any(|p| p.name.is_empty() && p.count == 1));
        assert!(pools.iter().all(|p| p.name != OWN_NAME));
    }

    #[test]
    fn hosts_of_ipv6_and_unix_addresses() {
        assert_eq!(host_of("[::1]:6379"), "::1");
        assert_eq!(host_of("::1:6379"), "::1");
        assert_eq!(host_of("/run/redis.sock:0"), "/run/redis.sock");
        assert_eq!(host_of("nohost"), "nohost");
    }
}
