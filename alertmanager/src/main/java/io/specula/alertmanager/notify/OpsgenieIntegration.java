package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.OpsgenieConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code opsgenie_configs}: creates an alert (aliased by the group key's hash) while
 * anything fires and closes it by alias when all resolved, authenticating with
 * {@code GenieKey}. The message is cut to 130 characters; details are the common labels
 * plus the configured ones; a {@code teams} responder lists several team names. With
 * {@code update_alerts}, message and description of an existing alert are updated too.
 */
final class OpsgenieIntegration extends HttpIntegration {
    private final OpsgenieConfig c;

    OpsgenieIntegration(OpsgenieConfig c, int index, NotificationTemplates templates, HttpClient client) {
        super("opsgenie", index, c, templates, client);
        this.c = c;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        String alias = Renderer.groupKeyHash(d.groupKey());
        String key = r.text(secretOrFile(c.apiKey, c.apiKeyFile, "api_key_file")).strip();
        String source = r.text(c.source, "{{ template \"opsgenie.default.source\" . }}");
        ObjectNode msg = JSON.createObjectNode();
        String url;
        if (d.status().equals("resolved")) {
            msg.put("source", source);
            url = c.apiUrl + "v2/alerts/" + URLEncoder.encode(alias, StandardCharsets.UTF_8)
                    + "/close?identifierType=alias";
        } else {
            msg.put("alias", alias);
            msg.put("message", Renderer.truncate(r.text(c.message, "{{ template \"opsgenie.default.message\" . }}"), 130));
            putNonEmpty(msg, "description", r.text(c.description, "{{ template \"opsgenie.default.description\" . }}"));
            Map<String, String> details = new TreeMap<>();
            for (int i = 0; i < d.commonLabels().size(); i++) {
                details.put(d.commonLabels().name(i), d.commonLabels().value(i));
            }
            if (c.details != null) {
                c.details.forEach((k, v) -> details.put(k, r.text(v)));
            }
            ObjectNode det = msg.putObject("details");
            details.forEach(det::put);
            msg.put("source", source);
            ArrayNode responders = JSON.createArrayNode();
            for (OpsgenieConfig.Responder res : c.responders == null ? java.util.List.<OpsgenieConfig.Responder>of()
                    : c.responders) {
                String type = r.text(res.type);
                if (type.equals("teams")) {
                    for (String team : r.text(res.name).split(",")) {
                        if (!team.isBlank()) {
                            responders.addObject().put("name", team.strip()).put("type", "team");
                        }
                    }
                    continue;
                }
                String id = r.text(res.id);
                String name = r.text(res.name);
                String username = r.text(res.username);
                if (id.isEmpty() && name.isEmpty() && username.isEmpty() && type.isEmpty()) {
                    continue; // lets responders come from labels that may be missing
                }
                ObjectNode o = responders.addObject();
                putNonEmpty(o, "id", id);
                putNonEmpty(o, "name", name);
                putNonEmpty(o, "username", username);
                o.put("type", type);
            }
            if (!responders.isEmpty()) {
                msg.set("responders", responders);
            }
            list(msg, "tags", r.text(c.tags));
            putNonEmpty(msg, "note", r.text(c.note));
            putNonEmpty(msg, "priority", r.text(c.priority));
            putNonEmpty(msg, "entity", r.text(c.entity));
            list(msg, "actions", r.text(c.actions));
            url = c.apiUrl + "v2/alerts";
        }
        r.check(name());
        Map<String, String> auth = Map.of("Authorization", "GenieKey " + key);
        check(postJson(url, msg, auth, deadline, null), Set.of(429));
        if (Boolean.TRUE.equals(c.updateAlerts) && !d.status().equals("resolved")) {
            // An alert that already exists keeps its old text on create; update it explicitly.
            String base = c.apiUrl + "v2/alerts/" + URLEncoder.encode(alias, StandardCharsets.UTF_8);
            ObjectNode m = JSON.createObjectNode();
            putNonEmpty(m, "message", msg.get("message").asString());
            put(base + "/message?identifierType=alias", m, auth, deadline);
            ObjectNode desc = JSON.createObjectNode();
            putNonEmpty(desc, "description", msg.path("description").asString(""));
            put(base + "/description?identifierType=alias", desc, auth, deadline);
        }
    }

    private void put(String url, ObjectNode body, Map<String, String> headers, Instant deadline)
            throws NotifyException, InterruptedException {
        check(HttpPost.send(org.eclipse.jetty.http.HttpMethod.PUT, client, http, url, "application/json",
                body.toString(), headers, deadline, null, name()), Set.of(429));
    }

    /** A comma-separated setting as a JSON list, blanks dropped. */
    private static void list(ObjectNode msg, String key, String csv) {
        ArrayNode a = JSON.createArrayNode();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                a.add(s.strip());
            }
        }
        if (!a.isEmpty()) {
            msg.set(key, a);
        }
    }
}
