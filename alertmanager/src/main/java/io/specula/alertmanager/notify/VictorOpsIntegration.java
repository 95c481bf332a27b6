package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.VictorOpsConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code victorops_configs}: posts to {@code api_url + api_key/routing_key} a flat JSON object
 * (keys sorted, as Go encodes a map) with the message type (CRITICAL unless INFO or WARNING
 * is configured; RECOVERY once resolved), the group's hash as entity id, the rendered texts
 * (state message cut to 20480 characters) and the custom fields. Only 5xx is retried.
 */
final class VictorOpsIntegration extends HttpIntegration {
    private static final Set<String> FIRING_TYPES = Set.of("INFO", "WARNING", "CRITICAL");

    private final VictorOpsConfig c;

    VictorOpsIntegration(VictorOpsConfig c, int index, NotificationTemplates templates, HttpClient client) {
        super("victorops", index, c, templates, client);
        this.c = c;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        String key = secretOrFile(c.apiKey, c.apiKeyFile, "api_key_file");
        String url = c.apiUrl + key + "/" + URLEncoder.encode(r.text(c.routingKey), StandardCharsets.UTF_8);
        String type = r.text(c.messageType == null ? "CRITICAL" : c.messageType);
        if (d.status().equals("resolved")) {
            type = "RECOVERY";
        } else if (!FIRING_TYPES.contains(type)) {
            type = "CRITICAL";
        }
        Map<String, String> msg = new TreeMap<>();
        msg.put("message_type", type);
        msg.put("entity_id", Renderer.groupKeyHash(d.groupKey()));
        msg.put("entity_display_name",
                r.text(c.entityDisplayName, "{{ template \"victorops.default.entity_display_name\" . }}"));
        msg.put("state_message", Renderer.truncate(
                r.text(c.stateMessage, "{{ template \"victorops.default.state_message\" . }}"), 20480));
        msg.put("monitoring_tool", r.text(c.monitoringTool, "{{ template \"victorops.default.monitoring_tool\" . }}"));
        if (c.customFields != null) {
            c.customFields.forEach((k, v) -> msg.put(k, r.text(v)));
        }
        r.check(name());
        ObjectNode body = JSON.createObjectNode();
        msg.forEach(body::put);
        check(postJson(url, body, Map.of(), deadline, null), Set.of());
    }
}
