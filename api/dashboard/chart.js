// A candlestick chart drawn by hand on a <canvas> (no libraries).
// Bars are {t, o, h, l, c, v, closed} with t the open time in ms.
'use strict';

const INTERVAL_MS = {
  '1s': 1e3, '1m': 6e4, '3m': 18e4, '5m': 3e5, '15m': 9e5, '30m': 18e5,
  '1h': 36e5, '2h': 72e5, '4h': 144e5, '6h': 216e5, '8h': 288e5,
  '12h': 432e5, '1d': 864e5, '3d': 2592e5, '1w': 6048e5, '1M': 2592e6,
};

/** A bar of the REST or WebSocket JSON (decimals are strings, times ns). */
function barFromJson(b) {
  return {
    t: Math.round(Number(b.open_time) / 1e6),
    o: parseFloat(b.open), h: parseFloat(b.high),
    l: parseFloat(b.low), c: parseFloat(b.close),
    v: parseFloat(b.volume), closed: !!b.closed,
  };
}

/** A step of 1, 2 or 5 times a power of ten near span / count. */
function niceStep(span, count) {
  const raw = span / Math.max(count, 1);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / pow;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * pow;
}

function decimalsFor(step) {
  return Math.max(0, Math.min(8, -Math.floor(Math.log10(step))));
}

class CandleChart {
  constructor(canvas, onLegend) {
    this.canvas = canvas;
    this.onLegend = onLegend || (() => {});
    this.bars = [];
    this.intervalMs = 6e4;
    this.maxBars = 120;
    this.hover = -1;
    this.visible = [];
    this.layout = null;
    this.pending = false;
    canvas.addEventListener('mousemove', (e) => this.pointer(e));
    canvas.addEventListener('mouseleave', () => { this.hover = -1; this.redraw(); });
    window.addEventListener('resize', () => this.redraw());
  }

  /** Replaces every bar (oldest first) for a new instrument or interval. */
  reset(intervalName, bars) {
    this.intervalMs = INTERVAL_MS[intervalName] || 6e4;
    this.bars = [];
    for (const b of bars) this.upsert(b, false);
    this.redraw();
  }

  /** Adds a bar or replaces the one with the same open time. */
  upsert(bar, redraw = true) {
    const xs = this.bars;
    let i = xs.length - 1;
    while (i >= 0 && xs[i].t > bar.t) i--;
    if (i >= 0 && xs[i].t === bar.t) xs[i] = bar;
    else xs.splice(i + 1, 0, bar);
    if (xs.length > this.maxBars * 4) xs.splice(0, xs.length - this.maxBars * 4);
    if (redraw) this.redraw();
  }

  /** Moves the forming candle with a trade (price, time in ms). */
  trade(price, tMs) {
    const start = Math.floor(tMs / this.intervalMs) * this.intervalMs;
    const last = this.bars[this.bars.length - 1];
    if (last && last.t === start) {
      if (last.closed) return; // the final bar is already here
      last.h = Math.max(last.h, price);
      last.l = Math.min(last.l, price);
      last.c = price;
    } else if (!last || start > last.t) {
      const open = last ? last.c : price;
      this.bars.push({ t: start, o: open, h: Math.max(open, price),
                       l: Math.min(open, price), c: price, v: 0, closed: false });
    } else {
      return; // older than the newest bar: the bar events carry it
    }
    this.redraw();
  }

  redraw() {
    if (this.pending) return;
    this.pending = true;
    const run = () => { this.pending = false; this.draw(); };
    if (typeof requestAnimationFrame === 'function' && !document.hidden)
      requestAnimationFrame(run);
    else
      setTimeout(run, 0);
  }

  pointer(e) {
    if (!this.layout) return;
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const { left, spacing } = this.layout;
    const i = Math.floor((x - left) / spacing);
    this.hover = i >= 0 && i < this.visible.length ? i : -1;
    this.redraw();
  }

  timeLabel(t) {
    const d = new Date(t);
    const two = (n) => String(n).padStart(2, '0');
    if (this.intervalMs >= 864e5)
      return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
    const hm = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    return this.intervalMs < 6e4 ? `${hm}:${two(d.getUTCSeconds())}` : hm;
  }

