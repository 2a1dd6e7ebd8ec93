//! `mystocks bench ws`: the load tool of the WebSocket gateway (`/ws/events`).
//!
//! By default each scenario gets its own server: a temporary directory, `mystocks
//! demo-data` there, `mystocks serve` on a free port (the environment passed through, so
//! `REDIS_URL` selects Redis), killed at the end; `--url` targets a running server.
//!
//! Price events are published through `POST /api/market/quotes` and told apart by a
//! sequence number carried as the quote's volume; the time just before each POST is kept
//! per number, so each (event, client) pair gives one latency sample, and each client's
//! stream is checked for missing, duplicated and out-of-order events. A wrong answer
//! makes the command fail after the report is printed.

use std::fmt::Write as _;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context};
use futures::{SinkExt, StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

type Ws = WebSocketStream<TcpStream>;

/// The channel the price scenarios subscribe to.
const MARKET: &str = "events:market";
/// Connections opened at once.
const CONNECT_CONCURRENCY: usize = 200;

/// The scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// Publish -> client latency with every client reading.
    Latency,
    /// The same with some clients never reading.
    Isolation,
    /// Rising event rates: messages delivered per second and p99.
    Fanout,
    /// Server RSS per idle connection.
    Memory,
    /// The daily job's wall time without and with subscribed clients.
    Daily,
}

