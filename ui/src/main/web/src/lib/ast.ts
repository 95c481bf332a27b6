// PromQL text of a /api/v1/parse_query node, so each node of the explain tree can be run.
import type { AstNode } from "../api/client";
import { formatDuration } from "./time";

type M = { name: string; type: string; value: string };

function quote(s: string): string {
  return JSON.stringify(s);
}

function selector(n: AstNode): string {
  const ms = (n.matchers as M[]).filter((m) => !(m.name === "__name__" && m.type === "=" && m.value === n.name));
  let s = (n.name as string) || "";
  if (ms.length > 0 || !s) s += "{" + ms.map((m) => `${m.name}${m.type}${quote(m.value)}`).join(", ") + "}";
  return s;
}

function modifiers(n: AstNode): string {
  let s = "";
  if (n.timestamp !== null && n.timestamp !== undefined) s += ` @ ${(n.timestamp as number) / 1000}`;
  else if (n.startOrEnd) s += ` @ ${n.startOrEnd}()`;
  const off = n.offset as number;
  if (off) s += off < 0 ? ` offset -${formatDuration(-off)}` : ` offset ${formatDuration(off)}`;
  return s;
}

export function serializeNode(n: AstNode): string {
  switch (n.type) {
    case "vectorSelector": return selector(n) + modifiers(n);
    case "matrixSelector": return `${selector(n)}[${formatDuration(n.range as number)}]` + modifiers(n);
    case "numberLiteral": return String(n.val);
    case "stringLiteral": return quote(n.val as string);
    case "parenExpr": return `(${serializeNode(n.expr as AstNode)})`;
    case "unaryExpr": return `${n.op}${serializeNode(n.expr as AstNode)}`;
    case "durationExpr": return n.expr as string;
    case "call": {
      const f = n.func as { name: string };
      return `${f.name}(${(n.args as AstNode[]).map(serializeNode).join(", ")})`;
    }
    case "subquery": {
      const step = n.step as number;
      return `${serializeNode(n.expr as AstNode)}[${formatDuration(n.range as number)}:${step ? formatDuration(step) : ""}]`
        + modifiers(n);
    }
    case "aggregation": {
      const g = n.grouping as string[];
      const by = n.without ? ` without (${g.join(", ")})` : g.length ? ` by (${g.join(", ")})` : "";
      const param = n.param ? serializeNode(n.param as AstNode) + ", " : "";
      return `${n.op}${by} (${param}${serializeNode(n.expr as AstNode)})`;
    }
    case "binaryExpr": {
      const m = n.matching as { card: string; labels: string[]; on: boolean; include: string[] } | null;
      let mod = n.bool ? " bool" : "";
      if (m && (m.on || m.labels.length > 0)) mod += ` ${m.on ? "on" : "ignoring"}(${m.labels.join(", ")})`;
      if (m && m.card === "many-to-one") mod += ` group_left(${m.include.join(", ")})`;
      if (m && m.card === "one-to-many") mod += ` group_right(${m.include.join(", ")})`;
      return `${serializeNode(n.lhs as AstNode)} ${n.op}${mod} ${serializeNode(n.rhs as AstNode)}`;
    }
    default: return "";
  }
}

/** The node's children in the tree. */
export function children(n: AstNode): AstNode[] {
  switch (n.type) {
    case "call": return n.args as AstNode[];
    case "binaryExpr": return [n.lhs as AstNode, n.rhs as AstNode];
    case "aggregation": return n.param ? [n.param as AstNode, n.expr as AstNode] : [n.expr as AstNode];
    case "parenExpr": case "unaryExpr": case "subquery": return [n.expr as AstNode];
    default: return [];
  }
}

/** A one-line explanation of what the node does. */
export function explain(n: AstNode): string {
  switch (n.type) {
    case "vectorSelector": return "Selects the latest sample (within the lookback) of each series matching the selector.";
    case "matrixSelector": return `Selects every sample of the last ${formatDuration(n.range as number)} of each matching series.`;
    case "aggregation": {
      const g = n.grouping as string[];
      return `Aggregates with ${n.op}` + (n.without ? `, keeping all labels except ${g.join(", ")}`
        : g.length ? `, one output series per ${g.join(", ")}` : " into one series") + ".";
    }
    case "binaryExpr": {
      const m = n.matching as { card: string; labels: string[]; on: boolean } | null;
      if (!m) return `Applies ${n.op} ${n.bool ? "(bool) " : ""}between a scalar and each sample.`;
      const on = m.on ? `on the labels ${m.labels.join(", ") || "(none)"}` : m.labels.length ? `ignoring ${m.labels.join(", ")}` : "on all labels";
      return `Matches series ${m.card} ${on}, then applies ${n.op}.`;
    }
    case "call": return `Calls the function ${(n.func as { name: string }).name}.`;
    case "subquery": return "Evaluates the inner expression at each step of a range (subquery).";
    case "numberLiteral": case "stringLiteral": return "A literal.";
    default: return "";
  }
}
