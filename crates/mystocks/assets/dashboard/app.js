// The dashboard's script: three panels over the HTTP API (SPEC section 6) and one
// WebSocket to /ws/events (SPEC section 5). No framework; DOM updates are batched per
// animation frame so that a burst of events (hundreds per second) costs one repaint.
"use strict";

const $ = (id) => document.getElementById(id);
const LWC = window.LightweightCharts;
const state = {
  token: sessionStorage.getItem("mystocks.token") || "",
  lastEventId: null, // the last event seen: a reconnect replays from here
  socket: null,
  retry: 0,
  connectedOnce: false,
  tasks: new Map(), // recent tasks' figures, by id
  pinned: null, // the task started from this page
  latest: null, // the task of the latest event
  symbol: null, // the symbol the market panel shows
  catalog: [],
  charts: {},
  feed: [],
  dirty: new Set(),
};

// ---------------------------------------------------------------- HTTP helpers
async function api(path, options = {}) {
  const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
  if (state.token) headers.Authorization = "Bearer " + state.token;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (_) { body = { error: { message: text } }; }
  if (!response.ok) {
    const err = new Error((body && body.error && body.error.message) || response.statusText);
    err.status = response.status;
    throw err;
  }
  return body;
}
const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? "—"
  : Number(n).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const pct = (r) => (r === null || r === undefined ? "—" : (r * 100).toFixed(1) + " %");
function setText(id, text) { const el = $(id); if (el && el.textContent !== String(text)) el.textContent = text; }
function banner(text) { const b = $("banner"); b.hidden = !text; b.textContent = text || ""; }

// ---------------------------------------------------------------- WebSocket
const BASE_CHANNELS = ["events:tasks", "events:system"];
function channels() { return state.symbol ? BASE_CHANNELS.concat("events:market:" + state.symbol) : BASE_CHANNELS; }

function connect() {
  const url = new URL("/ws/events", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("channels", channels().join(","));
  if (state.lastEventId) url.searchParams.set("last_event_id", state.lastEventId);
  if (state.token) url.searchParams.set("token", state.token);
  const ws = new WebSocket(url);
  state.socket = ws;
  let opened = false;
  ws.onopen = () => { opened = true; };
  setConn("connecting", "connecting…");
  ws.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch (_) { return; }
    if (msg.type) control(msg); else onEvent(msg);
  };
  ws.onclose = async (e) => {
    if (state.socket !== ws) return;
    state.socket = null;
    const wait = Math.min(5000, 300 * 2 ** state.retry++);
    $("mode-badge").className = "badge";
    $("mode-badge").textContent = "mode: ?";
    // A refused upgrade looks like any lost connection (1006): ask the same URL over
    // plain HTTP to learn whether the server wants a token.
    if (!opened) {
      const plain = new URL(url); plain.protocol = location.protocol;
      const answer = await fetch(plain).catch(() => null);
      if (answer && answer.status === 401) {
        setConn("auth", "token needed");
        $("token-box").hidden = false;
        banner("Live events need a bearer token (the server has JWT_SECRET set): enter it in the Daily job panel.");
        state.reconnect = setTimeout(connect, 30000);
        return;
      }
    }
    setConn("disconnected", "disconnected");
    banner(`Disconnected from the server (${e.code}${e.reason ? " " + e.reason : ""}); reconnecting in ${(wait / 1000).toFixed(1)} s…`);
    state.reconnect = setTimeout(connect, wait);
  };
}

function control(msg) {
  if (msg.type === "connected") {
    state.retry = 0;
    setConn("connected", "live");
    if (msg.recovered === false) {
      banner(`Reconnected; events from the outage could not be replayed (${msg.reason || "gone"}): figures reloaded from the API.`);
      setTimeout(() => { if (state.socket && state.socket.readyState === 1) banner(""); }, 15000);
      refreshJobs(); refreshSystem();
    } else {
      banner("");
      if (state.connectedOnce) pushFeed("reconnected" + (msg.recovered ? ": missed events replayed" : ""));
    }
    state.connectedOnce = true;
    refreshSystem();
  } else if (msg.type === "error") {
    pushFeed(`error ${msg.code}: ${msg.message}`);
  }
}

