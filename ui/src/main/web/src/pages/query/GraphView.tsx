import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { Box, Text } from "@mantine/core";
import type { ExemplarSeries, RangeSeries } from "../../api/client";
import { useSettings } from "../../lib/settings";
import { formatTime } from "../../lib/time";
import { seriesColor, seriesName } from "./series";

interface Props {
  series: RangeSeries[];
  /** Drawn as diamonds over the lines and listed below the chart. */
  exemplars: ExemplarSeries[];
  start: number; end: number; step: number;
  stacked: boolean; yZero: boolean; logScale: boolean;
  /** Drag-zoom: the selected [start, end] in ms. */
  onZoom: (start: number, end: number) => void;
}

/** Aligns every series on the step grid; stacking sums the visible series bottom-up. */
function buildData(series: RangeSeries[], start: number, end: number, step: number, stacked: boolean,
    shown: boolean[]): uPlot.AlignedData {
  const n = Math.floor((end - start) / step) + 1;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = (start + i * step) / 1000;
  const cols: (number | null)[][] = [];
  const acc = stacked ? new Float64Array(n) : null;
  series.forEach((s, si) => {
    const col: (number | null)[] = new Array(n).fill(null);
    for (const [t, v] of s.values ?? []) {
      const i = Math.round((t * 1000 - start) / step);
      if (i >= 0 && i < n) col[i] = parseFloat(v);
    }
    if (acc && shown[si]) {
      for (let i = 0; i < n; i++) if (col[i] !== null) { acc[i] += col[i]!; col[i] = acc[i]; }
    }
    cols.push(col);
  });
  return [xs as unknown as number[], ...cols] as uPlot.AlignedData;
}

