#!/usr/bin/env python3
"""Reference values for tests/indicators/indicators_test.cpp.

Plain Python (no numpy), written from the textbook definitions and
independently of the C++ code in pipeline/indicators/: sums are exact
(math.fsum), standard deviations come from the statistics module (exact
fractions inside). The C++ results must agree to 1e-9 relative.

Run from anywhere; it rewrites reference_values.hpp next to this file:
    python3 tests/indicators/reference/make_reference.py
"""

import math
import os
import statistics

# -- the fixed series: 60 daily bars from 2024-01-01 00:00 UTC ---------------
# (open, high, low, close, volume); prices with two decimals, like a real
# daily chart that rises, falls back, ranges and rises again.
BARS = [
    (100.00, 101.50, 99.20, 101.00, 1200.0),
    (101.00, 102.30, 100.40, 101.80, 1350.5),
    (101.80, 102.00, 100.10, 100.60, 980.0),
    (100.60, 101.20, 99.80, 100.90, 1100.0),
    (100.90, 103.10, 100.70, 102.70, 1675.25),
    (102.70, 104.00, 102.20, 103.60, 1800.0),
    (103.60, 103.90, 101.90, 102.40, 1420.0),
    (102.40, 102.80, 100.30, 100.80, 1999.0),
    (100.80, 101.60, 99.50, 99.90, 2100.0),
    (99.90, 100.40, 97.80, 98.10, 2450.75),
    (98.10, 99.30, 97.60, 99.00, 1500.0),
    (99.00, 100.80, 98.70, 100.50, 1320.0),
    (100.50, 101.00, 99.60, 99.80, 1010.0),
    (99.80, 102.40, 99.70, 102.10, 1760.0),
    (102.10, 103.50, 101.80, 103.20, 1880.5),
    (103.20, 105.20, 103.00, 104.90, 2210.0),
    (104.90, 105.60, 103.90, 104.10, 1640.0),
    (104.10, 106.30, 104.00, 106.00, 2005.0),
    (106.00, 107.40, 105.10, 107.10, 2320.0),
    (107.10, 107.90, 105.90, 106.20, 1700.0),
    (106.20, 106.50, 104.20, 104.60, 1955.0),
    (104.60, 105.30, 103.10, 103.40, 2130.25),
    (103.40, 104.70, 102.90, 104.30, 1480.0),
    (104.30, 105.00, 102.60, 102.90, 1530.0),
    (102.90, 103.20, 100.80, 101.20, 2600.0),
    (101.20, 102.50, 100.90, 102.20, 1720.0),
    (102.20, 103.80, 101.70, 103.50, 1650.0),
    (103.50, 104.10, 102.80, 103.00, 1210.0),
    (103.00, 104.90, 102.70, 104.60, 1390.0),
    (104.60, 106.80, 104.40, 106.40, 2280.0),
    (106.40, 107.00, 105.30, 105.70, 1590.0),
    (105.70, 108.20, 105.60, 107.90, 2410.0),
    (107.90, 109.50, 107.40, 109.10, 2675.5),
    (109.10, 109.80, 107.60, 108.00, 1830.0),
    (108.00, 108.40, 106.10, 106.50, 2040.0),
    (106.50, 107.20, 105.20, 105.90, 1570.0),
    (105.90, 107.70, 105.50, 107.40, 1625.0),
    (107.40, 108.90, 107.00, 108.60, 1935.0),
    (108.60, 110.30, 108.20, 110.00, 2550.0),
    (110.00, 111.10, 109.40, 109.70, 2015.0),
    (109.70, 110.00, 107.90, 108.30, 1880.0),
    (108.30, 109.60, 107.70, 109.20, 1460.0),
    (109.20, 111.40, 109.00, 111.00, 2330.0),
    (111.00, 112.80, 110.60, 112.50, 2720.0),
    (112.50, 113.00, 110.90, 111.30, 1990.0),
    (111.30, 111.80, 109.10, 109.60, 2260.0),
    (109.60, 110.20, 108.00, 108.40, 2140.0),
    (108.40, 109.90, 108.10, 109.50, 1510.0),
    (109.50, 111.20, 109.30, 110.80, 1780.0),
    (110.80, 112.60, 110.50, 112.20, 2090.0),
    (112.20, 113.90, 111.80, 113.40, 2460.0),
    (113.40, 113.70, 111.60, 112.00, 1870.0),
    (112.00, 112.40, 109.70, 110.10, 2390.0),
    (110.10, 111.50, 109.80, 111.20, 1560.0),
    (111.20, 113.30, 111.00, 113.00, 2180.0),
    (113.00, 114.60, 112.70, 114.20, 2540.0),
    (114.20, 115.10, 113.50, 113.90, 1920.0),
    (113.90, 116.00, 113.80, 115.70, 2810.0),
    (115.70, 116.40, 114.60, 115.00, 2050.0),
    (115.00, 117.20, 114.90, 116.80, 2995.0),
]

