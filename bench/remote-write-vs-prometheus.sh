#!/usr/bin/env bash
# The remote-write sender's cost beside Prometheus 2.42's, all at once on the same targets and the
# same receiver (VictoriaMetrics):
#   bench/remote-write-vs-prometheus.sh [TARGETS] [SERIES_PER_TARGET] [SECONDS]   (default 5 4000 60)
#
# Four servers scrape the same SyntheticTargets (benchmarks module) every second, started together:
# Prometheus and Specula each twice, once with a remote_write to VictoriaMetrics and once without.
# The sender's CPU is the difference between the two runs of the same server over the window
# (utime + stime from /proc/PID/stat), divided by the samples it sent in the window
# (prometheus_remote_storage_samples_total): CPU-s per 1M samples sent; samples/s sent; and the
# load average at both ends. Work files go to a temp dir (KEEP=1 keeps them); SKIP_BUILD=1 uses
# the jars as they are. BASELINE_JAR=path adds a second Specula pair (with and without
# remote_write) from that jar, so two builds of the sender are compared in the same run. Each
# Specula line also gives the CPU of the sender's own threads (WAL watcher, shards; the HTTP
# client's virtual threads are not among them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
targets=${1:-5}
per_target=${2:-4000}
window=${3:-60}
warmup=${WARMUP:-30}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
victoria=${VICTORIA:-/usr/bin/victoria-metrics}
launcher_flags=$(SPECULA_PRINT_JVM_FLAGS=1 "$root/specula")
work=$(mktemp -d "${BENCH_DIR:-/tmp}/rw-vs-prom.XXXXXX")
declare -A pid port
cleanup() {
  for k in "${!pid[@]}"; do kill "${pid[$k]}" 2>/dev/null || true; done
  for k in "${!pid[@]}"; do wait "${pid[$k]}" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] && echo "work files kept in $work" || rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q -ntp -DskipTests -Dskip.ui -pl app,benchmarks -am package
