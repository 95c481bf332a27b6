import { describe, expect, it } from "vitest";
import { EditorState } from "@codemirror/state";
import { CompletionContext } from "@codemirror/autocomplete";
import { ensureSyntaxTree } from "@codemirror/language";
import { newCompleteStrategy, PromQLExtension } from "@prometheus-io/codemirror-promql";
import { completionConfig } from "../../main/web/src/lib/promqlEditor";

/** The editor's completion, wired to a fake API under a route prefix: which URLs, which options. */
function setup() {
  const calls: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    calls.push(url);
    const data = url.includes("/api/v1/labels") ? ["__name__", "instance", "job"]
      : url.includes("/label/__name__/values") ? ["up", "rate_limited_total"]
      : url.includes("/label/") ? ["node", "prom"]
      : url.includes("/metadata") ? {} : url.includes("/series") ? [{ __name__: "up", job: "prom", instance: "a" }] : [];
    return new Response(JSON.stringify({ status: "success", data }), { headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  const strategy = newCompleteStrategy(completionConfig(fetchFn, "/prom/"));
  // The editor closes brackets: "up{" is typed as "up{}" with the cursor inside.
  const complete = async (typed: string) => {
    const closing = typed.endsWith("{") ? "}" : typed.endsWith('"') ? '"}' : "";
    let state = EditorState.create({ doc: typed + closing, extensions: new PromQLExtension().asExtension() });
    // Without a view the initial parse has a 20 ms budget, which a cold, loaded machine can
    // exhaust: finish it, and let a transaction carry the finished tree into the state.
    ensureSyntaxTree(state, state.doc.length, 10_000);
    state = state.update({}).state;
    const r = await strategy.promQL(new CompletionContext(state, typed.length, true));
    return (r?.options ?? []).map((o) => o.label);
  };
  return { calls, complete };
}

describe("autocomplete wiring", () => {
  it("label names after up{ come from our API under the prefix", async () => {
    const { calls, complete } = setup();
    expect(await complete("up{")).toEqual(expect.arrayContaining(["instance", "job"]));
    expect(calls.some((c) => c.startsWith("/prom/api/v1/"))).toBe(true);
  });

  it("rat offers rate among functions and metric names", async () => {
    const { complete } = setup();
    const opts = await complete("rat");
    expect(opts).toContain("rate");
    expect(opts).toContain("rate_limited_total");
  });

  it("label values after job=", async () => {
    const { complete } = setup();
    expect(await complete('up{job="')).toEqual(expect.arrayContaining(["node", "prom"]));
  });
});