function setConn(kind, text) {
  const c = $("conn");
  c.dataset.state = kind;
  c.className = "badge " + (kind === "connected" ? "ok" : kind === "connecting" ? "wait" : "bad");
  c.textContent = text;
}

function send(msg) { if (state.socket && state.socket.readyState === 1) state.socket.send(JSON.stringify(msg)); }
setInterval(() => send({ type: "heartbeat" }), 25000);

function onEvent(ev) {
  if (ev.event_id) state.lastEventId = ev.event_id;
  switch (ev.event_type) {
    case "task.progress": taskProgress(ev); break;
    case "task.completed": taskCompleted(ev); break;
    case "price.update": priceUpdate(ev); break;
    default:
      if (ev.event_type && ev.event_type.startsWith("system.")) { pushFeed(describe(ev)); refreshSystem(); }
  }
}

function describe(ev) {
  const t = (ev.timestamp || "").slice(11, 19);
  switch (ev.event_type) {
    case "task.progress": return `${t} ${ev.task_id} ${ev.progress.toFixed(0)} % ${ev.message || ""}`;
    case "task.completed": return `${t} ${ev.task_id} ${ev.status}: ${ev.result.success} done, ${ev.result.failed} failed in ${ev.duration_seconds.toFixed(2)} s`;
    case "price.update": return `${t} ${ev.symbol} ${ev.price}`;
    default: return `${t} ${ev.event_type} ${ev.component || ""} ${ev.message || ""}`;
  }
}

// ---------------------------------------------------------------- repaint batching
function mark(part) { if (!state.dirty.size) requestAnimationFrame(paint); state.dirty.add(part); }
function pushFeed(text) { state.feed.unshift(text); if (state.feed.length > 40) state.feed.length = 40; mark("feed"); }
function paint() {
  const parts = state.dirty; state.dirty = new Set();
  if (parts.has("feed")) {
    const ol = $("feed");
    ol.replaceChildren(...state.feed.map((t) => { const li = document.createElement("li"); li.textContent = t; return li; }));
  }
  if (parts.has("job")) paintJob();
  if (parts.has("quote")) paintQuote();
}

// ---------------------------------------------------------------- job panel
// Every task seen lately, by id; the panel shows the one started from this page
// (pinned) or else the latest. Events of a task may arrive before the POST that started
// it is answered: they are kept under its id either way.
function track(taskId) {
  let t = state.tasks.get(taskId);
  if (!t) {
    t = { id: taskId, progress: 0, processed: 0, total: 0, failed: 0, firstAt: performance.now(), firstProcessed: 0, done: null };
    state.tasks.set(taskId, t);
    if (state.tasks.size > 20) state.tasks.delete(state.tasks.keys().next().value);
  }
  return t;
}
function shown() { return state.tasks.get(state.pinned || state.latest) || null; }
function taskProgress(ev) {
  const t = track(ev.task_id);
  state.latest = ev.task_id;
  if (t.done) return;
  if (!t.total) { t.firstAt = performance.now(); t.firstProcessed = ev.processed; }
  Object.assign(t, { progress: ev.progress, processed: ev.processed, total: ev.total, failed: ev.failed });
  pushFeed(describe(ev));
  mark("job");
}
function taskCompleted(ev) {
  const t = track(ev.task_id);
  state.latest = ev.task_id;
  t.done = ev;
  t.progress = 100;
  t.processed = ev.result.success + ev.result.failed;
  t.total = t.total || t.processed;
  t.failed = ev.result.failed;
  pushFeed(describe(ev));
  mark("job");
  refreshJobs();
  if (ev.result.failed > 0) {
    api(`/api/jobs/${encodeURIComponent(ev.task_id)}`).then((job) => {
      const failures = (job.result && job.result.failures) || [];
      t.why = failures.slice(0, 5).map((f) => `${f.symbol} (${f.reason})`).join(", ") + (failures.length > 5 ? ", …" : "");
      mark("job");
    }).catch(() => {});
  }
}
function paintJob() {
  const t = shown();
  if (!t) return;
  const p = Math.max(0, Math.min(100, t.progress));
  const bar = $("job-bar");
  bar.style.width = p + "%";
  bar.setAttribute("aria-valuenow", p.toFixed(0));
  bar.classList.toggle("done", !!t.done);
  setText("job-pct", p.toFixed(0) + " %");
  setText("job-task", t.id);
  setText("job-processed", `${fmt(t.processed)} / ${fmt(t.total)}`);
  setText("job-failed", fmt(t.failed));
  const seconds = (performance.now() - t.firstAt) / 1000;
  const rate = seconds > 0.05 ? (t.processed - t.firstProcessed) / seconds : null;
  if (t.done) {
    setText("job-rate", fmt(t.processed / Math.max(t.done.duration_seconds, 1e-3)));
    setText("job-eta", "done");
    const r = t.done.result;
    setText("job-summary", `Job ${t.done.status}: ${fmt(r.success + r.failed)} symbols, ${fmt(r.success)} succeeded, ${fmt(r.failed)} failed, in ${t.done.duration_seconds.toFixed(2)} s.` + (t.why ? ` Failed: ${t.why}.` : ""));
  } else {
    setText("job-rate", rate ? fmt(rate) : "—");
    setText("job-eta", rate ? fmt((t.total - t.processed) / rate, 1) + " s" : "—");
    setText("job-summary", "Running…");
  }
}

