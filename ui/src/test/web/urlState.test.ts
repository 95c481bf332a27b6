import { describe, expect, it } from "vitest";
import { decodePanels, encodePanels, newPanel } from "../../main/web/src/lib/urlState";
import { formatDuration, parseDuration } from "../../main/web/src/lib/time";

describe("URL state", () => {
  it("reads Prometheus 2.x generatorURL parameters", () => {
    const [p] = decodePanels("g0.expr=rate(x%5B5m%5D)&g0.tab=0&g0.range_input=6h&g0.end_input=2024-01-02%2003%3A04%3A05&g0.step_input=30&g0.stacked=1");
    expect(p.expr).toBe("rate(x[5m])");
    expect(p.tab).toBe("graph");
    expect(p.rangeMs).toBe(6 * 3600e3);
    expect(p.endMs).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(p.stepMs).toBe(30000);
    expect(p.displayMode).toBe("stacked");
  });

  it("tab 1 is the table, several panels in order", () => {
    const ps = decodePanels("g0.expr=up&g0.tab=1&g1.expr=a&g1.tab=graph&g2.expr=b&g2.tab=explain");
    expect(ps.map((p) => [p.expr, p.tab])).toEqual([["up", "table"], ["a", "graph"], ["b", "explain"]]);
  });

  it("round-trips every field", () => {
    const p = { ...newPanel('sum by (job) (up{job="a b"})'), tab: "graph" as const, rangeMs: 90 * 60e3,
      endMs: Date.UTC(2025, 5, 6, 7, 8, 9), stepMs: 15000, displayMode: "heatmap" as const, yZero: true, logScale: true, showTree: true };
    const q = newPanel("x");
    expect(decodePanels(encodePanels([p, q]))).toEqual([p, q]);
  });

  it("no panels without g0", () => {
    expect(decodePanels("foo=bar")).toEqual([]);
  });

  it("durations", () => {
    expect(parseDuration("1h30m")).toBe(5400e3);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("1x")).toBeNull();
    expect(formatDuration(5400e3)).toBe("1h30m");
  });
});
