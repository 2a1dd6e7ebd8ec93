//! Test helpers: a private `redis-server` per test, on a free port, that a test can
//! kill and restart.

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` child process owned by one test.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl RedisServer {
    /// Starts a server (no persistence) and waits until it answers PING.
    pub fn start() -> Self {
        let mut server = Self { child: None, port: free_port(), dir: tempfile::tempdir().expect("temp dir") };
        server.spawn();
        server
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (scripts/test installs it)");
        self.child = Some(child);
        // Readiness of another process can only be observed by asking it.
        let deadline = Instant::now() + Duration::from_secs(10);
        let client = redis::Client::open(self.url()).expect("url");
        while Instant::now() < deadline {
            if let Ok(mut c) = client.get_connection() {
                if redis::cmd("PING").query::<String>(&mut c).is_ok() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server on port {} did not start", self.port);
    }

    /// `redis://127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// A plain synchronous connection, for checking what is in Redis.
    pub fn conn(&self) -> redis::Connection {
        redis::Client::open(self.url()).and_then(|c| c.get_connection()).expect("redis connection")
    }

    /// SIGKILLs the server.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port (empty: no persistence).
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A Redis link with short timeouts, as the tests use it.
pub fn link(url: &str) -> mystocks::redis_link::RedisLink {
    mystocks::redis_link::RedisLink::new(&mystocks::config::RedisConfig {
        url: url.into(),
        max_connections: 8,
        socket_timeout: Duration::from_secs(1),
        connect_timeout: Duration::from_secs(1),
        enable_cache: true,
        enable_pubsub: true,
        enable_lock: true,
        tls_ca_cert: None,
    })
    .expect("link")
}

/// The `mystocks` binary under test: this build's, or `MYSTOCKS_TEST_BIN` (to check
/// that a test fails on an older build).
pub fn bin() -> String {
    std::env::var("MYSTOCKS_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mystocks").to_string())
}

/// Runs the real `mystocks` binary in `dir` with `DATABASE_URL` = `db` and the given
/// extra variables (no Redis unless one of them names it).
pub fn mystocks(dir: &std::path::Path, db: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(dir).env("DATABASE_URL", db).env_remove("TIMESERIES_URL");
    for k in ["REDIS_URL", "REDIS_HOST", "REDIS_TLS_CA_CERT", "RUST_LOG"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("mystocks runs")
}

/// Standard output as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `mystocks` and parses its standard output as one JSON document; it must succeed.
pub fn json_of(dir: &std::path::Path, db: &str, env: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
    let o = mystocks(dir, db, env, args);
    assert!(o.status.success(), "mystocks {args:?} failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("mystocks {args:?}: not JSON ({e}): {}", stdout(&o)))
}

/// What a coordinator puts in Redis for a task of `symbols` (its hash, registry entry
/// and queue, and its lock while it is alive), written by hand so that a test controls
/// each part.
pub fn open_task_by_hand(redis: &RedisServer, task: &str, symbols: &[&str], coordinator_alive: bool) {
    let mut c = redis.conn();
    let now = chrono::Utc::now().timestamp_millis();
    let mut pipe = redis::pipe();
    if coordinator_alive {
        pipe.cmd("SET").arg(format!("mystocks:lock:batch:{task}")).arg("tok").arg("PX").arg(60_000).ignore();
    }
    pipe.hset_multiple(
        format!("mystocks:task:{task}"),
        &[
            ("status", "running".to_string()),
            ("queue", "1".to_string()),
            ("total", symbols.len().to_string()),
            ("processed", "0".to_string()),
            ("failed", "0".to_string()),
            ("last_reported", "0".to_string()),
            ("started_ms", now.to_string()),
        ],
    )
    .ignore();
    let queue = format!("mystocks:jobs:daily:queue:{task}");
    pipe.cmd("XGROUP").arg("CREATE").arg(&queue).arg("workers").arg("0").arg("MKSTREAM").ignore();
    for s in symbols {
        pipe.cmd("XADD").arg(&queue).arg("*").arg("symbol").arg(*s).arg("until").arg("").ignore();
    }
    pipe.zadd("mystocks:jobs:daily:tasks", task, now).ignore();
    pipe.query::<()>(&mut c).unwrap();
}
