#!/usr/bin/env bash
# The hostile-target run of docs/reliability.md: Specula and Prometheus 2.42 side by side, at the
# same time, scraping the same hostile targets beside a healthy one while random and
# pathological PromQL is sent to both.
#   bench/hostile-targets.sh [SECONDS] [INTERVAL]     (default 300 5s)
#
# - bench/hostile-targets.py serves: healthy, random (2 MB of random bytes), huge (200 MB body),
#   endless (chunked, never ends), silent (never answers), labelbomb (1,000 series x 300 labels),
#   unknowntype (Content-Type application/x-hostile); every job has body_size_limit: 50MB and
#   scrape_timeout = INTERVAL - 1s.
# - Specula runs with the ./specula launcher's JVM flags (SPECULA_FLAGS overrides them),
#   Prometheus (PROMETHEUS, default /usr/bin/prometheus) with its defaults.
# - VmRSS of both is read from /proc every 0.5 s: peak and mean are reported.
# - bench/hostile-queries.py sends the queries; every request's status and latency is kept.
# - At the end: the healthy target's scrapes per interval (count_over_time(up{job="healthy"}) over
#   the run, against SECONDS / INTERVAL), each hostile target's lastError from /api/v1/targets,
#   and the query statuses per server (5xx and timeouts listed).
# QUERIES=0 leaves the queries out (the targets alone).
# SKIP_BUILD=1 uses app/target/specula.jar as it is. Work files go to a temp dir (KEEP=1 keeps it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
seconds=${1:-300}
interval=${2:-5s}
interval_s=${interval%s}
timeout_s=$((interval_s > 1 ? interval_s - 1 : 1))
prometheus=${PROMETHEUS:-/usr/bin/prometheus}
flags=${SPECULA_FLAGS:-$(SPECULA_PRINT_JVM_FLAGS=1 "$root/specula")}
work=$(mktemp -d /tmp/hostile.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] && echo "work files: $work" || rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cd "$root"
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q -ntp -DskipTests -Dskip.ui -Dfuzz.skip=true -pl app -am package

python3 "$root/bench/hostile-targets.py" "$work/ports" & pids+=($!)
until [ -f "$work/ports" ]; do sleep 0.1; done
{
  printf 'global:\n  scrape_interval: %s\n  scrape_timeout: %ss\nscrape_configs:\n' "$interval" "$timeout_s"
  while read -r name p; do
    printf '  - job_name: %s\n    body_size_limit: 50MB\n    static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "$name" "$p"
  done < "$work/ports"
} > "$work/prometheus.yml"

pport=$(free_port); sport=$(free_port)
mkdir -p "$work/pdata" "$work/sdata"
"$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/pdata" \
  --web.listen-address="127.0.0.1:$pport" > "$work/prometheus.log" 2>&1 & ppid=$!; pids+=($ppid)
# shellcheck disable=SC2086 # flags are words
"$JAVA_HOME/bin/java" $flags -jar "$root/app/target/specula.jar" server --config.file="$work/prometheus.yml" \
  --storage.tsdb.path="$work/sdata" --web.listen-address="127.0.0.1:$sport" > "$work/specula.log" 2>&1 & spid=$!; pids+=($spid)
for p in $pport $sport; do
  until curl -sf "http://127.0.0.1:$p/-/ready" > /dev/null; do sleep 0.2; done