/// Arguments of `mystocks bench ws`.
#[derive(Debug, clap::Args)]
pub struct WsArgs {
    /// Scenarios to run, comma-separated (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub scenarios: Vec<Scenario>,
    /// A running server (http://host:port) instead of one started per scenario.
    #[arg(long)]
    pub url: Option<String>,
    /// With --url: the server's pid, for the memory figure (skipped without it).
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Clients subscribed to events:market in latency, isolation and fanout.
    #[arg(long, default_value_t = 1_000)]
    pub clients: usize,
    /// Events per second in latency.
    #[arg(long, default_value_t = 100)]
    pub rate: u32,
    /// Seconds of publishing in latency.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Of the clients, how many never read in isolation (4 KiB receive buffer).
    #[arg(long, default_value_t = 100)]
    pub slow: usize,
    /// Events per second in isolation.
    #[arg(long, default_value_t = 100)]
    pub isolation_rate: u32,
    /// Seconds of publishing in isolation, measured (the slow clients lag, then are cut).
    #[arg(long, default_value_t = 10.0)]
    pub isolation_seconds: f64,
    /// Events per second of isolation's first step, which makes the slow clients lag:
    /// the kernel buffers up to 4 MiB (tcp_wmem) per socket before the server's queue fills.
    #[arg(long, default_value_t = 2_000)]
    pub isolation_fill_rate: u32,
    /// Seconds of that first step (not part of the figure).
    #[arg(long, default_value_t = 30.0)]
    pub isolation_fill_seconds: f64,
    /// Event rates of the fan-out steps.
    #[arg(long, value_delimiter = ',', default_value = "100,250,500,1000,2000")]
    pub fanout_rates: Vec<u32>,
    /// Seconds of publishing per fan-out step.
    #[arg(long, default_value_t = 5.0)]
    pub fanout_seconds: f64,
    /// Idle connections in memory.
    #[arg(long, default_value_t = 10_000)]
    pub idle: usize,
    /// Symbols in the daily scenario's market.
    #[arg(long, default_value_t = 5_000)]
    pub daily_symbols: usize,
    /// Clients on events:tasks,events:indicators during the daily job.
    #[arg(long, default_value_t = 100)]
    pub daily_clients: usize,
    /// Runs of each daily variant (after one warm-up run); the median is reported.
    #[arg(long, default_value_t = 5)]
    pub daily_runs: usize,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A `mystocks serve` child in its own directory, or a server given by `--url`.
struct Server {
    addr: SocketAddr,
    pid: Option<u32>,
    child: Option<tokio::process::Child>,
    dir: Option<PathBuf>,
}

impl Server {
    async fn start(args: &WsArgs, symbols: usize, tag: &str) -> anyhow::Result<Self> {
        if let Some(url) = &args.url {
            let host = url.trim_start_matches("http://").trim_end_matches('/');
            let addr = tokio::net::lookup_host(host)
                .await
                .with_context(|| format!("--url {url}"))?
                .next()
                .ok_or_else(|| anyhow!("--url {url}: no address"))?;
            return Ok(Self { addr, pid: args.server_pid, child: None, dir: None });
        }
        let dir = std::env::temp_dir().join(format!("mystocks-bench-ws-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut server = Self { addr: SocketAddr::from(([127, 0, 0, 1], 0)), pid: None, child: None, dir: Some(dir) };
        let dir = server.dir.clone().unwrap_or_default();
        let exe = std::env::current_exe().context("locating mystocks")?;
        let db = format!("sqlite://{}/bench.db", dir.display());
        let log = |name: &str| std::fs::File::create(dir.join(name)).with_context(|| format!("creating {name}"));
        let status = tokio::process::Command::new(&exe)
            .args(["demo-data", "--symbols", &symbols.to_string()])
            .env("DATABASE_URL", &db)
            .stdout(std::process::Stdio::null())
            .stderr(log("demo-data.log")?)
            .status()
            .await
            .context("running demo-data")?;
        ensure!(status.success(), "demo-data failed; see {}", dir.join("demo-data.log").display());
        let mut child = tokio::process::Command::new(&exe)
            .arg("serve")
            .env("DATABASE_URL", &db)
            .env("MYSTOCKS_BIND", "127.0.0.1:0")
            .stdout(std::process::Stdio::piped())
            .stderr(log("serve.log")?)
            .kill_on_drop(true)
            .spawn()
            .context("starting mystocks serve")?;
        server.pid = child.id();
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("serve: no stdout"))?;
        server.child = Some(child);
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .context("serve did not start in 60 s")??
            .unwrap_or_default();
        server.addr = first
            .strip_prefix("listening on http://")
            .and_then(|a| a.trim().parse().ok())
            .ok_or_else(|| anyhow!("serve did not start: {first:?}; see {}", dir.join("serve.log").display()))?;
        // Keep reading its stdout (it prints `stopped` at the end) so it never blocks.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(server)
    }

    async fn stop(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.start_kill();
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A minimal HTTP/1.1 client on one keep-alive connection (answers with Content-Length).
struct Http {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
}

impl Http {
    fn new(addr: SocketAddr) -> Self {
        Self { addr, conn: None }
    }

    /// Sends a request and returns the answer's JSON; a non-2xx status is an error.
    async fn json(&mut self, method: &str, path: &str, body: Option<&str>) -> anyhow::Result<Value> {
        let answer = tokio::time::timeout(Duration::from_secs(60), self.exchange(method, path, body)).await;
        let (status, text) = match answer {
            Ok(Ok(a)) => a,
            Ok(Err(e)) => {
                self.conn = None;
                return Err(e.context(format!("{method} {path}")));
            }
            Err(_) => {
                self.conn = None;
                bail!("{method} {path}: no answer in 60 s");
            }
        };
        ensure!((200..300).contains(&status), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).with_context(|| format!("{method} {path}: the answer is not JSON"))
    }

    async fn exchange(&mut self, method: &str, path: &str, body: Option<&str>) -> anyhow::Result<(u16, String)> {
        if self.conn.is_none() {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            self.conn = Some(BufReader::new(stream));
        }
        let conn = self.conn.as_mut().ok_or_else(|| anyhow!("no connection"))?;
        let body = body.unwrap_or("");
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        request.push_str(body);
        conn.get_mut().write_all(request.as_bytes()).await?;
        let mut line = String::new();
        conn.read_line(&mut line).await?;
        let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok());
        let status: u16 = status.ok_or_else(|| anyhow!("bad status line {line:?}"))?;
        let (mut length, mut close) = (None, false);
        loop {
            line.clear();
            ensure!(conn.read_line(&mut line).await? > 0, "connection closed in the headers");
            let Some((key, value)) = line.trim_end().split_once(':') else { break };
            let value = value.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = Some(value.parse::<usize>().context("Content-Length")?),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "transfer-encoding" => bail!("chunked answers are not read"),
                _ => {}
            }
        }
        let length = length.ok_or_else(|| anyhow!("answer without Content-Length"))?;
        ensure!(length <= 64 << 20, "answer of {length} bytes");
        let mut buf = vec![0; length];
        conn.read_exact(&mut buf).await?;
        if close {
            self.conn = None;
        }
        Ok((status, String::from_utf8(buf).context("answer not UTF-8")?))
    }
}

/// Opens a WebSocket on `/ws/events?{query}` and reads its `connected` message.
async fn connect(addr: SocketAddr, query: &str, small_recv_buffer: bool) -> anyhow::Result<Ws> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    if small_recv_buffer {
        socket.set_recv_buffer_size(4096)?;
    }
    let tcp = socket.connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
    tcp.set_nodelay(true)?;
    let config = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
    let url = format!("ws://{addr}/ws/events?{query}");
    let (mut ws, _) =
        tokio_tungstenite::client_async_with_config(url, tcp, Some(config)).await.context("WebSocket handshake")?;
    let first = tokio::time::timeout(Duration::from_secs(30), ws.next()).await.context("no `connected` in 30 s")?;
    match first {
        Some(Ok(Message::Text(t))) if t.contains("\"connected\"") => Ok(ws),
        other => bail!("expected `connected`, got {other:?}"),
    }
}

async fn connect_many(addr: SocketAddr, n: usize, query: &str, small: bool) -> anyhow::Result<Vec<Ws>> {
    futures::stream::iter(0..n)
        .map(|_| connect(addr, query, small))
        .buffer_unordered(CONNECT_CONCURRENCY)
        .try_collect()
        .await
}

/// When each sequence number was published (ns after `epoch`, plus one; 0 = not yet).
struct SentAt {
    epoch: Instant,
    ns: Vec<AtomicU64>,
}

impl SentAt {
    fn new(capacity: usize) -> Self {
        Self { epoch: Instant::now(), ns: (0..capacity).map(|_| AtomicU64::new(0)).collect() }
    }
    fn now(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }
    fn get(&self, seq: usize) -> Option<u64> {
        self.ns.get(seq).map(|t| t.load(Ordering::Acquire)).filter(|&t| t > 0).map(|t| t - 1)
    }
}

/// Publishes quotes of distinct symbols; each quote's volume is its sequence number.
struct Publisher {
    http: Http,
    symbols: Vec<String>,
    sent_at: Arc<SentAt>,
    next_seq: usize,
    posts: i64,
    ts_base_ms: i64,
}

/// One publishing step.
struct Published {
    first: usize,
    count: usize,
    per_post: usize,
    seconds: f64,
    http_us: Vec<u32>,
}

impl Publisher {
    /// `rate` events/s for `seconds`: a POST every 10 ms (less often below 100/s),
    /// with as many quotes (one per symbol) as the rate needs.
    async fn publish(&mut self, rate: u32, seconds: f64) -> anyhow::Result<Published> {
        let per_post = rate.div_ceil(100).max(1) as usize;
        ensure!(per_post <= self.symbols.len(), "{rate} events/s needs {per_post} symbols");
        let posts_per_second = f64::from(rate.max(1)) / per_post as f64;
        let posts = (seconds * posts_per_second).round().max(1.0) as usize;
        let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / posts_per_second));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let (first, started) = (self.next_seq, Instant::now());
        let mut http_us = Vec::with_capacity(posts);
        for _ in 0..posts {
            tick.tick().await;
            ensure!(self.next_seq + per_post <= self.sent_at.ns.len(), "sequence numbers exhausted");
            // One ms per POST: quote times stay behind the clock, so a later run's are newer.
            let ts = (self.ts_base_ms + self.posts) as f64 / 1000.0;
            let mut body = String::from("[");
            for (i, symbol) in self.symbols[..per_post].iter().enumerate() {
                let seq = self.next_seq + i;
                let price = 10.0 + (seq % 1000) as f64 / 100.0;
                let sep = if i > 0 { "," } else { "" };
                write!(body, r#"{sep}{{"symbol":"{symbol}","price":{price},"volume":{seq},"ts":{ts:.3}}}"#)?;
            }
            body.push(']');
            let sent = self.sent_at.now() + 1;
            for seq in self.next_seq..self.next_seq + per_post {
                self.sent_at.ns[seq].store(sent, Ordering::Release);
            }
            let t = Instant::now();
            let answer = self.http.json("POST", "/api/market/quotes", Some(&body)).await?;
            http_us.push(t.elapsed().as_micros() as u32);
            ensure!(answer["stored"].as_u64() == Some(per_post as u64), "quotes not all stored: {answer}");
            self.next_seq += per_post;
            self.posts += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        Ok(Published { first, count: self.next_seq - first, per_post, seconds, http_us })
    }
}

/// What one reading client saw.
#[derive(Default)]
struct Seen {
    /// (sequence number, latency in µs).
    samples: Vec<(u32, u32)>,
    bits: Vec<u64>,
    /// The highest sequence number per symbol, and overall.
    last: std::collections::HashMap<String, u32>,
    last_any: Option<u32>,
    duplicated: u64,
    out_of_order: u64,
    reordered_across_symbols: u64,
    unexpected: u64,
    /// Set when the connection ended before the tool stopped it.
    ended: Option<String>,
}

impl Seen {
    fn record(&mut self, symbol: &str, seq: u32, latency_us: u32) {
        let (word, bit) = (seq as usize / 64, seq % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        if (self.bits[word] >> bit) & 1 == 1 {
            self.duplicated += 1;
            return;
        }
        self.bits[word] |= 1 << bit;
        match self.last.get_mut(symbol) {
            Some(last) if seq < *last => self.out_of_order += 1,
            Some(last) => *last = seq,
            None => {
                self.last.insert(symbol.to_string(), seq);
            }
        }
        if self.last_any.is_some_and(|last| seq < last) {
            self.reordered_across_symbols += 1;
        }
        self.last_any = Some(self.last_any.map_or(seq, |last| last.max(seq)));
        self.samples.push((seq, latency_us));
    }
}

/// The symbol and sequence number (the volume) of a `price.update`, without a full
/// JSON parse.
fn price_seq(text: &str) -> Option<(&str, u32)> {
    if !text.contains(r#""event_type":"price.update""#) {
        return None;
    }
    let field = |name: &str| -> Option<&str> {
        let rest = &text[text.find(name)? + name.len()..];
        Some(&rest[..rest.find([',', '}'])?])
    };
    let symbol = field(r#""symbol":"#)?.trim_matches('"');
    let value: f64 = field(r#""volume":"#)?.parse().ok()?;
    (value >= 0.0 && value < f64::from(u32::MAX) && value.fract() == 0.0).then_some((symbol, value as u32))
}

fn ending(message: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>) -> String {
    match message {
        Some(Ok(Message::Close(Some(f)))) => format!("close {} {}", u16::from(f.code), f.reason),
        Some(Ok(Message::Close(None))) => "close without code".into(),
        Some(Err(e)) => format!("error: {e}"),
        None => "end of stream".into(),
        Some(Ok(other)) => format!("unexpected {other:?}"),
    }
}

/// Reads price events until `stop`, sending a heartbeat every 20 s (the idle timeout).
async fn read_prices(
    mut ws: Ws,
    sent_at: Arc<SentAt>,
    delivered: Arc<AtomicU64>,
    mut stop: watch::Receiver<bool>,
) -> Seen {
    let mut seen = Seen::default();
    let mut beat =
        tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(20), Duration::from_secs(20));
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = beat.tick() => {
                if ws.send(Message::text(r#"{"type":"heartbeat"}"#)).await.is_err() {
                    seen.ended = Some("heartbeat not sent".into());
                    break;
                }
            }
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let now = sent_at.now();
                    let Some((symbol, seq)) = price_seq(&text) else { continue };
                    match sent_at.get(seq as usize) {
                        Some(t) => seen.record(symbol, seq, (now.saturating_sub(t) / 1000) as u32),
                        None => seen.unexpected += 1,
                    }
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_))) => {}
                other => {
                    seen.ended = Some(ending(other));
                    break;
                }
            }
        }
    }
    seen
}

