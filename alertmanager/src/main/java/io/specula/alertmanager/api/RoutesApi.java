package io.specula.alertmanager.api;

import io.specula.alertmanager.Alertmanager;
import io.specula.alertmanager.dispatch.Route;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.Matcher;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routing tree for the web UI (not part of Alertmanager's API v2, hence under
 * {@code /api/ui/}): {@code GET /api/ui/routes} draws the loaded tree, {@code POST
 * /api/ui/routes/test} with {@code {"labels": {...}}} answers which routes and receivers an
 * alert with those labels reaches, in order: what {@code amtool config routes test} prints.
 */
final class RoutesApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RoutesApi() {}

    static String tree(Alertmanager am) {
        return JSON.writeValueAsString(node(am.running().route()));
    }

    static String test(Alertmanager am, JsonNode body) throws ApiException {
        JsonNode ls = body == null ? null : body.get("labels");
        if (ls == null || !ls.isObject()) {
            throw new ApiException(400, "body must be {\"labels\": {\"name\": \"value\", ...}}");
        }
        LabelsBuilder b = new LabelsBuilder();
        for (Map.Entry<String, JsonNode> e : ls.properties()) {
            if (!e.getValue().isString()) {
                throw new ApiException(400, "label " + e.getKey() + ": value must be a string");
            }
            b.set(e.getKey(), e.getValue().asString());
        }
        Labels labels = b.build();
        List<Route> matched = am.running().route().match(labels);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode receivers = out.putArray("receivers");
        ArrayNode routes = out.putArray("routes");
        for (Route r : matched) {
            receivers.add(r.receiver());
            ObjectNode o = routes.addObject();
            o.put("key", r.key());
            o.put("receiver", r.receiver());
            o.put("continue", r.continueMatching());
            ArrayNode g = o.putArray("groupBy");
            r.groupBy().forEach(g::add);
        }
        return JSON.writeValueAsString(out);
    }

    private static ObjectNode node(Route r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", r.key());
        o.put("receiver", r.receiver());
        ArrayNode ms = o.putArray("matchers");
        for (Matcher m : r.matchers()) {
            ms.add(m.toString());
        }
        ArrayNode g = o.putArray("groupBy");
        if (r.groupByAll()) {
            g.add("...");
        } else {
            r.groupBy().forEach(g::add);
        }
        o.put("continue", r.continueMatching());
        o.put("groupWait", PromDuration.format(r.groupWait().toMillis()));
        o.put("groupInterval", PromDuration.format(r.groupInterval().toMillis()));
        o.put("repeatInterval", PromDuration.format(r.repeatInterval().toMillis()));
        ArrayNode kids = o.putArray("routes");
        for (Route c : r.routes()) {
            kids.add(node(c));
        }
        return o;
    }
}
