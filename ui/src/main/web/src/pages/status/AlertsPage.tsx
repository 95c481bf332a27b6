import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Accordion, Badge, Box, Chip, Group, SegmentedControl, Table, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { api, type Rule } from "../../api/client";
import { formatTime } from "../../lib/time";
import { useSettings } from "../../lib/settings";
import { seriesName } from "../query/series";
import { LabelBadges, Load, Pre, useApi } from "./common";

const STATE_COLOR: Record<string, string> = { firing: "red", pending: "orange", inactive: "green" };

/** Alerting rules with their active alerts; filter by state, search, group by file and group. */
export function AlertsPage() {
  const q = useApi("rules", api.rules, 15000);
  const [states, setStates] = useState<string[]>(["inactive", "pending", "firing"]);
  const [search, setSearch] = useState("");
  return (<>
    <Title order={3} mb="sm">Alerts</Title>
    <Group mb="sm">
      <Chip.Group multiple value={states} onChange={setStates}>
        {["inactive", "pending", "firing"].map((s) => <Chip key={s} value={s} color={STATE_COLOR[s]}>{s}</Chip>)}
      </Chip.Group>
      <TextInput placeholder="Search alerts by name or labels" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={300} />
    </Group>
    <Load q={q}>{(d) => d.groups.map((g) => {
      const rules = g.rules.filter((r): r is Rule => r.type === "alerting" && states.includes(r.state ?? "inactive")
        && (r.name + JSON.stringify(r.labels ?? {})).toLowerCase().includes(search.toLowerCase()));
      if (rules.length === 0) return null;
      return (
        <Box key={g.file + g.name} mb="md">
          <Text size="sm" c="dimmed">{g.file} › <b>{g.name}</b></Text>
          <Accordion variant="separated">
            {rules.map((r) => (
              <Accordion.Item key={r.name + r.query} value={r.name + r.query}>
                <Accordion.Control>
                  <Group><Text fw={600}>{r.name}</Text><Badge color={STATE_COLOR[r.state ?? "inactive"]}>{r.state}</Badge>
                    {(r.alerts?.length ?? 0) > 0 && <Badge variant="light">{r.alerts!.length} active</Badge>}</Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Pre>{`alert: ${r.name}\nexpr: ${r.query}` + (r.duration ? `\nfor: ${r.duration}s` : "")
                    + (r.labels && Object.keys(r.labels).length ? `\nlabels:\n${Object.entries(r.labels).map(([k, v]) => `  ${k}: ${v}`).join("\n")}` : "")
                    + (r.annotations && Object.keys(r.annotations).length ? `\nannotations:\n${Object.entries(r.annotations).map(([k, v]) => `  ${k}: ${v}`).join("\n")}` : "")}</Pre>
                  {(r.alerts?.length ?? 0) > 0 && (
                    <Table mt="sm">
                      <Table.Thead><Table.Tr><Table.Th>Labels</Table.Th><Table.Th>State</Table.Th><Table.Th>Active since</Table.Th><Table.Th>Value</Table.Th></Table.Tr></Table.Thead>
                      <Table.Tbody>{r.alerts!.map((a, i) => (
                        <Table.Tr key={i}><Table.Td><LabelBadges labels={a.labels} /></Table.Td><Table.Td><Badge color={STATE_COLOR[a.state]}>{a.state}</Badge></Table.Td>
                          <Table.Td>{a.activeAt}</Table.Td><Table.Td>{a.value}</Table.Td></Table.Tr>))}
                      </Table.Tbody>
                    </Table>)}
                </Accordion.Panel>
              </Accordion.Item>))}
          </Accordion>
        </Box>
      );
    })}</Load>
    <AlertTimeline />
  </>);
}

const RANGES: Record<string, number> = { "1h": 3600e3, "6h": 6 * 3600e3, "1d": 24 * 3600e3 };

