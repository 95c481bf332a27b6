import type { Labels } from "../../api/client";

/** `name{a="b", ...}` as Prometheus's UI prints a series. */
export function seriesName(m: Labels): string {
  const { __name__, ...rest } = m;
  const ls = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
  return (__name__ ?? "") + "{" + ls + "}";
}

/** Distinct, readable colours for many series. */
export function seriesColor(i: number): string {
  const hue = (i * 137.508) % 360;
  return `hsl(${hue.toFixed(0)}, 65%, ${i % 2 ? 45 : 55}%)`;
}
