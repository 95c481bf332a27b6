import { Text } from "@mantine/core";
import { Shell } from "../components/Shell";
import { AlertsView } from "./AlertsView";
import { go, useHashRoute } from "./hashRoute";
import { SilenceForm } from "./SilenceForm";
import { SilencesView } from "./SilencesView";
import { RoutingView, StatusView } from "./StatusView";

const NAV = [{ path: "/alerts", label: "Alerts" }, { path: "/silences", label: "Silences" },
  { path: "/status", label: "Status" }, { path: "/routes", label: "Routing" }];

/** Specula Alertmanager's UI; its routes live in the URL fragment. */
export function AmApp() {
  const { path, params } = useHashRoute();
  let page;
  if (path === "/alerts") page = <AlertsView key={params.toString()} initialFilter={params.get("filter") ?? ""} />;
  else if (path === "/silences") page = <SilencesView />;
  else if (path === "/silences/new" || path === "/silences/edit") page = <SilenceForm key={path + params.toString()} params={params} />;
  else if (path === "/status") page = <StatusView />;
  else if (path === "/routes") page = <RoutingView />;
  else page = <Text>Page not found: {path}</Text>;
  return <Shell title="Alertmanager" nav={NAV} current={path} onNavigate={(p) => go(p)}>{page}</Shell>;
}
