import { useEffect } from "react";
import { Text } from "@mantine/core";
import { mount } from "./components/bootstrap";
import { Shell } from "./components/Shell";
import { pageTitle } from "./lib/base";
import { navigate, useRoute } from "./lib/router";
import { IncidentsPage } from "./pages/incidents/IncidentsPage";
import { QueryPage } from "./pages/query/QueryPage";
import { AlertsPage, RulesPage } from "./pages/status/AlertsPage";
import { AlertmanagerDiscoveryPage, ConfigPage, FlagsPage, StatusPage } from "./pages/status/SimplePages";
import { ServiceDiscoveryPage, TargetsPage } from "./pages/status/TargetsPage";
import { TsdbStatusPage } from "./pages/status/TsdbStatusPage";

const NAV = [
  { path: "/query", label: "Query" }, { path: "/alerts", label: "Alerts" }, { path: "/incidents", label: "Incidents" },
  { path: "/rules", label: "Rules" },
  { path: "/targets", label: "Targets" }, { path: "/service-discovery", label: "Service discovery" },
  { path: "/tsdb-status", label: "TSDB status" }, { path: "/flags", label: "Flags" }, { path: "/config", label: "Config" },
  { path: "/status", label: "Status" }, { path: "/alertmanager-discovery", label: "Alertmanagers" },
];

const PAGES: Record<string, () => React.ReactElement> = {
  "/query": QueryPage, "/alerts": AlertsPage, "/incidents": IncidentsPage, "/rules": RulesPage, "/targets": TargetsPage,
  "/service-discovery": ServiceDiscoveryPage, "/tsdb-status": TsdbStatusPage, "/flags": FlagsPage,
  "/config": ConfigPage, "/status": StatusPage, "/alertmanager-discovery": AlertmanagerDiscoveryPage,
};

function App() {
  const { path, search } = useRoute();
  useEffect(() => {
    // Prometheus's old /graph URLs (alerts' generatorURL) keep their g0.* parameters.
    if (path === "/" || path === "/graph") navigate("/query", search, true);
  }, [path, search]);
  const Page = PAGES[path];
  return (
    <Shell title="Specula" nav={NAV}>
      {Page ? <Page key={path} /> : path === "/" || path === "/graph" ? null : <Text>Page not found: {path}</Text>}
    </Shell>
  );
}

document.title = pageTitle("Specula");
mount(<App />);
