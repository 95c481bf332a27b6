#!/usr/bin/env python3
"""Alertmanager API load: ingest N alerts in batches, then time GET /api/v2/alerts and /alerts/groups.

Run against `specula alertmanager` and the real one with the same config (bench/alertmanager-bench.yml):
  ./specula alertmanager --config.file=bench/alertmanager-bench.yml --storage.path=/tmp/am1 --web.listen-address=127.0.0.1:19193
  prometheus-alertmanager --config.file=bench/alertmanager-bench.yml --storage.path=/tmp/am2 \
      --web.listen-address=127.0.0.1:19194 --cluster.listen-address=
  bench/alertmanager-api.py http://127.0.0.1:19193; bench/alertmanager-api.py http://127.0.0.1:19194
"""
import json
import sys
import time
import urllib.request

base = sys.argv[1]
N, B = 20000, 1000


def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def get(path):
    return urllib.request.urlopen(base + path).read()


alerts = [{"labels": {"alertname": "A%d" % (i % 50), "cluster": "c%d" % (i % 100), "instance": "i%d" % i,
                      "severity": "critical" if i % 10 == 0 else "warning"},
           "annotations": {"summary": "s"}} for i in range(N)]
t = time.time()
for i in range(0, N, B):
    post("/api/v2/alerts", alerts[i:i + B])
ingest = time.time() - t
t = time.time()
body = get("/api/v2/alerts")
g = time.time() - t
t = time.time()
get("/api/v2/alerts/groups")
gg = time.time() - t
print("%s: ingest %d alerts in %.2fs (%.0f alerts/s); GET /api/v2/alerts %.3fs (%d alerts); GET groups %.3fs"
      % (base, N, ingest, N / ingest, g, len(json.loads(body)), gg))