tick=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_of() { awk -v t="$tick" '{printf "%.3f", ($14 + $15) / t}' "/proc/$1/stat"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
sent_of() {
  curl -fsS "http://127.0.0.1:${port[$1]}/metrics" | awk '/^prometheus_remote_storage_samples_total[{ ]/ {s += $NF} END {printf "%.0f", s}'
}

"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m -cp benchmarks/target/benchmarks.jar \
  io.specula.benchmarks.scrape.SyntheticTargets "$targets" "$per_target" > "$work/targets.txt" 2>&1 &
pid[gen]=$!
until grep -q '^bytes_per_body' "$work/targets.txt"; do kill -0 "${pid[gen]}"; sleep 0.1; done
ports=$(sed -n 's/^ports=//p' "$work/targets.txt")

port[vm]=$(free_port)
printf 'scrape_configs: []\n' > "$work/vm.yml"
"$victoria" -promscrape.config="$work/vm.yml" -storageDataPath="$work/vm" -httpListenAddr=127.0.0.1:${port[vm]} \
  -loggerLevel=WARN > "$work/vm.log" 2>&1 &
pid[vm]=$!

config() { # $1 = sender name, $2 = with remote_write (1/0)
  printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  external_labels: {sender: %s}\nscrape_configs:\n  - job_name: synthetic\n    static_configs:\n      - targets:\n' "$1"
  for p in ${ports//,/ }; do printf '          - 127.0.0.1:%s\n' "$p"; done
  [ "$2" = 1 ] && printf 'remote_write:\n  - url: http://127.0.0.1:%s/api/v1/write\n' "${port[vm]}"
  return 0
}
speculas="specula-rw specula-plain"
[ -n "${BASELINE_JAR:-}" ] && speculas="$speculas base-rw base-plain"
servers="prom-rw prom-plain $speculas"
for k in $servers; do
  port[$k]=$(free_port)
  mkdir -p "$work/$k"
  config "$k" "$([[ $k == *-rw ]] && echo 1 || echo 0)" > "$work/$k/prometheus.yml"
done
for k in prom-rw prom-plain; do
  "$prometheus" --config.file="$work/$k/prometheus.yml" --storage.tsdb.path="$work/$k/data" \
    --web.listen-address=127.0.0.1:${port[$k]} > "$work/$k/log" 2>&1 &
  pid[$k]=$!
done
for k in $speculas; do
  jar=app/target/specula.jar
  [[ $k == base-* ]] && jar=$BASELINE_JAR
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $launcher_flags --enable-native-access=ALL-UNNAMED -jar "$jar" server \
    --config.file="$work/$k/prometheus.yml" --storage.tsdb.path="$work/$k/data" \
    --web.listen-address=127.0.0.1:${port[$k]} > "$work/$k/log" 2>&1 &
  pid[$k]=$!
done
echo "== $((targets * per_target)) series every 1s; warming up ${warmup}s; load $(load)"
sleep "$warmup"
# CPU-s of a process's threads whose names start with wal-watcher or remote-write (the sender's own).
sender_threads_cpu() {
  local sum=0 t
  for t in /proc/$1/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      wal-watcher*|remote-write*) sum=$(awk -v s="$sum" -v k="$tick" '{printf "%.3f", s + ($14 + $15) / k}' "$t/stat") ;;
    esac
  done
  echo "$sum"
}
# THREADS=1: CPU-s per thread group (name without trailing digits) of each Specula over the window.
threads_of() {
  local t
  for t in /proc/$1/task/*; do
    printf '%s\t%s\n' "$(tr ' ' '_' < "$t/comm" 2>/dev/null | sed 's/[-0-9]*$//')" "$(awk -v k="$tick" '{printf "%.3f", ($14 + $15) / k}' "$t/stat" 2>/dev/null)"
  done
}
declare -A c0 c1 s0 s1 t0 t1
rws="prom-rw specula-rw"
[ -n "${BASELINE_JAR:-}" ] && rws="$rws base-rw"
l0=$(load)
for k in $servers; do c0[$k]=$(cpu_of "${pid[$k]}"); done
for k in $rws; do s0[$k]=$(sent_of "$k"); done
for k in $speculas; do t0[$k]=$(sender_threads_cpu "${pid[$k]}"); done
if [ "${THREADS:-0}" = 1 ]; then for k in $speculas; do threads_of "${pid[$k]}" > "$work/$k.threads0"; done; fi
sleep "$window"
for k in $servers; do c1[$k]=$(cpu_of "${pid[$k]}"); done
for k in $rws; do s1[$k]=$(sent_of "$k"); done
for k in $speculas; do t1[$k]=$(sender_threads_cpu "${pid[$k]}"); done
if [ "${THREADS:-0}" = 1 ]; then
  for k in $speculas; do
    threads_of "${pid[$k]}" > "$work/$k.threads1"
    echo "$k: CPU-s by thread group over the window:"
    awk -F'\t' 'NR == FNR {a[$1] += $2; next} {b[$1] += $2} END {for (g in b) if (b[g] - a[g] >= 0.05) printf "  %-40s %6.2f\n", g, b[g] - a[g]}' \
      "$work/$k.threads0" "$work/$k.threads1" | sort -k2 -rn | head -15
  done
fi
l1=$(load)
for k in $rws; do
  [ "$k" = prom-rw ] && continue
  awk -v k="$k" -v a="${t0[$k]}" -v b="${t1[$k]}" -v s="$(( ${s1[$k]} - ${s0[$k]} ))" 'BEGIN {
    printf "%s: sender threads %.2f CPU-s = %.3f CPU-s per 1M samples sent\n", k, b - a, s ? (b - a) / s * 1e6 : 0 }'
done
for s in prom specula ${BASELINE_JAR:+base}; do
  python3 - "$s" "${c0[$s-rw]}" "${c1[$s-rw]}" "${c0[$s-plain]}" "${c1[$s-plain]}" "${s0[$s-rw]}" "${s1[$s-rw]}" "$window" <<'PY'
import sys
name, a0, a1, b0, b1, s0, s1, w = sys.argv[1], *map(float, sys.argv[2:])
sent = s1 - s0
extra = (a1 - a0) - (b1 - b0)
print(f"{name}: sent {sent:.0f} samples in {w:.0f}s ({sent / w:.0f}/s); CPU with remote_write {a1 - a0:.2f}s, "
      f"without {b1 - b0:.2f}s; sender {extra:.2f} CPU-s = {extra / sent * 1e6 if sent else float('nan'):.3f} CPU-s per 1M samples sent")
PY
done
echo "load at start: $l0; at end: $l1"
