package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.AlertmanagerConfig;
import io.specula.alertmanager.config.AlertmanagerConfigLoader;
import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.alertmanager.types.Alert;
import io.specula.model.labels.Labels;
import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/** Builds integrations from alertmanager.yml text and notification data for receiver tests. */
final class ReceiverFixtures implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    static final String GROUP_KEY = "{}:{alertname=\"DiskFull\"}";

    private final HttpClient shared = new HttpClient();
    final HttpTransport transport;

    ReceiverFixtures() throws Exception {
        shared.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Alertmanager/test"));
        shared.start();
        transport = new HttpTransport(shared, "Alertmanager/test");
    }

    /** The integrations of the only receiver of {@code yaml}. */
    List<Integration> integrations(String yaml) throws Exception {
        AlertmanagerConfig c = AlertmanagerConfigLoader.parse(yaml, "test.yml");
        return Integrations.forReceiver(c.receivers().getFirst(), NotificationTemplates.defaults(), transport);
    }

    Integration only(String yaml) throws Exception {
        List<Integration> l = integrations(yaml);
        if (l.size() != 1) {
            throw new IllegalStateException("expected one integration, got " + l.size());
        }
        return l.getFirst();
    }

    static Alert alert(boolean resolved, String... labels) {
        return new Alert(Labels.of(labels), Labels.of("summary", "disk is full"), NOW.minusSeconds(600),
                resolved ? NOW.minusSeconds(10) : NOW.plusSeconds(300), "http://prom/graph?g0.expr=disk", NOW, false);
    }

    /** Two alerts of group DiskFull on job node: a and b firing, or both resolved. */
    static NotificationData data(boolean resolved) {
        return NotificationData.of("team-x", GROUP_KEY, List.of(
                alert(resolved, "alertname", "DiskFull", "job", "node", "instance", "a:9100"),
                alert(resolved, "alertname", "DiskFull", "job", "node", "instance", "b:9100")),
                Labels.of("alertname", "DiskFull"), "http://am.example:9093", NOW);
    }

    static Instant deadline() {
        return Instant.now().plusSeconds(10);
    }

    @Override
    public void close() throws Exception {
        transport.close();
        shared.stop();
    }
}
