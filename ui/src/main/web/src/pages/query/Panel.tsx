import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { EditorView } from "@codemirror/view";
import { ActionIcon, Alert, Button, Card, Checkbox, Group, Loader, Menu, SegmentedControl, Select, Tabs, Text, TextInput, Tooltip } from "@mantine/core";
import { api, type ExemplarSeries, type QueryData, type Result } from "../../api/client";
import { PromQLEditor } from "../../components/PromQLEditor";
import { addHistory, useSettings } from "../../lib/settings";
import { defaultStep, formatDuration, formatTime, parseDuration, parseTime } from "../../lib/time";
import type { PanelState, Tab } from "../../lib/urlState";
import { ExplainView } from "./ExplainView";
import { GraphView } from "./GraphView";
import { HeatmapView } from "./HeatmapView";
import { MetricsExplorer } from "./MetricsExplorer";
import { TableView } from "./TableView";

interface Props {
  state: PanelState;
  onChange: (s: PanelState) => void;
  onRemove: () => void;
  onDuplicate: () => void;
}

/** A query's answer with its load time and whether it was a range query. */
interface PanelResult extends Result<QueryData> { ms: number; graph: boolean }

// One empty list, so that a render without exemplars does not rebuild the chart.
const NO_EXEMPLARS: ExemplarSeries[] = [];

const REFRESH = [["off", "Off"], ["5000", "5s"], ["10000", "10s"], ["30000", "30s"], ["60000", "1m"]];

function Stats({ data, ms }: { data: QueryData; ms: number }) {
  const n = data.resultType === "vector" || data.resultType === "matrix" ? data.result.length : 1;
  const eval_ = data.stats?.timings?.evalTotalTime;
  const samples = data.stats?.samples?.totalQueryableSamples as number | undefined;
  return (
    <Text size="xs" c="dimmed" data-testid="query-stats">
      Load time: {ms.toFixed(0)} ms · Result series: {n}
      {eval_ !== undefined && ` · Eval: ${(eval_ * 1000).toFixed(1)} ms`}
      {samples !== undefined && ` · Samples: ${samples}`}
    </Text>
  );
}