/** When each alert was pending and firing over the range, from the ALERTS series. */
export function AlertTimeline() {
  const [range, setRange] = useState("1h");
  const { utc } = useSettings();
  const q = useQuery({
    queryKey: ["alert-timeline", range],
    refetchInterval: 30000,
    queryFn: async () => {
      const end = Date.now(), start = end - RANGES[range];
      const step = Math.max(1000, Math.round(RANGES[range] / 500 / 1000) * 1000);
      const r = await api.queryRange("ALERTS", start, end, step);
      return { ...r, start, end, step };
    },
  });
  return (
    <Box mt="xl" data-testid="alert-timeline">
      <Group mb="xs"><Title order={4}>Alert timeline</Title>
        <SegmentedControl size="xs" value={range} onChange={setRange} data={Object.keys(RANGES)} /></Group>
      {q.error && <Text c="red">{(q.error as Error).message}</Text>}
      {q.data && q.data.data.resultType === "matrix" && (() => {
        const { start, end, step } = q.data;
        const rows = new Map<string, { labels: Record<string, string>; spans: { from: number; to: number; state: string }[] }>();
        for (const s of q.data.data.result) {
          const { alertstate, __name__, ...labels } = s.metric;
          void __name__;
          const key = seriesName(labels);
          if (!rows.has(key)) rows.set(key, { labels, spans: [] });
          let cur: { from: number; to: number; state: string } | null = null;
          for (const [t] of s.values ?? []) {
            const ms = t * 1000;
            if (cur && ms - cur.to <= step * 1.5) cur.to = ms;
            else { cur = { from: ms, to: ms, state: alertstate }; rows.get(key)!.spans.push(cur); }
          }
        }
        if (rows.size === 0) return <Text c="dimmed" size="sm">No alert was pending or firing in this range.</Text>;
        const x = (ms: number) => ((ms - start) / (end - start)) * 100;
        return (<>
          {[...rows.entries()].map(([key, row]) => (
            <Group key={key} wrap="nowrap" gap="xs" mb={4} data-testid="timeline-row">
              <Text size="xs" ff="monospace" w={320} truncate title={key}>{key}</Text>
              <Box pos="relative" h={16} style={{ flex: 1, background: "var(--mantine-color-default-hover)" }}>
                {row.spans.map((sp, i) => (
                  <Tooltip key={i} label={`${sp.state}: ${formatTime(sp.from, utc)} – ${formatTime(sp.to, utc)}`}>
                    <Box pos="absolute" top={0} h={16} data-state={sp.state}
                      style={{ left: `${x(sp.from)}%`, width: `${Math.max(0.5, x(sp.to + step) - x(sp.from))}%`,
                        background: sp.state === "firing" ? "var(--mantine-color-red-6)" : "var(--mantine-color-orange-4)" }} />
                  </Tooltip>))}
              </Box>
            </Group>))}
          <Group justify="space-between" ml={328}><Text size="xs">{formatTime(start, utc)}</Text><Text size="xs">{formatTime(end, utc)}</Text></Group>
        </>);
      })()}
    </Box>
  );
}

export function RulesPage() {
  const q = useApi("rules", api.rules, 15000);
  return (<>
    <Title order={3} mb="sm">Rules</Title>
    <Load q={q}>{(d) => d.groups.map((g) => (
      <Box key={g.file + g.name} mb="lg">
        <Group justify="space-between"><Text fw={600}>{g.name}</Text>
          <Text size="xs" c="dimmed">{g.file} · every {g.interval}s · last evaluation {g.lastEvaluation} · took {(g.evaluationTime * 1000).toFixed(2)} ms</Text></Group>
        <Table withTableBorder data-testid="rules-table">
          <Table.Thead><Table.Tr><Table.Th>Rule</Table.Th><Table.Th>Health</Table.Th><Table.Th>Last evaluation</Table.Th><Table.Th>Duration</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>{g.rules.map((r) => (
            <Table.Tr key={r.name + r.query}>
              <Table.Td><Text size="sm" ff="monospace">{r.type === "alerting" ? "alert" : "record"}: {r.name}</Text>
                <Text size="xs" ff="monospace" c="dimmed">{r.query}</Text>
                {r.lastError && <Text size="xs" c="red">{r.lastError}</Text>}</Table.Td>
              <Table.Td><Badge color={r.health === "ok" ? "green" : r.health === "err" ? "red" : "gray"}>{r.health}</Badge></Table.Td>
              <Table.Td><Text size="xs">{r.lastEvaluation}</Text></Table.Td>
              <Table.Td><Text size="xs">{(r.evaluationTime * 1000).toFixed(3)} ms</Text></Table.Td>
            </Table.Tr>))}
          </Table.Tbody>
        </Table>
      </Box>))}</Load>
  </>);
}
