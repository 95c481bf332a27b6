#!/bin/sh
# Arguments that start with a flag (or none) run the server, as Prometheus's image does:
# prometheus-operator and `docker run specula --config.file=...` pass flags only.
# Anything else names a Specula command: alertmanager, pushgateway, node-exporter, tool, ...
set -e
case "${1:-}" in
  ''|-*) set -- server "$@" ;;
esac
# The heap follows the container's memory limit; an OOM exits (the orchestrator restarts it);
# the TSDB maps files through the FFM API.
exec java -XX:+UseG1GC -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError \
  --enable-native-access=ALL-UNNAMED ${SPECULA_JAVA_OPTS:-} \
  -jar /opt/specula/specula.jar "$@"
