import { useEffect, useRef } from "react";
import { Alert, Box, Group, Text } from "@mantine/core";
import type { RangeSeries } from "../../api/client";
import { cellColor, gridFromClassic, gridFromNative, maxCount, type BucketGrid } from "../../lib/heatmap";
import { formatTime } from "../../lib/time";
import { useSettings } from "../../lib/settings";

function gridOf(series: RangeSeries[]): BucketGrid | null {
  if (series.length === 1 && series[0].histograms?.length) return gridFromNative(series[0].histograms);
  return gridFromClassic(series);
}

const fmt = (b: number) => (b === Infinity ? "+Inf" : b === -Infinity ? "-Inf" : String(+b.toPrecision(4)));

/** Buckets over time: rows are buckets (equal height, labelled by bound), columns are steps. */
export function HeatmapView({ series }: { series: RangeSeries[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const grid = gridOf(series);
  const { utc } = useSettings();
  useEffect(() => {
    const c = canvas.current;
    if (!c || !grid) return;
    const w = c.clientWidth || 800, h = 320;
    c.width = w; c.height = h;
    const ctx = c.getContext("2d")!;
    ctx.clearRect(0, 0, w, h);
    const nb = grid.bounds.length - 1, nt = grid.times.length, max = maxCount(grid);
    const cw = w / Math.max(1, nt), ch = h / Math.max(1, nb);
    for (let t = 0; t < nt; t++) {
      for (let b = 0; b < nb; b++) {
        const col = cellColor(grid.counts[t][b], max);
        if (!col) continue;
        ctx.fillStyle = col;
        ctx.fillRect(t * cw, h - (b + 1) * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
  }, [grid]);
  if (!grid) {
    return <Alert color="yellow">A heatmap needs histogram series: classic "_bucket" series with an "le" label
      (e.g. <code>sum by (le) (rate(x_bucket[5m]))</code>) or native histograms.</Alert>;
  }
  const nb = grid.bounds.length - 1;
  return (
    <Box data-testid="heatmap" data-buckets={nb} data-steps={grid.times.length}>
      <Group align="stretch" gap={4} wrap="nowrap">
        <Box style={{ display: "flex", flexDirection: "column-reverse", height: 320, fontSize: 10, width: 60 }}>
          {grid.bounds.slice(1).map((b, i) => (
            <div key={i} style={{ flex: 1, display: "flex", alignItems: "center" }}>≤ {fmt(b)}</div>))}
        </Box>
        <canvas ref={canvas} style={{ flex: 1, height: 320, minWidth: 0, border: "1px solid var(--mantine-color-default-border)" }} />
      </Group>
      <Group justify="space-between" ml={64}>
        <Text size="xs">{formatTime(grid.times[0], utc)}</Text>
        <Text size="xs">{nb} buckets × {grid.times.length} steps, max {+maxCount(grid).toPrecision(4)} per cell</Text>
        <Text size="xs">{formatTime(grid.times[grid.times.length - 1], utc)}</Text>
      </Group>
    </Box>
  );
}