DAY_NS = 86400 * 10**9
START_NS = 1704067200 * 10**9  # 2024-01-01T00:00:00Z
TIMES = [START_NS + i * DAY_NS for i in range(len(BARS))]
OPEN = [b[0] for b in BARS]
HIGH = [b[1] for b in BARS]
LOW = [b[2] for b in BARS]
CLOSE = [b[3] for b in BARS]
VOLUME = [b[4] for b in BARS]
N = len(BARS)


def sma(xs, n):
    return [None if i < n - 1 else math.fsum(xs[i - n + 1:i + 1]) / n
            for i in range(len(xs))]


def ema(xs, n):
    """Seeded with the SMA of the first n values; alpha = 2 / (n + 1)."""
    out = [None] * len(xs)
    if len(xs) < n:
        return out
    alpha = 2 / (n + 1)
    value = math.fsum(xs[:n]) / n
    out[n - 1] = value
    for i in range(n, len(xs)):
        value = alpha * xs[i] + (1 - alpha) * value
        out[i] = value
    return out


def wilder(values, n):
    """values[0] is unused (no previous bar); first average at index n."""
    out = [None] * len(values)
    if len(values) < n + 1:
        return out
    avg = math.fsum(values[1:n + 1]) / n
    out[n] = avg
    for i in range(n + 1, len(values)):
        avg = (avg * (n - 1) + values[i]) / n
        out[i] = avg
    return out


def rsi(closes, n):
    gains = [0.0] + [max(closes[i] - closes[i - 1], 0.0) for i in range(1, len(closes))]
    losses = [0.0] + [max(closes[i - 1] - closes[i], 0.0) for i in range(1, len(closes))]
    g, l = wilder(gains, n), wilder(losses, n)
    out = []
    for a, b in zip(g, l):
        if a is None:
            out.append(None)
        elif b == 0:
            out.append(100.0)
        else:
            out.append(100 - 100 / (1 + a / b))
    return out


def macd(closes, fast, slow, signal):
    f, s = ema(closes, fast), ema(closes, slow)
    line = [None if s[i] is None else f[i] - s[i] for i in range(len(closes))]
    defined = [x for x in line if x is not None]
    sig_tail = ema(defined, signal)
    sig = [None] * (len(closes) - len(defined)) + sig_tail
    hist = [None if sig[i] is None else line[i] - sig[i] for i in range(len(closes))]
    return line, sig, hist


def bollinger(closes, n, k):
    mid, up, lo = [], [], []
    for i in range(len(closes)):
        if i < n - 1:
            mid.append(None); up.append(None); lo.append(None)
            continue
        window = closes[i - n + 1:i + 1]
        m = math.fsum(window) / n
        sd = statistics.pstdev(window)  # population: divide by n
        mid.append(m); up.append(m + k * sd); lo.append(m - k * sd)
    return mid, up, lo


def atr(high, low, close, n):
    tr = [0.0] + [max(high[i] - low[i], abs(high[i] - close[i - 1]),
                      abs(low[i] - close[i - 1])) for i in range(1, len(close))]
    return wilder(tr, n)


