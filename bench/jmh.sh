#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them: bench/jmh.sh [JMH args], e.g.
#   bench/jmh.sh ParserBenchmark -p shape=NODE_EXPORTER
# Results are printed and also written to bench/results/jmh-<date>.txt (not committed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
specula_find_jdk
export JAVA_HOME=$SPECULA_JAVA_HOME
cd "$root"
./mvnw -B -q -ntp -DskipTests -pl benchmarks -am package
mkdir -p bench/results
out="bench/results/jmh-$(date +%Y%m%d-%H%M%S).txt"
"$JAVA_HOME/bin/java" -jar benchmarks/target/benchmarks.jar "$@" | tee "$out"
