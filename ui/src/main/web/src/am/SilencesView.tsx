import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Badge, Button, Card, Group, Loader, Modal, Tabs, Text, Title } from "@mantine/core";
import { amApi, type AmSilence } from "../api/client";
import { formatMatcher } from "../lib/matchers";
import { go } from "./hashRoute";

const STATES = ["active", "pending", "expired"] as const;

/** Silences by state with counts; edit, expire (confirmed) and recreate. */
export function SilencesView() {
  const q = useQuery({ queryKey: ["am-silences"], queryFn: amApi.silences, refetchInterval: 15000 });
  const client = useQueryClient();
  const [expiring, setExpiring] = useState<AmSilence | null>(null);
  const [error, setError] = useState<string | null>(null);
  const by = (s: string) => (q.data ?? []).filter((x) => x.status?.state === s);
  const expire = async () => {
    try { await amApi.expireSilence(expiring!.id!); setExpiring(null); await client.invalidateQueries({ queryKey: ["am-silences"] }); }
    catch (e) { setError((e as Error).message); }
  };
  return (<>
    <Group justify="space-between" mb="sm"><Title order={3}>Silences</Title><Button onClick={() => go("/silences/new")}>New silence</Button></Group>
    {error && <Alert color="red" mb="sm">{error}</Alert>}
    {q.isLoading && <Loader size="sm" />}
    <Tabs defaultValue="active">
      <Tabs.List>{STATES.map((s) => <Tabs.Tab key={s} value={s}>{s} <Badge size="xs" ml={4}>{by(s).length}</Badge></Tabs.Tab>)}</Tabs.List>
      {STATES.map((s) => (
        <Tabs.Panel key={s} value={s} pt="sm">
          {by(s).length === 0 && <Text c="dimmed">No {s} silences.</Text>}
          {by(s).map((x) => (
            <Card key={x.id} withBorder mb="xs" data-testid="am-silence">
              <Group justify="space-between">
                <div>
                  <Group gap={4}>{x.matchers.map((m, i) => <Badge key={i} variant="light" style={{ textTransform: "none" }}>{formatMatcher(m)}</Badge>)}</Group>
                  <Text size="xs" c="dimmed">{x.startsAt} → {x.endsAt} · by {x.createdBy} · {x.comment} · id {x.id}</Text>
                </div>
                <Group gap="xs">
                  {s !== "expired" && <Button size="xs" variant="default" onClick={() => go("/silences/edit", { id: x.id! })}>Edit</Button>}
                  {s !== "expired" && <Button size="xs" color="red" variant="light" onClick={() => setExpiring(x)}>Expire</Button>}
                  {s === "expired" && <Button size="xs" variant="default" onClick={() => go("/silences/new", { recreate: x.id! })}>Recreate</Button>}
                </Group>
              </Group>
            </Card>))}
        </Tabs.Panel>))}
    </Tabs>
    <Modal opened={expiring !== null} onClose={() => setExpiring(null)} title="Expire silence?">
      <Text size="sm" mb="md">The silence {expiring?.id} stops muting its alerts now.</Text>
      <Group justify="flex-end"><Button variant="default" onClick={() => setExpiring(null)}>Cancel</Button>
        <Button color="red" onClick={expire}>Expire</Button></Group>
    </Modal>
  </>);
}
