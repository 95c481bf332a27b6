import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Box, Text } from "@mantine/core";
import { api } from "../../api/client";
import { smallStep } from "../../lib/incidents";
import { useSettings } from "../../lib/settings";
import { formatTime } from "../../lib/time";
import { seriesColor, seriesName } from "../query/series";

const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** A small chart of one evidence expression over the incident's window (query_range, uPlot). */
export function EvidenceGraph({ expr, title, start, end, since }: { expr: string; title: string; start: number; end: number;
    since: number }) {
  const host = useRef<HTMLDivElement>(null);
  const { utc } = useSettings();
  const step = smallStep(end - start);
  // Aligned to the step so that refreshes of an open incident hit the same grid.
  const s0 = Math.floor(start / step) * step, e0 = Math.ceil(end / step) * step;
  const q = useQuery({ queryKey: ["evidence", expr, s0, e0, step], placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.queryRange(expr, s0, e0, step, signal) });
  const result = q.data?.data.resultType === "matrix" ? q.data.data.result : null;

  useEffect(() => {
    const el = host.current;
    if (!el || !result) return;
    const n = Math.floor((e0 - s0) / step) + 1;
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push((s0 + i * step) / 1000);
    const cols = result.map((s) => {
      const col: (number | null)[] = new Array(n).fill(null);
      for (const [t, v] of s.values ?? []) {
        const i = Math.round((t * 1000 - s0) / step);
        if (i >= 0 && i < n) col[i] = parseFloat(v);
      }
      return col;
    });
    const text = getComputedStyle(el).color || "#444";
    const grid = "rgba(128,128,128,0.25)";
    const opts: uPlot.Options = {
      width: el.clientWidth || 400, height: 120, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: true },
        // A flat line (0 for a down target) gets a visible band around it instead of uPlot's 0–100.
        y: { range: (_u, min, max) => uPlot.rangeNum(min, max === min ? min + 1 : max, 0.1, true) as [number, number] } },
      axes: [
        // Whole seconds at least: a young incident's window is only seconds long.
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, incrs: TIME_INCRS,
          values: (_u, vals) => vals.map((v) => formatTime(v * 1000, utc).slice(11, 19)) },
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, size: 50 },
      ],
      series: [{}, ...result.map((s, i) => ({ label: seriesName(s.metric), stroke: seriesColor(i), width: 1.5, points: { show: n < 40 } }))],
      hooks: {
        // A dashed line where the evidence started to hold.
        draw: [(u) => {
          if (since) {
            const x = u.valToPos(since / 1000, "x", true);
            if (isFinite(x) && x >= u.bbox.left && x <= u.bbox.left + u.bbox.width) {
              const c = u.ctx;
              c.save(); c.strokeStyle = "rgba(220,60,60,0.8)"; c.setLineDash([4, 4]); c.beginPath();
              c.moveTo(x, u.bbox.top); c.lineTo(x, u.bbox.top + u.bbox.height); c.stroke(); c.restore();
            }
          }
          el.dataset.series = String(result.length);
        }],
      },
    };
    const plot = new uPlot(opts, [xs, ...cols] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth || 400, height: 120 }));
    ro.observe(el);
    return () => { ro.disconnect(); plot.destroy(); delete el.dataset.series; };
  }, [result, s0, e0, step, since, utc]);

  return (
    <Box data-testid="evidence-graph-box" style={{ minWidth: 280, flex: 1 }}>
      <Text size="xs" fw={600} truncate title={title}>{title}</Text>
      <Text size="xs" ff="monospace" c="dimmed" truncate title={expr}>{expr}</Text>
      {q.error && <Text size="xs" c="red">{(q.error as Error).message}</Text>}
      {result && result.length === 0 && <Text size="xs" c="dimmed">no data in this range</Text>}
      <div ref={host} data-testid="evidence-graph" />
    </Box>
  );
}
