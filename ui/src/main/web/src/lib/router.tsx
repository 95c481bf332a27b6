// A small client-side router over the History API, relative to the page's base path.
import { useSyncExternalStore } from "react";
import { pageBase } from "./base";

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((l) => l()));

/** The route below the base: "/query", "/alerts", ... */
export function currentRoute(): string {
  const base = pageBase();
  const p = window.location.pathname;
  const rest = p.startsWith(base) ? p.slice(base.length - 1) : p;
  return rest === "" ? "/" : rest;
}

export function navigate(route: string, search = "", replace = false) {
  const url = pageBase() + route.replace(/^\//, "") + (search ? "?" + search : "");
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  listeners.forEach((l) => l());
}

export function useRoute(): { path: string; search: string } {
  const key = useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); },
    () => currentRoute() + window.location.search);
  const i = key.indexOf("?");
  return i < 0 ? { path: key, search: "" } : { path: key.slice(0, i), search: key.slice(i + 1) };
}
