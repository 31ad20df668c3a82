// tickflow dashboard: REST for health and stats, the WebSocket for live
// prices, bars and feed status. Protocol: docs/WEBSOCKET.md.
'use strict';

// Script errors, for anyone checking the page (the headless test does).
window.dashboardErrors = [];
window.addEventListener('error', (e) => window.dashboardErrors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => window.dashboardErrors.push(String(e.reason)));

const $ = (id) => document.getElementById(id);

const state = {
  cfg: null,
  ws: null,
  wsUrl: '',
  retryMs: 500,
  messages: 0,
  priceUpdates: 0,
  rows: new Map(),      // instrument -> {price, first, updates, cells}
  symbol: '',
  interval: '',
  barsChannel: '',
  chart: null,
  statusEvents: 0,
};

// -- helpers ---------------------------------------------------------------------

async function getJson(path) {
  try {
    const r = await fetch(path, { cache: 'no-store' });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    return { status: r.status, ok: r.ok, body };
  } catch (e) {
    return { status: 0, ok: false, body: null, error: String(e) };
  }
}

function errorText(res) {
  if (res.status === 0) return 'unreachable';
  const e = res.body && res.body.error;
  return `${res.status}${e ? ' ' + e.code + ': ' + e.message : ''}`;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function timeOf(ns) {
  if (!ns) return '';
  const d = new Date(Number(ns) / 1e6);
  return d.toISOString().slice(11, 23);
}

function fmtNumber(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(3);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null || v === undefined) return '–';
  return String(v);
}

// -- live prices -------------------------------------------------------------------

function priceRow(instrument) {
  let row = state.rows.get(instrument);
  if (row) return row;
  const tr = el('tr');
  tr.dataset.instrument = instrument;
  const cells = {
    name: el('td', instrument),
    price: el('td', '–', 'price num'),
    change: el('td', '', 'num'),
    updates: el('td', '0', 'num'),
    time: el('td', '', 'muted'),
  };
  cells.price.dataset.instrument = instrument;
  for (const k of ['name', 'price', 'change', 'updates', 'time']) tr.appendChild(cells[k]);
  // Keep the table sorted by instrument.
  const body = $('prices').tBodies[0];
  const after = [...body.rows].find((r) => r.dataset.instrument > instrument);
  body.insertBefore(tr, after || null);
  row = { price: NaN, first: NaN, updates: 0, cells };
  state.rows.set(instrument, row);
  $('prices-empty').hidden = true;
  return row;
}

