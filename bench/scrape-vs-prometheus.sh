#!/usr/bin/env bash
# Scraping end to end, Specula beside the real Prometheus on the same synthetic targets:
#   bench/scrape-vs-prometheus.sh [TARGETS] [SERIES_PER_TARGET] [SECONDS] [INTERVAL]
#   (default 10 5000 120 1s: 50,000 series scraped every second, a 120 s measurement window)
#
# 1. SyntheticTargets (benchmarks module) serves TARGETS endpoints of SERIES_PER_TARGET series
#    each on 127.0.0.1 (node-exporter / kube-state-metrics-like families, counters that grow at
#    every scrape, random-walking gauges); its own CPU is measured and printed.
# 2. Prometheus (PROMETHEUS, default /usr/bin/prometheus) and Specula (app/target/specula.jar,
#    once per JVM flag set in SPECULA_VARIANTS) run ONE AFTER THE OTHER on fresh data dirs with
#    the same prometheus.yml. After WARMUP seconds (default max(30, 3 intervals)) the window
#    starts: CPU from /proc/PID/stat (utime + stime) and prometheus_tsdb_head_samples_appended_total
#    from each server's /metrics at both ends give CPU-s per 1M samples; VmRSS is sampled every
#    second in the window (mean reported); the data dir's allocated bytes (du -B1: WAL and head
#    chunks, no block is cut this early) are divided by all samples appended so far.
# 3. Memory per series = (mean RSS in the window - mean RSS of the same server with the same flags
#    on an empty scrape config over 10 s after BASELINE_SETTLE seconds) / head series. Also heap
#    per series, minus the empty baseline's: Specula's live heap after a full GC (jcmd GC.run,
#    after the window), Prometheus's go_memstats_heap_inuse_bytes (garbage included).
# REPEAT=N (default 1) repeats the loaded runs, alternating the servers; the summary shows medians.
# SPECULA_VARIANTS: 'name=flags|name=flags|...', default 'launcher=<the ./specula launcher's flags>'.
# Work files go to BENCH_DIR (default a temp dir under /tmp); KEEP=1 keeps them.
# Raw per-run lines are also appended to bench/results/scrape-<date>.txt (not committed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
targets=${1:-10}
per_target=${2:-5000}
window=${3:-120}
interval=${4:-1s}
interval_s=$(python3 -c "import re,sys; m=re.fullmatch(r'(\d+)(ms|s|m)','$interval'); \
print(int(m[1]) * {'ms': 0.001, 's': 1, 'm': 60}[m[2]])" 2>/dev/null) || { echo "bad INTERVAL $interval (e.g. 1s, 15s)" >&2; exit 2; }
warmup=${WARMUP:-$(python3 -c "print(int(max(30, 3 * $interval_s)))")}
settle=${BASELINE_SETTLE:-20}
repeat=${REPEAT:-1}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
launcher_flags='-XX:+UseG1GC -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError' # keep in step with ./specula
variants=${SPECULA_VARIANTS:-launcher=$launcher_flags}
work=$(mktemp -d "${BENCH_DIR:-/tmp}/scrape-vs-prom.XXXXXX")
server_pid=
gen_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$gen_pid" ] && kill "$gen_pid" 2>/dev/null && wait "$gen_pid" 2>/dev/null
  [ "${KEEP:-0}" = 1 ] && echo "work files kept in $work" || rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl app,benchmarks -am package
