// The one typed client for every HTTP API the UI calls (Prometheus API v1 on the server,
// Alertmanager API v2 on the Alertmanager). Pages never call fetch themselves, so a new page
// (incidents, pushgateway, ...) adds its endpoint here.
import { pageBase } from "../lib/base";

export class ApiError extends Error {
  constructor(message: string, public readonly status: number, public readonly errorType?: string) {
    super(message);
  }
}

export interface ApiEnvelope<T> {
  status: "success" | "error";
  data: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

export interface Result<T> {
  data: T;
  warnings: string[];
  infos: string[];
}

/** Path relative to the page's base (external URL path), e.g. "api/v1/query". */
export function apiUrl(path: string, params?: Record<string, string | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const s = q.toString();
  return pageBase() + path + (s ? "?" + s : "");
}

async function v1<T>(path: string, params?: Record<string, string | string[] | undefined>, signal?: AbortSignal,
    post = false): Promise<Result<T>> {
  let resp: Response;
  if (post) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(params ?? {})) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    resp = await fetch(apiUrl("api/v1/" + path), { method: "POST", body, signal,
      headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  } else {
    resp = await fetch(apiUrl("api/v1/" + path, params), { signal });
  }
  const text = await resp.text();
  let env: ApiEnvelope<T>;
  try {
    env = JSON.parse(text);
  } catch {
    throw new ApiError(`${resp.status} ${resp.statusText}: ${text.trim()}`, resp.status);
  }
  if (env.status !== "success") {
    throw new ApiError(env.error ?? `HTTP ${resp.status}`, resp.status, env.errorType);
  }
  return { data: env.data, warnings: env.warnings ?? [], infos: env.infos ?? [] };
}

// ---- Prometheus API v1 shapes (only the fields the UI reads) ----
export type Labels = Record<string, string>;
export type SamplePair = [number, string];
export interface Histogram { count: string; sum: string; buckets?: [number, string, string, string][] }
export interface InstantSeries { metric: Labels; value?: SamplePair; histogram?: [number, Histogram] }
export interface RangeSeries { metric: Labels; values?: SamplePair[]; histograms?: [number, Histogram][] }
export type QueryData =
  | { resultType: "vector"; result: InstantSeries[]; stats?: QueryStats }
  | { resultType: "matrix"; result: RangeSeries[]; stats?: QueryStats }
  | { resultType: "scalar"; result: SamplePair; stats?: QueryStats }
  | { resultType: "string"; result: SamplePair; stats?: QueryStats };
export interface QueryStats { timings?: Record<string, number>; samples?: Record<string, unknown> }
export interface ExemplarSeries { seriesLabels: Labels; exemplars: { labels: Labels; value: string; timestamp: number }[] }
export interface AstNode { type: string; [k: string]: unknown }
export interface MetricMetadata { type: string; help: string; unit: string }
export interface Target {
  discoveredLabels: Labels; labels: Labels; scrapePool: string; scrapeUrl: string; globalUrl: string;
  lastError: string; lastScrape: string; lastScrapeDuration: number; health: string;
  scrapeInterval: string; scrapeTimeout: string;
}
export interface RelabelStep { rule: Record<string, unknown>; output: Labels; keep: boolean }
export interface DroppedTarget { discoveredLabels: Labels; scrapePool?: string }
export interface TargetsData { activeTargets: Target[]; droppedTargets: DroppedTarget[]; droppedTargetCounts?: Record<string, number> }
export interface Alert { labels: Labels; annotations: Labels; state: string; activeAt?: string; value: string; keepFiringSince?: string }
export interface Rule {
  name: string; query: string; type: "alerting" | "recording"; health: string; lastError?: string;
  evaluationTime: number; lastEvaluation: string; labels?: Labels; annotations?: Labels; duration?: number;
  state?: string; alerts?: Alert[]; keepFiringFor?: number;
}
export interface RuleGroup { name: string; file: string; interval: number; rules: Rule[]; evaluationTime: number; lastEvaluation: string }
export interface NameCount { name: string; value: number }
export interface TsdbStatus {
  headStats: { numSeries: number; numLabelPairs: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName: NameCount[]; labelValueCountByLabelName: NameCount[];
  memoryInBytesByLabelName: NameCount[]; seriesCountByLabelValuePair: NameCount[];
}

// ---- Specula's incidents (/api/v1/incidents, docs/incidents.md) ----
export interface IncidentEntity { kind: string; name: string }
export interface IncidentEvidence {
  source: "alert" | "signal" | "derived"; name: string; series: string; state?: string; value?: string;
  since: string; text: string; expr?: string;
}
export interface IncidentHop { entity: IncidentEntity; via: string; evidence: IncidentEvidence[]; parallel: IncidentEntity[] }
export interface IncidentAlert {
  labels: Labels; state: string; entity: IncidentEntity | null; activeAt: string; firedAt?: string; resolvedAt?: string;
  joinedAt: string;
}
export interface IncidentEvent { time: string; type: string; alertname?: string; labels?: Labels; entity?: IncidentEntity; text: string }
export interface Incident {
  id: string; state: "open" | "resolved"; startsAt: string; lastActiveAt: string; resolvedAt?: string;
  alertCount: number; activeAlertCount: number; summary: string; explanation: string;
  rootCause: { entity: IncidentEntity; text: string; namedAt: string; evidence: IncidentEvidence[] } | null;
  path: IncidentHop[]; entities: IncidentEntity[]; alerts: IncidentAlert[];
  /** Only in the answer for one incident. */
  timeline?: IncidentEvent[];
}

export const api = {
  query: (query: string, time: number | undefined, signal?: AbortSignal) =>
    v1<QueryData>("query", { query, time: time === undefined ? undefined : String(time / 1000), stats: "all" }, signal, true),
  queryRange: (query: string, start: number, end: number, step: number, signal?: AbortSignal) =>
    v1<QueryData>("query_range", { query, start: String(start / 1000), end: String(end / 1000), step: String(step / 1000) },
      signal, true),
  exemplars: (query: string, start: number, end: number) =>
    v1<ExemplarSeries[]>("query_exemplars", { query, start: String(start / 1000), end: String(end / 1000) }),
  parseQuery: (query: string) => v1<AstNode>("parse_query", { query }),
  formatQuery: (query: string) => v1<string>("format_query", { query }),
  labelNames: (match?: string[]) => v1<string[]>("labels", { "match[]": match }),
  labelValues: (name: string, match?: string[]) =>
    v1<string[]>(`label/${encodeURIComponent(name)}/values`, { "match[]": match }),
  series: (match: string[], start?: number, end?: number) =>
    v1<Labels[]>("series", { "match[]": match, start: start === undefined ? undefined : String(start / 1000),
      end: end === undefined ? undefined : String(end / 1000) }),
  /** Prometheus 3's relabel trace of one discovered target (GET /api/v1/targets/relabel_steps). */
  relabelSteps: (scrapePool: string, labels: Labels) =>
    v1<{ steps: RelabelStep[] }>("targets/relabel_steps", { scrapePool, labels: JSON.stringify(labels) }),
  metadata: () => v1<Record<string, MetricMetadata[]>>("metadata"),
  targets: () => v1<TargetsData>("targets", { state: "any" }),
  rules: () => v1<{ groups: RuleGroup[] }>("rules"),
  alerts: () => v1<{ alerts: Alert[] }>("alerts"),
  incidents: (state?: "open" | "resolved") => v1<{ incidents: Incident[] }>("incidents", { state }),
  incident: (id: string) => v1<Incident>(`incidents/${encodeURIComponent(id)}`),
  tsdbStatus: (limit?: number) => v1<TsdbStatus>("status/tsdb", { limit: limit === undefined ? undefined : String(limit) }),
  flags: () => v1<Record<string, string>>("status/flags"),
  config: () => v1<{ yaml: string }>("status/config"),
  buildInfo: () => v1<Record<string, string>>("status/buildinfo"),
  runtimeInfo: () => v1<Record<string, unknown>>("status/runtimeinfo"),
  alertmanagers: () => v1<{ activeAlertmanagers: { url: string }[]; droppedAlertmanagers: { url: string }[] }>("alertmanagers"),
};

// ---- Alertmanager API v2 ----
export interface AmMatcher { name: string; value: string; isRegex: boolean; isEqual?: boolean }
export interface AmAlert {
  labels: Labels; annotations: Labels; startsAt: string; endsAt: string; updatedAt: string; generatorURL?: string;
  fingerprint: string; receivers: { name: string }[];
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}
export interface AmSilence {
  id?: string; matchers: AmMatcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string;
  status?: { state: "active" | "pending" | "expired" };
}
export interface AmStatus {
  cluster: { status: string; peers?: unknown[] }; versionInfo: Record<string, string>;
  config: { original: string }; uptime: string;
}
export interface AmRouteMatch { receivers: string[]; routes: { key: string; receiver: string; continue: boolean; groupBy: string[] }[] }
export interface AmRouteNode {
  key: string; receiver: string; matchers: string[]; groupBy: string[]; continue: boolean;
  groupWait: string; groupInterval: string; repeatInterval: string; routes: AmRouteNode[];
}

async function uiJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(apiUrl(path), { method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? undefined : { "Content-Type": "application/json" } });
  const t = await r.text();
  if (!r.ok) {
    let msg = t.trim();
    try { const j = JSON.parse(t); if (typeof j === "string") msg = j; } catch { /* plain text */ }
    throw new ApiError(msg || `HTTP ${r.status}`, r.status);
  }
  return JSON.parse(t) as T;
}

async function v2<T>(method: string, path: string, params?: Record<string, string | string[] | undefined>,
    body?: unknown): Promise<T> {
  const resp = await fetch(apiUrl("api/v2/" + path, params), {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
  });
  const text = await resp.text();
  if (!resp.ok) {
    let msg = text.trim();
    try { const j = JSON.parse(text); msg = typeof j === "string" ? j : (j.message ?? msg); } catch { /* plain text */ }
    throw new ApiError(msg || `HTTP ${resp.status}`, resp.status);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const amApi = {
  alerts: (filter: string[], silenced: boolean, inhibited: boolean) =>
    v2<AmAlert[]>("GET", "alerts", { filter, silenced: String(silenced), inhibited: String(inhibited), active: "true" }),
  silences: () => v2<AmSilence[]>("GET", "silences"),
  silence: (id: string) => v2<AmSilence>("GET", `silence/${encodeURIComponent(id)}`),
  saveSilence: (s: AmSilence) => v2<{ silenceID: string }>("POST", "silences", undefined, s),
  expireSilence: (id: string) => v2<void>("DELETE", `silence/${encodeURIComponent(id)}`),
  status: () => v2<AmStatus>("GET", "status"),
  /** Specula's own endpoints (not API v2): the routing tree and which routes a label set reaches. */
  routes: () => uiJson<AmRouteNode>("GET", "api/ui/routes"),
  routesTest: (labels: Labels) => uiJson<AmRouteMatch>("POST", "api/ui/routes/test", { labels }),
};
