package io.specula.alertmanager.api;

import io.specula.alertmanager.Alertmanager;
import io.specula.alertmanager.dispatch.AggregationGroup;
import io.specula.alertmanager.dispatch.Route;
import io.specula.alertmanager.labels.MatcherParseException;
import io.specula.alertmanager.labels.MatcherParser;
import io.specula.alertmanager.silence.Silence;
import io.specula.alertmanager.silence.SilenceException;
import io.specula.alertmanager.types.Alert;
import io.specula.alertmanager.types.Fingerprints;
import io.specula.model.value.GoTime;
import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Alertmanager's API v2 (its OpenAPI spec, {@code api/v2/openapi.yaml}): alerts, alert
 * groups, silences, receivers and status, with the JSON shapes amtool and Grafana expect.
 * Alert states are computed when asked, from the silences and inhibition rules in force.
 */
final class ApiV2 {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Alertmanager am;

    ApiV2(Alertmanager am) {
        this.am = am;
    }

    static String jsonString(String s) {
        return JSON.writeValueAsString(s);
    }

    void handle(String path, String method, Request req, Response resp, Callback cb) throws ApiException {
        Fields q = Request.extractQueryParameters(req);
        String result;
        switch (path) {
            case "/alerts" -> {
                if (method.equals("POST")) {
                    postAlerts(readJson(req));
                    result = "";
                } else {
                    requireGet(method);
                    result = getAlerts(q).toString();
                }
            }
            case "/alerts/groups" -> {
                requireGet(method);
                result = getAlertGroups(q).toString();
            }
            case "/silences" -> {
                if (method.equals("POST")) {
                    result = postSilence(readJson(req)).toString();
                } else {
                    requireGet(method);
                    result = getSilences(q).toString();
                }
            }
            case "/receivers" -> {
                requireGet(method);
                ArrayNode arr = JSON.createArrayNode();
                am.running().config().receivers().forEach(r -> arr.addObject().put("name", r.name));
                result = arr.toString();
            }
            case "/status" -> {
                requireGet(method);
                result = status().toString();
            }
            default -> {
                if (!path.startsWith("/silence/")) {
                    throw new ApiException(404, "path " + path + " was not found");
                }
                String id = path.substring("/silence/".length());
                Silence s = am.silences().get(id);
                if (method.equals("DELETE")) {
                    try {
                        am.silences().expire(id);
                    } catch (SilenceException e) {
                        throw new ApiException(e.notFound() ? 404 : 500, e.getMessage());
                    }
                    result = "";
                } else {
                    requireGet(method);
                    if (s == null) {
                        throw new ApiException(404, "silence " + id + " not found");
                    }
                    result = silenceJson(s, am.now()).toString();
                }
            }
        }
        ApiServer.writeJson(resp, cb, 200, result);
    }