/// How a client that never read ended, read at the end.
#[derive(Debug, Default, Serialize)]
pub struct SlowEnd {
    /// Clients whose last message was `{"type":"error","code":"slow_consumer",...}`.
    pub slow_consumer_message: usize,
    /// Clients closed with 1008 `slow consumer`.
    pub closed_1008: usize,
    /// Every way they ended, counted.
    pub endings: std::collections::BTreeMap<String, usize>,
}

async fn finish_slow(mut ws: Ws) -> (bool, String) {
    let mut notice = false;
    let end = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => notice = t.contains(r#""code":"slow_consumer""#),
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_))) => {}
                other => return ending(other),
            }
        }
    })
    .await;
    (notice, end.unwrap_or_else(|_| "still open after 20 s of reading".into()))
}

/// Latency percentiles in ms.
#[derive(Debug, Default, Serialize)]
pub struct Percentiles {
    /// Samples.
    pub samples: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

fn percentiles(mut us: Vec<u32>) -> Percentiles {
    if us.is_empty() {
        return Percentiles::default();
    }
    us.sort_unstable();
    let at = |q: f64| f64::from(us[((us.len() - 1) as f64 * q).round() as usize]) / 1000.0;
    Percentiles { samples: us.len(), p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1.0) }
}

/// One publishing step's figures.
#[derive(Debug, Serialize)]
pub struct Step {
    /// Events per second asked for.
    pub rate: u32,
    /// Quotes (events) per POST.
    pub quotes_per_post: usize,
    /// Events published.
    pub events: usize,
    /// Events per second achieved by the publisher.
    pub achieved_rate: f64,
    /// Messages received by all clients during the step, per second (from the step's
    /// start to its last delivery, at most 10 s after publishing ended).
    pub delivered_per_second: f64,
    /// Publish -> client latency over every (event, client) pair received.
    pub latency: Percentiles,
    /// The HTTP publish round trip alone.
    pub http_publish: Percentiles,
}