def vwap(times, high, low, close, volume, reset_ns=0):
    out = []
    pv = vol = 0.0
    terms_pv, terms_v = [], []
    for i in range(len(close)):
        if i > 0 and reset_ns > 0 and times[i] // reset_ns != times[i - 1] // reset_ns:
            terms_pv, terms_v = [], []
        typical = (high[i] + low[i] + close[i]) / 3
        terms_pv.append(typical * volume[i])
        terms_v.append(volume[i])
        pv, vol = math.fsum(terms_pv), math.fsum(terms_v)
        out.append(pv / vol if vol > 0 else None)
    return out


def volatility(closes, n, bars_per_year):
    rets = [None] + [math.log(closes[i] / closes[i - 1]) for i in range(1, len(closes))]
    sd, ann = [], []
    for i in range(len(closes)):
        if i < n:
            sd.append(None); ann.append(None)
            continue
        s = statistics.stdev(rets[i - n + 1:i + 1])  # sample: divide by n - 1
        sd.append(s); ann.append(s * math.sqrt(bars_per_year))
    return sd, ann


def cxx_list(name, xs):
    items = ["std::nullopt" if x is None else repr(float(x)) for x in xs]
    lines, line = [], "   "
    for it in items:
        if len(line) + len(it) + 2 > 86:
            lines.append(line)
            line = "   "
        line += " " + it + ","
    lines.append(line)
    return ("inline const std::vector<std::optional<double>> " + name + " = {\n"
            + "\n".join(lines) + "\n};\n")


def main():
    m_line, m_sig, m_hist = macd(CLOSE, 12, 26, 9)
    b_mid, b_up, b_lo = bollinger(CLOSE, 20, 2.0)
    v_sd, v_ann = volatility(CLOSE, 20, 365.0)
    tables = [
        ("sma5", sma(CLOSE, 5)),
        ("sma20", sma(CLOSE, 20)),
        ("ema10", ema(CLOSE, 10)),
        ("rsi14", rsi(CLOSE, 14)),
        ("rsi5", rsi(CLOSE, 5)),
        ("macd_line", m_line),
        ("macd_signal", m_sig),
        ("macd_hist", m_hist),
        ("bb20_middle", b_mid),
        ("bb20_upper", b_up),
        ("bb20_lower", b_lo),
        ("bb10_k1_5_upper", bollinger(CLOSE, 10, 1.5)[1]),
        ("atr14", atr(HIGH, LOW, CLOSE, 14)),
        ("vwap_all", vwap(TIMES, HIGH, LOW, CLOSE, VOLUME)),
        ("vwap_3d", vwap(TIMES, HIGH, LOW, CLOSE, VOLUME, 3 * DAY_NS)),
        ("vol20", v_sd),
        ("vol20_annualized", v_ann),
    ]
    out = []
    out.append("#pragma once\n\n")
    out.append("// Generated by tests/indicators/reference/make_reference.py: do not edit.\n")
    out.append("// The fixed series and the indicators' reference values (std::nullopt:\n")
    out.append("// absent, in warm-up).\n\n")
    out.append("#include <cstdint>\n#include <optional>\n#include <vector>\n\n")
    out.append("namespace tickflow::test::reference {\n\n")
    out.append("struct bar_row {\n  int64_t t_ns;\n  double open, high, low, close, volume;\n};\n\n")
    out.append("inline constexpr int64_t day_ns = %d;\n\n" % DAY_NS)
    out.append("inline const std::vector<bar_row> bars = {\n")
    for t, b in zip(TIMES, BARS):
        out.append("  {%d, %s, %s, %s, %s, %s},\n" % ((t,) + tuple(repr(x) for x in b)))
    out.append("};\n\n")
    for name, xs in tables:
        assert len(xs) == N
        out.append(cxx_list(name, xs))
        out.append("\n")
    out.append("} // namespace tickflow::test::reference\n")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_values.hpp")
    with open(path, "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
