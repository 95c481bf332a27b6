import { describe, expect, it } from "vitest";
import { children, serializeNode } from "../../main/web/src/lib/ast";
import type { AstNode } from "../../main/web/src/api/client";

// Shapes as /api/v1/parse_query returns them (web/src/main/java/io/specula/web/api/AstJson.java).
const sel = (name: string, extra: object = {}): AstNode => ({ type: "vectorSelector", name, offset: 0, startOrEnd: null, timestamp: null,
  matchers: [{ name: "__name__", type: "=", value: name }], ...extra });

describe("explain tree", () => {
  it("serializes an aggregation over a rate with matching", () => {
    const rate: AstNode = { type: "call", func: { name: "rate" }, args: [{ ...sel("x"), type: "matrixSelector", range: 300000,
      matchers: [{ name: "job", type: "=~", value: "a.*" }, { name: "__name__", type: "=", value: "x" }] }] };
    const agg: AstNode = { type: "aggregation", op: "sum", grouping: ["job"], without: false, param: null, expr: rate };
    const bin: AstNode = { type: "binaryExpr", op: "/", bool: false, lhs: agg, rhs: sel("y", { offset: 60000 }),
      matching: { card: "many-to-one", labels: ["job"], on: true, include: ["team"] } };
    expect(serializeNode(bin)).toBe('sum by (job) (rate(x{job=~"a.*"}[5m])) / on(job) group_left(team) y offset 1m');
    expect(children(bin).map(serializeNode)).toEqual(['sum by (job) (rate(x{job=~"a.*"}[5m]))', "y offset 1m"]);
  });
});
