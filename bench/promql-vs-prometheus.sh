#!/usr/bin/env bash
# PromQL range-query latency, Specula beside the real Prometheus on the same data:
#   bench/promql-vs-prometheus.sh [N]          (default 1000)
# WARMUP (default 3) untimed and RUNS (default 10) timed runs per query and side; medians shown.
# 1. Specula's durable head writes EngineBenchmark's data (N counters, N `up`, N/10 classic
#    histograms of 10 buckets, 15 s apart for 2 h ending now) to a data dir (wal/ + chunks_head/,
#    Prometheus's formats) and closes it. Two copies are made. Both sides query the hour ending
#    7.5 s before the last sample (see end_ms below).
# 2. Prometheus (PROMETHEUS, default /usr/bin/prometheus, empty scrape config, loopback port)
#    replays one copy; each query goes to /api/v1/query_range (last hour, step 15 s, stats=all)
#    over one keep-alive connection. Its time is request to last response byte, so HTTP and
#    JSON encoding are included; Prometheus's own evalTotalTime is shown beside it.
#    Prometheus is stopped before Specula starts.
# 3. One JVM opens the other copy with Specula's head and runs the same queries through Engine
#    (parse + evaluate, no HTTP, no JSON), the same warmup and runs.
# 4. Results are compared: same series (by labels), same timestamps, values within 1e-9 relative.
# Work files go to BENCH_DIR (default a temp dir under /tmp), removed at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
series=${1:-1000}
warmup=${WARMUP:-3}
runs=${RUNS:-10}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
work=$(mktemp -d "${BENCH_DIR:-/tmp}/promql-vs-prom.XXXXXX")
prom_pid=
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -ntp -DskipTests -pl benchmarks -am package
java=("$JAVA_HOME/bin/java" ${SPECULA_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar io.specula.benchmarks.promql.PromqlSideBySide)

echo "== generate: N=$series with Specula's head"
"${java[@]}" generate "$work/gen" "$series" | tee "$work/generate.txt"
# Queries end half a scrape before the last sample, so no sample sits on a window's left edge:
# Prometheus 2.42's range windows include that edge, 3.x's (Specula's semantics) exclude it.
end_ms=$(( $(sed -n 's/^end_ms=//p' "$work/generate.txt") - 7500 ))
cp -a "$work/gen" "$work/prom"
cp -a "$work/gen" "$work/specula"

echo "== Prometheus ($("$prometheus" --version 2>&1 | head -n 1))"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > "$work/prometheus.yml"
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$port" > "$work/prometheus.log" 2>&1 &
prom_pid=$!
until curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null; do
  kill -0 "$prom_pid" 2>/dev/null || { cat "$work/prometheus.log"; exit 1; }
  sleep 0.1
done
mkdir -p "$work/prom-out"
python3 - "$port" "$end_ms" "$warmup" "$runs" "$work/prom-out" <<'PY' | tee "$work/prom.txt"
import http.client, json, statistics, sys, time, urllib.parse
port, end_ms, warmup, runs, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
queries = {
    "RATE": "rate(http_requests_total[5m])",
    "SUM_BY_RATE": "sum by (job) (rate(http_requests_total[5m]))",
    "HISTOGRAM_QUANTILE": "histogram_quantile(0.9, sum by (le, job) (rate(request_duration_seconds_bucket[5m])))",
    "GROUP_LEFT": "http_requests_total / on(instance, job) group_left up",
}
conn = http.client.HTTPConnection("127.0.0.1", port)
for name, q in queries.items():
    path = "/api/v1/query_range?" + urllib.parse.urlencode({
        "query": q, "start": (end_ms - 3_600_000) / 1000, "end": end_ms / 1000, "step": "15", "stats": "all"})
    walls, evals = [], []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        wall = time.perf_counter() - t0
        if resp.status != 200:
            sys.exit(f"Prometheus answered {resp.status} to {q}: {body[:300]!r}")
        if i >= warmup:
            walls.append(wall * 1000)
            doc = json.loads(body)
            evals.append(doc["data"].get("stats", {}).get("timings", {}).get("evalTotalTime", float("nan")) * 1000)
    with open(f"{out}/{name}.txt", "w") as f:
        for s in doc["data"]["result"]:
            key = ",".join(f"{k}={v}" for k, v in sorted(s["metric"].items()))
            f.write(key + "\t" + " ".join(f"{round(float(t) * 1000)} {v}" for t, v in s["values"]) + "\n")
    print(f"prometheus query={name} median_ms={statistics.median(walls):.3f} min_ms={min(walls):.3f} "
          f"max_ms={max(walls):.3f} eval_median_ms={statistics.median(evals):.3f} series={len(doc['data']['result'])} "
          f"response_bytes={len(body)}")
PY
kill "$prom_pid"
wait "$prom_pid" 2>/dev/null || true
prom_pid=

echo "== Specula ($("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1))"
"${java[@]}" query "$work/specula" "$end_ms" "$warmup" "$runs" "$work/specula-out" | tee "$work/specula.txt"

