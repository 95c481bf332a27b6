// Heatmap data: per time step, the count in each histogram bucket (not cumulative). Classic
// histograms arrive as one "_bucket" series per "le" (cumulative); native histograms as
// buckets with their own bounds. Both become a BucketGrid, which is all the chart reads.
import type { Histogram, RangeSeries } from "../api/client";

export interface BucketGrid {
  /** Bucket bounds, ascending: bucket i spans (bounds[i], bounds[i+1]]. bounds[0] may be -Infinity. */
  bounds: number[];
  /** Timestamps in ms, ascending. */
  times: number[];
  /** counts[t][i]: observations (or rate) in bucket i at times[t]; NaN where no data. */
  counts: number[][];
}

function parseLe(s: string): number {
  if (s === "+Inf" || s === "Inf") return Infinity;
  return parseFloat(s);
}

/**
 * From classic "_bucket" series (each with an "le" label). Series differing in other labels are
 * summed per le (as `sum by (le)`); cumulative counts become per-bucket counts, negative
 * differences (a bucket reset out of step with its neighbours) are clamped to zero.
 */
export function gridFromClassic(series: RangeSeries[]): BucketGrid | null {
  const byLe = new Map<number, Map<number, number>>();
  const allTimes = new Set<number>();
  for (const s of series) {
    const le = s.metric.le;
    if (le === undefined) continue;
    const bound = parseLe(le);
    if (isNaN(bound)) continue;
    let col = byLe.get(bound);
    if (!col) byLe.set(bound, (col = new Map()));
    for (const [t, v] of s.values ?? []) {
      const ms = Math.round(t * 1000);
      allTimes.add(ms);
      col.set(ms, (col.get(ms) ?? 0) + parseFloat(v));
    }
  }
  if (byLe.size === 0) return null;
  const les = [...byLe.keys()].sort((a, b) => a - b);
  const times = [...allTimes].sort((a, b) => a - b);
  const bounds = [les[0] > 0 ? 0 : -Infinity, ...les];
  const counts = times.map((t) => {
    let prev = 0;
    return les.map((le) => {
      const cum = byLe.get(le)!.get(t);
      if (cum === undefined) return NaN;
      const c = Math.max(0, cum - prev);
      prev = Math.max(prev, cum);
      return c;
    });
  });
  return { bounds, times, counts };
}

/** From native histograms (the API's [boundary rule, lower, upper, count] buckets). */
export function gridFromNative(points: [number, Histogram][]): BucketGrid | null {
  const edges = new Set<number>();
  for (const [, h] of points) for (const b of h.buckets ?? []) { edges.add(+b[1]); edges.add(+b[2]); }
  if (edges.size === 0) return null;
  const bounds = [...edges].sort((a, b) => a - b);
  const idx = new Map(bounds.map((b, i) => [b, i]));
  const times: number[] = [];
  const counts: number[][] = [];
  for (const [t, h] of points) {
    times.push(Math.round(t * 1000));
    const row = new Array(bounds.length - 1).fill(0);
    for (const b of h.buckets ?? []) {
      // A bucket spanning several grid cells (different schemas over time) is spread evenly.
      const lo = idx.get(+b[1])!, hi = idx.get(+b[2])!;
      const n = parseFloat(b[3]);
      for (let i = lo; i < hi; i++) row[i] += n / (hi - lo);
    }
    counts.push(row);
  }
  return { bounds, times, counts };
}

/** Largest finite count in the grid (for the colour scale); 0 when empty. */
export function maxCount(g: BucketGrid): number {
  let m = 0;
  for (const row of g.counts) for (const c of row) if (c > m) m = c;
  return m;
}

/** Colour of a cell: transparent for 0/NaN, then light to dark on a square-root scale. */
export function cellColor(count: number, max: number): string | null {
  if (!(count > 0) || max <= 0) return null;
  const f = Math.sqrt(count / max);
  const l = Math.round(90 - f * 60);
  return `hsl(${Math.round(45 - f * 45)}, 90%, ${l}%)`;
}
