//! Purging a RabbitMQ queue through the management API.

use tokio::sync::mpsc::Sender;
use url::Url;

use crate::collect::api::endpoint;
use crate::collect::http::Http;
use crate::collect::runner::ANSWER_TIMEOUT;
use crate::event::Event;
use crate::model::{Job, Target};
use crate::tasks::spawn_job;

/// Purges `queue` of `vhost` in a task of its own; reports with
/// `Event::Done`.
pub fn spawn_purge(target: Target, vhost: String, queue: String, tx: Sender<Event>) {
    let job = Job::Purge {
        target: target.name.clone(),
        queue: queue.clone(),
    };
    spawn_job(job, tx, async move { purge(&target, &vhost, &queue).await });
}

/// `DELETE /api/queues/{vhost}/{name}/contents`: both outcomes are one
/// readable line.
pub async fn purge(target: &Target, vhost: &str, queue: &str) -> Result<String, String> {
    let failed = |why: &str| format!("cannot purge {queue} on {}: {why}", target.name);
    let base = Url::parse(&target.url).map_err(|_| failed("its URL is not valid"))?;
    let path = format!("/api/queues/{}/{}/contents", segment(vhost), segment(queue));
    let answer = Http::new(ANSWER_TIMEOUT)
        .delete(&endpoint(&base, &path))
        .await
        .map_err(|e| failed(&e.short))?;
    match answer.status.as_u16() {
        200..300 => Ok(format!("purged queue {queue} on {}", target.name)),
        404 => Err(failed("no such queue (it may have been deleted)")),
        401 | 403 => Err(failed(
            "the user may not (it needs the management tag and configure rights)",
        )),
        status => Err(failed(&format!("http {status}"))),
    }
}

/// A vhost or queue name as one path segment: `/` is `%2F`.
fn segment(name: &str) -> String {
    url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_one_path_segment() {
        assert_eq!(segment("/"), "%2F");
        assert_eq!(segment("orders.v2 retry"), "orders.v2%20retry");
        assert_eq!(segment("a/b#c?d"), "a%2Fb%23c%3Fd");
    }
}
