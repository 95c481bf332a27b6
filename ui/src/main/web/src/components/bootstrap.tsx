import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { MantineProvider, createTheme } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import "@mantine/core/styles.css";

const theme = createTheme({ primaryColor: "indigo", fontFamily: "system-ui, sans-serif", fontFamilyMonospace: "ui-monospace, monospace" });

/** Mounts an app with Mantine (colour scheme persisted in localStorage) and TanStack Query. */
export function mount(app: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
  createRoot(document.getElementById("root")!).render(
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <QueryClientProvider client={client}>{app}</QueryClientProvider>
    </MantineProvider>,
  );
}