export function Panel({ state, onChange, onRemove, onDuplicate }: Props) {
  const [draft, setDraft] = useState(state.expr);
  const [run, setRun] = useState(state.expr ? 1 : 0);
  const [limit, setLimit] = useState(10000);
  const [evalTime, setEvalTime] = useState<number | null>(null);
  const [refresh, setRefresh] = useState("off");
  const [explorer, setExplorer] = useState(false);
  const [nowTick, setNowTick] = useState(() => Date.now());
  const [refreshes, setRefreshes] = useState(0);
  const view = useRef<EditorView | null>(null);
  const { utc, history } = useSettings();
  const set = (patch: Partial<PanelState>) => onChange({ ...state, ...patch });

  useEffect(() => setDraft(state.expr), [state.expr]);
  useEffect(() => {
    if (refresh === "off") return;
    // Each tick re-runs the query (also with a fixed end time), ending at now when no end is set.
    const id = setInterval(() => { setNowTick(Date.now()); setRefreshes((n) => n + 1); }, parseInt(refresh, 10));
    return () => clearInterval(id);
  }, [refresh]);

  const execute = (expr = draft) => {
    addHistory(expr);
    setNowTick(Date.now());
    setRun((r) => r + 1);
    set({ expr });
  };

  const end = state.endMs ?? nowTick;
  const start = end - state.rangeMs;
  const step = state.stepMs ?? defaultStep(state.rangeMs);
  const graph = state.tab === "graph";
  const result = useQuery<PanelResult>({
    queryKey: ["panel", state.expr, state.tab, graph ? [start, end, step] : evalTime ?? nowTick, run, refreshes],
    enabled: run > 0 && state.expr.trim() !== "" && state.tab !== "explain",
    placeholderData: (prev) => prev,
    retry: false,
    queryFn: async ({ signal }) => {
      const t0 = performance.now();
      const r = graph ? await api.queryRange(state.expr, start, end, step, signal) : await api.query(state.expr, evalTime ?? undefined, signal);
      return { ...r, ms: performance.now() - t0, graph };
    },
  });

  // Exemplars for the graphed range, asked once the range query itself succeeded.
  const exemplars = useQuery({
    queryKey: ["exemplars", state.expr, start, end, run, refreshes],
    enabled: graph && result.isSuccess && !result.isFetching && result.data?.graph === true,
    retry: false,
    queryFn: async () => (await api.exemplars(state.expr, start, end)).data,
  });

  const format = async () => {
    try { const r = await api.formatQuery(draft); setDraft(r.data); set({ expr: r.data }); } catch { /* lint shows the error */ }
  };
  const insert = (t: string) => {
    const v = view.current;
    if (!v) { setDraft(draft + t); return; }
    const pos = v.state.selection.main.head;
    v.dispatch({ changes: { from: pos, insert: t }, selection: { anchor: pos + t.length } });
    v.focus();
  };

  return (
    <Card withBorder mb="md" data-testid="panel">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <PromQLEditor value={draft} onChange={setDraft} onRun={() => execute(draft)} viewRef={view} />
        <Menu>
          <Menu.Target><Button variant="default" size="sm">History</Button></Menu.Target>
          <Menu.Dropdown style={{ maxWidth: 600 }}>
            {history.length === 0 && <Menu.Item disabled>No queries yet</Menu.Item>}
            {history.slice(0, 20).map((h) => <Menu.Item key={h} ff="monospace" onClick={() => { setDraft(h); execute(h); }}>{h}</Menu.Item>)}
          </Menu.Dropdown>
        </Menu>
        <Tooltip label="Metrics explorer"><Button variant="default" size="sm" onClick={() => setExplorer(true)}>Metrics</Button></Tooltip>
        <Button variant="default" size="sm" onClick={format}>Format</Button>
        <Button size="sm" onClick={() => execute(draft)}>Execute</Button>
        <Menu>
          <Menu.Target><ActionIcon variant="default" size="lg" aria-label="Panel actions">⋮</ActionIcon></Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={onDuplicate}>Duplicate panel</Menu.Item>
            <Menu.Item color="red" onClick={onRemove}>Remove panel</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <MetricsExplorer opened={explorer} onClose={() => setExplorer(false)} onInsert={insert} />
      <Tabs value={state.tab} onChange={(t) => set({ tab: (t ?? "table") as Tab })} mt="sm" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="table">Table</Tabs.Tab>
          <Tabs.Tab value="graph">Graph</Tabs.Tab>
          <Tabs.Tab value="explain">Explain</Tabs.Tab>
        </Tabs.List>
        <Group gap="xs" mt="xs" mb="xs">
          {state.tab === "table" && (
            <TextInput size="xs" w={200} placeholder="Evaluation time (now)" aria-label="Evaluation time"
              defaultValue={evalTime === null ? "" : formatTime(evalTime, utc)}
              onBlur={(e) => setEvalTime(e.currentTarget.value.trim() === "" ? null : parseTime(e.currentTarget.value, utc))} />
          )}
          {graph && (<>
            <TextInput size="xs" w={80} aria-label="Range" defaultValue={formatDuration(state.rangeMs)} key={"r" + state.rangeMs}
              onKeyDown={(e) => { if (e.key === "Enter") e.currentTarget.blur(); }}
              onBlur={(e) => { const d = parseDuration(e.currentTarget.value); if (d) set({ rangeMs: d }); }} />
            <TextInput size="xs" w={170} aria-label="End time" placeholder="End (now)" key={"e" + state.endMs}
              defaultValue={state.endMs === null ? "" : formatTime(state.endMs, utc)}
              onBlur={(e) => set({ endMs: e.currentTarget.value.trim() === "" ? null : parseTime(e.currentTarget.value, utc) })} />
            <TextInput size="xs" w={100} aria-label="Resolution" placeholder={`auto (${formatDuration(defaultStep(state.rangeMs))})`}
              key={"s" + state.stepMs} defaultValue={state.stepMs === null ? "" : formatDuration(state.stepMs)}
              onBlur={(e) => set({ stepMs: e.currentTarget.value.trim() === "" ? null : parseDuration(e.currentTarget.value) })} />
            <SegmentedControl size="xs" value={state.displayMode} onChange={(v) => set({ displayMode: v as PanelState["displayMode"] })}
              data={[{ value: "lines", label: "Lines" }, { value: "stacked", label: "Stacked" }, { value: "heatmap", label: "Heatmap" }]} />
            <Checkbox size="xs" label="Y from zero" checked={state.yZero} onChange={(e) => set({ yZero: e.currentTarget.checked })} />
            <Checkbox size="xs" label="Log scale" checked={state.logScale} onChange={(e) => set({ logScale: e.currentTarget.checked })} />
            <Select size="xs" w={90} aria-label="Auto-refresh" value={refresh} onChange={(v) => setRefresh(v ?? "off")}
              data={REFRESH.map(([value, label]) => ({ value, label }))} allowDeselect={false} />
          </>)}
          {state.tab !== "explain" && (
            <Checkbox size="xs" label="Show tree" checked={state.showTree} onChange={(e) => set({ showTree: e.currentTarget.checked })} />)}
          {result.isFetching && <Loader size="xs" />}
        </Group>
        {state.showTree && state.tab !== "explain" && state.expr.trim() !== "" && (
          <Card withBorder mb="sm" p="xs"><ExplainView expr={state.expr} onRun={(e) => { setDraft(e); set({ expr: e }); setRun((r) => r + 1); }} /></Card>)}
        {result.error && <Alert color="red" title="Error executing query" data-testid="query-error">{(result.error as Error).message}</Alert>}
        {result.data && !result.error && state.tab !== "explain" && (<>
          {[...result.data.warnings, ...result.data.infos].map((w, i) => <Alert key={i} color={i < result.data!.warnings.length ? "yellow" : "blue"} mb="xs">{w}</Alert>)}
          {result.data.graph === graph && graph && result.data.data.resultType === "matrix" && (
            state.displayMode === "heatmap" ? <HeatmapView series={result.data.data.result} /> :
            <GraphView series={result.data.data.result} start={start} end={end} step={step}
              exemplars={exemplars.data ?? NO_EXEMPLARS} stacked={state.displayMode === "stacked"} yZero={state.yZero} logScale={state.logScale}
              onZoom={(a, b) => set({ endMs: b, rangeMs: Math.max(1000, b - a) })} />
          )}
          {result.data.graph === graph && graph && result.data.data.resultType !== "matrix" && <Alert color="yellow">The query does not return a range vector to graph.</Alert>}
          {!graph && !result.data.graph && <TableView data={result.data.data} limit={limit} onLimit={setLimit} />}
          <Stats data={result.data.data} ms={result.data.ms} />
        </>)}
        {state.tab === "explain" && <ExplainView expr={state.expr} onRun={(e) => { setDraft(e); set({ expr: e, tab: "table" }); setRun((r) => r + 1); }} />}
      </Tabs>
    </Card>
  );
}
