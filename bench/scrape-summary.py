#!/usr/bin/env python3
"""Summary of bench/scrape-vs-prometheus.sh's raw lines (also usable on a saved bench/results/scrape-*.txt):
   bench/scrape-summary.py RESULTS TARGETS SIZES WINDOW INTERVAL VARIANTS SERVER...
e.g. bench/scrape-summary.py bench/results/scrape-X.txt 10 5000,20000 60 1s launcher=... prometheus victoria specula:launcher"""
import statistics, sys
path, targets, sizes, window, interval, variants, *servers = sys.argv[1:]
def short(k):
    return names[k] if k in names else k.split(":", 1)[1]
names = {"prometheus": "Prometheus", "victoria": "VictoriaM"}
runs = {}
for line in open(path):
    key, mode, size, *rest = line.split()
    runs.setdefault((key, mode, int(size)), []).append({k: float(v) for k, v in (w.split("=", 1) for w in rest)})
def med(key, mode, size, f):
    vals = [f(r) for r in runs.get((key, mode, size), [])]
    return statistics.median(vals) if vals else float("nan")
sizes = [int(targets) * int(s) for s in sizes.split(",")]
def stats(key, size):
    L = lambda f: med(key, "load", size, f)
    rss, series = L(lambda r: r["rss_mean_bytes"]), L(lambda r: r["head_series"])
    base = med(key, "empty", 0, lambda r: r["rss_bytes"])
    return {
        "CPU-s per 1M samples": L(lambda r: r["cpu_s"] / r["samples"] * 1e6),
        "CPU cores used": L(lambda r: r["cpu_s"] / r["wall_s"]),
        "samples/s ingested": L(lambda r: r["samples"] / r["wall_s"]),
        "head series": series,
        "RSS mean in window (MB)": rss / 1e6,
        "RSS max in window (MB)": L(lambda r: r["rss_max_bytes"]) / 1e6,
        "RSS empty config (MB)": base / 1e6,
        "memory per series vs empty (B)": (rss - base) / series,
        "heap after window (MB) [1]": L(lambda r: r["heap_bytes"]) / 1e6,
        "GC pause s per minute": L(lambda r: r["gc_pause_s"] / r["wall_s"] * 60),
        "GC pauses per minute": L(lambda r: r["gc_pauses"] / r["wall_s"] * 60),
        "disk bytes per sample": L(lambda r: r["disk_bytes"] / r["samples_total"]),
        "generator CPU-s per 1M samples": L(lambda r: r["gen_cpu_s"] / r["samples"] * 1e6),
        "load average (window start/end)": (L(lambda r: r["load_start"]), L(lambda r: r["load_end"])),
    }
rounds = len(runs.get(("prometheus", "load", sizes[0]), []))
print(f"\n== summary: {interval} scrapes, {window} s windows, medians of {rounds} round(s); all servers ran at once")
head = [short(k) for k in servers]
speculas = [k for k in servers if k.startswith("specula:")]
ratio_cols = [f"{short(k)[:6]}/{p}" for k in speculas for p in ("P", "VM")]
for size in sizes:
    st = {k: stats(k, size) for k in servers}
    print(f"\n-- {size} series")
    print(f"{'':34}" + "".join(f"{h:>12}" for h in head) + "".join(f"{c:>10}" for c in ratio_cols))
    for m in st["prometheus"]:
        vals = [st[k][m] for k in servers]
        if isinstance(vals[0], tuple):
            print(f"{m:34}" + "".join(f"{v[0]:>6.1f}/{v[1]:<5.1f}" for v in vals))
            continue
        fmt = (lambda v: f"{v:>12.0f}") if abs(vals[0]) >= 100 else (lambda v: f"{v:>12.3f}")
        ratios = []
        for k in speculas:
            for p in ("prometheus", "victoria"):
                ratios.append(st[k][m] / st[p][m] if st[p][m] else float("nan"))
        print(f"{m:34}" + "".join(fmt(v) for v in vals) + "".join(f"{r:>10.2f}" for r in ratios))
for a, b in zip(sizes, sizes[1:]):
    print(f"\n-- RSS slope per added series, {a} -> {b} series (B)")
    slope = {}
    for k in servers:
        ra, rb = med(k, "load", a, lambda r: r["rss_mean_bytes"]), med(k, "load", b, lambda r: r["rss_mean_bytes"])
        sa, sb = med(k, "load", a, lambda r: r["head_series"]), med(k, "load", b, lambda r: r["head_series"])
        slope[k] = (rb - ra) / (sb - sa)
    print(f"{'':34}" + "".join(f"{h:>12}" for h in head) + "".join(f"{c:>10}" for c in ratio_cols))
    print(f"{'bytes per added series':34}" + "".join(f"{slope[k]:>12.0f}" for k in servers)
          + "".join(f"{slope[k] / slope[p]:>10.2f}" for k in speculas for p in ("prometheus", "victoria")))
print("\nSpecula variants: " + variants)
print("[1] Specula: live heap after a full GC; Prometheus, VictoriaMetrics: Go heap in use, garbage included")