python3 - "$work" "$series" "$warmup" "$runs" <<'PY'
import re, sys
work, series, warmup, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def parse(path):
    rows = {}
    for line in open(path):
        m = re.search(r"query=(\w+)", line)
        if m:
            rows[m.group(1)] = dict((k, float(v)) for k, v in re.findall(r"(\w+)=([0-9.]+)", line))
    return rows
prom, spec = parse(f"{work}/prom.txt"), parse(f"{work}/specula.txt")
def load(path):
    out = {}
    for line in open(path):
        key, _, pts = line.rstrip("\n").partition("\t")
        w = pts.split()
        out[key] = [(int(w[i]), float(w[i + 1].replace("Infinity", "inf"))) for i in range(0, len(w), 2)]
    return out
def close(a, b):
    if a == b or (a != a and b != b):
        return True
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
mismatches = []
for q in prom:
    p, s = load(f"{work}/prom-out/{q}.txt"), load(f"{work}/specula-out/{q}.txt")
    if set(p) != set(s):
        mismatches.append(f"{q}: series differ: {len(p)} in Prometheus, {len(s)} in Specula, "
                          f"e.g. only Prometheus {sorted(set(p) - set(s))[:2]}, only Specula {sorted(set(s) - set(p))[:2]}")
        continue
    for key in p:
        pp, sp = p[key], s[key]
        if [t for t, _ in pp] != [t for t, _ in sp]:
            mismatches.append(f"{q}: {key}: timestamps differ ({len(pp)} vs {len(sp)} points)")
            break
        bad = [(t, a, b) for (t, a), (_, b) in zip(pp, sp) if not close(a, b)]
        if bad:
            mismatches.append(f"{q}: {key}: {len(bad)} values differ, first at t={bad[0][0]}: {bad[0][1]!r} vs {bad[0][2]!r}")
            break
print(f"\n== summary: N={series}, medians of {runs} runs after {warmup} warmups, 1 h range at 15 s step")
print(f"{'query':20} {'series':>7} {'Prom HTTP ms':>13} {'Prom eval ms':>13} {'Specula ms':>11} {'S/P HTTP':>9} {'S/P eval':>9}")
for q in prom:
    ph, pe, sm = prom[q]["median_ms"], prom[q]["eval_median_ms"], spec[q]["median_ms"]
    print(f"{q:20} {int(spec[q]['series']):>7} {ph:>13.2f} {pe:>13.2f} {sm:>11.2f} {sm / ph:>9.2f} {sm / pe:>9.2f}")
if mismatches:
    print("\n!!!!!! RESULTS DIFFER between Prometheus and Specula !!!!!!")
    for m in mismatches:
        print("!!! " + m)
    sys.exit(1)
print("results agree: same series, same timestamps, values within 1e-9 relative")
PY
