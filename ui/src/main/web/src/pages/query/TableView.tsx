import { Alert, Code, Group, NumberInput, Table, Text } from "@mantine/core";
import type { QueryData } from "../../api/client";
import { seriesName } from "./series";

interface Props { data: QueryData; limit: number; onLimit: (n: number) => void }

/** Instant query result: one row per series, capped at `limit` rows with a warning. */
export function TableView({ data, limit, onLimit }: Props) {
  let rows: { name: string; value: string }[] = [];
  let total = 0;
  switch (data.resultType) {
    case "vector":
      total = data.result.length;
      rows = data.result.slice(0, limit).map((s) => ({ name: seriesName(s.metric),
        value: s.value ? s.value[1] : s.histogram ? `count: ${s.histogram[1].count} sum: ${s.histogram[1].sum}` : "" }));
      break;
    case "matrix":
      total = data.result.length;
      rows = data.result.slice(0, limit).map((s) => ({ name: seriesName(s.metric),
        value: (s.values ?? []).map(([t, v]) => `${v} @${t}`).join("\n") }));
      break;
    case "scalar": case "string":
      total = 1;
      rows = [{ name: data.resultType, value: data.result[1] }];
      break;
  }
  return (
    <div>
      <Group gap="xs" mb="xs">
        <Text size="sm">Result limit</Text>
        <NumberInput size="xs" w={110} min={1} max={100000} value={limit} onChange={(v) => onLimit(Number(v) || 1)} aria-label="Result limit" />
      </Group>
      {total > limit && (
        <Alert color="yellow" mb="xs" data-testid="capped">
          Showing {limit} of {total} series: the result was capped. Raise the limit or narrow the query.
        </Alert>
      )}
      {total === 0 ? <Text c="dimmed" size="sm">Empty query result</Text> : (
        <Table striped withTableBorder data-testid="result-table">
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                <Table.Td><Code style={{ whiteSpace: "pre-wrap", background: "none" }}>{r.name}</Code></Table.Td>
                <Table.Td style={{ whiteSpace: "pre", textAlign: "right" }}>{r.value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}
