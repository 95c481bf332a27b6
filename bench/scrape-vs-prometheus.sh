#!/usr/bin/env bash
# Scraping end to end: Prometheus, VictoriaMetrics and Specula AT THE SAME TIME on the same
# synthetic targets, so that whatever else the machine does hits all of them alike:
#   bench/scrape-vs-prometheus.sh [TARGETS] [SERIES_PER_TARGET[,SERIES_PER_TARGET...]] [SECONDS] [INTERVAL]
#   (default 10 5000,20000 60 1s: 50,000 then 200,000 series scraped every second, 60 s windows)
#
# For each size in turn:
# 1. SyntheticTargets (benchmarks module) serves TARGETS endpoints of SERIES_PER_TARGET series
#    each on 127.0.0.1 (node-exporter / kube-state-metrics-like families, counters that grow at
#    every scrape, random-walking gauges); its own CPU is measured and printed.
# 2. Prometheus (PROMETHEUS, default /usr/bin/prometheus), VictoriaMetrics (VICTORIA, default
#    /usr/bin/victoria-metrics; the same prometheus.yml through -promscrape.config, with
#    -search.latencyOffset=0s) and Specula (once per entry of SPECULA_VARIANTS) start together on
#    fresh data dirs. After WARMUP seconds (default max(30, 3 intervals)) the window starts: CPU
#    from /proc/PID/stat (utime + stime) and samples appended from each server's /metrics
#    (prometheus_tsdb_head_samples_appended_total; VictoriaMetrics: vm_rows_inserted_total) at both
#    ends give CPU-s per 1M samples; VmRSS of every server is sampled every second in the window
#    (mean reported); GC pauses in the window (Go: go_gc_duration_seconds; JVM:
#    jvm_gc_collection_seconds of the pausing collectors) as seconds per minute and count; the data
#    dir's allocated bytes (du -B1) per sample appended so far.
# 3. Memory: RSS minus the same server's RSS on an empty scrape config (all servers started
#    together too, mean over 10 s after BASELINE_SETTLE seconds), per head series; and the RSS
#    slope per added series between consecutive sizes, the figure that scales. Heap after GC:
#    Specula's live heap after a full GC (jcmd GC.run, after the window), Prometheus's and
#    VictoriaMetrics's go_memstats_heap_inuse_bytes (Go has no cheap outside trigger: garbage included).
# REPEAT=N (default 1) repeats every size; the summary shows medians. The load average is recorded
# at the start and end of each window. SPECULA_VARIANTS: 'name=flags|name@/path/specula.jar=flags|...'
# (default 'launcher=<the ./specula launcher's flags>'): several Specula builds or flag sets run
# beside each other in the same window (each one more process on the machine: keep it to two).
# SKIP_BUILD=1 uses the jars as they are. Work files go to BENCH_DIR (default a temp dir under /tmp); KEEP=1 keeps them.
# Raw per-run lines are also appended to bench/results/scrape-<date>.txt (not committed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
targets=${1:-10}
sizes=${2:-5000,20000}
window=${3:-60}
interval=${4:-1s}
interval_s=$(python3 -c "import re,sys; m=re.fullmatch(r'(\d+)(ms|s|m)','$interval'); \
print(int(m[1]) * {'ms': 0.001, 's': 1, 'm': 60}[m[2]])" 2>/dev/null) || { echo "bad INTERVAL $interval (e.g. 1s, 15s)" >&2; exit 2; }
warmup=${WARMUP:-$(python3 -c "print(int(max(30, 3 * $interval_s)))")}
settle=${BASELINE_SETTLE:-20}
repeat=${REPEAT:-1}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
victoria=${VICTORIA:-/usr/bin/victoria-metrics}
# The launcher's JVM flags, read from ./specula itself so the two cannot drift apart.
launcher_flags=$(SPECULA_PRINT_JVM_FLAGS=1 "$root/specula")
variants=${SPECULA_VARIANTS:-launcher=$launcher_flags}
work=$(mktemp -d "${BENCH_DIR:-/tmp}/scrape-vs-prom.XXXXXX")
declare -A pid port
gen_pid=
stop_all() {
  local k
  for k in "${!pid[@]}"; do kill "${pid[$k]}" 2>/dev/null || true; done
  for k in "${!pid[@]}"; do wait "${pid[$k]}" 2>/dev/null || true; done
  pid=()
}
stop_gen() {
  if [ -n "$gen_pid" ]; then
    kill "$gen_pid" 2>/dev/null || true
    wait "$gen_pid" 2>/dev/null || true
  fi
  gen_pid=
}
cleanup() {
  stop_all
  stop_gen
  [ "${KEEP:-0}" = 1 ] && echo "work files kept in $work" || rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q -ntp -DskipTests -pl app,benchmarks -am package
mkdir -p bench/results
results="bench/results/scrape-$(date +%Y%m%d-%H%M%S).txt"
tick=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
cpu_of() { awk -v t="$tick" '{printf "%.3f", ($14 + $15) / t}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$1/status"; }
load() { cut -d' ' -f1 /proc/loadavg; }
# metrics KEY > file: the server's /metrics
metrics() { curl -sf "http://127.0.0.1:${port[$1]}/metrics"; }
# sum FILE NAME [FILTER]: the sum of all series of NAME (whose line does not match FILTER)
sum() {
  awk -v n="$2" -v f="${3:-^$}" '($1 == n || index($1, n "{") == 1) && $0 !~ f {s += $NF} END {printf "%.6f", s}' "$1"
}
kind_of() { case $1 in prometheus) echo prometheus ;; victoria) echo victoria ;; *) echo specula ;; esac; }
# samples/series/gc figures of server KEY from a saved /metrics
samples_of() {
  case $(kind_of "$1") in
    victoria) sum "$2" vm_rows_inserted_total ;;
    *) sum "$2" prometheus_tsdb_head_samples_appended_total ;;
  esac
}
series_of() {
  case $(kind_of "$1") in
    victoria) sum "$2" vm_new_timeseries_created_total ;;
    *) sum "$2" prometheus_tsdb_head_series ;;
  esac
}
# GC pauses: Go's summary counts stop-the-world pauses; the JVM's beans named *Concurrent* or
# *Cycles* measure concurrent work, not pauses, and are left out.
gc_sum_of() {
  case $(kind_of "$1") in
    specula) sum "$2" jvm_gc_collection_seconds_sum 'Concurrent|Cycles' ;;
    *) sum "$2" go_gc_duration_seconds_sum ;;
  esac
}
gc_count_of() {
  case $(kind_of "$1") in
    specula) sum "$2" jvm_gc_collection_seconds_count 'Concurrent|Cycles' ;;
    *) sum "$2" go_gc_duration_seconds_count ;;
  esac
}
heap_of() {
  case $(kind_of "$1") in
    specula)
      "$JAVA_HOME/bin/jcmd" "${pid[$1]}" GC.run > /dev/null
      metrics "$1" | awk '/^jvm_memory_used_bytes\{area="heap"/ {printf "%.0f", $NF}' ;;
    *) metrics "$1" | awk '$1 == "go_memstats_heap_inuse_bytes" {printf "%.0f", $NF}' ;;
  esac
}