mkdir -p bench/results
results="bench/results/scrape-$(date +%Y%m%d-%H%M%S).txt"
tick=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
cpu_of() { awk -v t="$tick" '{printf "%.3f", ($14 + $15) / t}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }
# metric PORT NAME: the sum of all series of NAME on the server's /metrics
metric() {
  curl -sf "http://127.0.0.1:$1/metrics" |
    awk -v n="$2" '$1 == n || index($1, n "{") == 1 {s += $NF} END {printf "%.0f", s}'
}
load() { cut -d' ' -f1 /proc/loadavg; }
# heap PORT KIND: live heap bytes. Specula: jvm_memory_used_bytes{area="heap"} right after a full GC
# (jcmd GC.run); Prometheus: go_memstats_heap_inuse_bytes as it stands (Go has no cheap outside trigger).
heap() {
  if [ "$2" = prometheus ]; then
    metric "$1" go_memstats_heap_inuse_bytes
  else
    "$JAVA_HOME/bin/jcmd" "$server_pid" GC.run > /dev/null
    curl -sf "http://127.0.0.1:$1/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {printf "%.0f", $NF}'
  fi
}
# rss_mean SECONDS: mean VmRSS of the server sampled once a second
rss_mean() {
  local sum=0 n=0
  for _ in $(seq "$1"); do sleep 1; sum=$((sum + $(rss_of "$server_pid"))); n=$((n + 1)); done
  echo $((sum / n))
}

echo "== $targets targets x $per_target series = $((targets * per_target)) series every $interval;" \
  "warm-up ${warmup}s, window ${window}s, $repeat round(s); load now $(load) on $(nproc) cores"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m -cp benchmarks/target/benchmarks.jar \
  io.specula.benchmarks.scrape.SyntheticTargets "$targets" "$per_target" > "$work/targets.txt" 2>&1 &
gen_pid=$!
until grep -q '^bytes_per_body' "$work/targets.txt"; do
  kill -0 "$gen_pid" 2>/dev/null || { cat "$work/targets.txt"; exit 1; }
  sleep 0.1
done
ports=$(sed -n 's/^ports=//p' "$work/targets.txt")
echo "   synthetic targets on ports $ports; $(sed -n 's/^\(bytes_per_body=[0-9]*\).*/\1/p' "$work/targets.txt")"

timeout=$(python3 -c "print(str(min(10, $interval_s)) + 's')")
{
  printf 'global:\n  scrape_interval: %s\n  scrape_timeout: %s\nscrape_configs:\n  - job_name: synthetic\n    static_configs:\n      - targets:\n' \
    "$interval" "$timeout"
  for p in ${ports//,/ }; do printf '          - 127.0.0.1:%s\n' "$p"; done
} > "$work/prometheus.yml"
printf 'global:\n  scrape_interval: %s\nscrape_configs: []\n' "$interval" > "$work/empty.yml"

# start_server KIND FLAGS CONFIG DATA LOG: starts Prometheus or Specula, waits for /-/ready; sets server_pid, port
start_server() {
  local kind=$1 flags=$2 config=$3 data=$4 log=$5
  port=$(free_port)
  rm -rf "$data"
  mkdir -p "$data"
  if [ "$kind" = prometheus ]; then
    "$prometheus" --config.file="$config" --storage.tsdb.path="$data" --web.listen-address="127.0.0.1:$port" > "$log" 2>&1 &
  else
    # shellcheck disable=SC2086 # flags are words
    "$JAVA_HOME/bin/java" $flags --enable-native-access=ALL-UNNAMED -jar app/target/specula.jar server \
      --config.file="$config" --storage.tsdb.path="$data" --web.listen-address="127.0.0.1:$port" > "$log" 2>&1 &
  fi
  server_pid=$!
  until curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { echo "$kind failed to start:"; tail -20 "$log"; exit 1; }
    sleep 0.1
  done
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# baseline TAG KIND FLAGS: RSS on the empty config after settling (mean of the last 10 s)
baseline() {
  local tag=$1 kind=$2 flags=$3 rss
  start_server "$kind" "$flags" "$work/empty.yml" "$work/data-empty" "$work/$tag-empty.log"
  sleep $((settle > 10 ? settle - 10 : 0))
  rss=$(rss_mean 10)
  echo "$tag empty rss_bytes=$rss cpu_s=$(cpu_of "$server_pid") heap_bytes=$(heap "$port" "$kind")" | tee -a "$work/results.txt" "$results"
  stop_server
}

# loaded TAG KIND FLAGS: one measured run scraping all targets
loaded() {
  local tag=$1 kind=$2 flags=$3 c0 c1 s0 s1 t0 t1 g0 g1 l0 rss_sum=0 rss_max=0 n=0 r
  start_server "$kind" "$flags" "$work/prometheus.yml" "$work/data" "$work/$tag-load.log"
  sleep "$warmup"
  l0=$(load)
  t0=$(now); c0=$(cpu_of "$server_pid"); g0=$(cpu_of "$gen_pid"); s0=$(metric "$port" prometheus_tsdb_head_samples_appended_total)
  for _ in $(seq "$window"); do
    sleep 1
    r=$(rss_of "$server_pid")
    rss_sum=$((rss_sum + r)); n=$((n + 1)); [ "$r" -gt "$rss_max" ] && rss_max=$r
  done
  s1=$(metric "$port" prometheus_tsdb_head_samples_appended_total); c1=$(cpu_of "$server_pid"); g1=$(cpu_of "$gen_pid"); t1=$(now)
  echo "$tag load wall_s=$(echo "$t1 - $t0" | bc -l) cpu_s=$(echo "$c1 - $c0" | bc -l) samples=$((s1 - s0))" \
    "samples_total=$s1 head_series=$(metric "$port" prometheus_tsdb_head_series)" \
    "rss_mean_bytes=$((rss_sum / n)) rss_max_bytes=$rss_max disk_bytes=$(du -s -B1 "$work/data" | cut -f1)" \
    "gen_cpu_s=$(echo "$g1 - $g0" | bc -l) load_start=$l0 load_end=$(load) heap_bytes=$(heap "$port" "$kind")" | tee -a "$work/results.txt" "$results"
  du -s -B1 "$work/data"/* 2>/dev/null | sed "s|$work/data/||; s/^/   /"
  stop_server
}

IFS='|' read -r -a variant_list <<< "$variants"
echo "== empty-config baselines (RSS after ${settle}s)"
baseline prometheus prometheus ""
for v in "${variant_list[@]}"; do baseline "specula:${v%%=*}" specula "${v#*=}"; done
for round in $(seq "$repeat"); do
  echo "== round $round: load $(load)"
  loaded prometheus prometheus ""
  for v in "${variant_list[@]}"; do loaded "specula:${v%%=*}" specula "${v#*=}"; done
done

python3 - "$work/results.txt" "$targets" "$per_target" "$window" "$interval" "$variants" <<'PY'
import re, statistics, sys
path, targets, per_target, window, interval, variants = sys.argv[1:]
runs = {}
for line in open(path):
    tag, mode, *rest = line.split()
    runs.setdefault((tag, mode), []).append({k: float(v) for k, v in (w.split("=", 1) for w in rest)})
def med(tag, mode, f):
    vals = [f(r) for r in runs.get((tag, mode), [])]
    return statistics.median(vals) if vals else float("nan")
def stats(tag):
    cpu = med(tag, "load", lambda r: r["cpu_s"] / r["samples"] * 1e6)
    rss = med(tag, "load", lambda r: r["rss_mean_bytes"])
    series = med(tag, "load", lambda r: r["head_series"])
    base = med(tag, "empty", lambda r: r["rss_bytes"])
    return {
        "CPU-s per 1M samples": cpu,
        "CPU cores used": med(tag, "load", lambda r: r["cpu_s"] / r["wall_s"]),
        "samples/s ingested": med(tag, "load", lambda r: r["samples"] / r["wall_s"]),
        "head series": series,
        "RSS mean in window (MB)": rss / 1e6,
        "RSS max in window (MB)": med(tag, "load", lambda r: r["rss_max_bytes"]) / 1e6,
        "RSS empty config (MB)": base / 1e6,
        "memory per series (B)": (rss - base) / series,
        "heap per series (B) [1]": (med(tag, "load", lambda r: r["heap_bytes"]) - med(tag, "empty", lambda r: r["heap_bytes"])) / series,
        "disk bytes per sample": med(tag, "load", lambda r: r["disk_bytes"] / r["samples_total"]),
        "generator CPU-s per 1M samples": med(tag, "load", lambda r: r["gen_cpu_s"] / r["samples"] * 1e6),
        "load average (start of window)": med(tag, "load", lambda r: r["load_start"]),
    }
rounds = len(runs.get(("prometheus", "load"), []))
total = int(targets) * int(per_target)
print(f"\n== summary: {targets} targets x {per_target} series = {total} series every {interval}, "
      f"{window} s windows, medians of {rounds} round(s)")
p = stats("prometheus")
for v in variants.split("|"):
    name, flags = v.split("=", 1)
    s = stats("specula:" + name)
    print(f"\nSpecula JVM flags [{name}]: {flags}")
    print(f"{'':34} {'Prometheus':>12} {'Specula':>12} {'S/P':>6}")
    for k in p:
        ratio = s[k] / p[k] if p[k] and k not in ("load average (start of window)",) else float("nan")
        fmt = "{:.0f}" if abs(p[k]) >= 100 else "{:.3f}"
        print(f"{k:34} {fmt.format(p[k]):>12} {fmt.format(s[k]):>12} {ratio:>6.2f}")
print("\n[1] Specula: live heap after a full GC; Prometheus: Go heap in use, garbage included")
PY
