#!/usr/bin/env bash
# End-to-end block tooling, Specula beside promtool on the same input:
#   bench/blocks.sh [SERIES]
# Generates an OpenMetrics file (SERIES series, default 2000, 10 s scrapes over 2 h; half
# counters, half two-decimal gauges), backfills it with both tools, compares the block sizes,
# then dumps promtool's block with both and checks the outputs are byte-identical.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
series=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl app -am package
python3 - "$series" "$work/in.om" <<'PY'
import random, sys
random.seed(1)
n, path = int(sys.argv[1]), sys.argv[2]
t0 = 1699999200
with open(path, "w") as out:
    for m in range(10):
        name = f"bench_metric_{m}"
        out.write(f"# TYPE {name} gauge\n")
        for s in range(m, n, 10):
            v, counter = random.randint(0, 1000), s % 2 == 0
            for i in range(720):
                out.write(f'{name}{{instance="host-{s}",job="job-{s % 7}"}} {v} {t0 + i * 10}\n')
                v = v + (random.randint(0, 200) if random.random() < 0.75 else 0) if counter else round(v + random.gauss(0, 1), 2)
    out.write("# EOF\n")
PY
specula=("$SPECULA_JAVA_HOME/bin/java" -jar app/target/specula.jar)
/usr/bin/time -f 'specula create-blocks-from: %e s wall, %U s user, %M KB max RSS' "${specula[@]}" tool tsdb create-blocks-from openmetrics -q "$work/in.om" "$work/specula"
/usr/bin/time -f 'promtool create-blocks-from: %e s wall, %U s user, %M KB max RSS' promtool tsdb create-blocks-from openmetrics -q "$work/in.om" "$work/promtool"
"${specula[@]}" tool tsdb list "$work/specula"
promtool tsdb list "$work/promtool"
mkdir -p "$work/promtool/wal"
/usr/bin/time -f 'specula dump: %e s wall, %U s user, %M KB max RSS' "${specula[@]}" tool tsdb dump "$work/promtool" > "$work/specula.dump"
/usr/bin/time -f 'promtool dump: %e s wall, %U s user, %M KB max RSS' promtool tsdb dump "$work/promtool" > "$work/promtool.dump"
cmp "$work/specula.dump" "$work/promtool.dump" && echo "dumps identical ($(wc -l < "$work/specula.dump") samples)"