/// The figures of latency, isolation or fanout.
#[derive(Debug, Serialize)]
pub struct StreamReport {
    /// Clients that read.
    pub reading_clients: usize,
    /// Clients that never read.
    pub slow_clients: usize,
    /// The steps.
    pub steps: Vec<Step>,
    /// Events the reading clients missed, in total.
    pub missing: u64,
    /// Events received twice.
    pub duplicated: u64,
    /// Events received after a later one of the same symbol.
    pub out_of_order: u64,
    /// Events received after a later one of another symbol (allowed once a lagging
    /// client's ticks are conflated per symbol; wrong otherwise).
    pub reordered_across_symbols: u64,
    /// Events with a sequence number never published.
    pub unexpected: u64,
    /// Reading clients the server closed, with how.
    pub reading_clients_closed: std::collections::BTreeMap<String, usize>,
    /// How the slow clients ended.
    pub slow: Option<SlowEnd>,
    /// `GET /ws/stats` counters, after minus before.
    pub slow_consumers_closed: u64,
    /// Same: `messages_dropped`.
    pub messages_dropped: u64,
}

fn counter(stats: &Value, key: &str) -> u64 {
    stats[key].as_u64().unwrap_or(0)
}

/// Runs the publishing steps with `clients` subscribed to events:market, `slow` of them
/// never reading until the end.
async fn stream(server: &Server, clients: usize, slow: usize, steps: &[(u32, f64)]) -> anyhow::Result<StreamReport> {
    let mut http = Http::new(server.addr);
    let per_post = steps.iter().map(|s| s.0.div_ceil(100).max(1)).max().unwrap_or(1);
    let stocks = http.json("GET", &format!("/api/stocks?limit={per_post}"), None).await?;
    let symbols: Vec<String> = stocks["stocks"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["code"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let capacity: usize = steps.iter().map(|&(r, s)| (f64::from(r) * s * 1.1) as usize + 2 * per_post as usize).sum();
    let sent_at = Arc::new(SentAt::new(capacity));
    let delivered = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let query = format!("channels={MARKET}");
    let readers = connect_many(server.addr, clients - slow, &query, false).await?;
    let readers: Vec<_> = readers
        .into_iter()
        .map(|ws| tokio::spawn(read_prices(ws, sent_at.clone(), delivered.clone(), stop_rx.clone())))
        .collect();
    let slow_ws = connect_many(server.addr, slow, &query, true).await?;
    let before = http.json("GET", "/ws/stats", None).await?;
    let mut publisher = Publisher {
        http: Http::new(server.addr),
        symbols,
        sent_at: sent_at.clone(),
        next_seq: 0,
        posts: 0,
        ts_base_ms: chrono::Utc::now().timestamp_millis(),
    };
    let healthy = (clients - slow) as u64;
    let mut published = Vec::new();
    let mut step_windows = Vec::new();
    for &(rate, seconds) in steps {
        let (start, count_before) = (Instant::now(), delivered.load(Ordering::Relaxed));
        let p = publisher.publish(rate, seconds).await?;
        let want = healthy * publisher.next_seq as u64;
        let deadline = Instant::now() + Duration::from_secs(10);
        while delivered.load(Ordering::Relaxed) < want && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        step_windows.push((delivered.load(Ordering::Relaxed) - count_before, start.elapsed().as_secs_f64()));
        published.push(p);
    }
    let total = publisher.next_seq;
    let _ = stop_tx.send(true);
    let mut seen = Vec::with_capacity(readers.len());
    for r in readers {
        seen.push(r.await.context("a client task failed")?);
    }
    let slow_end = if slow > 0 {
        // The sweep (every 30 s by default) cuts a client that lags with only ticks queued.
        let deadline = Instant::now() + Duration::from_secs(40);
        while Instant::now() < deadline {
            let now = http.json("GET", "/ws/stats", None).await?;
            if counter(&now, "slow_consumers_closed") >= counter(&before, "slow_consumers_closed") + slow as u64 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let mut end = SlowEnd::default();
        for (notice, how) in futures::future::join_all(slow_ws.into_iter().map(finish_slow)).await {
            end.slow_consumer_message += usize::from(notice);
            end.closed_1008 += usize::from(how == "close 1008 slow consumer");
            *end.endings.entry(how).or_default() += 1;
        }
        Some(end)
    } else {
        None
    };
    let after = http.json("GET", "/ws/stats", None).await?;
    let mut report = StreamReport {
        reading_clients: clients - slow,
        slow_clients: slow,
        steps: Vec::new(),
        missing: 0,
        duplicated: 0,
        out_of_order: 0,
        reordered_across_symbols: 0,
        unexpected: 0,
        reading_clients_closed: Default::default(),
        slow: slow_end,
        slow_consumers_closed: counter(&after, "slow_consumers_closed") - counter(&before, "slow_consumers_closed"),
        messages_dropped: counter(&after, "messages_dropped") - counter(&before, "messages_dropped"),
    };
    let mut per_step: Vec<Vec<u32>> = vec![Vec::new(); published.len()];
    for s in &seen {
        report.missing += (total - s.samples.len()) as u64;
        report.duplicated += s.duplicated;
        report.out_of_order += s.out_of_order;
        report.reordered_across_symbols += s.reordered_across_symbols;
        report.unexpected += s.unexpected;
        if let Some(how) = &s.ended {
            *report.reading_clients_closed.entry(how.clone()).or_default() += 1;
        }
        for &(seq, us) in &s.samples {
            if let Some(i) = published.iter().position(|p| (p.first..p.first + p.count).contains(&(seq as usize))) {
                per_step[i].push(us);
            }
        }
    }
    drop(seen);
    for ((p, (got, secs)), (lat, &(rate, _))) in
        published.into_iter().zip(step_windows).zip(per_step.into_iter().zip(steps))
    {
        report.steps.push(Step {
            rate,
            quotes_per_post: p.per_post,
            events: p.count,
            achieved_rate: p.count as f64 / p.seconds,
            delivered_per_second: got as f64 / secs,
            latency: percentiles(lat),
            http_publish: percentiles(p.http_us),
        });
    }
    Ok(report)
}

/// Server memory per idle connection.
#[derive(Debug, Serialize)]
pub struct MemoryReport {
    /// Idle connections opened (default channels).
    pub connections: usize,
    /// `connections` in `GET /ws/stats` with them open.
    pub stats_connections: u64,
    /// Server VmRSS before, KiB.
    pub rss_before_kib: u64,
    /// With the connections open (after a 3 s settle), KiB.
    pub rss_open_kib: u64,
    /// 3 s after closing them, KiB.
    pub rss_closed_kib: u64,
    /// (open - before) / connections.
    pub bytes_per_connection: f64,
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("pid {pid}"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).ok_or_else(|| anyhow!("no VmRSS for {pid}"))?;
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).ok_or_else(|| anyhow!("bad line {line}"))
}

async fn memory(server: &Server, n: usize) -> anyhow::Result<MemoryReport> {
    let pid = server.pid.ok_or_else(|| anyhow!("no server pid"))?;
    let mut http = Http::new(server.addr);
    http.json("GET", "/ws/stats", None).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_before_kib = rss_kib(pid)?;
    let open = connect_many(server.addr, n, "channels=events:tasks,events:system", false).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_open_kib = rss_kib(pid)?;
    let stats_connections = counter(&http.json("GET", "/ws/stats", None).await?, "connections");
    drop(open);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_closed_kib = rss_kib(pid)?;
    let bytes_per_connection = (rss_open_kib as f64 - rss_before_kib as f64) * 1024.0 / n as f64;
    Ok(MemoryReport {
        connections: n,
        stats_connections,
        rss_before_kib,
        rss_open_kib,
        rss_closed_kib,
        bytes_per_connection,
    })
}

/// The daily job without and with subscribed clients.
#[derive(Debug, Serialize)]
pub struct DailyReport {
    /// Symbols in the job.
    pub symbols: usize,
    /// Clients in the second variant.
    pub clients: usize,
    /// The warm-up run (not counted), s.
    pub warm_up_seconds: f64,
    /// Wall time POST -> record `completed` (polled every 20 ms), no clients, s.
    pub without_clients_seconds: Vec<f64>,
    /// The same with the clients.
    pub with_clients_seconds: Vec<f64>,
    /// `duration_seconds` of `task.completed` as the clients got it.
    pub with_clients_task_duration_seconds: Vec<f64>,
    /// Median with / median without.
    pub ratio: f64,
    /// Clients that did not get exactly one `task.completed` and every symbol's
    /// `stock.indicators.completed`.
    pub clients_wrong: usize,
}

async fn run_job(http: &mut Http, symbols: usize) -> anyhow::Result<(String, f64)> {
    let started = Instant::now();
    let answer = http.json("POST", "/api/jobs/daily", Some("{}")).await?;
    let id = answer["task_id"].as_str().ok_or_else(|| anyhow!("no task_id in {answer}"))?.to_string();
    loop {
        let task = http.json("GET", &format!("/api/jobs/{id}"), None).await?;
        match task["status"].as_str().unwrap_or_default() {
            "completed" => {
                let seconds = started.elapsed().as_secs_f64();
                ensure!(task["processed"] == json!(symbols) && task["failed"] == json!(0), "daily job: {task}");
                return Ok((id, seconds));
            }
            "failed" | "interrupted" => bail!("daily job {id}: {task}"),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Per client: `stock.indicators.completed` count, `task.completed` messages (text).
async fn read_daily(mut ws: Ws, mut stop: watch::Receiver<bool>) -> (u64, Vec<String>, Option<String>) {
    let (mut indicators, mut completed) = (0, Vec::new());
    loop {
        tokio::select! {
            _ = stop.changed() => return (indicators, completed, None),
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    if text.contains(r#""event_type":"stock.indicators.completed""#) {
                        indicators += 1;
                    } else if text.contains(r#""event_type":"task.completed""#) {
                        completed.push(text.to_string());
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_))) => {}
                other => return (indicators, completed, Some(ending(other))),
            }
        }
    }
}

async fn daily(server: &Server, args: &WsArgs) -> anyhow::Result<DailyReport> {
    let mut http = Http::new(server.addr);
    let symbols = args.daily_symbols;
    let (_, warm_up_seconds) = run_job(&mut http, symbols).await?;
    let (mut without, mut with, mut durations, mut clients_wrong) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for _ in 0..args.daily_runs.max(1) {
        without.push(run_job(&mut http, symbols).await?.1);
        let (stop_tx, stop_rx) = watch::channel(false);
        let clients =
            connect_many(server.addr, args.daily_clients, "channels=events:tasks,events:indicators", false).await?;
        let tasks: Vec<_> = clients.into_iter().map(|ws| tokio::spawn(read_daily(ws, stop_rx.clone()))).collect();
        let (id, seconds) = run_job(&mut http, symbols).await?;
        with.push(seconds);
        // Let the last events reach every client.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let _ = stop_tx.send(true);
        let mut duration = None;
        for t in tasks {
            let (indicators, completed, ended) = t.await.context("a client task failed")?;
            let mine: Vec<Value> = completed
                .iter()
                .filter_map(|c| serde_json::from_str::<Value>(c).ok())
                .filter(|v| v["task_id"] == json!(id))
                .collect();
            if mine.len() != 1 || completed.len() != 1 || indicators != symbols as u64 || ended.is_some() {
                clients_wrong += 1;
            }
            duration = duration.or_else(|| mine.first().and_then(|v| v["duration_seconds"].as_f64()));
        }
        durations.push(duration.unwrap_or(f64::NAN));
    }
    let ratio = super::median(with.clone()) / super::median(without.clone());
    Ok(DailyReport {
        symbols,
        clients: args.daily_clients,
        warm_up_seconds,
        without_clients_seconds: without,
        with_clients_seconds: with,
        with_clients_task_duration_seconds: durations,
        ratio,
        clients_wrong,
    })
}

/// Everything `mystocks bench ws` reports.
#[derive(Debug, Serialize)]
pub struct WsReport {
    /// `own server, embedded` / `own server, Redis` / the --url.
    pub server: String,
    /// CPUs the tool and the server share (when the server is ours).
    pub cores: usize,
    /// Scenario 1.
    pub latency: Option<StreamReport>,
    /// Scenario 2.
    pub isolation: Option<StreamReport>,
    /// Scenario 3.
    pub fanout: Option<StreamReport>,
    /// Scenario 3's figures: the highest delivered rate with p99 under 5 ms and 50 ms.
    pub fanout_max_delivered_p99_under_5ms: Option<f64>,
    /// Same, under 50 ms.
    pub fanout_max_delivered_p99_under_50ms: Option<f64>,
    /// Scenario 4.
    pub memory: Option<MemoryReport>,
    /// Scenario 5.
    pub daily: Option<DailyReport>,
    /// Wrong answers seen; the command fails when there is one.
    pub failures: Vec<String>,
}

fn check_stream(name: &str, r: &StreamReport, strict: bool, failures: &mut Vec<String>) {
    let mut wrong = vec![("duplicated", r.duplicated), ("out of order", r.out_of_order)];
    if strict {
        let closed = r.reading_clients_closed.values().sum::<usize>() as u64;
        wrong.extend([
            ("missing", r.missing),
            ("reordered across symbols", r.reordered_across_symbols),
            ("unexpected", r.unexpected),
            ("reading clients closed", closed),
        ]);
    }
    for (what, n) in wrong.into_iter().filter(|w| w.1 > 0) {
        failures.push(format!("{name}: {n} events {what}"));
    }
    if let Some(slow) = &r.slow {
        if r.slow_consumers_closed < r.slow_clients as u64 {
            failures.push(format!(
                "{name}: {} of {} slow clients cut (endings {:?})",
                r.slow_consumers_closed, r.slow_clients, slow.endings
            ));
        }
    }
}

/// Runs the scenarios and prints the report; fails if a wrong answer was seen.
pub async fn run(args: &WsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if let Err(e) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::warn!("could not raise the open-files limit: {e}");
    }
    let all = [Scenario::Latency, Scenario::Isolation, Scenario::Fanout, Scenario::Memory, Scenario::Daily];
    let wanted = if args.scenarios.is_empty() { &all[..] } else { &args.scenarios[..] };
    ensure!(args.slow < args.clients, "--slow must be below --clients");
    let server = match &args.url {
        Some(url) => url.clone(),
        None if std::env::var_os("REDIS_URL").is_some() => "own server, Redis".into(),
        None => "own server, embedded".into(),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut report = WsReport {
        server,
        cores,
        latency: None,
        isolation: None,
        fanout: None,
        fanout_max_delivered_p99_under_5ms: None,
        fanout_max_delivered_p99_under_50ms: None,
        memory: None,
        daily: None,
        failures: Vec::new(),
    };
    let strict = args.url.is_none();
    for &scenario in wanted {
        let symbols = match scenario {
            Scenario::Daily => args.daily_symbols,
            Scenario::Fanout => args.fanout_rates.iter().map(|r| r.div_ceil(100)).max().unwrap_or(1).max(10) as usize,
            Scenario::Isolation => args.isolation_fill_rate.div_ceil(100).max(10) as usize,
            _ => 10,
        };
        let name = format!("{scenario:?}").to_lowercase();
        eprintln!("bench ws: {name}...");
        let server = Server::start(args, symbols, &name).await?;
        match scenario {
            Scenario::Latency => {
                let r = stream(&server, args.clients, 0, &[(args.rate, args.seconds)]).await?;
                check_stream(&name, &r, strict, &mut report.failures);
                report.latency = Some(r);
            }
            Scenario::Isolation => {
                let steps = [
                    (args.isolation_fill_rate, args.isolation_fill_seconds),
                    (args.isolation_rate, args.isolation_seconds),
                ];
                let r = stream(&server, args.clients, args.slow, &steps).await?;
                check_stream(&name, &r, strict, &mut report.failures);
                report.isolation = Some(r);
            }
            Scenario::Fanout => {
                let steps: Vec<(u32, f64)> = args.fanout_rates.iter().map(|&r| (r, args.fanout_seconds)).collect();
                let r = stream(&server, args.clients, 0, &steps).await?;
                check_stream(&name, &r, false, &mut report.failures);
                let best = |ms: f64| {
                    r.steps
                        .iter()
                        .filter(|s| s.latency.samples > 0 && s.latency.p99_ms < ms)
                        .map(|s| s.delivered_per_second)
                        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))))
                };
                report.fanout_max_delivered_p99_under_5ms = best(5.0);
                report.fanout_max_delivered_p99_under_50ms = best(50.0);
                report.fanout = Some(r);
            }
            Scenario::Memory if server.pid.is_none() => eprintln!("bench ws: memory skipped (no --server-pid)"),
            Scenario::Memory => {
                let r = memory(&server, args.idle).await?;
                if r.stats_connections != args.idle as u64 && strict {
                    report.failures.push(format!("memory: /ws/stats counted {} connections", r.stats_connections));
                }
                report.memory = Some(r);
            }
            Scenario::Daily => {
                let r = daily(&server, args).await?;
                if r.clients_wrong > 0 {
                    report.failures.push(format!("daily: {} clients did not get every event once", r.clients_wrong));
                }
                report.daily = Some(r);
            }
        }
        server.stop().await;
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        print_table(&report, out)?;
    }
    ensure!(report.failures.is_empty(), "wrong answers: {}", report.failures.join("; "));
    Ok(())
}

