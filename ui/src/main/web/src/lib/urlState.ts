// The query page's state in the URL, in one place: Prometheus's "g<N>.<key>" parameters, so
// links from Prometheus (alerts' generatorURL: /graph?g0.expr=...&g0.tab=1) and bookmarks work.
import { formatDuration, parseDuration } from "./time";

export type Tab = "table" | "graph" | "explain";
export type DisplayMode = "lines" | "stacked" | "heatmap";

export interface PanelState {
  expr: string;
  tab: Tab;
  rangeMs: number;
  /** End of the graph range (ms), null for "now". */
  endMs: number | null;
  /** Fixed resolution in ms, null for auto. */
  stepMs: number | null;
  displayMode: DisplayMode;
  yZero: boolean;
  logScale: boolean;
  showTree: boolean;
}

export const DEFAULT_RANGE = 3600e3;

export function newPanel(expr = ""): PanelState {
  return { expr, tab: "table", rangeMs: DEFAULT_RANGE, endMs: null, stepMs: null, displayMode: "lines",
    yZero: false, logScale: false, showTree: false };
}

function parseTab(v: string | null): Tab {
  // Prometheus 2.x: 0 = graph, 1 = table ("console"); 3.x writes names.
  switch (v) {
    case "0": case "graph": return "graph";
    case "2": case "explain": return "explain";
    default: return "table";
  }
}

function parseEnd(v: string | null): number | null {
  if (!v) return null;
  // Prometheus writes end_input as "YYYY-MM-DD HH:MM:SS" in UTC.
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(v);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(parseFloat(v) * 1000);
  const t = Date.parse(v);
  return isNaN(t) ? null : t;
}

function fmtEnd(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
}

/** Panels from a query string ("?g0.expr=up&g0.tab=0"); an empty list when there are none. */
export function decodePanels(search: string): PanelState[] {
  const q = new URLSearchParams(search);
  const out: PanelState[] = [];
  for (let i = 0; ; i++) {
    const k = (s: string) => q.get(`g${i}.${s}`);
    if (k("expr") === null && k("tab") === null) break;
    const p = newPanel(k("expr") ?? "");
    p.tab = parseTab(k("tab"));
    const range = parseDuration(k("range_input") ?? "");
    if (range) p.rangeMs = range;
    p.endMs = parseEnd(k("end_input") ?? k("moment_input"));
    const step = k("step_input");
    if (step) p.stepMs = parseDuration(step);
    const mode = k("display_mode");
    if (mode === "stacked" || mode === "heatmap" || mode === "lines") p.displayMode = mode;
    if (k("stacked") === "1") p.displayMode = "stacked";
    p.yZero = k("y_axis_min") === "0";
    p.logScale = k("log_scale") === "1" || k("y_axis_scale") === "log";
    p.showTree = k("show_tree") === "1";
    out.push(p);
  }
  return out;
}

export function encodePanels(panels: PanelState[]): string {
  const q = new URLSearchParams();
  panels.forEach((p, i) => {
    const set = (k: string, v: string) => q.set(`g${i}.${k}`, v);
    set("expr", p.expr);
    set("tab", p.tab);
    set("display_mode", p.displayMode);
    set("show_tree", p.showTree ? "1" : "0");
    set("range_input", formatDuration(p.rangeMs));
    if (p.endMs !== null) set("end_input", fmtEnd(p.endMs));
    if (p.stepMs !== null) set("step_input", String(p.stepMs / 1000));
    if (p.yZero) set("y_axis_min", "0");
    if (p.logScale) set("y_axis_scale", "log");
  });
  return q.toString();
}
