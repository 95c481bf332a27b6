#!/usr/bin/env bash
# JDK 25's AOT cache (JEP 483/514/515) for the server, measured:
#   bench/aot-cache.sh [TARGETS] [SERIES_PER_TARGET]   (default 10 5000: 50,000 series, 1 s scrapes)
# 1. Training: the server with the launcher's flags and -XX:AOTCacheOutput scrapes 2 x 1,000
#    synthetic series for 60 s and is stopped with SIGTERM (the JVM writes the cache at exit).
# 2. Two servers start at once on the same TARGETS x SERIES_PER_TARGET synthetic series, one with
#    -XX:AOTCache: time to /-/ready, CPU-s (/proc/PID/stat), RSS and samples appended at 30, 60, 120 s.
# Uses app/target/specula.jar and benchmarks/target/benchmarks.jar as built (./mvnw -DskipTests -pl app,benchmarks -am package).
# Run it under the bench lock on a shared machine: flock /work/notes/bench.lock bench/aot-cache.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
java=$SPECULA_JAVA_HOME/bin/java
targets=${1:-10}
per_target=${2:-5000}
jar=$root/app/target/specula.jar
bench_jar=$root/benchmarks/target/benchmarks.jar
flags=$(SPECULA_PRINT_JVM_FLAGS=1 "$root/specula")
work=$(mktemp -d /tmp/aot-cache.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# targets N PER FILE: starts SyntheticTargets, writes a prometheus.yml for it to FILE
targets() {
  "$java" -XX:+UseSerialGC -Xmx512m -cp "$bench_jar" io.specula.benchmarks.scrape.SyntheticTargets "$1" "$2" > "$work/t-$1-$2.txt" 2>&1 &
  pids+=($!)
  until grep -q '^bytes_per_body' "$work/t-$1-$2.txt"; do sleep 0.2; done
  local ports; ports=$(sed -n 's/^ports=//p' "$work/t-$1-$2.txt")
  { printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: synthetic\n    static_configs:\n      - targets:\n'
    for p in ${ports//,/ }; do echo "          - 127.0.0.1:$p"; done; } > "$3"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

targets 2 1000 "$work/train.yml"
port=$(free_port)
# shellcheck disable=SC2086 # flags are words
"$java" $flags -XX:AOTCacheOutput="$work/specula.aot" -jar "$jar" server --config.file="$work/train.yml" \
  --storage.tsdb.path="$work/d-train" --web.listen-address="127.0.0.1:$port" > "$work/train.log" 2>&1 &
train=$!
sleep 60
kill "$train"; wait "$train" || true
[ -f "$work/specula.aot" ] || { tail -20 "$work/train.log"; echo "no AOT cache written" >&2; exit 1; }
echo "AOT cache: $(stat -c %s "$work/specula.aot") bytes"

targets "$targets" "$per_target" "$work/p.yml"
echo "load $(load); $targets x $per_target series every 1 s"
declare -A pid port t0
for v in none aot; do
  extra=; [ $v = aot ] && extra=-XX:AOTCache=$work/specula.aot
  port[$v]=$(free_port)
  t0[$v]=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$java" $flags $extra -jar "$jar" server --config.file="$work/p.yml" --storage.tsdb.path="$work/d-$v" \
    --web.listen-address="127.0.0.1:${port[$v]}" > "$work/$v.log" 2>&1 &
  pid[$v]=$!; pids+=($!)
done
for v in none aot; do
  until curl -sf "127.0.0.1:${port[$v]}/-/ready" >/dev/null; do sleep 0.05; done
  echo "$v ready after $(python3 -c "print(round($(date +%s.%N) - ${t0[$v]}, 2))") s"
done
for s in 30 60 120; do
  while python3 -c "import sys; sys.exit(0 if $(date +%s.%N) - ${t0[none]} < $s else 1)"; do sleep 0.5; done
  for v in none aot; do
    n=$(curl -s "127.0.0.1:${port[$v]}/metrics" | awk '/^prometheus_tsdb_head_samples_appended_total/{s+=$2} END{printf "%d", s}')
    echo "t=${s}s $v cpu_s=$(awk '{print ($14+$15)/100}' /proc/${pid[$v]}/stat) rss_kb=$(awk '/VmRSS/{print $2}' /proc/${pid[$v]}/status) samples=$n"
  done
done
echo "load $(load)"
