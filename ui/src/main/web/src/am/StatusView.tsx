import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Alert, Badge, Box, Button, Code, Group, Loader, Table, Text, TextInput, Title } from "@mantine/core";
import { amApi, type AmRouteMatch, type AmRouteNode } from "../api/client";
import { parseMatchers } from "../lib/matchers";

export function StatusView() {
  const q = useQuery({ queryKey: ["am-status"], queryFn: amApi.status });
  if (q.isLoading) return <Loader size="sm" />;
  if (q.error) return <Alert color="red">{(q.error as Error).message}</Alert>;
  const s = q.data!;
  return (<>
    <Title order={3} mb="sm">Status</Title>
    <Table withTableBorder mb="lg" data-testid="am-status"><Table.Tbody>
      <Table.Tr><Table.Td>Uptime</Table.Td><Table.Td>{s.uptime}</Table.Td></Table.Tr>
      <Table.Tr><Table.Td>Cluster status</Table.Td><Table.Td>{s.cluster?.status}</Table.Td></Table.Tr>
      {Object.entries(s.versionInfo ?? {}).map(([k, v]) => <Table.Tr key={k}><Table.Td>{k}</Table.Td><Table.Td>{v}</Table.Td></Table.Tr>)}
    </Table.Tbody></Table>
    <Title order={4} mb="xs">Configuration</Title>
    <Code block>{s.config.original}</Code>
  </>);
}

function Node({ r, hits }: { r: AmRouteNode; hits: Set<string> }) {
  const hit = hits.has(r.key);
  return (
    <Box ml="md" pl="sm" mt={4} style={{ borderLeft: "2px solid var(--mantine-color-default-border)" }}>
      <Group gap="xs" data-testid="route-node" data-hit={hit || undefined}>
        <Badge color={hit ? "green" : "gray"} variant={hit ? "filled" : "light"} style={{ textTransform: "none" }}>{r.receiver}</Badge>
        <Text size="xs" ff="monospace">{r.matchers.length ? "{" + r.matchers.join(", ") + "}" : "(all)"}</Text>
        <Text size="xs" c="dimmed">group_by [{r.groupBy.join(", ")}]{r.continue ? " · continue" : ""} · wait {r.groupWait} · interval {r.groupInterval} · repeat {r.repeatInterval}</Text>
      </Group>
      {r.routes.map((c) => <Node key={c.key} r={c} hits={hits} />)}
    </Box>
  );
}

/** The routing tree, and which receivers a typed label set reaches (amtool config routes test). */
export function RoutingView() {
  const tree = useQuery({ queryKey: ["am-routes"], queryFn: amApi.routes });
  const [text, setText] = useState("");
  const [result, setResult] = useState<(AmRouteMatch & { input: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const test = async () => {
    setError(null);
    setResult(null);
    try {
      const labels: Record<string, string> = {};
      for (const m of parseMatchers(text)) {
        if (m.isRegex || m.isEqual === false) throw new Error("a label set uses only name=\"value\"");
        labels[m.name] = m.value;
      }
      setResult({ ...(await amApi.routesTest(labels)), input: text });
    } catch (e) { setError((e as Error).message); setResult(null); }
  };
  return (<>
    <Title order={3} mb="sm">Routing tree</Title>
    <Group mb="sm" align="flex-end">
      <TextInput label="Test a label set" w={480} placeholder='{alertname="TargetDown", severity="page"}' value={text}
        onChange={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === "Enter") test(); }} data-testid="route-test-input" />
      <Button onClick={test}>Test</Button>
    </Group>
    {error && <Alert color="red" mb="sm">{error}</Alert>}
    {result && <Alert color="green" mb="sm" data-testid="route-test-result" data-for={result.input}>Receivers: {result.receivers.join(", ")}</Alert>}
    {tree.isLoading && <Loader size="sm" />}
    {tree.error && <Alert color="red">{(tree.error as Error).message}</Alert>}
    {tree.data && <Node r={tree.data} hits={new Set(result?.routes.map((r) => r.key) ?? [])} />}
  </>);
}
