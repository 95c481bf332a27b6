import { describe, expect, it } from "vitest";
import { gridFromClassic, gridFromNative, maxCount } from "../../main/web/src/lib/heatmap";
import type { RangeSeries } from "../../main/web/src/api/client";

const bucket = (le: string, vals: number[], extra: Record<string, string> = {}): RangeSeries =>
  ({ metric: { __name__: "h_bucket", le, ...extra }, values: vals.map((v, i) => [100 + i * 15, String(v)]) });

describe("heatmap bucketing", () => {
  it("classic cumulative buckets become per-bucket counts, sorted by le", () => {
    const g = gridFromClassic([bucket("+Inf", [10, 12]), bucket("0.5", [7, 7]), bucket("0.1", [2, 3])])!;
    expect(g.bounds).toEqual([0, 0.1, 0.5, Infinity]);
    expect(g.times).toEqual([100000, 115000]);
    expect(g.counts).toEqual([[2, 5, 3], [3, 4, 5]]);
    expect(maxCount(g)).toBe(5);
  });

  it("sums series that differ in other labels, like sum by (le)", () => {
    const g = gridFromClassic([bucket("1", [1], { pod: "a" }), bucket("1", [2], { pod: "b" }),
      bucket("+Inf", [2], { pod: "a" }), bucket("+Inf", [5], { pod: "b" })])!;
    expect(g.counts).toEqual([[3, 4]]);
  });

  it("clamps non-monotonic buckets and marks missing points", () => {
    const s = [bucket("1", [5, 1]), bucket("2", [4, 2])];
    s[1].values = [[100, "4"]];
    const g = gridFromClassic(s)!;
    expect(g.counts[0]).toEqual([5, 0]);
    expect(g.counts[1][0]).toBe(1);
    expect(g.counts[1][1]).toBeNaN();
  });

  it("negative bounds start from -Inf; no le label means no grid", () => {
    expect(gridFromClassic([bucket("-1", [1]), bucket("+Inf", [2])])!.bounds).toEqual([-Infinity, -1, Infinity]);
    expect(gridFromClassic([{ metric: { __name__: "x" }, values: [[1, "1"]] }])).toBeNull();
  });

  it("native histograms feed the same grid", () => {
    const g = gridFromNative([
      [1, { count: "4", sum: "2", buckets: [[0, "0.5", "1", "1"], [0, "1", "2", "3"]] }],
      [2, { count: "2", sum: "1", buckets: [[0, "0.5", "2", "2"]] }],
    ])!;
    expect(g.bounds).toEqual([0.5, 1, 2]);
    expect(g.counts).toEqual([[1, 3], [1, 1]]);
  });
});
