//! The test stack's RabbitMQ: its probe target, and AMQP connections of
//! the test's own to publish, hold unacknowledged messages and stand for
//! a named client.

use amqprs::BasicProperties;
use amqprs::channel::{
    BasicGetArguments, BasicPublishArguments, Channel, QueueDeclareArguments, QueueDeleteArguments,
};
use amqprs::connection::{Connection, OpenConnectionArguments};
use stacktop::model::{Target, TargetKind, TargetOrigin};

use super::stack::{RABBIT_USER, amqp_port, container_name, rabbit_port};

/// The management API of the stack's `rabbitmq`, as discovery builds it.
/// Fails with a hint when the service is not up.
pub fn target() -> Target {
    container_name("rabbitmq", 1);
    target_with(RABBIT_USER.1)
}

/// The same, with another password.
pub fn target_with(password: &str) -> Target {
    Target {
        id: "rabbit:test".into(),
        kind: TargetKind::RabbitMq,
        name: "rabbitmq".into(),
        url: format!(
            "http://{}:{password}@127.0.0.1:{}/",
            RABBIT_USER.0,
            rabbit_port()
        ),
        container_id: None,
        origin: TargetOrigin::Config,
    }
}

/// An AMQP connection and one channel on it; closing the connection (or
/// dropping it) gives back the messages it holds unacknowledged.
pub struct Amqp {
    pub connection: Connection,
    pub channel: Channel,
}

impl Amqp {
    /// Connects as the stack's user; `name` is the client-provided
    /// connection name the management API shows.
    pub async fn connect(name: &str) -> Self {
        let (user, password) = RABBIT_USER;
        let args = OpenConnectionArguments::new("127.0.0.1", amqp_port(), user, password)
            .connection_name(name)
            .finish();
        let connection = Connection::open(&args).await.unwrap_or_else(|e| {
            panic!(
                "cannot open AMQP to 127.0.0.1:{} ({e}); is the test stack up? run scripts/test.sh",
                amqp_port()
            )
        });
        let channel = connection.open_channel(None).await.expect("a channel");
        Self {
            connection,
            channel,
        }
    }

    /// Declares a transient queue of that name.
    pub async fn declare(&self, queue: &str) {
        self.channel
            .queue_declare(QueueDeclareArguments::new(queue))
            .await
            .expect("queue declared");
    }

    /// Publishes `count` messages to `queue` through the default exchange.
    pub async fn publish(&self, queue: &str, count: usize) {
        for i in 0..count {
            self.channel
                .basic_publish(
                    BasicProperties::default(),
                    format!("message {i}").into_bytes(),
                    BasicPublishArguments::new("", queue),
                )
                .await
                .expect("published");
        }
    }

    /// Messages ready in `queue`, as the broker counts them now.
    pub async fn ready(&self, queue: &str) -> u32 {
        let declared = self
            .channel
            .queue_declare(QueueDeclareArguments::new(queue).passive(true).finish())
            .await
            .expect("queue exists");
        declared.map_or(0, |(_, ready, _)| ready)
    }

    /// Takes `count` messages without acknowledging them: they stay
    /// unacknowledged while this connection lives.
    pub async fn take_unacked(&self, queue: &str, count: usize) {
        for _ in 0..count {
            let got = self
                .channel
                .basic_get(BasicGetArguments::new(queue))
                .await
                .expect("basic.get");
            assert!(got.is_some(), "{queue} ran out of messages");
        }
    }

    pub async fn delete(&self, queue: &str) {
        let _ = self
            .channel
            .queue_delete(QueueDeleteArguments::new(queue))
            .await;
    }
}