done
echo "== $(date -u +%H:%M:%S) both ready; ${seconds}s at $interval on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# RSS sampler: "t prometheus_kB specula_kB" every 0.5 s (0 once a server is gone)
rss_of() { awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
( while kill -0 $ppid 2>/dev/null || kill -0 $spid 2>/dev/null; do
    echo "$(date +%s.%N) $(rss_of $ppid) $(rss_of $spid)"
    sleep 0.5
  done ) > "$work/rss" & pids+=($!)
start=$(date +%s)
if [ "${QUERIES:-1}" = 1 ]; then
  python3 "$root/bench/hostile-queries.py" "$seconds" "$work/queries" \
    prometheus="http://127.0.0.1:$pport" specula="http://127.0.0.1:$sport"
else
  sleep "$seconds"; : > "$work/queries"
fi
end=$(date +%s)
for name in prometheus specula; do
  kill -0 "$([ $name = prometheus ] && echo $ppid || echo $spid)" 2>/dev/null && echo "$name: still up" || echo "$name: DIED"
done
elapsed=$((end - start))
echo "== $(date -u +%H:%M:%S) done after ${elapsed}s, load $(cut -d' ' -f1-3 /proc/loadavg)"
for name in prometheus specula; do
  p=$([ $name = prometheus ] && echo $pport || echo $sport)
  echo '{"data":{"result":[],"activeTargets":[]}}' | tee "$work/$name.count" "$work/$name.failed" > "$work/$name.targets"
  curl -sf "http://127.0.0.1:$p/-/ready" > /dev/null || continue
  curl -s "http://127.0.0.1:$p/api/v1/query" --data-urlencode "query=count_over_time(up{job=\"healthy\"}[${elapsed}s])" \
    --data-urlencode "time=$end" > "$work/$name.count"
  curl -s "http://127.0.0.1:$p/api/v1/query" --data-urlencode "query=count_over_time(up{job=\"healthy\"}[${elapsed}s]) - sum_over_time(up{job=\"healthy\"}[${elapsed}s])" \
    --data-urlencode "time=$end" > "$work/$name.failed"
  curl -s "http://127.0.0.1:$p/api/v1/targets" > "$work/$name.targets"
done
python3 - "$work" "$elapsed" "$interval_s" <<'PY'
import json, sys, collections
work, elapsed, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rss = [l.split() for l in open(f"{work}/rss") if len(l.split()) == 3]
print(f"RSS samples: {len(rss)} (every 0.5 s)")
for i, name in ((1, "prometheus"), (2, "specula")):
    v = [int(r[i]) / 1024 for r in rss if int(r[i]) > 0]
    gone = next((float(r[0]) - float(rss[0][0]) for r in rss if int(r[i]) == 0), None)
    print(f"  {name:10s} peak {max(v):7.0f} MB   mean {sum(v) / len(v):7.0f} MB"
          + (f"   GONE after {gone:.0f} s" if gone is not None else ""))
expected = elapsed / interval
for name in ("prometheus", "specula"):
    def val(f):
        r = json.load(open(f"{work}/{name}.{f}"))["data"]["result"]
        return float(r[0]["value"][1]) if r else 0.0
    print(f"healthy target, {name}: {val('count'):.0f} scrapes in {elapsed}s (expected ~{expected:.0f}), {val('failed'):.0f} failed")
    for t in sorted(json.load(open(f"{work}/{name}.targets"))["data"]["activeTargets"], key=lambda t: t["labels"]["job"]):
        print(f"    {t['labels']['job']:12s} {t['health']:5s} {t['lastError'][:150]}")
q = collections.defaultdict(list)
for line in open(f"{work}/queries"):
    name, kind, status, secs, text = (line.rstrip("\n").split(" ", 4) + [""])[:5]
    q[name].append((kind, int(status), float(secs), text))
for name, rows in q.items():
    by = collections.Counter(s for _, s, _, _ in rows)
    lat = sorted(s for _, _, s, _ in rows)
    print(f"queries, {name}: {len(rows)} sent; statuses {dict(sorted(by.items()))}; latency median {lat[len(lat) // 2]:.3f}s"
          f" p99 {lat[int(len(lat) * 0.99)]:.3f}s max {lat[-1]:.3f}s")
    seen = set()
    for kind, s, secs, text in rows:
        if (s >= 500 or s == 0 or secs > 10) and (s, text) not in seen:
            seen.add((s, text))
            print(f"    {s} {secs:.2f}s {kind} {text[:120]}")
PY
