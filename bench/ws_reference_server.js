#!/usr/bin/env node
// The reference for tickflow's WebSocket fan-out: a broadcast server on
// Node's `ws` (Debian's node-ws: NODE_PATH=/usr/share/nodejs) that speaks the
// same protocol on the same path, generates the same trade JSON at the same
// rate, and broadcasts each event to its channel's subscribers, serialized
// once per event (one Buffer sent to every subscriber). Slow clients are
// closed with 1008 past --client-queue-bytes, like tickflow.
//
//   node ws_reference_server.js --port P [--path /api/v1/stream]
//     [--instruments A,B,...] [--rate EVENTS_PER_S_TOTAL] [--timer-ms 10]
//     [--client-queue-bytes 4194304] [--max-seconds 600]
//
// Prints "listening <port>" once it accepts connections; exits on SIGTERM,
// SIGINT or after --max-seconds.
'use strict';

const http = require('http');
const { performance } = require('perf_hooks');
const { WebSocketServer } = require('ws');

function parseArgs(argv) {
  const o = {
    port: 0,
    path: '/api/v1/stream',
    instruments: [],
    rate: 10000,
    timerMs: 10,
    clientQueueBytes: 4 * 1024 * 1024,
    maxSeconds: 600,
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i];
    if (v === undefined) throw new Error('missing value for ' + a);
    switch (a) {
      case '--port': o.port = Number(v); break;
      case '--path': o.path = v; break;
      case '--instruments': o.instruments = v.split(',').filter(Boolean); break;
      case '--rate': o.rate = Number(v); break;
      case '--timer-ms': o.timerMs = Number(v); break;
      case '--client-queue-bytes': o.clientQueueBytes = Number(v); break;
      case '--max-seconds': o.maxSeconds = Number(v); break;
      default: throw new Error('unknown option ' + a);
    }
  }
  if (o.instruments.length === 0)
    for (let i = 0; i < 10; i++) o.instruments.push('S' + String(i).padStart(5, '0') + '-USDT');
  return o;
}

const opts = parseArgs(process.argv);

// Wall clock in ns (BigInt): the high-resolution time origin plus the
// monotonic clock, so it is comparable with the client's system clock.
const baseNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n
  - process.hrtime.bigint();
const nowNs = () => baseNs + process.hrtime.bigint();

// ISO-8601 with nanoseconds, as tickflow writes it.
function iso(ns) {
  const ms = ns / 1000000n;
  const base = new Date(Number(ms)).toISOString(); // 2023-11-14T22:13:20.123Z
  const frac = String(ns % 1000000000n).padStart(9, '0');
  return base.slice(0, 19) + '.' + frac + 'Z';
}

// Random walk per instrument, on a 0.01 price grid and a 0.001 lot grid.
function decimal(units, scale) {
  const s = String(units).padStart(scale + 1, '0');
  let out = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  out = out.replace(/0+$/, '').replace(/\.$/, '');
  return out;
}

const walks = opts.instruments.map((id, i) => ({
  id,
  providerSymbol: id.replace(/-/g, ''),
  ticks: 10000 + i,
  channel: 'trades:' + id,
}));
let tradeId = 0;

// One raw trade (the part tickflow's simulator does before it stamps
// ts_recv): price step, size, side, id.
function nextTrade(w) {
  w.ticks = Math.max(1, w.ticks + Math.floor(Math.random() * 11) - 5);
  return {
    w,
    ticks: w.ticks,
    lots: 1 + Math.floor(Math.random() * 1000),
    side: Math.random() < 0.5 ? 'buy' : 'sell',
    id: ++tradeId,
  };
}

// The event message, as tickflow's broadcaster writes it.
function tradeMessage(t, tsRecv) {
  const w = t.w;
  const ts = tsRecv - 1000n;
  return '{"type":"trade","channel":"' + w.channel + '","data":{"instrument":"' + w.id +
    '","provider":"simulator","provider_symbol":"' + w.providerSymbol +
    '","price":"' + decimal(t.ticks, 2) + '","size":"' + decimal(t.lots, 3) +
    '","side":"' + t.side + '","trade_id":"' + t.id + '","ts":' + ts +
    ',"time":"' + iso(ts) + '","ts_recv":' + tsRecv + ',"flags":["synthetic"]}}';
}

