import { useQuery } from "@tanstack/react-query";
import { Alert, Anchor, Badge, Box, Group, Loader, Paper, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { api, type Incident } from "../../api/client";
import { alertRows, incidentWindow, ms, pathModel, selectedId, type HopModel } from "../../lib/incidents";
import { navigate, useRoute } from "../../lib/router";
import { useSettings } from "../../lib/settings";
import { formatTime } from "../../lib/time";
import { Load, useApi } from "../status/common";
import { EvidenceGraph } from "./EvidenceGraph";

const STATE_COLOR: Record<string, string> = { open: "red", resolved: "green", firing: "red", pending: "orange", inactive: "gray" };

/** Open and recent incidents; the selected one (`?id=`) with its timeline and its path to the root cause. */
export function IncidentsPage() {
  const { search } = useRoute();
  const id = selectedId(search);
  const list = useApi("incidents", () => api.incidents(), 10000);
  const { utc } = useSettings();
  return (<>
    <Title order={3} mb="sm">Incidents</Title>
    <Load q={list}>{(d) => d.incidents.length === 0
      ? <Text c="dimmed">No incidents: no alert has been pending or firing recently.</Text>
      : (
        <Table withTableBorder highlightOnHover data-testid="incident-list">
          <Table.Thead><Table.Tr><Table.Th>Root cause</Table.Th><Table.Th>Alerts</Table.Th><Table.Th>Started</Table.Th>
            <Table.Th>State</Table.Th><Table.Th>Id</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>{d.incidents.map((i) => (
            <Table.Tr key={i.id} data-testid="incident-row" data-selected={i.id === id || undefined} style={{ cursor: "pointer",
              background: i.id === id ? "var(--mantine-color-default-hover)" : undefined }}
              onClick={() => navigate("/incidents", "id=" + encodeURIComponent(i.id))}>
              <Table.Td><Text size="sm" fw={600}>{i.rootCause?.text ?? "not named yet"}</Text></Table.Td>
              <Table.Td><Text size="sm">{i.activeAlertCount} active / {i.alertCount}</Text></Table.Td>
              <Table.Td><Text size="sm">{formatTime(ms(i.startsAt), utc)}</Text></Table.Td>
              <Table.Td><Badge color={STATE_COLOR[i.state]}>{i.state}</Badge></Table.Td>
              <Table.Td><Text size="xs" ff="monospace">{i.id}</Text></Table.Td>
            </Table.Tr>))}
          </Table.Tbody>
        </Table>)}
    </Load>
    {id && <IncidentDetail key={id} id={id} />}
  </>);
}

function IncidentDetail({ id }: { id: string }) {
  const q = useQuery({ queryKey: ["incident", id], queryFn: () => api.incident(id), refetchInterval: 10000 });
  if (q.isLoading) return <Loader size="sm" mt="md" />;
  if (q.error) return <Alert color="red" title="Error" mt="md">{(q.error as Error).message}</Alert>;
  const inc = q.data!.data;
  // The window moves with each refresh of an open incident, not with every render.
  const win = incidentWindow(inc, q.dataUpdatedAt);
  return (
    <Box mt="lg" data-testid="incident-detail">
      <Group gap="sm" mb={4}>
        <Title order={4}>Incident {inc.id}</Title>
        <Badge color={STATE_COLOR[inc.state]}>{inc.state}</Badge>
        <Anchor size="sm" onClick={() => navigate("/incidents")}>close</Anchor>
      </Group>
      <Text fw={600} data-testid="incident-root-cause">Root cause: {inc.rootCause?.text ?? "not named yet"}</Text>
      {inc.explanation && <Text size="sm" data-testid="incident-explanation">{inc.explanation}</Text>}
      <Timeline inc={inc} start={win.start} end={win.end} />
      <Title order={5} mt="lg" mb="xs">Path from the symptom to the root cause</Title>
      <Stack gap={0} data-testid="incident-path">
        {pathModel(inc).map((h, i) => <Hop key={h.label + i} hop={h} first={i === 0} start={win.start} end={win.end} />)}
      </Stack>
    </Box>
  );
}

function Timeline({ inc, start, end }: { inc: Incident; start: number; end: number }) {
  const { utc } = useSettings();
  const rows = alertRows(inc.alerts, end);
  const x = (t: number) => Math.max(0, Math.min(100, ((t - start) / (end - start)) * 100));
  return (
    <Box mt="md" data-testid="incident-timeline">
      <Title order={5} mb="xs">Alerts</Title>
      {rows.map((r, i) => (
        <Group key={r.name + i} wrap="nowrap" gap="xs" mb={4} data-testid="incident-alert">
          <Box w={360} style={{ flexShrink: 0 }}>
            <Group gap={6} wrap="nowrap"><Badge size="xs" color={STATE_COLOR[r.state]}>{r.state}</Badge>
              <Text size="xs" ff="monospace" truncate title={r.name}>{r.name}</Text></Group>
            {r.entity && <Text size="xs" c="dimmed">{r.entity}</Text>}
          </Box>
          <Box pos="relative" h={16} style={{ flex: 1, background: "var(--mantine-color-default-hover)" }}>
            {r.spans.map((sp, j) => (
              <Tooltip key={j} label={`${sp.state}: ${formatTime(sp.from, utc)} – ${formatTime(sp.to, utc)}`}>
                <Box pos="absolute" top={0} h={16} data-state={sp.state}
                  style={{ left: `${x(sp.from)}%`, width: `${Math.max(0.5, x(sp.to) - x(sp.from))}%`,
                    background: sp.state === "firing" ? "var(--mantine-color-red-6)" : "var(--mantine-color-orange-4)" }} />
              </Tooltip>))}
            {r.resolvedAt > 0 && (
              <Tooltip label={`resolved: ${formatTime(r.resolvedAt, utc)}`}>
                <Box pos="absolute" top={0} h={16} w={3} data-state="resolved"
                  style={{ left: `${x(r.resolvedAt)}%`, background: "var(--mantine-color-green-6)" }} />
              </Tooltip>)}
          </Box>
        </Group>))}
      <Group justify="space-between" ml={368}><Text size="xs">{formatTime(start, utc)}</Text><Text size="xs">{formatTime(end, utc)}</Text></Group>
      {(inc.timeline ?? []).length > 0 && (
        <Box mt="xs" data-testid="incident-events" style={{ fontSize: 12, fontFamily: "monospace", maxHeight: 200, overflowY: "auto" }}>
          {inc.timeline!.map((e, i) => (
            <div key={i} data-type={e.type}>{formatTime(ms(e.time), utc)} <b>{e.type.replace("alert_", "")}</b> {e.text}</div>))}
        </Box>)}
    </Box>
  );
}

function Hop({ hop, first, start, end }: { hop: HopModel; first: boolean; start: number; end: number }) {
  const { utc } = useSettings();
  return (<>
    {!first && (
      <Box pl="xl" py={4} data-testid="hop-via">
        <Text size="xs" c="dimmed">↓ depends on{hop.via ? <> — <span style={{ fontFamily: "monospace" }}>{hop.via}</span></> : null}</Text>
      </Box>)}
    <Paper withBorder p="sm" data-testid="path-hop" data-root={hop.root || undefined}
      style={hop.root ? { borderColor: "var(--mantine-color-red-6)", borderWidth: 2 } : undefined}>
      <Group gap="sm" mb={4}>
        <Text fw={700}>{hop.label}</Text>
        {hop.symptom && <Badge size="sm" color="orange" variant="light">symptom</Badge>}
        {hop.root && <Badge size="sm" color="red">root cause</Badge>}
        {hop.parallel.length > 0 && <Text size="xs" c="dimmed">also unhealthy: {hop.parallel.join(", ")}</Text>}
      </Group>
      {hop.evidence.length === 0 ? <Text size="xs" c="dimmed">unhealthy through what it depends on</Text> : (
        <Table fz="xs" data-testid="hop-evidence">
          <Table.Thead><Table.Tr><Table.Th>Evidence</Table.Th><Table.Th>Series</Table.Th><Table.Th>Value</Table.Th><Table.Th>Since</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>{hop.evidence.map((e, i) => (
            <Table.Tr key={i}>
              <Table.Td>{e.text || e.name} <Text span size="xs" c="dimmed">({e.source}{e.state ? ", " + e.state : ""})</Text></Table.Td>
              <Table.Td style={{ fontFamily: "monospace", wordBreak: "break-all" }}>{e.series}</Table.Td>
              <Table.Td>{e.value ?? ""}</Table.Td>
              <Table.Td>{e.sinceMs ? formatTime(e.sinceMs, utc) : ""}</Table.Td>
            </Table.Tr>))}
          </Table.Tbody>
        </Table>)}
      {hop.graphs.length > 0 && (
        <Group align="flex-start" gap="md" mt="xs" wrap="wrap">
          {hop.graphs.slice(0, 3).map((g) => (
            <EvidenceGraph key={g.expr} expr={g.expr} title={g.title} start={start} end={end}
              since={hop.evidence.find((e) => e.expr === g.expr)?.sinceMs ?? 0} />))}
        </Group>)}
    </Paper>
  </>);
}
