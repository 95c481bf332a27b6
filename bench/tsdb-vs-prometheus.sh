#!/usr/bin/env bash
# Head restart (WAL replay) and memory, Specula beside the real Prometheus on the same data:
#   bench/tsdb-vs-prometheus.sh [SERIES] [SAMPLES_PER_SERIES]      (default 100000 480)
# REPEAT=N (default 3) restarts each side N times, alternating; the summary shows medians.
# 1. Specula's durable head ingests SERIES series x SAMPLES 15 s scrapes ending now into a data
#    directory (wal/ + chunks_head/, Prometheus's formats); the process CPU of that ingestion is
#    Specula's append cost.
# 2. Two identical copies are made. Prometheus (PROMETHEUS, default /usr/bin/prometheus, an empty
#    scrape config) starts on one: time to /-/ready, CPU to ready (/proc/PID/stat), RSS at ready
#    and after settling, Go heap in use. Specula's head opens the other (a fresh JVM): time to
#    ready, CPU, heap after GC, RSS; once with the default replay workers (one per processor)
#    and once replaying in the opening thread alone (-Dspecula.replay.workers=1).
# 3. Both also start once on an empty directory; per-series figures subtract that baseline.
# Everything runs one after the other; page cache is warm for both (the copies were just made).
# Work files go to BENCH_DIR (default a temp dir under /tmp), removed at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
series=${1:-100000}
samples=${2:-480}
repeat=${REPEAT:-3}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
work=$(mktemp -d "${BENCH_DIR:-/tmp}/tsdb-vs-prom.XXXXXX")
prom_pid=
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl benchmarks -am package
java=("$JAVA_HOME/bin/java" ${SPECULA_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar io.specula.benchmarks.tsdb.HeadReplayBench)
tick=$(getconf CLK_TCK)

echo "== generate: $series series x $samples samples with Specula's head"
"${java[@]}" generate "$work/gen" "$series" "$samples" | tee "$work/generate.txt"
du -sh "$work/gen"/* | sed 's/^/   /'

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
metric() { grep -E "^$1 " "$work/metrics.txt" | awk '{print $2}'; }

# run_prometheus DATA_DIR LABEL: prints one key=value line
run_prometheus() {
  local data=$1 label=$2 port start ready rss cpu settled
  port=$(free_port)
  printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > "$work/prometheus.yml"
  start=$(now)
  "$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$data" \
    --web.listen-address="127.0.0.1:$port" > "$work/prometheus-$label.log" 2>&1 &
  prom_pid=$!
  until curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null; do
    kill -0 "$prom_pid" 2>/dev/null || { cat "$work/prometheus-$label.log"; exit 1; }
    sleep 0.05
  done
  ready=$(now)
  rss=$(awk '/VmRSS/ {print $2 * 1024}' "/proc/$prom_pid/status")
  cpu=$(awk -v t="$tick" '{printf "%.2f", ($14 + $15) / t}' "/proc/$prom_pid/stat")
  sleep 10 # let the Go GC return replay garbage
  curl -sf "http://127.0.0.1:$port/metrics" > "$work/metrics.txt"
  settled=$(awk '/VmRSS/ {print $2 * 1024}' "/proc/$prom_pid/status")
  echo "prometheus_$label start_to_ready_s=$(echo "$ready - $start" | bc -l | xargs printf '%.2f') cpu_to_ready_s=$cpu" \
    "rss_at_ready_bytes=$rss rss_settled_bytes=$settled heap_inuse_bytes=$(metric go_memstats_heap_inuse_bytes | xargs printf '%.0f')" \
    "head_series=$(metric prometheus_tsdb_head_series | xargs printf '%.0f')"
  kill "$prom_pid"
  wait "$prom_pid" 2>/dev/null || true
  prom_pid=
}

echo "== empty baselines"
mkdir -p "$work/empty-prom" "$work/empty-specula"
run_prometheus "$work/empty-prom" empty | tee -a "$work/results.txt"
"${java[@]}" replay "$work/empty-specula" | sed 's/^/specula_empty /' | tee -a "$work/results.txt"

echo "== restart on copies of the generated directory, $repeat rounds"
for round in $(seq "$repeat"); do
  cp -a "$work/gen" "$work/prom"
  run_prometheus "$work/prom" data | tee -a "$work/results.txt"
  rm -rf "$work/prom"
  cp -a "$work/gen" "$work/specula"
  "${java[@]}" replay "$work/specula" | sed 's/^/specula_data /' | tee -a "$work/results.txt"
  rm -rf "$work/specula"
  cp -a "$work/gen" "$work/specula"
  "$JAVA_HOME/bin/java" ${SPECULA_JAVA_OPTS:-} -Dspecula.replay.workers=1 -cp benchmarks/target/benchmarks.jar \
    io.specula.benchmarks.tsdb.HeadReplayBench replay "$work/specula" | sed 's/^/specula1_data /' | tee -a "$work/results.txt"
  rm -rf "$work/specula"
done

python3 - "$work/results.txt" "$work/generate.txt" "$series" "$samples" <<'PY'
import re, sys
import statistics
lists = {}
for path in sys.argv[1:3]:
    for line in open(path):
        words = line.split()
        tag = words[0] if words and "=" not in words[0] else ""
        for k, v in re.findall(r"(\w+)=([0-9.]+)", line):
            lists.setdefault((tag, k), []).append(float(v))
vals = {key: statistics.median(v) for key, v in lists.items()}
series, samples = int(sys.argv[3]), int(sys.argv[4])
total = series * samples
def g(p, k): return vals.get((p, k), float("nan"))
pr, sp = "prometheus_data", "specula_data"
pe, se = "prometheus_empty", "specula_empty"
print(f"\n== summary: {series} series x {samples} samples = {total} samples")
print(f"medians of {len(lists.get(('prometheus_data', 'start_to_ready_s'), []))} rounds; Specula with the default replay workers; "
      f"Prometheus settles 10 s after ready, Specula runs 3 System.gc()")
print(f"{'':44} {'Prometheus':>14} {'Specula':>14} {'ratio S/P':>10}")
def row(name, p, s, fmt="{:.2f}"):
    print(f"{name:44} {fmt.format(p):>14} {fmt.format(s):>14} {s / p if p else float('nan'):>10.2f}")
row("start to ready (s)", g(pr, "start_to_ready_s"), g(sp, "start_to_ready_s"))
row("CPU to ready (s)", g(pr, "cpu_to_ready_s"), g(sp, "cpu_to_ready_s"))
row("CPU to ready per 1M samples (s)", g(pr, "cpu_to_ready_s") / total * 1e6, g(sp, "cpu_to_ready_s") / total * 1e6, "{:.3f}")
row("RSS at ready (MB)", g(pr, "rss_at_ready_bytes") / 1e6, g(sp, "rss_at_ready_bytes") / 1e6, "{:.0f}")
row("RSS after settling / GC (MB)", g(pr, "rss_settled_bytes") / 1e6, g(sp, "rss_after_gc_bytes") / 1e6, "{:.0f}")
row("RSS per series, minus empty (B)", (g(pr, "rss_settled_bytes") - g(pe, "rss_settled_bytes")) / series,
    (g(sp, "rss_after_gc_bytes") - g(se, "rss_after_gc_bytes")) / series, "{:.0f}")
row("heap in use per series, minus empty (B)", (g(pr, "heap_inuse_bytes") - g(pe, "heap_inuse_bytes")) / series,
    (g(sp, "heap_after_gc_bytes") - g(se, "heap_after_gc_bytes")) / series, "{:.0f}")
row("Specula 1 replay thread: start to ready (s)", g(pr, "start_to_ready_s"), g("specula1_data", "start_to_ready_s"))
row("Specula 1 replay thread: CPU to ready (s)", g(pr, "cpu_to_ready_s"), g("specula1_data", "cpu_to_ready_s"))
print(f"Specula append (ingesting the data): {g('', 'append_cpu_s_per_1M_samples'):.3f} CPU-s per 1M samples overall, "
      f"{g('', 'append_cpu_s_per_1M_samples_after_first_round'):.3f} after the first round (series creation)")
PY