function setPrice(instrument, text, tsNs) {
  if (!instrument || text === undefined || text === null) return;
  const row = priceRow(instrument);
  const v = parseFloat(text);
  const cell = row.cells.price;
  cell.textContent = text;
  if (!Number.isNaN(row.price) && v !== row.price) {
    cell.classList.toggle('up', v > row.price);
    cell.classList.toggle('down', v < row.price);
  }
  if (Number.isNaN(row.first)) row.first = v;
  row.price = v;
  row.updates += 1;
  const pct = row.first ? (v - row.first) / row.first * 100 : 0;
  row.cells.change.textContent = `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;
  row.cells.change.className = `num ${pct > 0 ? 'up' : pct < 0 ? 'down' : ''}`;
  row.cells.updates.textContent = String(row.updates);
  row.cells.time.textContent = timeOf(tsNs);
  state.priceUpdates += 1;
  $('price-updates').textContent = String(state.priceUpdates);
}

// -- chart ---------------------------------------------------------------------------

function legend(bar) {
  const node = $('chart-legend');
  if (!bar) { node.textContent = ''; return; }
  const f = (x) => x.toFixed(Math.abs(x) < 10 ? 4 : 2);
  node.textContent = `${state.symbol} ${state.interval}  O ${f(bar.o)}  H ${f(bar.h)}  `
    + `L ${f(bar.l)}  C ${f(bar.c)}  V ${bar.v.toFixed(3)}${bar.closed ? '' : '  (forming)'}`;
}

async function loadChart() {
  const symbol = state.symbol;
  const interval = state.interval;
  if (!symbol) return;
  const res = await getJson(`/api/v1/data/ohlcv?symbol=${encodeURIComponent(symbol)}`
    + `&interval=${encodeURIComponent(interval)}&limit=120`);
  if (symbol !== state.symbol || interval !== state.interval) return; // changed meanwhile
  const bars = res.ok && res.body && Array.isArray(res.body.bars)
    ? res.body.bars.map(barFromJson) : [];
  $('chart-note').textContent = res.ok ? '' : `OHLCV: ${errorText(res)} (live bars still update the chart)`;
  state.chart.reset(interval, bars);
}

function chooseChart() {
  const symbol = $('chart-symbol').value;
  const interval = $('chart-interval').value;
  if (symbol === state.symbol && interval === state.interval) return;
  const old = state.barsChannel;
  state.symbol = symbol;
  state.interval = interval;
  state.barsChannel = `bars:${interval}:${symbol}`;
  state.chart.reset(interval, []);
  if (old) send({ op: 'unsubscribe', channels: [old] });
  send({ op: 'subscribe', channels: [state.barsChannel] });
  loadChart();
}

// -- WebSocket ----------------------------------------------------------------------

function setWsState(s, note) {
  document.body.dataset.ws = s;
  $('ws-state').textContent = s;
  if (note !== undefined) $('ws-note').textContent = note;
}

function send(cmd) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(cmd));
}

function connect() {
  if (!state.wsUrl) return;
  setWsState('connecting');
  const ws = new WebSocket(state.wsUrl);
  state.ws = ws;
  ws.onopen = () => {
    state.retryMs = 500;
    setWsState('live', '');
    const channels = state.cfg.instruments.map((s) => `trades:${s}`);
    channels.push('status:*');
    if (state.barsChannel) channels.push(state.barsChannel);
    send({ op: 'subscribe', channels });
  };
  ws.onmessage = (e) => {
    state.messages += 1;
    $('ws-messages').textContent = String(state.messages);
    let m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    onMessage(m);
  };
  ws.onclose = (e) => {
    if (state.ws !== ws) return;
    setWsState('closed', `closed ${e.code}${e.reason ? ' (' + e.reason + ')' : ''}; `
      + `reconnecting in ${(state.retryMs / 1000).toFixed(1)} s`);
    setTimeout(connect, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 15000);
  };
}

function onMessage(m) {
  switch (m.type) {
    case 'trade':
      setPrice(m.data.instrument, m.data.price, m.data.ts);
      if (m.data.instrument === state.symbol)
        state.chart.trade(parseFloat(m.data.price), Number(m.data.ts) / 1e6);
      break;
    case 'bar':
      if (m.channel === state.barsChannel) state.chart.upsert(barFromJson(m.data));
      break;
    case 'snapshot':
      if (m.price) setPrice(m.price.instrument, m.price.price, m.price.ts);
      if (m.bars && m.channel === state.barsChannel)
        for (const b of m.bars) state.chart.upsert(barFromJson(b));
      if (m.statuses) for (const s of m.statuses) feedStatus(s);
      break;
    case 'status':
      feedStatus(m.data);
      break;
    case 'conflation':
      setWsState(m.active ? 'conflated' : 'live',
        m.active ? 'falling behind: updates are conflated'
                 : `caught up (${m.dropped} updates conflated)`);
      break;
    case 'heartbeat':
      $('ws-note').textContent = `heartbeat ${timeOf(m.ts)}`;
      break;
    case 'error':
      $('ws-note').textContent = `error ${m.code}: ${m.message}${m.channel ? ' (' + m.channel + ')' : ''}`;
      break;
    default:
      break; // hello, subscribed, unsubscribed, pong
  }
}

function feedStatus(s) {
  const list = $('feed-status');
  if (state.statusEvents === 0) list.textContent = '';
  state.statusEvents += 1;
  const cls = s.state === 'disconnected' || s.state === 'degraded' ? 'bad'
    : s.state === 'reconnected' || s.state === 'backfilled' ? 'warn' : 'ok';
  const li = el('li');
  li.appendChild(el('span', `${timeOf(s.ts)} `, 'muted'));
  li.appendChild(el('b', `${s.connection || s.provider} `));
  li.appendChild(el('span', s.state, cls));
  if (s.reason) li.appendChild(el('span', ` ${s.reason}`, 'muted'));
  list.insertBefore(li, list.firstChild);
  while (list.children.length > 50) list.removeChild(list.lastChild);
}

// -- REST panels ---------------------------------------------------------------------

async function refreshProviders() {
  const res = await getJson('/api/v1/data/providers');
  const body = $('providers').tBodies[0];
  body.textContent = '';
  if (!res.ok || !res.body || !Array.isArray(res.body.providers)) {
    const tr = el('tr');
    const td = el('td', `unavailable: ${errorText(res)}`, 'bad');
    td.colSpan = 6;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  const xs = [...res.body.providers].sort((a, b) => (b.enabled - a.enabled) || a.name.localeCompare(b.name));
  for (const p of xs) {
    const tr = el('tr');
    const h = p.health;
    let status = p.enabled ? 'streaming' : 'off';
    if (h && h.status) status = h.status;
    const cls = !p.enabled ? 'muted' : /down|fail|error|limited/.test(status) ? 'bad'
      : /degraded|slow/.test(status) ? 'warn' : 'ok';
    tr.appendChild(el('td', p.name));
    tr.appendChild(el('td', p.enabled ? 'yes' : 'no', p.enabled ? '' : 'muted'));
    tr.appendChild(el('td', status, cls));
    tr.appendChild(el('td', h ? fmtNumber(h.requests) : '–', 'num'));
    tr.appendChild(el('td', h ? fmtNumber(h.failures) : '–', 'num'));
    tr.appendChild(el('td', h && h.last_error ? h.last_error.message : '', 'muted'));
    body.appendChild(tr);
  }
}

/** Flattens nested objects into [["l1.price.hits", 3], ...]. */
function flatten(obj, prefix, out) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else if (!Array.isArray(v)) out.push([key, v]);
  }
  return out;
}

function renderKv(node, pairs) {
  node.textContent = '';
  for (const [k, v] of pairs) {
    node.appendChild(el('dt', k));
    node.appendChild(el('dd', fmtNumber(v)));
  }
}

async function refreshCache() {
  const res = await getJson('/api/v1/cache/stats');
  const node = $('cache-stats');
  if (!res.ok || !res.body) {
    renderKv(node, [['status', `unavailable: ${errorText(res)}`]]);
    return;
  }
  renderKv(node, flatten(res.body, '', []));
}

/** Arrays of objects become tables; everything else a key/value list. */
function renderStats(node, body) {
  node.textContent = '';
  const tables = Object.entries(body).filter(([, v]) => Array.isArray(v)
    && v.length > 0 && v.every((x) => x && typeof x === 'object'));
  for (const [name, rows] of tables) {
    const cols = [];
    for (const r of rows) for (const k of Object.keys(r))
      if (!cols.includes(k) && (typeof r[k] !== 'object' || r[k] === null)) cols.push(k);
    const table = el('table');
    const head = el('tr');
    for (const c of cols) head.appendChild(el('th', c, typeof rows[0][c] === 'number' ? 'num' : ''));
    table.appendChild(el('thead')).appendChild(head);
    const tb = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      for (const c of cols) tr.appendChild(el('td', fmtNumber(r[c]), typeof r[c] === 'number' ? 'num' : ''));
      tb.appendChild(tr);
    }
    table.appendChild(tb);
    node.appendChild(el('h3', name));
    node.appendChild(table);
  }
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => !tables.some(([n]) => n === k)));
  const pairs = flatten(rest, '', []);
  if (pairs.length > 0) {
    const dl = el('dl', null, 'kv');
    renderKv(dl, pairs);
    node.appendChild(dl);
  }
}

async function refreshPipeline() {
  const res = await getJson('/api/v1/stats');
  const node = $('pipeline-stats');
  if (!res.ok || !res.body) {
    node.textContent = '';
    node.appendChild(el('p', `unavailable: ${errorText(res)}`, 'muted'));
    return;
  }
  renderStats(node, res.body);
}

function refreshRest() {
  refreshProviders();
  refreshCache();
  refreshPipeline();
}

// -- start -----------------------------------------------------------------------------

async function start() {
  state.chart = new CandleChart($('chart'), legend);
  const res = await getJson('/dashboard/config.json');
  const cfg = res.ok && res.body ? res.body
    : { ws: { port: null, path: '/api/v1/stream' }, instruments: [], intervals: ['1m'] };
  state.cfg = cfg;
  $('version').textContent = cfg.version ? `v${cfg.version}` : '';
  for (const s of cfg.instruments) {
    priceRow(s);
    $('chart-symbol').appendChild(el('option', s));
  }
  for (const iv of cfg.intervals) $('chart-interval').appendChild(el('option', iv));
  // The shortest interval: the chart moves from the first minute on.
  $('chart-interval').value = cfg.intervals[0];
  $('chart-symbol').addEventListener('change', chooseChart);
  $('chart-interval').addEventListener('change', chooseChart);
  const port = cfg.ws && cfg.ws.port;
  if (port) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    state.wsUrl = `${scheme}//${location.hostname}:${port}${cfg.ws.path}`;
    $('ws-url').textContent = state.wsUrl;
  } else {
    setWsState('closed', 'the WebSocket port is chosen at start: see the service log');
  }
  chooseChart();
  connect();
  refreshRest();
  setInterval(refreshRest, 5000);
}

start();
