import type { ReactNode } from "react";
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { Alert, Badge, Code, Group, Loader } from "@mantine/core";
import type { Labels, Result } from "../../api/client";

/** Loads one API call and renders its data, a loader, or the API's error text. */
export function Load<T>({ q, children }: { q: UseQueryResult<Result<T>>; children: (data: T) => ReactNode }) {
  if (q.isLoading) return <Loader size="sm" />;
  if (q.error) return <Alert color="red" title="Error">{(q.error as Error).message}</Alert>;
  return <>{children(q.data!.data)}</>;
}

export function useApi<T>(key: string, fn: () => Promise<Result<T>>, refetchMs?: number) {
  return useQuery({ queryKey: [key], queryFn: fn, refetchInterval: refetchMs });
}

export function LabelBadges({ labels }: { labels: Labels }) {
  return (
    <Group gap={4}>
      {Object.entries(labels).map(([k, v]) => (
        <Badge key={k} variant="light" size="sm" style={{ textTransform: "none" }}>{k}="{v}"</Badge>))}
    </Group>
  );
}

export function HealthBadge({ health }: { health: string }) {
  const c = health === "up" || health === "ok" ? "green" : health === "down" || health === "err" ? "red" : "gray";
  return <Badge color={c} size="sm">{health}</Badge>;
}

export function Pre({ children }: { children: ReactNode }) {
  return <Code block style={{ whiteSpace: "pre-wrap" }}>{children}</Code>;
}

export function ago(iso: string): string {
  const t = Date.parse(iso);
  if (isNaN(t) || t <= 0) return "never";
  const s = (Date.now() - t) / 1000;
  return s < 60 ? `${s.toFixed(1)}s ago` : s < 3600 ? `${(s / 60).toFixed(1)}m ago` : `${(s / 3600).toFixed(1)}h ago`;
}
