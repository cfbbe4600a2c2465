//! Free ports on the loopback. A port found free can be taken by someone
//! else before it is used, so whatever binds it goes through [`with_free_port`],
//! which tries again with another port when that happens.

use std::net::TcpListener;

/// Attempts before giving up on finding a port nobody takes first.
const ATTEMPTS: usize = 5;

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("a local address").port()
}

/// Runs `start` with a free port until it succeeds; `start` returns `Err`
/// with its message when the port was taken meanwhile (anything that says
/// "already", "in use" or "allocated" is taken for that), and any other
/// error fails the test at once.
pub fn with_free_port<T>(mut start: impl FnMut(u16) -> Result<T, String>) -> T {
    let mut last = String::new();
    for _ in 0..ATTEMPTS {
        let port = free_port();
        match start(port) {
            Ok(value) => return value,
            Err(error) if taken(&error) => last = error,
            Err(error) => panic!("starting on port {port} failed: {error}"),
        }
    }
    panic!("no free port after {ATTEMPTS} attempts; the last error: {last}");
}

fn taken(error: &str) -> bool {
    let error = error.to_lowercase();
    ["already", "in use", "allocated"]
        .iter()
        .any(|word| error.contains(word))
}

/// A TCP listener on 127.0.0.1 that accepts connections, keeps them and
/// never says a word, like a hung server; its port.
pub fn silent_listener() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("a local address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}
