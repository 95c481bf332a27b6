import { describe, expect, it } from "vitest";
import { formatMatchers, opOf, parseMatchers } from "../../main/web/src/lib/matchers";

describe("Alertmanager matchers", () => {
  it("parses every operator, quoted and bare, with or without braces", () => {
    const ms = parseMatchers('{alertname="Target Down", job!=api, instance=~"a.*\\"x", env!~"dev|test"}');
    expect(ms.map((m) => [m.name, opOf(m), m.value])).toEqual([
      ["alertname", "=", "Target Down"], ["job", "!=", "api"], ["instance", "=~", 'a.*"x'], ["env", "!~", "dev|test"]]);
    expect(parseMatchers("a=b").map(opOf)).toEqual(["="]);
  });

  it("round-trips and rejects garbage", () => {
    const s = '{a="1", b!~"x|y"}';
    expect(formatMatchers(parseMatchers(s))).toBe(s);
    expect(() => parseMatchers("{a}")).toThrow();
    expect(parseMatchers("")).toEqual([]);
  });
});
