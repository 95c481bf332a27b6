#!/usr/bin/env bash
# Scrape latency of the host exporters, Specula's beside Debian's node_exporter 1.5, both running
# at once on this host with the same collectors (the ones Specula implements, text file
# collector off), scraped alternately so the machine's load hits both alike:
#   bench/node-exporter-vs-node_exporter.sh [SCRAPES]   (default 200)
# Prints, per exporter, the median and 90th percentile of the HTTP scrape time (curl's
# time_total, loopback) and the median of the sum of node_scrape_collector_duration_seconds
# (the collectors' own time). Specula runs from app/target/specula.jar (built if missing) after
# WARMUP scrapes (default 200, so the JIT has compiled the collectors). CPU seconds used by each
# process over the measured scrapes come from /proc/PID/stat.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
scrapes=${1:-200}
warmup=${WARMUP:-200}
peer=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
[ -x "$peer" ] || { echo "missing $peer (Debian's prometheus-node-exporter)" >&2; exit 1; }
jar="$root/app/target/specula.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -ntp -DskipTests -pl app -am package)
collectors="conntrack cpu cpufreq diskstats edac entropy filefd filesystem hwmon loadavg mdadm meminfo netdev netstat nvme os pressure sockstat stat thermal_zone time timex uname vmstat"
args=(--collector.disable-defaults)
for c in $collectors; do args+=("--collector.$c"); done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p1=$(free_port); p2=$(free_port)
"$peer" "${args[@]}" --web.listen-address=127.0.0.1:$p1 >/dev/null 2>&1 & pid1=$!
"$JAVA_HOME/bin/java" -Xmx128m --enable-native-access=ALL-UNNAMED -jar "$jar" node-exporter "${args[@]}" \
  --web.listen-address=127.0.0.1:$p2 >/dev/null 2>&1 & pid2=$!
trap 'kill $pid1 $pid2 2>/dev/null || true' EXIT
for p in $p1 $p2; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$p/metrics" && break; sleep 0.1; done
done
for _ in $(seq "$warmup"); do curl -sf -o /dev/null "http://127.0.0.1:$p2/metrics"; curl -sf -o /dev/null "http://127.0.0.1:$p1/metrics"; done
cpu() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }
c1=$(cpu $pid1); c2=$(cpu $pid2)
tmp=$(mktemp -d)
for _ in $(seq "$scrapes"); do
  for p in $p1 $p2; do
    curl -sf -w '%{time_total}\n' -o "$tmp/body" "http://127.0.0.1:$p/metrics" >> "$tmp/http-$p"
    awk '/^node_scrape_collector_duration_seconds/ {s += $2} END {print s}' "$tmp/body" >> "$tmp/coll-$p"
  done
done
c1=$(echo "$(cpu $pid1) - $c1" | bc -l); c2=$(echo "$(cpu $pid2) - $c2" | bc -l)
stat() { sort -g "$1" | awk '{a[NR]=$1} END {printf "median %.2f ms, p90 %.2f ms", a[int(NR/2)+1]*1000, a[int(NR*0.9)]*1000}'; }
echo "scrapes: $scrapes each, alternating; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "node_exporter 1.5  HTTP $(stat "$tmp/http-$p1"); collectors $(stat "$tmp/coll-$p1"); CPU $(printf %.2f "$c1") s"
echo "specula            HTTP $(stat "$tmp/http-$p2"); collectors $(stat "$tmp/coll-$p2"); CPU $(printf %.2f "$c2") s"
rm -rf "$tmp"