IFS='|' read -r -a variant_list <<< "$variants"
servers=(prometheus victoria)
declare -A flags jar
for v in "${variant_list[@]}"; do
  name=${v%%=*}
  key="specula:${name%%@*}"
  servers+=("$key")
  flags[$key]=${v#*=}
  jar[$key]=app/target/specula.jar
  [[ $name == *@* ]] && jar[$key]=${name#*@}
done

# start KEY CONFIG DATA LOG: starts one server in the background
start() {
  local key=$1 config=$2 data=$3 log=$4
  port[$key]=$(free_port)
  rm -rf "$data"
  mkdir -p "$data"
  case $(kind_of "$key") in
    prometheus)
      "$prometheus" --config.file="$config" --storage.tsdb.path="$data" --web.listen-address="127.0.0.1:${port[$key]}" > "$log" 2>&1 & ;;
    victoria)
      "$victoria" -promscrape.config="$config" -storageDataPath="$data" -httpListenAddr="127.0.0.1:${port[$key]}" \
        -search.latencyOffset=0s > "$log" 2>&1 & ;;
    specula)
      # shellcheck disable=SC2086 # flags are words
      "$JAVA_HOME/bin/java" ${flags[$key]} --enable-native-access=ALL-UNNAMED -jar "${jar[$key]}" server \
        --config.file="$config" --storage.tsdb.path="$data" --web.listen-address="127.0.0.1:${port[$key]}" > "$log" 2>&1 & ;;
  esac
  pid[$key]=$!
}
# start_all CONFIG TAG: all servers at once, then waits until each is ready
start_all() {
  local k
  for k in "${servers[@]}"; do start "$k" "$1" "$work/data-$2-${k//[:@\/]/_}" "$work/$2-${k//[:@\/]/_}.log"; done
  for k in "${servers[@]}"; do
    until curl -sf "http://127.0.0.1:${port[$k]}/-/ready" > /dev/null 2>&1 || curl -sf "http://127.0.0.1:${port[$k]}/health" > /dev/null 2>&1; do
      kill -0 "${pid[$k]}" 2>/dev/null || { echo "$k failed to start:"; tail -20 "$work/$2-${k//[:@\/]/_}.log"; exit 1; }
      sleep 0.1
    done
  done
}

