#!/usr/bin/env python3
"""Random and pathological PromQL against several servers at once (bench/hostile-targets.sh).

    hostile-queries.py SECONDS OUTFILE name=http://host:port ...

LETHAL=1 adds two subqueries with billions of steps that make Prometheus 2.42 itself run out of
memory. Each round sends one query from the pathological list (in turn) and one random query to every
server, one after the other, with a 30 s client timeout. OUTFILE gets one line per request:
"server kind status seconds query". Status 0 is a client timeout or a refused connection.
"""
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

LABELS = ",".join(f"l{i}" for i in range(5000))
# Subqueries with billions of steps: Prometheus 2.42 itself runs out of memory on them (LETHAL=1 adds them).
LETHAL = [
    ("range", "rate(healthy_requests_total[1y:1ms])"),
    ("instant", "sum_over_time(up[10000d:1s])"),
]
PATHOLOGICAL = [
    ("range", "rate(healthy_requests_total[1d:1s])"),                # subquery: 86,400 steps per series
    ("instant", "sum_over_time(up[30d:10s])"),                       # long subquery range
    ("instant", f"sum by ({LABELS}) (healthy_requests_total)"),      # 5,000-label grouping
    ("instant", '{__name__=~"(.*a.*)*(.*b.*)*(.*c.*)*x"}'),          # regex explosion
    ("instant", "count_values(\"v\", {__name__=~\".+\"})"),
    ("instant", "histogram_quantile(0.9, rate({__name__=~\".+\"}[5m]))"),
    ("instant", "topk(100000000, {__name__=~\".+\"} * on() group_left vector(1))"),
    ("instant", "label_replace({__name__=~\".+\"}, \"x\", \"$1$1$1$1$1$1$1$1\", \"__name__\", \"(.*)\")"),
    ("instant", "absent_over_time(nonexistent[100y])"),
    ("instant", "1/0 + -1/0"),
    ("instant", "(" * 2000 + "1" + ")" * 2000),                        # deep nesting
    ("range_tiny_step", "up"),                                        # query_range with step 1ms over a day
    ("instant", "sum(rate(healthy_requests_total[5m])) by (code) / ignoring(code) group_left sum(rate(healthy_requests_total[5m]))"),
    ("instant", "quantile_over_time(0.5, {__name__=~\".+\"}[1h:100ms])"),
]
ALPHABET = "abcdefghijklmnopqrstuvwxyz_(){}[]\",=~!:1234567890.+-*/^ @"
FUNCS = ["rate", "sum", "avg", "max", "count", "topk", "label_join", "holt_winters", "quantile", "absent", "sort"]


def random_query(rng):
    if rng.random() < 0.5:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 80)))
    q = rng.choice(["up", "healthy_requests_total", "{__name__=~\".+\"}", "scrape_duration_seconds"])
    for _ in range(rng.randint(1, 6)):
        f = rng.choice(FUNCS)
        q = f"{f}({q}[{rng.randint(1, 100000)}s])" if f == "rate" else f"{f}({q})"
    return q


def send(base, kind, q):
    now = time.time()
    if kind == "range":
        params = dict(query=q, start=now - 3600, end=now, step="15")
        path = "/api/v1/query_range"
    elif kind == "range_tiny_step":
        params = dict(query=q, start=now - 86400, end=now, step="0.001")
        path = "/api/v1/query_range"
    else:
        params = dict(query=q, time=now)
        path = "/api/v1/query"
    data = urllib.parse.urlencode(params).encode()
    start = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, data=data, timeout=30) as r:
            r.read(1 << 20)
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception:  # timeout, refused, reset
        status = 0
    return status, time.monotonic() - start


def main():
    if os.environ.get("LETHAL") == "1":
        PATHOLOGICAL[:0] = LETHAL
    seconds = float(sys.argv[1])
    servers = [a.split("=", 1) for a in sys.argv[3:]]
    rng = random.Random(13)
    end = time.monotonic() + seconds
    i = 0
    dead = set()
    with open(sys.argv[2], "w") as out:
        while time.monotonic() < end:
            if len(dead) == len(servers):
                time.sleep(1)
                continue
            kind, q = PATHOLOGICAL[i % len(PATHOLOGICAL)]
            i += 1
            for batch in ((kind, q), ("instant", random_query(rng))):
                for name, base in servers:
                    if name in dead:
                        continue
                    status, secs = send(base, *batch)
                    if status == 0 and secs < 1:
                        dead.add(name)  # connection refused: the server is gone
                    out.write(f"{name} {batch[0]} {status} {secs:.3f} {batch[1][:200]}\n")
                    out.flush()


if __name__ == "__main__":
    main()
