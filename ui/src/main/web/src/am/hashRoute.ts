// The Alertmanager UI routes in the URL fragment (#/alerts, #/silences/new?filter=...), as
// Alertmanager's own UI does, so links in notifications (externalURL/#/alerts?...) keep working.
import { useSyncExternalStore } from "react";

export function useHashRoute(): { path: string; params: URLSearchParams } {
  const h = useSyncExternalStore((l) => { window.addEventListener("hashchange", l); return () => window.removeEventListener("hashchange", l); },
    () => window.location.hash);
  const raw = h.replace(/^#/, "") || "/alerts";
  const i = raw.indexOf("?");
  return { path: i < 0 ? raw : raw.slice(0, i), params: new URLSearchParams(i < 0 ? "" : raw.slice(i + 1)) };
}

export function go(path: string, params?: Record<string, string>) {
  const q = params ? new URLSearchParams(params).toString() : "";
  window.location.hash = path + (q ? "?" + q : "");
}
