import { useQuery } from "@tanstack/react-query";
import { Alert, Badge, Box, Code, Group, Loader, Text, UnstyledButton } from "@mantine/core";
import { api, type AstNode } from "../../api/client";
import { children, explain, serializeNode } from "../../lib/ast";

/** One node: its text, its series count and time (the node run as an instant query), its children. */
function Node({ node, onRun, depth }: { node: AstNode; onRun: (expr: string) => void; depth: number }) {
  const text = serializeNode(node);
  const lit = node.type === "numberLiteral" || node.type === "stringLiteral";
  const stats = useQuery({
    queryKey: ["explain-node", text],
    enabled: !lit && text !== "",
    queryFn: async () => {
      const t0 = performance.now();
      const r = await api.query(text, undefined);
      const n = r.data.resultType === "vector" || r.data.resultType === "matrix" ? r.data.result.length : 1;
      return { series: n, ms: performance.now() - t0 };
    },
  });
  return (
    <Box ml={depth ? 20 : 0} mt={4} pl={depth ? 8 : 0} style={{ borderLeft: depth ? "2px solid var(--mantine-color-default-border)" : undefined }}>
      <Group gap="xs" wrap="nowrap">
        <UnstyledButton onClick={() => onRun(text)} title="Run this sub-expression" data-testid="tree-node">
          <Code>{text}</Code>
        </UnstyledButton>
        {stats.isLoading && <Loader size="xs" />}
        {stats.data && (
          <Badge variant="light" size="sm" data-testid="node-series">{stats.data.series} series · {stats.data.ms.toFixed(0)} ms</Badge>
        )}
        {stats.error && <Badge color="red" size="sm">{(stats.error as Error).message}</Badge>}
      </Group>
      <Text size="xs" c="dimmed">{explain(node)}</Text>
      {children(node).map((c, i) => <Node key={i} node={c} onRun={onRun} depth={depth + 1} />)}
    </Box>
  );
}

export function ExplainView({ expr, onRun }: { expr: string; onRun: (expr: string) => void }) {
  const tree = useQuery({ queryKey: ["parse", expr], queryFn: () => api.parseQuery(expr), enabled: expr.trim() !== "" });
  if (expr.trim() === "") return <Text c="dimmed" size="sm">Enter an expression to see its tree.</Text>;
  if (tree.isLoading) return <Loader size="sm" />;
  if (tree.error) return <Alert color="red" title="Error">{(tree.error as Error).message}</Alert>;
  return <Box data-testid="explain-tree"><Node node={tree.data!.data} onRun={onRun} depth={0} /></Box>;
}