fn print_table(r: &WsReport, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "server: {}, {} cores", r.server, r.cores)?;
    for (name, s) in [("latency", &r.latency), ("isolation", &r.isolation), ("fanout", &r.fanout)] {
        let Some(s) = s else { continue };
        writeln!(out, "{name}: {} reading clients, {} never reading, on {MARKET}", s.reading_clients, s.slow_clients)?;
        for st in &s.steps {
            writeln!(
                out,
                "  {:>5} ev/s ({:>2}/POST, got {:>6.0}): delivered {:>9.0} msg/s  p50 {:>7.2} ms  p99 {:>7.2} ms  \
                 max {:>7.2} ms  | HTTP publish p50 {:.2} ms p99 {:.2} ms",
                st.rate,
                st.quotes_per_post,
                st.achieved_rate,
                st.delivered_per_second,
                st.latency.p50_ms,
                st.latency.p99_ms,
                st.latency.max_ms,
                st.http_publish.p50_ms,
                st.http_publish.p99_ms
            )?;
        }
        writeln!(
            out,
            "  missing {}, duplicated {}, out of order {} (across symbols {}), unexpected {}, reading clients \
             closed {:?}",
            s.missing, s.duplicated, s.out_of_order, s.reordered_across_symbols, s.unexpected, s.reading_clients_closed
        )?;
        if let Some(slow) = &s.slow {
            writeln!(
                out,
                "  slow: {} cut by the server (stats), {} got the slow_consumer message, {} closed 1008; {:?}",
                s.slow_consumers_closed, slow.slow_consumer_message, slow.closed_1008, slow.endings
            )?;
        }
        writeln!(out, "  messages dropped (stats): {}", s.messages_dropped)?;
    }
    let rate = |v: Option<f64>| v.map_or("none".to_string(), |v| format!("{v:.0} msg/s"));
    if r.fanout.is_some() {
        writeln!(
            out,
            "fanout: highest delivered rate with p99 < 5 ms: {}; with p99 < 50 ms: {}",
            rate(r.fanout_max_delivered_p99_under_5ms),
            rate(r.fanout_max_delivered_p99_under_50ms)
        )?;
    }
    if let Some(m) = &r.memory {
        writeln!(
            out,
            "memory: {} idle connections ({} in stats): RSS {} -> {} KiB ({} KiB after closing): {:.0} bytes each",
            m.connections,
            m.stats_connections,
            m.rss_before_kib,
            m.rss_open_kib,
            m.rss_closed_kib,
            m.bytes_per_connection
        )?;
    }
    if let Some(d) = &r.daily {
        writeln!(
            out,
            "daily: {} symbols; without clients {:?} s, with {} clients {:?} s (task.completed {:?}); \
             median ratio {:.3}; clients wrong {}",
            d.symbols,
            d.without_clients_seconds,
            d.clients,
            d.with_clients_seconds,
            d.with_clients_task_duration_seconds,
            d.ratio,
            d.clients_wrong
        )?;
    }
    for f in &r.failures {
        writeln!(out, "FAILED: {f}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_number_is_read_from_the_volume() {
        let text = r#"{"event_type":"price.update","symbol":"000001","price":10.5,"volume":1234.0,"ts":"x","channel":"events:market","event_id":"1-0"}"#;
        assert_eq!(price_seq(text), Some(("000001", 1234)));
        assert_eq!(price_seq(&text.replace("1234.0", "12")), Some(("000001", 12)));
        assert_eq!(price_seq(&text.replace("1234.0", "1.5")), None);
        assert_eq!(price_seq(r#"{"type":"heartbeat_ack"}"#), None);
    }

    #[test]
    fn duplicates_and_reordering_are_counted() {
        let mut seen = Seen::default();
        for (symbol, seq) in [("a", 0), ("a", 1), ("a", 3), ("a", 2), ("a", 3), ("b", 70), ("b", 4)] {
            seen.record(symbol, seq, 5);
        }
        assert_eq!((seen.samples.len(), seen.duplicated, seen.out_of_order), (6, 1, 2));
        assert_eq!(seen.reordered_across_symbols, 2);
    }
}
