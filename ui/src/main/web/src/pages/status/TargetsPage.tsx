import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Accordion, Alert, Badge, Button, Code, Group, Loader, SegmentedControl, Table, Text, TextInput, Title } from "@mantine/core";
import { api, type Labels, type Target } from "../../api/client";
import { ago, HealthBadge, LabelBadges, Load, useApi } from "./common";

function matches(t: Target, search: string, state: string) {
  if (state !== "all" && t.health !== state) return false;
  const s = search.toLowerCase();
  return !s || t.scrapeUrl.toLowerCase().includes(s) || Object.entries(t.labels).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(s));
}

export function TargetsPage() {
  const q = useApi("targets", api.targets, 15000);
  const [search, setSearch] = useState("");
  const [state, setState] = useState("all");
  return (<>
    <Title order={3} mb="sm">Targets</Title>
    <Group mb="sm">
      <TextInput placeholder="Filter by endpoint or labels" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={320} />
      <SegmentedControl value={state} onChange={setState} data={["all", "up", "down", "unknown"]} />
    </Group>
    <Load q={q}>{(d) => {
      const pools = new Map<string, Target[]>();
      for (const t of d.activeTargets) {
        if (!pools.has(t.scrapePool)) pools.set(t.scrapePool, []);
        if (matches(t, search, state)) pools.get(t.scrapePool)!.push(t);
      }
      return (
        <Accordion multiple defaultValue={[...pools.keys()]} variant="separated">
          {[...pools.entries()].map(([pool, ts]) => {
            const all = d.activeTargets.filter((t) => t.scrapePool === pool);
            return (
              <Accordion.Item key={pool} value={pool}>
                <Accordion.Control>
                  <Group><Text fw={600}>{pool}</Text><Badge color={all.every((t) => t.health === "up") ? "green" : "red"}>
                    {all.filter((t) => t.health === "up").length} / {all.length} up</Badge></Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Table data-testid="targets-table">
                    <Table.Thead><Table.Tr><Table.Th>Endpoint</Table.Th><Table.Th>Labels</Table.Th><Table.Th>Last scrape</Table.Th><Table.Th>State</Table.Th></Table.Tr></Table.Thead>
                    <Table.Tbody>
                      {ts.map((t) => (
                        <Table.Tr key={t.scrapeUrl + JSON.stringify(t.labels)}>
                          <Table.Td><Text size="sm" ff="monospace">{t.scrapeUrl}</Text>
                            {t.lastError && <Text size="xs" c="red" data-testid="target-error">{t.lastError}</Text>}</Table.Td>
                          <Table.Td><LabelBadges labels={t.labels} /></Table.Td>
                          <Table.Td><Text size="xs">{ago(t.lastScrape)} · {(t.lastScrapeDuration * 1000).toFixed(1)} ms</Text>
                            <Text size="xs" c="dimmed">every {t.scrapeInterval}, timeout {t.scrapeTimeout}</Text></Table.Td>
                          <Table.Td><HealthBadge health={t.health} /></Table.Td>
                        </Table.Tr>))}
                    </Table.Tbody>
                  </Table>
                </Accordion.Panel>
              </Accordion.Item>
            );
          })}
        </Accordion>
      );
    }}</Load>
  </>);
}

/** The relabel rules applied to one discovered target, each with its output and whether it kept the target. */
function RelabelSteps({ pool, labels }: { pool: string; labels: Labels }) {
  const [open, setOpen] = useState(false);
  const q = useQuery({ queryKey: ["relabel-steps", pool, labels], enabled: open, queryFn: () => api.relabelSteps(pool, labels) });
  if (!open) return <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)}>Relabel steps</Button>;
  if (q.isLoading) return <Loader size="xs" />;
  if (q.error) return <Alert color="red" p="xs">{(q.error as Error).message}</Alert>;
  return (
    <div data-testid="relabel-steps">
      {q.data!.data.steps.map((st, i) => (
        <div key={i} style={{ marginBottom: 6 }}>
          <Code block style={{ fontSize: 11 }}>{Object.entries(st.rule).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n")}</Code>
          {st.keep ? <LabelBadges labels={st.output} /> : <Badge color="gray">dropped here</Badge>}
        </div>))}
    </div>
  );
}

export function ServiceDiscoveryPage() {
  const q = useApi("targets", api.targets, 30000);
  return (<>
    <Title order={3} mb="sm">Service discovery</Title>
    <Load q={q}>{(d) => {
      const pools = new Set([...d.activeTargets.map((t) => t.scrapePool), ...d.droppedTargets.map((t) => t.scrapePool ?? "")]);
      return [...pools].map((pool) => {
        const active = d.activeTargets.filter((t) => t.scrapePool === pool);
        const dropped = d.droppedTargets.filter((t) => (t.scrapePool ?? "") === pool);
        return (
          <div key={pool}>
            <Title order={5} mt="md">{pool} ({active.length} active / {active.length + dropped.length} discovered)</Title>
            <Table withTableBorder data-testid="sd-table">
              <Table.Thead><Table.Tr><Table.Th>Discovered labels</Table.Th><Table.Th>Target labels</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {active.map((t, i) => (<Table.Tr key={"a" + i}><Table.Td><LabelBadges labels={t.discoveredLabels} /></Table.Td>
                  <Table.Td><LabelBadges labels={t.labels} /><RelabelSteps pool={pool} labels={t.discoveredLabels} /></Table.Td></Table.Tr>))}
                {dropped.map((t, i) => (<Table.Tr key={"d" + i}><Table.Td><LabelBadges labels={t.discoveredLabels} /></Table.Td>
                  <Table.Td><Badge color="gray">Dropped by relabeling</Badge><RelabelSteps pool={pool} labels={t.discoveredLabels} /></Table.Td></Table.Tr>))}
              </Table.Tbody>
            </Table>
          </div>
        );
      });
    }}</Load>
  </>);
}
