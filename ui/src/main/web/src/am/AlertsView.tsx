import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Loader, Stack, Text, TextInput, Title } from "@mantine/core";
import { amApi, type AmAlert } from "../api/client";
import { formatMatcher, formatMatchers, parseMatchers } from "../lib/matchers";
import { LabelBadges } from "../pages/status/common";
import { go } from "./hashRoute";

/** Alerts grouped by receiver or by a label, narrowed by an Alertmanager matcher filter. */
export function AlertsView({ initialFilter }: { initialFilter: string }) {
  const [filterText, setFilterText] = useState(initialFilter);
  const [filter, setFilter] = useState(initialFilter);
  const [groupBy, setGroupBy] = useState("receiver");
  const [silenced, setSilenced] = useState(false);
  const [inhibited, setInhibited] = useState(false);
  let parseError: string | null = null;
  let matchers: string[] = [];
  try { matchers = parseMatchers(filter).map(formatMatcher); } catch (e) { parseError = (e as Error).message; }
  const q = useQuery({ queryKey: ["am-alerts", matchers, silenced, inhibited], enabled: parseError === null,
    queryFn: () => amApi.alerts(matchers, silenced, inhibited), refetchInterval: 15000 });
  const groups = useMemo(() => {
    const m = new Map<string, AmAlert[]>();
    for (const a of q.data ?? []) {
      const keys = groupBy === "receiver" ? a.receivers.map((r) => r.name) : [a.labels[groupBy] ?? "(none)"];
      for (const k of keys) { if (!m.has(k)) m.set(k, []); m.get(k)!.push(a); }
    }
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [q.data, groupBy]);

  return (<>
    <Title order={3} mb="sm">Alerts</Title>
    <Group mb="sm" align="flex-end">
      <TextInput label="Filter" w={420} placeholder='{alertname="TargetDown", severity=~"page|critical"}' value={filterText}
        onChange={(e) => setFilterText(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === "Enter") setFilter(filterText); }}
        error={parseError} data-testid="am-filter" />
      <Button variant="default" onClick={() => setFilter(filterText)}>Apply</Button>
      <TextInput label="Group by" w={160} value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value.trim() || "receiver")} />
      <Checkbox label="Silenced" checked={silenced} onChange={(e) => setSilenced(e.currentTarget.checked)} />
      <Checkbox label="Inhibited" checked={inhibited} onChange={(e) => setInhibited(e.currentTarget.checked)} />
    </Group>
    {q.isLoading && <Loader size="sm" />}
    {q.error && <Alert color="red">{(q.error as Error).message}</Alert>}
    {q.data && q.data.length === 0 && <Text c="dimmed">No alerts.</Text>}
    {groups.map(([k, alerts]) => (
      <Card key={k} withBorder mb="md" data-testid="am-group">
        <Group mb="xs"><Text fw={700}>{groupBy}: {k}</Text><Badge>{alerts.length}</Badge></Group>
        <Stack gap="xs">
          {alerts.map((a) => (
            <Card key={a.fingerprint} withBorder p="xs" data-testid="am-alert">
              <Group justify="space-between" align="flex-start">
                <div>
                  <LabelBadges labels={a.labels} />
                  {Object.entries(a.annotations).map(([n, v]) => <Text key={n} size="xs"><b>{n}</b>: {v}</Text>)}
                  <Text size="xs" c="dimmed">since {a.startsAt} · {a.status.state}
                    {a.generatorURL && <> · <Anchor size="xs" href={a.generatorURL} target="_blank" rel="noreferrer">source</Anchor></>}</Text>
                </div>
                <Button size="xs" variant="light" onClick={() => go("/silences/new", { filter: formatMatchers(
                  Object.entries(a.labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }))) })}>Silence</Button>
              </Group>
            </Card>))}
        </Stack>
      </Card>))}
  </>);
}