  draw() {
    const canvas = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 800;
    const h = canvas.clientHeight || 320;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const css = getComputedStyle(document.documentElement);
    const color = (name, fallback) => (css.getPropertyValue(name) || fallback).trim();
    const up = color('--up', '#26a269');
    const down = color('--down', '#e5534b');
    const grid = color('--line', '#263039');
    const muted = color('--muted', '#7d8a97');
    ctx.font = '11px system-ui, sans-serif';

    const left = 8, right = 70, top = 10, bottom = 22;
    const plotW = Math.max(10, w - left - right);
    const plotH = Math.max(10, h - top - bottom);
    const count = Math.max(1, Math.min(this.maxBars, Math.floor(plotW / 6)));
    const vis = this.bars.slice(-count);
    this.visible = vis;
    if (vis.length === 0) {
      this.layout = null;
      ctx.fillStyle = muted;
      ctx.fillText('No bars yet: waiting for data…', left + 10, top + plotH / 2);
      this.onLegend(null);
      return;
    }
    let lo = Infinity, hi = -Infinity;
    for (const b of vis) { lo = Math.min(lo, b.l); hi = Math.max(hi, b.h); }
    if (!(hi > lo)) { const pad = Math.abs(hi) * 0.001 || 1; lo -= pad; hi += pad; }
    const pad = (hi - lo) * 0.06;
    lo -= pad; hi += pad;
    const y = (p) => top + (hi - p) / (hi - lo) * plotH;
    const spacing = plotW / count;
    const offset = (count - vis.length) * spacing; // newest bar at the right edge
    this.layout = { left: left + offset, spacing };

    // Price grid and axis labels.
    const step = niceStep(hi - lo, 5);
    const digits = decimalsFor(step);
    ctx.strokeStyle = grid;
    ctx.fillStyle = muted;
    ctx.lineWidth = 1;
    for (let p = Math.ceil(lo / step) * step; p <= hi; p += step) {
      const yy = Math.round(y(p)) + 0.5;
      ctx.beginPath(); ctx.moveTo(left, yy); ctx.lineTo(left + plotW, yy); ctx.stroke();
      ctx.fillText(p.toFixed(digits), left + plotW + 6, yy + 4);
    }

    // Candles.
    const bodyW = Math.max(1, Math.min(14, spacing * 0.7));
    vis.forEach((b, i) => {
      const x = left + offset + (i + 0.5) * spacing;
      const rising = b.c >= b.o;
      ctx.strokeStyle = ctx.fillStyle = rising ? up : down;
      ctx.beginPath();
      ctx.moveTo(Math.round(x) + 0.5, y(b.h));
      ctx.lineTo(Math.round(x) + 0.5, y(b.l));
      ctx.stroke();
      const y0 = y(Math.max(b.o, b.c));
      const bh = Math.max(1, Math.abs(y(b.o) - y(b.c)));
      if (b.closed) ctx.fillRect(x - bodyW / 2, y0, bodyW, bh);
      else ctx.strokeRect(x - bodyW / 2 + 0.5, y0 + 0.5, bodyW - 1, Math.max(1, bh - 1));
    });

    // Time labels, about every 90 px.
    ctx.fillStyle = muted;
    const every = Math.max(1, Math.ceil(90 / spacing));
    for (let i = vis.length - 1; i >= 0; i -= every) {
      const x = left + offset + (i + 0.5) * spacing;
      const label = this.timeLabel(vis[i].t);
      const tw = ctx.measureText(label).width;
      if (x - tw / 2 < left) break;
      ctx.fillText(label, x - tw / 2, h - 6);
    }

    // Last price marker.
    const last = vis[vis.length - 1];
    const ly = Math.round(y(last.c)) + 0.5;
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = last.c >= last.o ? up : down;
    ctx.beginPath(); ctx.moveTo(left, ly); ctx.lineTo(left + plotW, ly); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = last.c >= last.o ? up : down;
    ctx.fillRect(left + plotW + 2, ly - 8, right - 4, 16);
    ctx.fillStyle = '#ffffff';
    ctx.fillText(last.c.toFixed(Math.max(digits, 2)), left + plotW + 6, ly + 4);

    // Crosshair on the hovered bar.
    const shown = this.hover >= 0 && this.hover < vis.length ? vis[this.hover] : last;
    if (this.hover >= 0 && this.hover < vis.length) {
      const x = Math.round(left + offset + (this.hover + 0.5) * spacing) + 0.5;
      ctx.strokeStyle = muted;
      ctx.setLineDash([2, 4]);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + plotH); ctx.stroke();
      ctx.setLineDash([]);
    }
    this.onLegend(shown);
  }
}

window.CandleChart = CandleChart;
window.barFromJson = barFromJson;
window.INTERVAL_MS = INTERVAL_MS;
