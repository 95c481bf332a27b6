// User settings persisted in the browser (the colour scheme is persisted by Mantine itself).
import { useSyncExternalStore } from "react";

export interface Settings { utc: boolean; history: string[] }
const KEY = "specula.settings";
const listeners = new Set<() => void>();

function read(): Settings {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    return { utc: !!s.utc, history: Array.isArray(s.history) ? s.history.slice(0, 50) : [] };
  } catch {
    return { utc: false, history: [] };
  }
}

let current: Settings = typeof localStorage === "undefined" ? { utc: false, history: [] } : read();

export function updateSettings(patch: Partial<Settings>) {
  current = { ...current, ...patch };
  try { localStorage.setItem(KEY, JSON.stringify(current)); } catch { /* private mode */ }
  listeners.forEach((l) => l());
}

export function addHistory(expr: string) {
  const e = expr.trim();
  if (!e) return;
  updateSettings({ history: [e, ...current.history.filter((h) => h !== e)].slice(0, 50) });
}

export function useSettings(): Settings {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, () => current);
}
