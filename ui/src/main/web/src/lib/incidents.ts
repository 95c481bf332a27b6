// Turns an /api/v1/incidents answer into what the Incidents page draws: the path from the
// symptom down to the root cause (with the queries for each hop's graphs), the alerts' spans
// on a timeline, and the time range the graphs cover. Pure functions, tested without a DOM.
import type { Incident, IncidentAlert, IncidentEntity, IncidentEvidence, Labels } from "../api/client";
import { seriesName } from "../pages/query/series";

export function entityLabel(e: IncidentEntity): string {
  return `${e.kind} ${e.name}`;
}

function sameEntity(a: IncidentEntity | null | undefined, b: IncidentEntity | null | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && a.name === b.name;
}

/** RFC 3339 to ms; 0 (the API's zero time, or missing) when it is not a real time. */
export function ms(t: string | undefined): number {
  if (!t) return 0;
  const v = Date.parse(t);
  return isNaN(v) || v <= 0 ? 0 : v;
}

export interface EvidenceModel {
  source: IncidentEvidence["source"];
  name: string;
  series: string;
  state?: string;
  value?: string;
  sinceMs: number;
  text: string;
  expr?: string;
}

export interface HopModel {
  entity: IncidentEntity;
  label: string;
  /** Why this hop depends on the one above it ("" for the symptom). */
  via: string;
  symptom: boolean;
  root: boolean;
  evidence: EvidenceModel[];
  /** Other unhealthy entities of the same step (a workload's other pods). */
  parallel: string[];
  /** One small graph per distinct evidence expression. */
  graphs: { expr: string; title: string }[];
}

function evidenceModel(e: IncidentEvidence): EvidenceModel {
  return { source: e.source, name: e.name, series: e.series, state: e.state, value: e.value, sinceMs: ms(e.since),
    text: e.text, expr: e.expr || undefined };
}

function graphs(ev: EvidenceModel[]): { expr: string; title: string }[] {
  const out: { expr: string; title: string }[] = [];
  for (const e of ev) {
    if (e.expr && !out.some((g) => g.expr === e.expr)) out.push({ expr: e.expr, title: e.text || e.name });
  }
  return out;
}

/**
 * The hops from the symptom (first) down to the root cause (last). The API sends the path in
 * that order; when it has none yet but names a cause, the cause alone is the path.
 */
export function pathModel(inc: Incident): HopModel[] {
  const rc = inc.rootCause;
  let hops = inc.path.map((h) => ({ entity: h.entity, via: h.via, evidence: h.evidence, parallel: h.parallel }));
  if (hops.length === 0 && rc) hops = [{ entity: rc.entity, via: "", evidence: rc.evidence, parallel: [] }];
  return hops.map((h, i) => {
    const root = i === hops.length - 1 && (!rc || sameEntity(rc.entity, h.entity));
    // The cause's own evidence is the richer one (it is what named it): show it when the hop has none.
    const ev = (h.evidence.length === 0 && root && rc ? rc.evidence : h.evidence).map(evidenceModel);
    return { entity: h.entity, label: entityLabel(h.entity), via: h.via, symptom: i === 0 && hops.length > 1, root, evidence: ev,
      parallel: h.parallel.map(entityLabel), graphs: graphs(ev) };
  });
}

export interface Span { from: number; to: number; state: "pending" | "firing" }
export interface AlertRow { name: string; alertname: string; entity: string; state: string; spans: Span[]; resolvedAt: number }

/** The window the timeline and the evidence graphs cover: the incident's life, padded a little. */
export function incidentWindow(inc: Incident, now: number): { start: number; end: number } {
  let start = ms(inc.startsAt) || now, end = inc.state === "open" ? now : Math.max(ms(inc.resolvedAt), ms(inc.lastActiveAt));
  for (const a of inc.alerts) {
    if (ms(a.activeAt)) start = Math.min(start, ms(a.activeAt));
    end = Math.max(end, ms(a.resolvedAt), ms(a.firedAt));
  }
  // The graphs should show the evidence starting to hold, also the cause's (often before the first alert).
  for (const e of [...inc.path.flatMap((h) => h.evidence), ...(inc.rootCause?.evidence ?? [])]) {
    if (ms(e.since)) start = Math.min(start, ms(e.since));
  }
  if (end <= start) end = start + 10e3;
  const pad = Math.max(2e3, (end - start) * 0.1);
  return { start: start - pad, end: inc.state === "open" ? end : Math.min(now, end + pad) };
}

function displayLabels(l: Labels): Labels {
  // Every member carries the same incident label: it says nothing on this page.
  const { incident, ...rest } = l;
  void incident;
  return rest;
}

/** Pending and firing spans of each alert of the incident; open spans end at `end`. */
export function alertRows(alerts: IncidentAlert[], end: number): AlertRow[] {
  return alerts.map((a) => {
    const active = ms(a.activeAt), fired = ms(a.firedAt), resolved = ms(a.resolvedAt);
    const stop = resolved || end;
    const spans: Span[] = [];
    if (active && (!fired || fired > active)) spans.push({ from: active, to: fired || stop, state: "pending" });
    if (fired) spans.push({ from: fired, to: stop, state: "firing" });
    return { name: seriesName(displayLabels(a.labels)), alertname: a.labels.alertname ?? "", entity: a.entity ? entityLabel(a.entity) : "",
      state: a.state, spans, resolvedAt: resolved };
  }).sort((x, y) => (x.spans[0]?.from ?? 0) - (y.spans[0]?.from ?? 0) || x.name.localeCompare(y.name));
}

/** Graph step for a small chart: about 120 points, whole seconds, at least 1s. */
export function smallStep(rangeMs: number): number {
  return Math.max(1000, Math.round(rangeMs / 120 / 1000) * 1000);
}

/** The page's URL parameter for the selected incident. */
export function selectedId(search: string): string | null {
  const id = new URLSearchParams(search).get("id");
  return id ? id : null;
}
