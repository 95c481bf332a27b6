// Alertmanager's matcher lists as the UI reads and writes them: {a="b", c=~"d.*"} (braces
// optional, values quoted with Go escapes, or bare words).
import type { AmMatcher } from "../api/client";

export type Op = "=" | "!=" | "=~" | "!~";

export function parseMatchers(input: string): AmMatcher[] {
  let s = input.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  const out: AmMatcher[] = [];
  const re = /\s*([^\s=!~,"{}]+|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,\s"{}]*)\s*(,|$)/y;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new Error(`bad matcher at "${s.slice(pos)}"`);
    const unq = (v: string) => (v.startsWith('"') ? JSON.parse(v) as string : v);
    const op = m[2] as Op;
    out.push({ name: unq(m[1]), value: unq(m[3]), isRegex: op.includes("~"), isEqual: !op.startsWith("!") });
    pos = re.lastIndex;
    if (m[4] === "") break;
  }
  return out;
}

export function opOf(m: AmMatcher): Op {
  return ((m.isEqual === false ? "!" : "") + (m.isRegex ? "~" : "=")).replace(/^~$/, "=~").replace(/^!~$/, "!~") as Op;
}

export function formatMatcher(m: AmMatcher): string {
  return `${m.name}${opOf(m)}${JSON.stringify(m.value)}`;
}

export function formatMatchers(ms: AmMatcher[]): string {
  return "{" + ms.map(formatMatcher).join(", ") + "}";
}