    private static void requireGet(String method) throws ApiException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new ApiException(405, "method " + method + " is not allowed");
        }
    }

    static JsonNode readJson(Request req) throws ApiException {
        byte[] body;
        try (InputStream in = Request.asInputStream(req)) {
            body = in.readNBytes(ApiServer.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ApiException(400, "cannot read body: " + e.getMessage());
        }
        if (body.length > ApiServer.MAX_BODY_BYTES) {
            throw new ApiException(413, "request body larger than " + (ApiServer.MAX_BODY_BYTES >> 20) + " MiB");
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(400, "parsing body: " + e.getOriginalMessage());
        }
    }

    // ---- alerts ----

    private void postAlerts(JsonNode body) throws ApiException {
        if (!body.isArray()) {
            throw new ApiException(400, "alerts: expected a JSON array of alerts");
        }
        Instant now = am.now();
        var resolveTimeout = am.running().config().global.resolveTimeout.toJavaDuration();
        List<String> errors = new ArrayList<>();
        List<Alert> valid = new ArrayList<>();
        int i = 0;
        for (JsonNode n : body) {
            try {
                valid.add(toAlert(n, now, resolveTimeout));
            } catch (ApiException e) {
                errors.add("alert " + i + ": " + e.getMessage());
            }
            i++;
        }
        am.alerts().putAll(valid);
        if (!errors.isEmpty()) {
            throw new ApiException(400, String.join(";", errors));
        }
    }

    private static Alert toAlert(JsonNode n, Instant now, java.time.Duration resolveTimeout) throws ApiException {
        if (!n.isObject()) {
            throw new ApiException(400, "expected an object");
        }
        Labels labels = labelSet(n.get("labels"), "labels");
        if (labels.isEmpty()) {
            throw new ApiException(400, "at least one label pair required");
        }
        for (int j = 0; j < labels.size(); j++) {
            if (!MatcherParser.isValidLabelName(labels.name(j))) {
                throw new ApiException(400, "invalid label set: invalid name \"" + labels.name(j) + "\"");
            }
        }
        Labels annotations = labelSet(n.get("annotations"), "annotations");
        Instant start = time(n.get("startsAt"), "startsAt");
        Instant end = time(n.get("endsAt"), "endsAt");
        if (start == null) {
            start = end == null ? now : end;
        }
        boolean timeout = false;
        if (end == null) {
            end = now.plus(resolveTimeout);
            timeout = true;
        }
        if (end.isBefore(start)) {
            throw new ApiException(400, "start time must be before end time");
        }
        JsonNode gen = n.get("generatorURL");
        return new Alert(labels, annotations, start, end, gen == null || gen.isNull() ? "" : gen.asString(), now, timeout);
    }

    private static Labels labelSet(JsonNode n, String what) throws ApiException {
        if (n == null || n.isNull()) {
            return Labels.EMPTY;
        }
        if (!n.isObject()) {
            throw new ApiException(400, what + ": expected an object of strings");
        }
        LabelsBuilder b = new LabelsBuilder();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isString()) {
                throw new ApiException(400, what + "." + e.getKey() + ": expected a string");
            }
            b.set(e.getKey(), e.getValue().asString());
        }
        return b.build();
    }

    /** A timestamp, or null when absent or Go's zero time (amtool sends that for "unset"). */
    private static Instant time(JsonNode n, String what) throws ApiException {
        if (n == null || n.isNull() || (n.isString() && n.asString().isEmpty())) {
            return null;
        }
        try {
            Instant t = GoTime.parse(n.asString());
            return t.isBefore(Instant.parse("0002-01-01T00:00:00Z")) ? null : t;
        } catch (DateTimeParseException e) {
            throw new ApiException(400, what + ": invalid time " + n);
        }
    }

    private record AlertView(Alert alert, List<String> receivers, List<String> silencedBy, List<String> inhibitedBy) {
        String state() {
            return silencedBy.isEmpty() && inhibitedBy.isEmpty() ? "active" : "suppressed";
        }
    }

    private AlertView view(Alert a, Alertmanager.Running r) {
        List<String> receivers = new ArrayList<>();
        for (Route route : r.route().match(a.labels())) {
            if (!receivers.contains(route.receiver())) {
                receivers.add(route.receiver());
            }
        }
        return new AlertView(a, receivers, am.silences().mutes(a.labels()), r.inhibitor().mutes(a.labels()));
    }

    /** The filters GET /alerts and /alerts/groups share. */
    private record AlertFilter(boolean active, boolean silenced, boolean inhibited, List<Matcher> matchers,
            com.google.re2j.Pattern receiver) {
        boolean accepts(AlertView v) {
            boolean sil = !v.silencedBy.isEmpty();
            boolean inh = !v.inhibitedBy.isEmpty();
            if (!active && !sil && !inh) {
                return false;
            }
            if (!silenced && sil) {
                return false;
            }
            if (!inhibited && inh) {
                return false;
            }
            for (Matcher m : matchers) {
                if (!m.matches(v.alert.labels().get(m.name()))) {
                    return false;
                }
            }
            if (receiver != null) {
                for (String r : v.receivers) {
                    if (receiver.matcher(r).matches()) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }
    }

    private static AlertFilter filter(Fields q) throws ApiException {
        List<Matcher> ms = new ArrayList<>();
        for (String f : q.getValuesOrEmpty("filter")) {
            try {
                ms.addAll(MatcherParser.parseMatchers(f));
            } catch (MatcherParseException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
        com.google.re2j.Pattern receiver = null;
        String r = q.getValue("receiver");
        if (r != null && !r.isEmpty()) {
            try {
                receiver = com.google.re2j.Pattern.compile("^(?:" + r + ")$");
            } catch (com.google.re2j.PatternSyntaxException e) {
                throw new ApiException(400, "failed to parse receiver param: " + e.getMessage());
            }
        }
        return new AlertFilter(bool(q, "active"), bool(q, "silenced"), bool(q, "inhibited"), ms, receiver);
    }

    private static boolean bool(Fields q, String name) throws ApiException {
        String v = q.getValue(name);
        if (v == null || v.isEmpty()) {
            return true;
        }
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ApiException(400, name + " in query must be of type boolean: \"" + v + "\"");
        };
    }

    private ArrayNode getAlerts(Fields q) throws ApiException {
        AlertFilter f = filter(q);
        Alertmanager.Running r = am.running();
        Instant now = am.now();
        List<Alert> all = am.alerts().list();
        all.sort(Comparator.comparingLong(Alert::fingerprint));
        ArrayNode arr = JSON.createArrayNode();
        for (Alert a : all) {
            if (a.resolvedAt(now)) {
                continue; // the API lists what is pending or firing, as Alertmanager's does
            }
            AlertView v = view(a, r);
            if (f.accepts(v)) {
                alertJson(arr.addObject(), v);
            }
        }
        return arr;
    }

    private static void alertJson(ObjectNode o, AlertView v) {
        Alert a = v.alert;
        labels(o.putObject("annotations"), a.annotations());
        o.put("endsAt", GoTime.rfc3339Millis(a.endsAt()));
        o.put("fingerprint", Fingerprints.format(a.fingerprint()));
        ArrayNode rs = o.putArray("receivers");
        v.receivers.forEach(n -> rs.addObject().put("name", n));
        o.put("startsAt", GoTime.rfc3339Millis(a.startsAt()));
        ObjectNode st = o.putObject("status");
        ArrayNode inh = st.putArray("inhibitedBy");
        v.inhibitedBy.forEach(inh::add);
        ArrayNode sil = st.putArray("silencedBy");
        v.silencedBy.forEach(sil::add);
        st.putArray("mutedBy");
        st.put("state", v.state());
        o.put("updatedAt", GoTime.rfc3339Millis(a.updatedAt()));
        if (!a.generatorUrl().isEmpty()) {
            o.put("generatorURL", a.generatorUrl());
        }
        labels(o.putObject("labels"), a.labels());
    }

    private ArrayNode getAlertGroups(Fields q) throws ApiException {
        AlertFilter f = filter(q);
        Alertmanager.Running r = am.running();
        Instant now = am.now();
        Map<String, ObjectNode> byKey = new LinkedHashMap<>();
        List<AggregationGroup> groups = r.dispatcher().groups();
        groups.sort(Comparator.comparing(AggregationGroup::groupKey));
        ArrayNode arr = JSON.createArrayNode();
        for (AggregationGroup g : groups) {
            ArrayNode alerts = null;
            for (Alert a : g.alerts()) {
                if (a.resolvedAt(now)) {
                    continue;
                }
                AlertView v = view(a, r);
                if (!f.accepts(v)) {
                    continue;
                }
                if (alerts == null) {
                    ObjectNode go = byKey.computeIfAbsent(g.groupKey() + "\u0000" + g.route().receiver(), k -> {
                        ObjectNode x = arr.addObject();
                        return x;
                    });
                    labels(go.putObject("labels"), g.groupLabels());
                    go.putObject("receiver").put("name", g.route().receiver());
                    alerts = go.putArray("alerts");
                }
                alertJson(alerts.addObject(), v);
            }
        }
        return arr;
    }

    // ---- silences ----

    private ObjectNode postSilence(JsonNode n) throws ApiException {
        if (!n.isObject()) {
            throw new ApiException(400, "silence: expected an object");
        }
        List<Matcher> ms = new ArrayList<>();
        JsonNode matchers = n.get("matchers");
        if (matchers == null || !matchers.isArray()) {
            throw new ApiException(400, "matchers in body is required");
        }
        for (JsonNode m : matchers) {
            String name = m.path("name").asString("");
            String value = m.path("value").asString("");
            boolean regex = m.path("isRegex").asBoolean(false);
            boolean equal = !m.has("isEqual") || m.get("isEqual").isNull() || m.get("isEqual").asBoolean();
            MatchType t = regex ? (equal ? MatchType.REGEX : MatchType.NOT_REGEX)
                    : (equal ? MatchType.EQUAL : MatchType.NOT_EQUAL);
            try {
                ms.add(Matcher.of(t, name, value));
            } catch (InvalidRegexException e) {
                throw new ApiException(400, "silence invalid: invalid label matcher: " + e.getMessage());
            }
        }
        Instant start = time(n.get("startsAt"), "startsAt");
        Instant end = time(n.get("endsAt"), "endsAt");
        if (start == null || end == null) {
            throw new ApiException(400, "startsAt and endsAt in body are required");
        }
        String id = n.path("id").asString("");
        Silence s = new Silence(id, List.copyOf(ms), start, end, am.now(), n.path("createdBy").asString(""),
                n.path("comment").asString(""));
        try {
            String newId = am.silences().set(s);
            ObjectNode o = JSON.createObjectNode();
            o.put("silenceID", newId);
            return o;
        } catch (SilenceException e) {
            throw new ApiException(e.notFound() ? 404 : 400, e.getMessage());
        }
    }

    private ArrayNode getSilences(Fields q) throws ApiException {
        List<Matcher> filter = new ArrayList<>();
        for (String f : q.getValuesOrEmpty("filter")) {
            try {
                filter.addAll(MatcherParser.parseMatchers(f));
            } catch (MatcherParseException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
        Instant now = am.now();
        List<Silence> found = am.silences().query(s -> matchesFilter(s, filter));
        // Alertmanager's order: active by end, then pending by start, then expired, latest end first.
        found.sort(Comparator.comparingInt((Silence s) -> s.stateAt(now).ordinal() == 1 ? 0
                        : s.stateAt(now).ordinal() == 0 ? 1 : 2)
                .thenComparing((a, b) -> switch (a.stateAt(now)) {
                    case ACTIVE -> a.endsAt().compareTo(b.endsAt());
                    case PENDING -> a.startsAt().compareTo(b.startsAt());
                    case EXPIRED -> b.endsAt().compareTo(a.endsAt());
                }));
        ArrayNode arr = JSON.createArrayNode();
        for (Silence s : found) {
            arr.add(silenceJson(s, now));
        }
        return arr;
    }

    /** A silence passes a filter when its matchers, read as labels, satisfy every filter matcher. */
    private static boolean matchesFilter(Silence s, List<Matcher> filter) {
        if (filter.isEmpty()) {
            return true;
        }
        LabelsBuilder b = new LabelsBuilder();
        for (Matcher m : s.matchers()) {
            b.set(m.name(), m.value());
        }
        Labels l = b.build();
        for (Matcher f : filter) {
            if (!f.matches(l.get(f.name()))) {
                return false;
            }
        }
        return true;
    }

    static ObjectNode silenceJson(Silence s, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", s.id());
        o.putObject("status").put("state", s.stateAt(now).apiName());
        o.put("updatedAt", GoTime.rfc3339Millis(s.updatedAt()));
        o.put("comment", s.comment());
        o.put("createdBy", s.createdBy());
        o.put("endsAt", GoTime.rfc3339Millis(s.endsAt()));
        ArrayNode ms = o.putArray("matchers");
        for (Matcher m : s.matchers()) {
            ms.addObject()
                    .put("isEqual", !m.type().isNegative())
                    .put("isRegex", m.type().isRegex())
                    .put("name", m.name())
                    .put("value", m.value());
        }
        o.put("startsAt", GoTime.rfc3339Millis(s.startsAt()));
        return o;
    }

    // ---- status ----

    private ObjectNode status() {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode cluster = o.putObject("cluster");
        cluster.put("name", "");
        cluster.putArray("peers");
        cluster.put("status", "disabled");
        o.putObject("config").put("original", am.running().config().toString());
        o.put("uptime", GoTime.rfc3339Millis(am.startedAt()));
        ObjectNode v = o.putObject("versionInfo");
        v.put("branch", "");
        v.put("buildDate", "");
        v.put("buildUser", "");
        v.put("goVersion", "");
        v.put("revision", "");
        v.put("version", "0.28.1-specula");
        return o;
    }

    private static void labels(ObjectNode into, Labels l) {
        for (int i = 0; i < l.size(); i++) {
            into.put(l.name(i), l.value(i));
        }
    }

}
