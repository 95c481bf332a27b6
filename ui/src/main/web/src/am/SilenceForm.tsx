import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ActionIcon, Alert, Button, Card, Group, Loader, Select, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { amApi, type AmMatcher } from "../api/client";
import { formatMatcher, opOf, parseMatchers, type Op } from "../lib/matchers";
import { parseDuration, formatDuration } from "../lib/time";
import { LabelBadges } from "../pages/status/common";
import { go } from "./hashRoute";

const OPS: Op[] = ["=", "!=", "=~", "!~"];
const withOp = (m: AmMatcher, op: Op): AmMatcher => ({ ...m, isRegex: op.includes("~"), isEqual: !op.startsWith("!") });

/**
 * New, edit or recreate a silence. The alerts it would silence are previewed (API v2 alerts
 * filtered by the form's matchers, silenced and inhibited ones included) before saving.
 */
export function SilenceForm({ params }: { params: URLSearchParams }) {
  const editId = params.get("id");
  const sourceId = editId ?? params.get("recreate");
  const [matchers, setMatchers] = useState<AmMatcher[]>(() => {
    try { const m = parseMatchers(params.get("filter") ?? ""); return m.length ? m : [{ name: "", value: "", isRegex: false, isEqual: true }]; }
    catch { return [{ name: "", value: "", isRegex: false, isEqual: true }]; }
  });
  const [start, setStart] = useState(() => new Date().toISOString());
  const [duration, setDuration] = useState("2h");
  const [creator, setCreator] = useState(() => localStorage.getItem("specula.am.creator") ?? "");
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const source = useQuery({ queryKey: ["am-silence", sourceId], enabled: !!sourceId, queryFn: () => amApi.silence(sourceId!) });
  useEffect(() => {
    const s = source.data;
    if (!s) return;
    setMatchers(s.matchers);
    setCreator(s.createdBy);
    setComment(s.comment);
    if (editId) {
      setStart(s.startsAt);
      setDuration(formatDuration(Math.max(60e3, Date.parse(s.endsAt) - Math.max(Date.now(), Date.parse(s.startsAt)))));
    }
  }, [source.data, editId]);

  const valid = matchers.filter((m) => m.name.trim() !== "");
  const preview = useQuery({
    queryKey: ["am-preview", valid], enabled: valid.length > 0,
    queryFn: () => amApi.alerts(valid.map(formatMatcher), true, true),
  });
  const durMs = parseDuration(duration);
  const end = durMs ? new Date(Math.max(Date.parse(start) || Date.now(), Date.now()) + durMs).toISOString() : null;

  const save = async () => {
    setError(null);
    if (!end) { setError(`bad duration "${duration}"`); return; }
    try {
      localStorage.setItem("specula.am.creator", creator);
      await amApi.saveSilence({ ...(editId ? { id: editId } : {}), matchers: valid, startsAt: start, endsAt: end, createdBy: creator, comment });
      go("/silences");
    } catch (e) { setError((e as Error).message); }
  };
  const set = (i: number, m: AmMatcher) => setMatchers(matchers.map((x, j) => (j === i ? m : x)));

  return (<>
    <Title order={3} mb="sm">{editId ? "Edit silence" : "New silence"}</Title>
    {source.isLoading && <Loader size="sm" />}
    <Stack maw={900}>
      <div>
        <Text fw={500} size="sm" mb={4}>Matchers</Text>
        {matchers.map((m, i) => (
          <Group key={i} gap="xs" mb={4} data-testid="matcher-row">
            <TextInput placeholder="label" aria-label="Matcher name" value={m.name} onChange={(e) => set(i, { ...m, name: e.currentTarget.value })} />
            <Select w={80} aria-label="Matcher operator" data={OPS} value={opOf(m)} allowDeselect={false} onChange={(v) => set(i, withOp(m, (v ?? "=") as Op))} />
            <TextInput placeholder="value" aria-label="Matcher value" value={m.value} onChange={(e) => set(i, { ...m, value: e.currentTarget.value })} style={{ flex: 1 }} />
            <ActionIcon variant="default" aria-label="Remove matcher" onClick={() => setMatchers(matchers.filter((_, j) => j !== i))}>×</ActionIcon>
          </Group>))}
        <Button size="xs" variant="default" onClick={() => setMatchers([...matchers, { name: "", value: "", isRegex: false, isEqual: true }])}>Add matcher</Button>
      </div>
      <Group grow>
        <TextInput label="Start" value={start} onChange={(e) => setStart(e.currentTarget.value)} />
        <TextInput label="Duration" value={duration} onChange={(e) => setDuration(e.currentTarget.value)} error={durMs ? null : "e.g. 2h, 30m, 1d"} />
        <TextInput label="End" value={end ?? ""} readOnly />
      </Group>
      <TextInput label="Creator" value={creator} onChange={(e) => setCreator(e.currentTarget.value)} required />
      <Textarea label="Comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} required />
      {error && <Alert color="red" data-testid="silence-error">{error}</Alert>}
      <Group><Button onClick={save}>{editId ? "Update" : "Create"}</Button><Button variant="default" onClick={() => go("/silences")}>Cancel</Button></Group>
      <Card withBorder data-testid="silence-preview">
        <Text fw={600} mb="xs">Affected alerts{preview.data ? `: ${preview.data.length}` : ""}</Text>
        {preview.isLoading && <Loader size="xs" />}
        {preview.error && <Text c="red" size="sm">{(preview.error as Error).message}</Text>}
        {preview.data?.map((a) => <div key={a.fingerprint} style={{ marginBottom: 4 }}><LabelBadges labels={a.labels} /></div>)}
        {valid.length === 0 && <Text c="dimmed" size="sm">Add a matcher to see which alerts it silences.</Text>}
      </Card>
    </Stack>
  </>);
}
