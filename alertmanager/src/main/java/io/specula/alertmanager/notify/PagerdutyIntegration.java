package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.PagerdutyConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pagerduty_configs}: an event per notification, {@code trigger} while anything
 * fires and {@code resolve} once all resolved, deduplicated by the hash of the group key.
 * Events API v2 with a routing key (retrying 429), the v1 generic API with a service key
 * (retrying 403), as Alertmanager does. Details default to the firing and resolved alert
 * lists and counts; an event over 512 kB has its details replaced by a note.
 */
final class PagerdutyIntegration extends HttpIntegration {
    static final String V1_URL = "https://events.pagerduty.com/generic/2010-04-15/create_event.json";
    private static final int MAX_EVENT_BYTES = 512_000;
    private static final Map<String, String> DEFAULT_DETAILS = Map.of(
            "firing", "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}",
            "resolved", "{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}",
            "num_firing", "{{ .Alerts.Firing | len }}",
            "num_resolved", "{{ .Alerts.Resolved | len }}");
    private static final String DEFAULT_CLIENT = "{{ template \"pagerduty.default.client\" . }}";

    private final PagerdutyConfig c;
    /** Whether {@code url} was set on the entry itself (v1 otherwise ignores it, as upstream does). */
    private final boolean explicitUrl;

    PagerdutyIntegration(PagerdutyConfig c, int index, NotificationTemplates templates, HttpClient client,
            boolean explicitUrl) {
        super("pagerduty", index, c, templates, client);
        this.c = c;
        this.explicitUrl = explicitUrl;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        String action = d.status().equals("resolved") ? "resolve" : "trigger";
        Map<String, String> details = new TreeMap<>();
        Map<String, String> configured = new LinkedHashMap<>(DEFAULT_DETAILS);
        if (c.details != null) {
            configured.putAll(c.details);
        }
        configured.forEach((k, v) -> details.put(k, r.text(v)));
        String description = Renderer.truncate(
                r.text(c.description, "{{ template \"pagerduty.default.description\" .}}"), 1024);
        String clientName = r.text(c.client, DEFAULT_CLIENT);
        String clientUrl = r.text(c.clientUrl, "{{ template \"pagerduty.default.clientURL\" . }}");
        ObjectNode msg = JSON.createObjectNode();
        String url;
        Set<Integer> retry;
        if (c.usesV1()) {
            String key = r.text(secretOrFile(c.serviceKey, c.serviceKeyFile, "service_key_file"));
            r.check(name());
            if (key.isEmpty()) {
                throw new NotifyException("pagerduty: service key cannot be empty", false);
            }
            msg.put("service_key", key);
            msg.put("incident_key", Renderer.groupKeyHash(d.groupKey()));
            msg.put("event_type", action);
            putNonEmpty(msg, "description", description);
            msg.put("event_action", "");
            msg.putNull("payload");
            if (action.equals("trigger")) {
                putNonEmpty(msg, "client", clientName);
                putNonEmpty(msg, "client_url", clientUrl);
            }
            putDetails(msg, "details", details);
            url = explicitUrl ? c.url : V1_URL;
            retry = Set.of(403);
        } else {
            String key = r.text(secretOrFile(c.routingKey, c.routingKeyFile, "routing_key_file"));
            msg.put("routing_key", key);
            msg.put("dedup_key", Renderer.groupKeyHash(d.groupKey()));
            msg.put("event_action", action);
            ObjectNode p = msg.putObject("payload");
            p.put("summary", description);
            p.put("source", r.text(c.source != null && !c.source.isEmpty() ? c.source
                    : c.client != null ? c.client : DEFAULT_CLIENT));
            p.put("severity", r.text(c.severity == null || c.severity.isEmpty() ? "error" : c.severity));
            putNonEmpty(p, "class", r.text(c.eventClass));
            putNonEmpty(p, "component", r.text(c.component));
            putNonEmpty(p, "group", r.text(c.group));
            putDetails(p, "custom_details", details);
            putNonEmpty(msg, "client", clientName);
            putNonEmpty(msg, "client_url", clientUrl);
            ArrayNode images = JSON.createArrayNode();
            for (PagerdutyConfig.Image i : c.images == null ? java.util.List.<PagerdutyConfig.Image>of() : c.images) {
                String src = r.text(i.src);
                if (!src.isEmpty()) {
                    images.addObject().put("src", src).put("alt", r.text(i.alt)).put("href", r.text(i.href));
                }
            }
            if (!images.isEmpty()) {
                msg.set("images", images);
            }
            ArrayNode links = JSON.createArrayNode();
            for (PagerdutyConfig.Link l : c.links == null ? java.util.List.<PagerdutyConfig.Link>of() : c.links) {
                String href = r.text(l.href);
                if (!href.isEmpty()) {
                    links.addObject().put("href", href).put("text", r.text(l.text));
                }
            }
            if (!links.isEmpty()) {
                msg.set("links", links);
            }
            r.check(name());
            if (key.isEmpty()) {
                throw new NotifyException("pagerduty: routing key cannot be empty", false);
            }
            url = c.url;
            retry = Set.of(429);
        }
        if (msg.toString().getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            ObjectNode target = c.usesV1() ? msg : (ObjectNode) msg.get("payload");
            target.putObject(c.usesV1() ? "details" : "custom_details").put("error",
                    "Custom details have been removed because the original event exceeds the maximum size of 512kB");
        }
        check(postJson(url, msg, Map.of(), deadline, c.timeout), retry);
    }

    private static void putDetails(ObjectNode into, String key, Map<String, String> details) {
        if (!details.isEmpty()) {
            ObjectNode o = into.putObject(key);
            details.forEach(o::put);
        }
    }
}