// channel name -> Set of sockets
const subs = new Map();
for (const w of walks) subs.set(w.channel, new Set());
let slowClosed = 0;
let framesSent = 0;

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":{"code":"not_found","message":"not found"}}');
});
const wss = new WebSocketServer({ server, path: opts.path, perMessageDeflate: false, maxPayload: 65536 });

wss.on('connection', (ws) => {
  ws.channels = new Set();
  ws.on('message', (data, isBinary) => {
    let cmd;
    try { cmd = JSON.parse(isBinary ? data : data.toString()); } catch (e) {
      ws.send('{"type":"error","code":"malformed","message":"invalid JSON"}');
      return;
    }
    if (cmd.op === 'ping') { ws.send('{"type":"pong"}'); return; }
    if (cmd.op !== 'subscribe' && cmd.op !== 'unsubscribe') {
      ws.send('{"type":"error","code":"invalid_op","message":"unknown op"}');
      return;
    }
    const done = [];
    for (const ch of cmd.channels || []) {
      const set = subs.get(ch);
      if (!set) {
        ws.send(JSON.stringify({ type: 'error', code: 'unknown_channel', message: 'unknown channel', channel: ch }));
        continue;
      }
      if (cmd.op === 'subscribe') { set.add(ws); ws.channels.add(ch); } else { set.delete(ws); ws.channels.delete(ch); }
      done.push(ch);
    }
    if (done.length)
      ws.send(JSON.stringify({ type: cmd.op === 'subscribe' ? 'subscribed' : 'unsubscribed', channels: done }));
  });
  ws.on('close', () => { for (const ch of ws.channels) subs.get(ch).delete(ws); });
  ws.on('error', () => {});
});

// The market: rate events/s in total, spread evenly over the instruments,
// emitted every timerMs like tickflow's simulator: each tick emits the
// trades due since the last one (by the clock, so timer drift does not
// change the rate).
const perSymbolPerNs = opts.rate / walks.length / 1e9;
let carry = 0;
let lastNs = null;
function tick() {
  const t = nowNs();
  if (lastNs === null) { lastNs = t; return; }
  carry += Number(t - lastNs) * perSymbolPerNs;
  lastNs = t;
  const n = Math.floor(carry);
  carry -= n;
  if (n === 0) return;
  const due = [];
  for (const w of walks)
    for (let k = 0; k < n; k++) due.push(nextTrade(w));
  const tsRecv = nowNs(); // like the simulator: stamped once the frames exist
  for (const trade of due) {
    const set = subs.get(trade.w.channel);
    if (set.size === 0) continue;
    const buf = Buffer.from(tradeMessage(trade, tsRecv)); // serialized once
    for (const ws of set) {
      if (ws.readyState !== 1) continue;
      if (ws.bufferedAmount > opts.clientQueueBytes) {
        slowClosed++;
        for (const ch of ws.channels) subs.get(ch).delete(ws);
        ws.channels.clear();
        ws.close(1008, 'slow consumer');
        continue;
      }
      ws.send(buf, { binary: false });
      framesSent++;
    }
  }
}

let timer;
function shutdown() {
  clearInterval(timer);
  // No graceful close: with a backlog of queued frames it could take long;
  // the kernel closes the sockets when the process exits.
  process.stderr.write('ws_reference_server: frames sent ' + framesSent + ', slow clients closed ' + slowClosed + '\n');
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
setTimeout(shutdown, opts.maxSeconds * 1000).unref();

server.listen(opts.port, '127.0.0.1', () => {
  timer = setInterval(tick, opts.timerMs);
  process.stdout.write('listening ' + server.address().port + '\n');
});
