// What the server injected into index.html: the external URL's path (the <base href>) and
// the page title. Absent under the Vite dev server, where "/" is the base.
interface Injected { base?: string; title?: string }
const injected: Injected = (globalThis as { __SPECULA__?: Injected }).__SPECULA__ ?? {};

/** The base path ending in "/", e.g. "/" or "/prometheus/". */
export function pageBase(): string {
  const b = injected.base ?? "/";
  return b.endsWith("/") ? b : b + "/";
}

export function pageTitle(fallback: string): string {
  return injected.title || fallback;
}
