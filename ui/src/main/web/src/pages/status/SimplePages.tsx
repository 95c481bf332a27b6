import { useState } from "react";
import { Anchor, Table, TextInput, Title } from "@mantine/core";
import { api } from "../../api/client";
import { Load, Pre, useApi } from "./common";

export function FlagsPage() {
  const q = useApi("flags", api.flags);
  const [f, setF] = useState("");
  return (<>
    <Title order={3} mb="sm">Command-line flags</Title>
    <TextInput placeholder="Filter flags" value={f} onChange={(e) => setF(e.currentTarget.value)} mb="sm" w={300} />
    <Load q={q}>{(d) => (
      <Table striped data-testid="flags">
        <Table.Tbody>
          {Object.entries(d).filter(([k, v]) => (k + v).toLowerCase().includes(f.toLowerCase())).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => (
            <Table.Tr key={k}><Table.Td ff="monospace">--{k}</Table.Td><Table.Td ff="monospace">{v}</Table.Td></Table.Tr>))}
        </Table.Tbody>
      </Table>)}
    </Load>
  </>);
}

export function ConfigPage() {
  const q = useApi("config", api.config);
  return (<>
    <Title order={3} mb="sm">Configuration</Title>
    <Load q={q}>{(d) => <Pre>{d.yaml}</Pre>}</Load>
  </>);
}

function KV({ data }: { data: Record<string, unknown> }) {
  return (
    <Table striped mb="lg">
      <Table.Tbody>
        {Object.entries(data).map(([k, v]) => (
          <Table.Tr key={k}><Table.Td fw={500}>{k}</Table.Td><Table.Td>{typeof v === "object" ? JSON.stringify(v) : String(v)}</Table.Td></Table.Tr>))}
      </Table.Tbody>
    </Table>
  );
}

export function StatusPage() {
  const build = useApi("buildinfo", api.buildInfo);
  const rt = useApi("runtimeinfo", api.runtimeInfo);
  return (<>
    <Title order={3} mb="sm">Build information</Title>
    <Load q={build}>{(d) => <KV data={d} />}</Load>
    <Title order={3} mb="sm">Runtime information</Title>
    <Load q={rt}>{(d) => <KV data={d} />}</Load>
  </>);
}

export function AlertmanagerDiscoveryPage() {
  const q = useApi("alertmanagers", api.alertmanagers);
  return (<>
    <Title order={3} mb="sm">Alertmanager discovery</Title>
    <Load q={q}>{(d) => (<>
      <Title order={5}>Active Alertmanagers ({d.activeAlertmanagers.length})</Title>
      <Table mb="md"><Table.Tbody>{d.activeAlertmanagers.map((a) => <Table.Tr key={a.url}><Table.Td><Anchor href={a.url}>{a.url}</Anchor></Table.Td></Table.Tr>)}</Table.Tbody></Table>
      <Title order={5}>Dropped Alertmanagers ({d.droppedAlertmanagers.length})</Title>
      <Table><Table.Tbody>{d.droppedAlertmanagers.map((a) => <Table.Tr key={a.url}><Table.Td>{a.url}</Table.Td></Table.Tr>)}</Table.Tbody></Table>
    </>)}</Load>
  </>);
}
