package io.specula.incident;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code specula_incidents_*}: open incidents and their active alerts (read at scrape time),
 * incidents opened, alerts per incident (observed when it closes), and the time from an
 * incident's first alert to its root cause being named (observed each time a cause is named).
 */
final class IncidentMetrics implements IncidentTracker.Listener {
    private final Counter created = Counter.builder().name("specula_incidents_created_total")
            .help("Incidents opened.").build();
    private final Histogram alertsPerIncident = Histogram.builder().name("specula_incidents_alerts_per_incident")
            .help("Alerts an incident held when it closed.")
            .classicUpperBounds(1, 2, 3, 5, 8, 13, 21, 50, 100).build();
    private final Histogram rootCauseSeconds = Histogram.builder().name("specula_incidents_root_cause_seconds")
            .help("Time from an incident's first alert to a root cause being named for it.")
            .classicUpperBounds(0, 1, 5, 15, 30, 60, 120, 300, 600, 1800).build();

    @Override
    public void created() {
        created.inc();
    }

    @Override
    public void rootCauseNamed(long sinceStartMs) {
        rootCauseSeconds.observe(sinceStartMs / 1000.0);
    }

    @Override
    public void closed(int alerts) {
        alertsPerIncident.observe(alerts);
    }

    void register(PrometheusRegistry r, java.util.function.Supplier<IncidentTracker> t) {
        GaugeWithCallback.builder().name("specula_incidents_open").help("Incidents currently open.")
                .callback(cb -> cb.call(t.get().openCount())).register(r);
        GaugeWithCallback.builder().name("specula_incidents_open_alerts")
                .help("Pending and firing alerts across open incidents.")
                .callback(cb -> cb.call(t.get().activeAlerts())).register(r);
        r.register(created);
        r.register(alertsPerIncident);
        r.register(rootCauseSeconds);
    }
}
