// The PromQL language support the editor uses: highlighting, linting and autocompletion
// (metric names, label names and values, functions, keywords) against our own API.
import type { CompleteConfiguration } from "@prometheus-io/codemirror-promql";
import { PromQLExtension } from "@prometheus-io/codemirror-promql";
import { pageBase } from "./base";

/** Completion talks to the API under the page's base path; GET so it is cacheable and simple. */
export function completionConfig(fetchFn?: typeof fetch, base = pageBase()): CompleteConfiguration {
  return {
    remote: {
      url: base.replace(/\/$/, ""),
      httpMethod: "GET",
      apiPrefix: "/api/v1",
      lookbackInterval: 12 * 3600e3,
      cache: { maxAge: 5 * 60e3 },
      ...(fetchFn ? { fetchFn } : {}),
      // A failed lookup should not surface as an uncaught rejection (console error).
      httpErrorHandler: () => {},
    },
    maxMetricsMetadata: 10000,
  };
}

export function promqlExtension(): PromQLExtension {
  return new PromQLExtension().setComplete(completionConfig()).activateCompletion(true).activateLinter(true);
}
