import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Badge, Button, Group, Loader, Modal, ScrollArea, Table, Text, TextInput, UnstyledButton } from "@mantine/core";
import { api } from "../../api/client";

interface Props { opened: boolean; onClose: () => void; onInsert: (text: string) => void }

/** Metric names with type/help/unit; a metric's labels by cardinality; inserts a selector. */
export function MetricsExplorer({ opened, onClose, onInsert }: Props) {
  const [filter, setFilter] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const names = useQuery({ queryKey: ["metric-names"], queryFn: () => api.labelValues("__name__"), enabled: opened });
  const meta = useQuery({ queryKey: ["metadata"], queryFn: () => api.metadata(), enabled: opened });
  const series = useQuery({ queryKey: ["series-of", selected], queryFn: () => api.series([selected!]), enabled: !!selected });
  const shown = useMemo(() => (names.data?.data ?? []).filter((n) => n.toLowerCase().includes(filter.toLowerCase())), [names.data, filter]);
  const labelCards = useMemo(() => {
    const m = new Map<string, Set<string>>();
    for (const s of series.data?.data ?? []) for (const [k, v] of Object.entries(s)) {
      if (k === "__name__") continue;
      if (!m.has(k)) m.set(k, new Set());
      m.get(k)!.add(v);
    }
    return [...m.entries()].map(([k, v]) => ({ name: k, count: v.size, values: [...v].sort() })).sort((a, b) => b.count - a.count);
  }, [series.data]);
  const insert = (t: string) => { onInsert(t); onClose(); setSelected(null); };

  return (
    <Modal opened={opened} onClose={() => { onClose(); setSelected(null); }} size="xl" title="Metrics explorer">
      {selected === null ? (
        <>
          <TextInput placeholder="Filter metric names" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} mb="sm" data-autofocus />
          {names.isLoading && <Loader size="sm" />}
          <ScrollArea h={480}>
            <Table highlightOnHover>
              <Table.Tbody>
                {shown.slice(0, 1000).map((n) => {
                  const md = meta.data?.data[n]?.[0];
                  return (
                    <Table.Tr key={n}>
                      <Table.Td><UnstyledButton onClick={() => setSelected(n)} data-testid="explorer-metric"><Text ff="monospace" size="sm">{n}</Text></UnstyledButton></Table.Td>
                      <Table.Td>{md && <Badge size="xs" variant="light">{md.type}</Badge>}</Table.Td>
                      <Table.Td><Text size="xs" c="dimmed">{md?.help}{md?.unit ? ` (${md.unit})` : ""}</Text></Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      ) : (
        <>
          <Group mb="sm">
            <Button variant="default" size="xs" onClick={() => setSelected(null)}>Back</Button>
            <Text ff="monospace">{selected}</Text>
            <Button size="xs" onClick={() => insert(selected)}>Insert selector</Button>
          </Group>
          {series.isLoading && <Loader size="sm" />}
          <Text size="sm" mb="xs">{series.data?.data.length ?? 0} series; labels by number of values:</Text>
          <ScrollArea h={420}>
            <Table>
              <Table.Tbody>
                {labelCards.map((l) => (
                  <Table.Tr key={l.name}>
                    <Table.Td><Text ff="monospace" size="sm">{l.name}</Text></Table.Td>
                    <Table.Td>{l.count}</Table.Td>
                    <Table.Td>
                      {l.values.slice(0, 8).map((v) => (
                        <Badge key={v} size="xs" variant="outline" mr={4} style={{ cursor: "pointer", textTransform: "none" }}
                          onClick={() => insert(`${selected}{${l.name}=${JSON.stringify(v)}}`)}>{v}</Badge>))}
                      {l.values.length > 8 && <Text span size="xs">…</Text>}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}
    </Modal>
  );
}