async function startJob(e) {
  e.preventDefault();
  const scope = document.querySelector("input[name=scope]:checked").value;
  const body = {};
  if (scope === "list") {
    body.symbols = $("job-symbols").value.split(/[\s,;]+/).filter(Boolean).map((c) => c.toUpperCase());
    if (!body.symbols.length) { setText("job-summary", "List at least one symbol."); return; }
  }
  const button = $("job-start");
  button.disabled = true;
  try {
    const started = await api("/api/jobs/daily", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    state.pinned = started.task_id;
    track(started.task_id);
    mark("job");
  } catch (err) {
    if (err.status === 401) { $("token-box").hidden = false; $("token").focus(); }
    setText("job-summary", `Could not start: ${err.message}`);
  } finally {
    button.disabled = false;
  }
}

async function refreshJobs() {
  try {
    const jobs = await api("/api/jobs?limit=10");
    const rows = jobs.jobs.map((j) => {
      const tr = document.createElement("tr");
      for (const v of [j.task_id, j.status, `${fmt(j.processed)} / ${fmt(j.total)}`, fmt(j.failed), (j.started_at || "").replace("T", " ").replace("Z", "")]) {
        const td = document.createElement("td"); td.textContent = v; tr.append(td);
      }
      return tr;
    });
    $("recent-jobs").tBodies[0].replaceChildren(...rows);
    // A page opened while a job runs follows it.
    const running = jobs.jobs.find((j) => j.status === "running");
    if (running && !shown()) { const t = track(running.task_id); state.latest = running.task_id; Object.assign(t, { progress: running.progress, processed: running.processed, total: running.total, failed: running.failed }); mark("job"); }
  } catch (err) { /* the system panel shows what is down */ }
}

// ---------------------------------------------------------------- system panel
async function refreshSystem() {
  const [health, cache, ws] = await Promise.allSettled([api("/api/health"), api("/api/cache/stats"), api("/ws/stats")]);
  if (health.status === "fulfilled") {
    const h = health.value;
    setText("sys-mode", h.mode); setText("sys-status", h.status);
    setText("sys-store", `${h.store.backend} ${h.store.ok ? "ok" : "down"}`);
    setText("sys-breaker", h.redis ? h.redis.breaker : "no Redis");
    setText("sys-jobs", h.jobs_running);
    setText("sys-version", `${h.version} · ${fmt(h.uptime_seconds)} s`);
    const m = $("mode-badge");
    m.textContent = "mode: " + h.mode;
    m.className = "badge " + (h.mode === "degraded" ? "bad" : "ok");
  }
  if (cache.status === "fulfilled") {
    const c = cache.value;
    setText("sys-l1", `${pct(c.l1.hit_ratio)} (${fmt(c.l1_entries)} entries)`);
    setText("sys-l2", pct(c.l2.hit_ratio)); setText("sys-l3", pct(c.l3.hit_ratio));
    setText("sys-computations", fmt(c.computations));
  }
  if (ws.status === "fulfilled") {
    const w = ws.value;
    setText("sys-ws", fmt(w.connections));
    setText("sys-ws-msgs", `${fmt(w.messages_sent)} / ${fmt(w.messages_dropped)}`);
    setText("sys-ws-slow", fmt(w.slow_consumers_closed));
  }
}

// ---------------------------------------------------------------- market panel
let searchTimer = null;
function onSearch() {
  clearTimeout(searchTimer);
  const q = $("symbol-search").value.trim();
  searchTimer = setTimeout(async () => {
    const list = $("symbol-results");
    if (!q) { list.replaceChildren(); return; }
    try {
      const page = await api(`/api/stocks?limit=20&q=${encodeURIComponent(q)}`);
      list.replaceChildren(...page.stocks.map((s) => {
        const li = document.createElement("li");
        li.tabIndex = 0; li.setAttribute("role", "option"); li.dataset.code = s.code;
        li.textContent = `${s.code}  ${s.name}${s.exchange ? " · " + s.exchange : ""}`;
        return li;
      }));
      if (!page.stocks.length) list.replaceChildren(Object.assign(document.createElement("li"), { textContent: "no symbol matches" }));
    } catch (err) { list.replaceChildren(Object.assign(document.createElement("li"), { textContent: err.message })); }
  }, 150);
}

function pickFromList(e) {
  const li = e.target.closest("li");
  if (li && li.dataset.code) { $("symbol-results").replaceChildren(); $("symbol-search").value = li.dataset.code; openSymbol(li.dataset.code); }
}

const time = (d) => (d.length === 10 ? d : Math.floor(Date.parse(d.replace(" ", "T") + "Z") / 1000));
const line = (dates, values) => { const out = []; values.forEach((v, i) => { if (v !== null && v !== undefined) out.push({ time: time(dates[i]), value: v }); }); return out; };

function newChart(el) {
  return LWC.createChart(el, {
    autoSize: true,
    layout: { background: { color: "#ffffff" }, textColor: "#374151", panes: { separatorColor: "#e5e7eb" } },
    grid: { vertLines: { color: "#f3f4f6" }, horzLines: { color: "#f3f4f6" } },
    rightPriceScale: { borderColor: "#e5e7eb" },
    timeScale: { borderColor: "#e5e7eb" },
  });
}

async function indicator(symbol, code, params = {}) {
  const q = new URLSearchParams(params).toString();
  return api(`/api/indicators/${encodeURIComponent(symbol)}/${encodeURIComponent(code)}${q ? "?" + q : ""}`);
}

async function openSymbol(symbol) {
  const previous = state.symbol;
  state.symbol = symbol;
  if (previous && previous !== symbol) send({ type: "unsubscribe", channels: ["events:market:" + previous] });
  send({ type: "subscribe", channels: ["events:market:" + symbol] });
  setText("quote", `Loading ${symbol}…`);
  let kline;
  try { kline = await api(`/api/market/kline/${encodeURIComponent(symbol)}`); } catch (err) { setText("quote", `${symbol}: ${err.message}`); return; }
  if (state.symbol !== symbol) return;
  const bars = kline.bars;
  if (state.charts.main) state.charts.main.chart.remove();
  const chart = newChart($("chart"));
  const candles = chart.addSeries(LWC.CandlestickSeries, { upColor: "#16a34a", downColor: "#dc2626", borderVisible: false, wickUpColor: "#16a34a", wickDownColor: "#dc2626" }, 0);
  const candleData = bars.map((b) => ({ time: time(b.date), open: b.open, high: b.high, low: b.low, close: b.close }));
  candles.setData(candleData);
  const volume = chart.addSeries(LWC.HistogramSeries, { priceScaleId: "", priceFormat: { type: "volume" }, lastValueVisible: false, priceLineVisible: false }, 0);
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  volume.setData(bars.map((b) => ({ time: time(b.date), value: b.volume, color: b.close >= b.open ? "rgba(22,163,74,.35)" : "rgba(220,38,38,.35)" })));
  state.charts.main = { chart, candles, volume, bars: candleData, lastVolume: bars.length ? bars[bars.length - 1].volume : 0 };
  state.quote = bars.length ? { price: bars[bars.length - 1].close, prev: bars.length > 1 ? bars[bars.length - 2].close : null, ts: bars[bars.length - 1].date } : null;
  mark("quote");

  const thin = (color) => ({ color, lineWidth: 1, lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false });
  const asked = [
    ["SMA", { timeperiod: 5 }], ["SMA", { timeperiod: 20 }], ["BOLL", {}], ["MACD", {}], ["RSI", {}], ["KDJ", {}],
  ];
  const results = await Promise.allSettled(asked.map(([code, p]) => indicator(symbol, code, p)));
  if (state.symbol !== symbol) return;
  const ok = (i) => (results[i].status === "fulfilled" ? results[i].value : null);
  const drawn = [];
  const lines = (r, pane, spec) => { for (const [out, color] of spec) chart.addSeries(LWC.LineSeries, thin(color), pane).setData(line(r.dates, r.outputs[out])); };
  if (ok(0)) { lines(ok(0), 0, [["real", "#f59e0b"]]); drawn.push("MA5"); }
  if (ok(1)) { lines(ok(1), 0, [["real", "#8b5cf6"]]); drawn.push("MA20"); }
  if (ok(2)) { lines(ok(2), 0, [["upper", "#94a3b8"], ["mid", "#64748b"], ["lower", "#94a3b8"]]); drawn.push("BOLL"); }
  let pane = 1;
  if (ok(3)) {
    const r = ok(3);
    const hist = chart.addSeries(LWC.HistogramSeries, { lastValueVisible: false, priceLineVisible: false }, pane);
    hist.setData(line(r.dates, r.outputs.macdhist).map((p) => ({ ...p, color: p.value >= 0 ? "#16a34a" : "#dc2626" })));
    lines(r, pane, [["macd", "#2563eb"], ["macdsignal", "#f59e0b"]]);
    drawn.push("MACD"); pane++;
  }
  if (ok(4)) { lines(ok(4), pane, [["real", "#7c3aed"]]); drawn.push("RSI"); pane++; }
  if (ok(5)) { lines(ok(5), pane, [["k", "#2563eb"], ["d", "#f59e0b"], ["j", "#db2777"]]); drawn.push("KDJ"); pane++; }
  chart.panes().forEach((p, i) => p.setStretchFactor(i === 0 ? 3 : 1));
  chart.timeScale().fitContent();
  const failed = results.map((r, i) => (r.status === "rejected" ? `${asked[i][0]}: ${r.reason.message}` : null)).filter(Boolean);
  setText("legend", `${bars.length} bars · panes: price with MA5 (amber), MA20 (violet), BOLL (grey), volume; ${drawn.filter((d) => ["MACD", "RSI", "KDJ"].includes(d)).join(", ")} below` + (failed.length ? ` · not drawn: ${failed.join("; ")}` : ""));
  $("chart").dataset.symbol = symbol;
  $("chart").dataset.drawn = drawn.join(",");
}

function priceUpdate(ev) {
  pushFeed(describe(ev));
  const main = state.charts.main;
  if (!main || ev.symbol !== state.symbol || !main.bars.length) return;
  const last = main.bars[main.bars.length - 1];
  const day = typeof last.time === "string" ? ev.ts.slice(0, 10) : Math.floor(Date.parse(ev.ts) / 1000);
  let bar;
  if (day === last.time) bar = { time: last.time, open: last.open, high: Math.max(last.high, ev.price), low: Math.min(last.low, ev.price), close: ev.price };
  else if (day > last.time) bar = { time: day, open: ev.price, high: ev.price, low: ev.price, close: ev.price };
  else return; // a tick older than the last bar
  // A copy: the library rewrites the time of the object it is given.
  try { main.candles.update({ ...bar }); } catch (_) { return; }
  const prev = day === last.time ? (state.quote ? state.quote.prev : null) : last.close;
  if (day === last.time) main.bars[main.bars.length - 1] = bar; else main.bars.push(bar);
  state.quote = { price: ev.price, prev, ts: ev.ts };
  mark("quote");
}

function paintQuote() {
  const q = state.quote;
  if (!q) { setText("quote", `${state.symbol}: no bars`); return; }
  const el = $("quote");
  const change = q.prev ? (q.price - q.prev) / q.prev : null;
  el.textContent = `${state.symbol}  ${q.price}  ${change === null ? "" : (change >= 0 ? "+" : "") + (change * 100).toFixed(2) + " %"}  (${q.ts})`;
  el.className = "quote " + (change === null ? "" : change >= 0 ? "up" : "down");
}

// ---------------------------------------------------------------- any indicator
async function loadCatalog() {
  try {
    const c = await api("/api/indicators/catalog");
    state.catalog = c.indicators;
    const select = $("ind-code");
    const groups = {};
    for (const ind of state.catalog) (groups[ind.group] = groups[ind.group] || []).push(ind);
    select.replaceChildren(...Object.keys(groups).sort().map((g) => {
      const og = document.createElement("optgroup"); og.label = g;
      og.append(...groups[g].map((ind) => Object.assign(document.createElement("option"), { value: ind.code, textContent: `${ind.code} — ${ind.description}` })));
      return og;
    }));
    paramForm();
  } catch (err) { setText("ind-info", "catalog: " + err.message); }
}

function paramForm() {
  const ind = state.catalog.find((i) => i.code === $("ind-code").value);
  if (!ind) return;
  $("ind-params").replaceChildren(...ind.params.map((p) => {
    const label = document.createElement("label");
    const input = Object.assign(document.createElement("input"), { type: "number", name: p.name, value: p.default, min: p.min, max: p.max, step: p.type === "real" ? "any" : 1, required: true });
    label.append(p.name, input);
    return label;
  }));
  setText("ind-info", `inputs: ${ind.inputs.join(", ")} · outputs: ${ind.outputs.join(", ")}`);
}

async function drawIndicator(e) {
  e.preventDefault();
  if (!state.symbol) { setText("ind-info", "Pick a symbol first."); return; }
  const code = $("ind-code").value;
  const params = {};
  for (const input of $("ind-params").querySelectorAll("input")) params[input.name] = input.value;
  let r;
  if (state.charts.extra) { state.charts.extra.remove(); state.charts.extra = null; }
  try { r = await indicator(state.symbol, code, params); } catch (err) { setText("ind-info", err.message); return; }
  const chart = newChart($("ind-chart"));
  const colors = ["#2563eb", "#f59e0b", "#db2777", "#16a34a", "#7c3aed"];
  Object.keys(r.outputs).forEach((out, i) => {
    const kind = out.endsWith("hist") ? LWC.HistogramSeries : LWC.LineSeries;
    chart.addSeries(kind, { color: colors[i % colors.length], lineWidth: 1, title: out }).setData(line(r.dates, r.outputs[out]));
  });
  chart.timeScale().fitContent();
  state.charts.extra = chart;
  setText("ind-info", `${state.symbol} ${code} ${JSON.stringify(r.params)} · lookback ${r.lookback} · from ${r.source}`);
}

// ---------------------------------------------------------------- start
function start() {
  if (!LWC) { banner("The chart library did not load."); }
  $("job-form").addEventListener("submit", startJob);
  for (const radio of document.querySelectorAll("input[name=scope]")) radio.addEventListener("change", () => { $("job-symbols").disabled = radio.value === "all" && radio.checked; });
  $("token").addEventListener("change", (e) => {
    state.token = e.target.value.trim();
    sessionStorage.setItem("mystocks.token", state.token);
    if (!state.socket) { clearTimeout(state.reconnect); connect(); } // waiting for a token: try it now
  });
  $("symbol-search").addEventListener("input", onSearch);
  $("symbol-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const first = $("symbol-results").querySelector("li[data-code]");
    if (first) { $("symbol-results").replaceChildren(); $("symbol-search").value = first.dataset.code; openSymbol(first.dataset.code); }
  });
  $("symbol-results").addEventListener("click", pickFromList);
  $("symbol-results").addEventListener("keydown", (e) => { if (e.key === "Enter") pickFromList(e); });
  $("ind-code").addEventListener("change", paramForm);
  $("ind-form").addEventListener("submit", drawIndicator);
  connect();
  refreshJobs();
  refreshSystem();
  loadCatalog();
  setInterval(refreshSystem, 2000);
}
start();
