//! A fleet of made-up containers for the fake engine: its list answer,
//! built once, and each container's inspect and stats answers, made from
//! the container's id when asked.
//!
//! Container `i` has the id `i` in 64 hex digits. Every [`NO_PROJECT_EVERY`]th
//! runs outside Compose; the others are spread over [`PROJECTS`] compose
//! projects of [`SERVICES`] services, each with many replicas. A few have
//! exited with an error or are unhealthy, so the list has problems to pin.

use std::fmt::Write as _;

/// Compose projects the fleet is spread over.
pub const PROJECTS: usize = 50;
/// Services of each project.
pub const SERVICES: usize = 40;
/// One container in this many belongs to no project.
pub const NO_PROJECT_EVERY: usize = 51;
/// One container in this many has exited with code 1.
pub const EXITED_EVERY: usize = 997;
/// One container in this many is unhealthy.
pub const UNHEALTHY_EVERY: usize = 1009;

/// The fleet and its list answer.
pub struct FakeFleet {
    pub count: usize,
    /// The body of `GET /containers/json`.
    pub list: Vec<u8>,
}

impl std::fmt::Debug for FakeFleet {
    /// The count only: the list is tens of megabytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FakeFleet({} containers)", self.count)
    }
}

/// What container `i` is.
struct Member {
    id: String,
    name: String,
    project: Option<String>,
    service: String,
    number: usize,
    exited: bool,
    unhealthy: bool,
}

impl Member {
    fn of(i: usize) -> Self {
        let outside = i % NO_PROJECT_EVERY == NO_PROJECT_EVERY - 1;
        let project = (!outside).then(|| format!("p{:02}", i % PROJECTS));
        let service = format!("svc{:02}", (i / PROJECTS) % SERVICES);
        let number = i / (PROJECTS * SERVICES) + 1;
        let name = match &project {
            Some(p) => format!("{p}-{service}-{number}"),
            None => format!("loose-{i}"),
        };
        Self {
            id: format!("{i:064x}"),
            name,
            project,
            service,
            number,
            exited: i % EXITED_EVERY == EXITED_EVERY - 1,
            unhealthy: i % UNHEALTHY_EVERY == UNHEALTHY_EVERY - 1,
        }
    }

    /// The compose labels, as a JSON object's members.
    fn labels(&self) -> String {
        let Some(project) = &self.project else {
            return String::new();
        };
        let dir = format!("/nonexistent/stacktop-fleet/{project}");
        format!(
            r#""com.docker.compose.project":"{project}","com.docker.compose.service":"{}","com.docker.compose.container-number":"{}","com.docker.compose.oneoff":"False","com.docker.compose.project.working_dir":"{dir}","com.docker.compose.project.config_files":"{dir}/compose.yaml""#,
            self.service, self.number
        )
    }

    fn state(&self) -> &'static str {
        if self.exited { "exited" } else { "running" }
    }

    fn status(&self) -> &'static str {
        match (self.exited, self.unhealthy) {
            (true, _) => "Exited (1) 5 minutes ago",
            (false, true) => "Up 2 hours (unhealthy)",
            (false, false) => "Up 2 hours",
        }
    }

    fn write_summary(&self, out: &mut String) {
        let _ = write!(
            out,
            r#"{{"Id":"{}","Names":["/{}"],"Image":"fleet/{}:latest","ImageID":"sha256:{}","Command":"/bin/serve","Created":1714557600,"Ports":[],"Labels":{{{}}},"State":"{}","Status":"{}","HostConfig":{{"NetworkMode":"bridge"}},"Mounts":[]}}"#,
            self.id,
            self.name,
            self.service,
            self.id,
            self.labels(),
            self.state(),
            self.status()
        );
    }

    fn inspect(&self) -> String {
        let health = if self.unhealthy {
            r#","Health":{"Status":"unhealthy","FailingStreak":3,"Log":[]}"#
        } else {
            ""
        };
        let (code, finished) = if self.exited {
            (1, "2024-05-01T12:00:00Z")
        } else {
            (0, "0001-01-01T00:00:00Z")
        };
        format!(
            r#"{{"Id":"{}","Name":"/{}","Image":"sha256:{}","RestartCount":0,"State":{{"Status":"{}","Running":{},"ExitCode":{code},"StartedAt":"2024-05-01T10:00:00Z","FinishedAt":"{finished}"{health}}},"Config":{{"Image":"fleet/{}:latest","Labels":{{{}}},"Env":["PATH=/usr/bin:/bin"],"Cmd":["/bin/serve"],"Tty":false}},"NetworkSettings":{{"Ports":{{}}}},"Mounts":[]}}"#,
            self.id,
            self.name,
            self.id,
            self.state(),
            !self.exited,
            self.service,
            self.labels()
        )
    }
}

impl FakeFleet {
    /// `count` containers, their list answer built at once.
    pub fn new(count: usize) -> Self {
        let mut list = String::with_capacity(count * 600);
        list.push('[');
        for i in 0..count {
            if i > 0 {
                list.push(',');
            }
            Member::of(i).write_summary(&mut list);
        }
        list.push(']');
        Self {
            count,
            list: list.into_bytes(),
        }
    }

    /// The inspect answer of the container of that id, if it is one.
    pub fn inspect(&self, id: &str) -> Option<String> {
        let i = usize::from_str_radix(id, 16).ok()?;
        (i < self.count && id.len() == 64).then(|| Member::of(i).inspect())
    }

    /// One stats sample of a running container.
    pub fn stats(&self, id: &str) -> Option<String> {
        self.inspect(id)?;
        Some(
            r#"{"read":"2024-05-01T12:00:00Z","cpu_stats":{"cpu_usage":{"total_usage":1000000},"system_cpu_usage":100000000000,"online_cpus":2},"precpu_stats":{},"memory_stats":{"usage":4194304,"limit":1073741824,"stats":{}}}"#
                .to_string(),
        )
    }

    /// The name of container `i`, as the list shows it outside Compose.
    pub fn name(&self, i: usize) -> String {
        Member::of(i).name
    }
}
