// Prometheus durations ("1h30m", "15s") and the UI's time formatting (local or UTC).
const UNITS: [string, number][] = [["y", 365 * 24 * 3600e3], ["w", 7 * 24 * 3600e3], ["d", 24 * 3600e3],
  ["h", 3600e3], ["m", 60e3], ["s", 1e3], ["ms", 1]];

/** Milliseconds of a Prometheus duration, or null when it is not one. */
export function parseDuration(s: string): number | null {
  const t = s.trim();
  if (t === "" ) return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(parseFloat(t) * 1000); // plain seconds
  const re = /(\d+)(ms|y|w|d|h|m|s)/g;
  let total = 0, pos = 0, m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    if (m.index !== pos) return null;
    total += parseInt(m[1], 10) * UNITS.find(([u]) => u === m![2])![1];
    pos = re.lastIndex;
  }
  return pos === t.length && pos > 0 ? total : null;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms, out = "";
  for (const [u, f] of UNITS) {
    const n = Math.floor(rest / f);
    if (n > 0) { out += n + u; rest -= n * f; }
  }
  return out;
}

/** "2026-12-07 11:37:38" in local time or UTC; the format Prometheus's g0.end_input uses. */
export function formatTime(ms: number, utc: boolean): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const [y, mo, da, h, mi, s] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${y}-${p(mo)}-${p(da)} ${p(h)}:${p(mi)}:${p(s)}`;
}

/** Parses formatTime's output (or an ISO time); null when it is not a time. */
export function parseTime(s: string, utc: boolean): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/.exec(s.trim());
  if (m) {
    const v = m.slice(1).map((x) => parseInt(x ?? "0", 10) || 0);
    return utc ? Date.UTC(v[0], v[1] - 1, v[2], v[3], v[4], v[5]) : new Date(v[0], v[1] - 1, v[2], v[3], v[4], v[5]).getTime();
  }
  const t = Date.parse(s);
  return isNaN(t) ? null : t;
}

/** Prometheus's default step: range / 250, at least 1s, rounded to whole seconds. */
export function defaultStep(rangeMs: number): number {
  return Math.max(1000, Math.round(rangeMs / 250 / 1000) * 1000);
}