printf 'global:\n  scrape_interval: %s\nscrape_configs: []\n' "$interval" > "$work/empty.yml"
echo "== servers: ${servers[*]}; sizes ${targets} x {$sizes} every $interval; warm-up ${warmup}s, window ${window}s," \
  "$repeat round(s); load now $(load) on $(nproc) cores"
echo "== empty-config baselines, all at once (RSS mean over 10 s after ${settle}s)"
start_all "$work/empty.yml" empty
sleep $((settle > 10 ? settle - 10 : 0))
declare -A rss_sum
for k in "${servers[@]}"; do rss_sum[$k]=0; done
for _ in $(seq 10); do
  sleep 1
  for k in "${servers[@]}"; do rss_sum[$k]=$((rss_sum[$k] + $(rss_of "${pid[$k]}"))); done
done
for k in "${servers[@]}"; do
  echo "$k empty 0 rss_bytes=$((rss_sum[$k] / 10)) heap_bytes=$(heap_of "$k") load=$(load)" | tee -a "$work/results.txt" "$results"
done
stop_all

timeout=$(python3 -c "print(str(min(10, $interval_s)) + 's')")
for round in $(seq "$repeat"); do
  for per_target in ${sizes//,/ }; do
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m -cp benchmarks/target/benchmarks.jar \
      io.specula.benchmarks.scrape.SyntheticTargets "$targets" "$per_target" > "$work/targets.txt" 2>&1 &
    gen_pid=$!
    touch "$work/targets.txt"
    until grep -q '^bytes_per_body' "$work/targets.txt"; do
      kill -0 "$gen_pid" 2>/dev/null || { cat "$work/targets.txt"; exit 1; }
      sleep 0.1
    done
    ports=$(sed -n 's/^ports=//p' "$work/targets.txt")
    {
      printf 'global:\n  scrape_interval: %s\n  scrape_timeout: %s\nscrape_configs:\n  - job_name: synthetic\n    static_configs:\n      - targets:\n' \
        "$interval" "$timeout"
      for p in ${ports//,/ }; do printf '          - 127.0.0.1:%s\n' "$p"; done
    } > "$work/prometheus.yml"
    size=$((targets * per_target))
    echo "== round $round, $size series: load $(load); $(sed -n 's/^\(bytes_per_body=[0-9]*\).*/\1/p' "$work/targets.txt")"
    start_all "$work/prometheus.yml" "load-$size"
    sleep "$warmup"
    declare -A c0 rss_max
    l0=$(load); t0=$(now); g0=$(cpu_of "$gen_pid")
    for k in "${servers[@]}"; do
      metrics "$k" > "$work/m0-$k"; c0[$k]=$(cpu_of "${pid[$k]}"); rss_sum[$k]=0; rss_max[$k]=0
    done
    for _ in $(seq "$window"); do
      sleep 1
      for k in "${servers[@]}"; do
        r=$(rss_of "${pid[$k]}"); rss_sum[$k]=$((rss_sum[$k] + r)); [ "$r" -gt "${rss_max[$k]}" ] && rss_max[$k]=$r
      done
    done
    t1=$(now); g1=$(cpu_of "$gen_pid"); l1=$(load)
    declare -A c1
    for k in "${servers[@]}"; do c1[$k]=$(cpu_of "${pid[$k]}"); metrics "$k" > "$work/m1-$k"; done
    for k in "${servers[@]}"; do
      m0="$work/m0-$k" m1="$work/m1-$k"
      s1=$(samples_of "$k" "$m1")
      echo "$k load $size wall_s=$(echo "$t1 - $t0" | bc -l) cpu_s=$(echo "${c1[$k]} - ${c0[$k]}" | bc -l)" \
        "samples=$(echo "$s1 - $(samples_of "$k" "$m0")" | bc -l) samples_total=$s1 head_series=$(series_of "$k" "$m1")" \
        "rss_mean_bytes=$((rss_sum[$k] / window)) rss_max_bytes=${rss_max[$k]}" \
        "gc_pause_s=$(echo "$(gc_sum_of "$k" "$m1") - $(gc_sum_of "$k" "$m0")" | bc -l)" \
        "gc_pauses=$(echo "$(gc_count_of "$k" "$m1") - $(gc_count_of "$k" "$m0")" | bc -l)" \
        "disk_bytes=$(du -s -B1 "$work/data-load-$size-${k//[:@\/]/_}" | cut -f1) heap_bytes=$(heap_of "$k")" \
        "gen_cpu_s=$(echo "$g1 - $g0" | bc -l) load_start=$l0 load_end=$l1" | tee -a "$work/results.txt" "$results"
    done
    stop_all
    stop_gen
  done
done

python3 "$root/bench/scrape-summary.py" "$work/results.txt" "$targets" "$sizes" "$window" "$interval" "$variants" "${servers[@]}"