export function GraphView({ series, exemplars, start, end, step, stacked, yZero, logScale, onZoom }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { utc } = useSettings();
  const [isolated, setIsolated] = useState<number | null>(null);
  const names = useMemo(() => series.map((s) => seriesName(s.metric)), [series]);
  const shown = useMemo(() => series.map((_, i) => isolated === null || isolated === i), [series, isolated]);
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;

  useEffect(() => setIsolated(null), [series]);

  useEffect(() => {
    const t0 = performance.now();
    const el = host.current!;
    delete el.dataset.drawMs;
    const text = getComputedStyle(el).color || "#444";
    const grid = "rgba(128,128,128,0.25)";
    const data = buildData(series, start, end, step, stacked, shown);
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height: 320,
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, focus: { prox: 30 } },
      focus: { alpha: 0.3 },
      scales: {
        x: { time: true },
        y: {
          distr: logScale ? 3 : 1,
          range: (_u, min, max) => {
            if (logScale) return uPlot.rangeLog(Math.max(min, 1e-9), Math.max(max, 1e-9), 10, true) as [number, number];
            const lo = yZero ? Math.min(0, min) : min;
            const hi = yZero ? Math.max(0, max) : max;
            return uPlot.rangeNum(lo, hi === lo ? lo + 1 : hi, 0.1, true) as [number, number];
          },
        },
      },
      // The canvas cannot read CSS variables: take the theme's text colour as computed.
      axes: [
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid },
          values: (_u, vals, _i, _space, incr) => vals.map((v) => formatTime(v * 1000, utc).slice(11, incr < 60 ? 19 : 16)) },
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60 },
      ],
      series: [{}, ...series.map((s, i) => ({
        label: names[i], stroke: seriesColor(i), width: 1.25, show: shown[i], points: { show: false },
        spanGaps: false, ...(stacked ? { fill: seriesColor(i).replace("hsl", "hsla").replace(")", ", 0.25)") } : {}),
      }))],
      hooks: {
        // The first draw ends the measured time (data alignment, axes, paths); tests read it.
        draw: [(u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.fillStyle = text;
          for (const es of exemplars) for (const e of es.exemplars) {
            const x = u.valToPos(e.timestamp, "x", true), y = u.valToPos(parseFloat(e.value), "y", true);
            if (!isFinite(x) || !isFinite(y)) continue;
            const r = 4 * devicePixelRatio;
            ctx.beginPath(); ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); ctx.fill();
          }
          ctx.restore();
          if (el.dataset.series !== String(series.length) || !el.dataset.drawMs) {
            el.dataset.drawMs = (performance.now() - t0).toFixed(1);
            el.dataset.series = String(series.length);
          }
        }],
        setSelect: [(u) => {
          if (u.select.width > 2) {
            const a = u.posToVal(u.select.left, "x") * 1000, b = u.posToVal(u.select.left + u.select.width, "x") * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoomRef.current(Math.round(a), Math.round(b));
          }
        }],
        setScale: [(u, key) => {
          if (key === "y") {
            const sc = u.scales.y;
            el.dataset.ymin = String(sc.min);
            el.dataset.ymax = String(sc.max);
            el.dataset.ydistr = String(sc.distr);
          }
        }],
        setCursor: [(u) => {
          const t = tip.current!;
          const idx = u.cursor.idx;
          const si = series.findIndex((_, i) => (u.series[i + 1] as { _focus?: boolean })._focus);
          if (idx == null || si < 0 || u.cursor.left == null || u.cursor.left < 0) { t.style.display = "none"; return; }
          const v = u.data[si + 1][idx];
          if (v == null) { t.style.display = "none"; return; }
          const raw = (series[si].values ?? []).find(([ts]) => Math.round(ts * 1000) === Math.round((u.data[0][idx]) * 1000));
          t.style.display = "block";
          t.style.left = Math.min(u.cursor.left + 60, el.clientWidth - 260) + "px";
          t.style.top = (u.cursor.top ?? 0) + 10 + "px";
          t.textContent = `${formatTime(u.data[0][idx] * 1000, utc)}\n${names[si]}\nvalue: ${raw ? raw[1] : v}`;
        }],
      },
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth || 800, height: 320 }));
    ro.observe(el);
    return () => { ro.disconnect(); plot.current?.destroy(); plot.current = null; };
  }, [series, names, exemplars, start, end, step, stacked, yZero, logScale, utc, shown]);
  const exemplarList = exemplars.flatMap((es) => es.exemplars.map((e) => ({ ...e, series: es.seriesLabels })));

  return (
    <Box pos="relative">
      <div ref={host} data-testid="graph" />
      <div ref={tip} data-testid="graph-tooltip" style={{ display: "none", position: "absolute", zIndex: 10, whiteSpace: "pre",
        pointerEvents: "none", background: "var(--mantine-color-body)", border: "1px solid var(--mantine-color-default-border)",
        padding: "4px 8px", fontSize: 12, maxWidth: 400, overflow: "hidden" }} />
      {exemplarList.length > 0 && (
        <div data-testid="exemplars" style={{ fontSize: 12, marginTop: 4 }}>
          <Text size="xs" fw={600}>{exemplarList.length} exemplars (◆)</Text>
          {exemplarList.slice(0, 20).map((e, i) => (
            <div key={i} style={{ fontFamily: "monospace" }}>{formatTime(e.timestamp * 1000, utc)} {e.value} {seriesName(e.labels)} on {seriesName(e.series)}</div>))}
        </div>)}
      {/* Plain elements: a thousand Mantine components would cost more than drawing the chart. */}
      <div style={{ marginTop: 8, maxHeight: 220, overflowY: "auto", fontFamily: "monospace", fontSize: 12 }} data-testid="legend"
        onClick={(e) => {
          const i = Number((e.target as HTMLElement).closest("[data-i]")?.getAttribute("data-i"));
          if (!isNaN(i)) setIsolated(isolated === i ? null : i);
        }}>
        {names.slice(0, 2000).map((n, i) => (
          <div key={i} data-i={i} data-testid="legend-item" style={{ cursor: "pointer", opacity: shown[i] ? 1 : 0.35 }}>
            <span style={{ color: seriesColor(i) }}>■ </span>{n}
          </div>
        ))}
        {series.length > 2000 && <Text size="xs" c="dimmed">… and {series.length - 2000} more series</Text>}
      </div>
    </Box>
  );
}
