import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Anchor, Breadcrumbs, Group, Loader, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { api, type NameCount } from "../../api/client";
import { Load, useApi } from "./common";

function NC({ title, rows, onClick }: { title: string; rows: NameCount[]; onClick?: (n: string) => void }) {
  return (<div>
    <Title order={5}>{title}</Title>
    <Table striped data-testid="tsdb-table">
      <Table.Tbody>{rows.map((r) => (
        <Table.Tr key={r.name}>
          <Table.Td ff="monospace">{onClick ? <Anchor component="button" onClick={() => onClick(r.name)}>{r.name}</Anchor> : r.name}</Table.Td>
          <Table.Td ta="right">{r.value}</Table.Td></Table.Tr>))}
      </Table.Tbody>
    </Table>
  </div>);
}

/** Head statistics and the cardinality explorer: metric → labels → values, with series counts. */
export function TsdbStatusPage() {
  const q = useApi("tsdb", () => api.tsdbStatus(1000));
  const [metric, setMetric] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  return (<>
    <Title order={3} mb="sm">TSDB status</Title>
    <Load q={q}>{(d) => (<>
      <Table mb="lg" withTableBorder data-testid="head-stats"><Table.Tbody>
        <Table.Tr><Table.Td>Number of series</Table.Td><Table.Td>{d.headStats.numSeries}</Table.Td></Table.Tr>
        <Table.Tr><Table.Td>Number of chunks</Table.Td><Table.Td>{d.headStats.chunkCount}</Table.Td></Table.Tr>
        <Table.Tr><Table.Td>Number of label pairs</Table.Td><Table.Td>{d.headStats.numLabelPairs}</Table.Td></Table.Tr>
        <Table.Tr><Table.Td>Min time</Table.Td><Table.Td>{new Date(d.headStats.minTime).toISOString()}</Table.Td></Table.Tr>
        <Table.Tr><Table.Td>Max time</Table.Td><Table.Td>{new Date(d.headStats.maxTime).toISOString()}</Table.Td></Table.Tr>
      </Table.Tbody></Table>
      <Title order={4} mb="xs">Cardinality explorer</Title>
      <Breadcrumbs mb="sm">
        <Anchor component="button" onClick={() => { setMetric(null); setLabel(null); }}>all metrics</Anchor>
        {metric && <Anchor component="button" onClick={() => setLabel(null)}>{metric}</Anchor>}
        {label && <Text>{label}</Text>}
      </Breadcrumbs>
      {metric ? <MetricDrill metric={metric} label={label} onLabel={setLabel} /> : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <NC title="Series count by metric name" rows={d.seriesCountByMetricName} onClick={setMetric} />
          <NC title="Label names with the most values" rows={d.labelValueCountByLabelName} />
          <NC title="Memory used by label name (bytes)" rows={d.memoryInBytesByLabelName} />
          <NC title="Series count by label value pair" rows={d.seriesCountByLabelValuePair} />
        </SimpleGrid>)}
    </>)}</Load>
  </>);
}

/** One metric's series: per label the number of values and series; per value the series. */
function MetricDrill({ metric, label, onLabel }: { metric: string; label: string | null; onLabel: (l: string) => void }) {
  const q = useQuery({ queryKey: ["card", metric], queryFn: () => api.series([`{__name__=${JSON.stringify(metric)}}`]) });
  const stats = useMemo(() => {
    const byLabel = new Map<string, Map<string, number>>();
    for (const s of q.data?.data ?? []) for (const [k, v] of Object.entries(s)) {
      if (k === "__name__") continue;
      if (!byLabel.has(k)) byLabel.set(k, new Map());
      const m = byLabel.get(k)!;
      m.set(v, (m.get(v) ?? 0) + 1);
    }
    return byLabel;
  }, [q.data]);
  if (q.isLoading) return <Loader size="sm" />;
  if (q.error) return <Text c="red">{(q.error as Error).message}</Text>;
  const total = q.data!.data.length;
  if (label) {
    const vals = [...(stats.get(label) ?? new Map()).entries()].sort((a, b) => b[1] - a[1]);
    return <NC title={`${metric}: series per value of ${label} (${vals.length} values)`} rows={vals.map(([name, value]) => ({ name, value }))} />;
  }
  return (<>
    <Group mb="xs"><Text>{total} series</Text></Group>
    <NC title={`${metric}: values per label`} onClick={onLabel}
      rows={[...stats.entries()].map(([name, m]) => ({ name, value: m.size })).sort((a, b) => b.value - a.value)} />
  </>);
}
