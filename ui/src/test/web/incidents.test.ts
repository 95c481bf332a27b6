import { describe, expect, it } from "vitest";
import { alertRows, incidentWindow, pathModel, selectedId, smallStep } from "../../main/web/src/lib/incidents";
import type { Incident, IncidentEvidence } from "../../main/web/src/api/client";

const T0 = Date.parse("2026-12-07T11:54:40Z");
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const ev = (name: string, expr: string | undefined, since = 0, extra: Partial<IncidentEvidence> = {}): IncidentEvidence =>
  ({ source: "signal", name, series: `${name}{x="1"}`, value: "1e+00", since: iso(since), text: `${name} text`, expr, ...extra });

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: "5f0c2a9e4b7d1c33", state: "open", startsAt: iso(0), lastActiveAt: iso(100), alertCount: 3, activeAlertCount: 2,
    summary: "s", explanation: "service app fails because node node-1 beneath it is unhealthy",
    rootCause: { entity: { kind: "node", name: "node-1" }, text: "NodeMemoryExhausted on node node-1", namedAt: iso(20),
      evidence: [ev("memory_low", "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", -60)] },
    path: [
      { entity: { kind: "service", name: "app" }, via: "", parallel: [],
        evidence: [ev("LoginFailing", 'ALERTS{alertname="LoginFailing"}', 10, { source: "alert", state: "firing" })] },
      { entity: { kind: "service", name: "auth" }, via: 'traces_service_graph_request_total{client="app",server="auth"}',
        parallel: [], evidence: [ev("edge_errors", "a", 5), ev("edge_errors", "a", 5), ev("restarts", "b", 6)] },
      { entity: { kind: "pod", name: "prod/db-sync-0" }, via: "kube_pod_owner{…}", parallel: [{ kind: "pod", name: "prod/db-sync-1" }],
        evidence: [ev("derived", undefined, 0, { source: "derived" })] },
      { entity: { kind: "node", name: "node-1" }, via: "kube_pod_info{…}", parallel: [], evidence: [] },
    ],
    entities: [], alerts: [], ...over,
  };
}

describe("incident path model", () => {
  it("runs from the symptom down to the root cause, with labels, via and parallel entities", () => {
    const hops = pathModel(incident());
    expect(hops.map((h) => h.label)).toEqual(["service app", "service auth", "pod prod/db-sync-0", "node node-1"]);
    expect(hops.map((h) => [h.symptom, h.root])).toEqual([[true, false], [false, false], [false, false], [false, true]]);
    expect(hops[1].via).toContain('server="auth"');
    expect(hops[2].parallel).toEqual(["pod prod/db-sync-1"]);
  });

  it("makes one graph per distinct evidence expression and none for derived evidence", () => {
    const hops = pathModel(incident());
    expect(hops[0].graphs).toEqual([{ expr: 'ALERTS{alertname="LoginFailing"}', title: "LoginFailing text" }]);
    expect(hops[1].graphs.map((g) => g.expr)).toEqual(["a", "b"]);
    expect(hops[2].graphs).toEqual([]);
  });

  it("shows the root cause's evidence on its hop when the hop carries none", () => {
    const root = pathModel(incident())[3];
    expect(root.evidence.map((e) => e.name)).toEqual(["memory_low"]);
    expect(root.evidence[0].sinceMs).toBe(T0 - 60e3);
    expect(root.graphs[0].expr).toContain("MemAvailable");
  });

  it("is the cause alone without a path, and nothing without a cause", () => {
    const alone = pathModel(incident({ path: [] }));
    expect(alone.map((h) => [h.label, h.root, h.symptom])).toEqual([["node node-1", true, false]]);
    expect(pathModel(incident({ path: [], rootCause: null }))).toEqual([]);
  });

  it("does not mark a last hop as the cause when the API names another entity", () => {
    const hops = pathModel(incident({ rootCause: { ...incident().rootCause!, entity: { kind: "node", name: "node-2" } } }));
    expect(hops.some((h) => h.root)).toBe(false);
  });
});

describe("incident timeline", () => {
  const alerts: Incident["alerts"] = [
    { labels: { alertname: "B", incident: "x", job: "auth" }, state: "firing", entity: { kind: "service", name: "auth" },
      activeAt: iso(10), firedAt: iso(20), joinedAt: iso(10) },
    { labels: { alertname: "A", incident: "x" }, state: "resolved", entity: null, activeAt: iso(0), firedAt: iso(0),
      resolvedAt: iso(30), joinedAt: iso(0) },
    { labels: { alertname: "C" }, state: "pending", entity: { kind: "node", name: "node-1" }, activeAt: iso(40), joinedAt: iso(40) },
  ];

  it("gives pending and firing spans in order of activity, open spans ending at the window's end", () => {
    const end = T0 + 100e3;
    const rows = alertRows(alerts, end);
    expect(rows.map((r) => r.name)).toEqual(['{alertname="A"}', '{alertname="B", job="auth"}', '{alertname="C"}']);
    expect(rows[0].spans).toEqual([{ from: T0, to: T0 + 30e3, state: "firing" }]);
    expect(rows[0].resolvedAt).toBe(T0 + 30e3);
    expect(rows[1].spans).toEqual([{ from: T0 + 10e3, to: T0 + 20e3, state: "pending" }, { from: T0 + 20e3, to: end, state: "firing" }]);
    expect(rows[1].entity).toBe("service auth");
    expect(rows[2].spans).toEqual([{ from: T0 + 40e3, to: end, state: "pending" }]);
  });

  it("covers the incident's life and its evidence, padded; an open one up to now", () => {
    const now = T0 + 200e3;
    const w = incidentWindow(incident({ alerts }), now);
    expect(w.end).toBe(now);
    expect(w.start).toBe(T0 - 60e3 - 26e3); // the cause's evidence holds from -60s; padded by a tenth of 260s
    const closed = incidentWindow(incident({ state: "resolved", resolvedAt: iso(300), lastActiveAt: iso(100), alerts }), T0 + 10_000e3);
    expect(closed.end).toBeGreaterThan(T0 + 300e3);
    expect(closed.end).toBeLessThan(T0 + 400e3);
  });

  it("reads the selected id from the URL and picks a small step", () => {
    expect(selectedId("id=5f0c2a9e4b7d1c33&x=1")).toBe("5f0c2a9e4b7d1c33");
    expect(selectedId("")).toBeNull();
    expect(smallStep(60e3)).toBe(1000);
    expect(smallStep(3600e3)).toBe(30000);
  });
});
