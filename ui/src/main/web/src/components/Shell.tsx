import type { ReactNode } from "react";
import { AppShell, Group, SegmentedControl, Switch, Text, UnstyledButton, useMantineColorScheme } from "@mantine/core";
import { navigate, useRoute } from "../lib/router";
import { updateSettings, useSettings } from "../lib/settings";

export interface NavItem { path: string; label: string }

/** Header with navigation and the settings (theme, UTC) shared by the server and Alertmanager UIs. */
export function Shell({ title, nav, children, current, onNavigate }: { title: string; nav: NavItem[]; children: ReactNode;
    current?: string; onNavigate?: (path: string) => void }) {
  const route = useRoute();
  const path = current ?? route.path;
  const nav_ = onNavigate ?? ((p: string) => navigate(p));
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const { utc } = useSettings();
  return (
    <AppShell header={{ height: 52 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap" style={{ overflowX: "auto" }}>
            <Text fw={700}>{title}</Text>
            {nav.map((n) => (
              <UnstyledButton key={n.path} onClick={() => nav_(n.path)} data-active={path === n.path || undefined}
                style={{ fontWeight: path === n.path ? 700 : 400, whiteSpace: "nowrap", fontSize: 14 }}>{n.label}</UnstyledButton>))}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Switch size="xs" label="UTC" checked={utc} onChange={(e) => updateSettings({ utc: e.currentTarget.checked })} />
            <SegmentedControl size="xs" aria-label="Theme" value={colorScheme} onChange={(v) => setColorScheme(v as "light" | "dark" | "auto")}
              data={[{ value: "light", label: "Light" }, { value: "dark", label: "Dark" }, { value: "auto", label: "Auto" }]} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
