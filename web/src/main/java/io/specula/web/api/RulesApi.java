package io.specula.web.api;

import io.specula.model.exposition.GoFloat;
import io.specula.model.value.GoTime;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.promql.parser.ParseException;
import io.specula.rules.ActiveAlert;
import io.specula.rules.AlertingRule;
import io.specula.rules.RecordingRule;
import io.specula.rules.Rule;
import io.specula.rules.RuleGroup;
import io.specula.rules.RuleManager;
import io.specula.rules.notifier.Notifier;
import io.specula.web.ServerContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code rules}, {@code alerts} and {@code alertmanagers}: the rule manager's groups, rules and
 * alerts and the notifier's Alertmanagers in Prometheus's JSON. Without a rule manager (TSDB
 * still opening) or notifier the lists are empty, as Prometheus answers with no rules loaded.
 */
final class RulesApi {
    private final ServerContext ctx;

    RulesApi(ServerContext ctx) {
        this.ctx = ctx;
    }

    private List<RuleGroup> groups() {
        RuleManager m = ctx.rules();
        return m == null ? List.of() : m.groups();
    }

    /** The request's filters, validated in the order Prometheus checks them (so the same error wins). */
    private record Filter(Set<String> ruleNames, Set<String> groupNames, Set<String> files,
            List<List<Matcher>> matchers, boolean alerting, boolean recording, boolean excludeAlerts,
            int groupLimit, String nextToken) {

        static Filter parse(Params p) throws ApiException {
            List<List<Matcher>> matchers;
            try {
                matchers = p.matchers();
            } catch (ParseException e) {
                throw ApiException.badData(e.getMessage());
            }
            String type = p.get("type").toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
                throw ApiException.invalidParam("type", "not supported value " + Params.goQuote(type));
            }
            boolean exclude = false;
            String ex = p.get("exclude_alerts").toLowerCase(Locale.ROOT);
            if (!ex.isEmpty()) {
                exclude = switch (ex) {
                    case "1", "t", "true" -> true;
                    case "0", "f", "false" -> false;
                    default -> throw ApiException.invalidParam("exclude_alerts",
                            "error converting exclude_alerts: strconv.ParseBool: parsing " + Params.goQuote(ex)
                                    + ": invalid syntax");
                };
            }
            String limitText = p.get("group_limit");
            String token = p.get("group_next_token");
            if (!token.isEmpty() && limitText.isEmpty()) {
                throw ApiException.invalidParam("group_next_token",
                        "group_limit needs to be present in order to paginate over the groups");
            }
            int limit = -1;
            if (!limitText.isEmpty()) {
                limit = parseGroupLimit(limitText);
                if (limit <= 0) {
                    throw ApiException.invalidParam("group_limit", "group_limit needs to be greater than 0");
                }
            }
            return new Filter(new HashSet<>(p.all("rule_name[]")), new HashSet<>(p.all("rule_group[]")),
                    new HashSet<>(p.all("file[]")), matchers, type.isEmpty() || type.equals("alert"),
                    type.isEmpty() || type.equals("record"), exclude, limit, limit > 0 ? token : "");
        }

        /** Go's {@code strconv.ParseInt(s, 10, 32)} with its error texts. */
        private static int parseGroupLimit(String s) throws ApiException {
            String prefix = "group_limit needs to be a valid number: strconv.ParseInt: parsing " + Params.goQuote(s);
            String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ApiException.invalidParam("group_limit", prefix + ": invalid syntax");
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw ApiException.invalidParam("group_limit", prefix + ": value out of range");
            }
        }

        boolean keepsRule(Rule r) {
            if (!ruleNames.isEmpty() && !ruleNames.contains(r.name())) {
                return false;
            }
            if (matchers.isEmpty()) {
                return true;
            }
            // Matchers select on the rule's configured labels, not on the series it produces.
            for (List<Matcher> set : matchers) {
                if (matchesAll(r.labels(), set)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean matchesAll(Labels l, List<Matcher> set) {
            for (Matcher m : set) {
                if (!m.matches(l.get(m.name()))) {
                    return false;
                }
            }
            return true;
        }
    }

    Reply rules(Params p) throws ApiException {
        Filter f = Filter.parse(p);
        List<RuleGroup> page = new ArrayList<>();
        List<List<Rule>> pageRules = new ArrayList<>();
        String nextToken = null;
        boolean foundToken = f.nextToken().isEmpty();
        for (RuleGroup g : groups()) {
            if (!foundToken) {
                // Resume at the group the token names; earlier groups were on previous pages.
                if (!f.nextToken().equals(groupToken(g))) {
                    continue;
                }
                foundToken = true;
            }
            if (!f.groupNames().isEmpty() && !f.groupNames().contains(g.name())
                    || !f.files().isEmpty() && !f.files().contains(g.file())) {
                continue;
            }
            List<Rule> kept = new ArrayList<>();
            for (Rule r : g.rules()) {
                boolean typeOk = r instanceof AlertingRule ? f.alerting() : f.recording();
                if (typeOk && f.keepsRule(r)) {
                    kept.add(r);
                }
            }
            // A group whose rules were all filtered away is left out.
            if (kept.isEmpty()) {
                continue;
            }
            if (f.groupLimit() > 0 && page.size() == f.groupLimit()) {
                nextToken = groupToken(g);
                break;
            }
            page.add(g);
            pageRules.add(kept);
        }
        if (!foundToken) {
            throw ApiException.invalidParam("group_next_token",
                    "invalid group_next_token '" + f.nextToken() + "'. were rule groups changed?");
        }
        String token = nextToken;
        return Reply.of(j -> {
            j.beginObject().name("groups").beginArray();
            for (int i = 0; i < page.size(); i++) {
                writeGroup(j, page.get(i), pageRules.get(i), f.excludeAlerts());
            }
            j.endArray();
            if (token != null) {
                j.name("groupNextToken").value(token);
            }
            j.endObject();
        });
    }

    /** The pagination token of a group: SHA-1 of {@code file;name} in hex, as Prometheus makes it. */
    static String groupToken(RuleGroup g) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((g.file() + ";" + g.name()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    private static void writeGroup(Json j, RuleGroup g, List<Rule> rules, boolean excludeAlerts) {
        j.beginObject().name("name").value(g.name()).name("file").value(g.file()).name("rules").beginArray();
        for (Rule r : rules) {
            switch (r) {
                case AlertingRule a -> writeAlerting(j, a, excludeAlerts);
                case RecordingRule rr -> writeRecording(j, rr);
            }
        }
        j.endArray()
                .name("interval").number(g.intervalMs() / 1e3)
                .name("limit").value(g.limit())
                .name("evaluationTime").number(seconds(g.evaluationNanos()))
                .name("lastEvaluation").value(GoTime.rfc3339Nano(g.lastEvaluationMs()))
                .endObject();
    }

    private static void writeAlerting(Json j, AlertingRule r, boolean excludeAlerts) {
        j.beginObject()
                .name("state").value(r.state().apiName)
                .name("name").value(r.name())
                .name("query").value(r.query())
                .name("duration").number(r.holdMs() / 1e3)
                .name("keepFiringFor").number(r.keepFiringForMs() / 1e3)
                .name("labels").labels(r.labels())
                .name("annotations").stringMap(new TreeMap<>(r.annotations()))
                .name("alerts");
        if (excludeAlerts) {
            j.nullValue(); // Prometheus leaves the list out as a nil slice, which encodes as null
        } else {
            j.beginArray();
            for (ActiveAlert a : r.activeAlerts()) {
                writeAlert(j, a);
            }
            j.endArray();
        }
        j.name("health").value(r.health().apiName);
        lastError(j, r);
        j.name("evaluationTime").number(seconds(r.evaluationNanos()))
                .name("lastEvaluation").value(GoTime.rfc3339Nano(r.lastEvaluationMs()))
                .name("type").value("alerting")
                .endObject();
    }

    private static void writeRecording(Json j, RecordingRule r) {
        j.beginObject().name("name").value(r.name()).name("query").value(r.query());
        if (!r.labels().isEmpty()) {
            j.name("labels").labels(r.labels()); // omitted when empty, as Go's omitempty does
        }
        j.name("health").value(r.health().apiName);
        lastError(j, r);
        j.name("evaluationTime").number(seconds(r.evaluationNanos()))
                .name("lastEvaluation").value(GoTime.rfc3339Nano(r.lastEvaluationMs()))
                .name("type").value("recording")
                .endObject();
    }

    private static void lastError(Json j, Rule r) {
        if (!r.lastError().isEmpty()) {
            j.name("lastError").value(r.lastError());
        }
    }

    /** One alert as {@code alerts} and the rules' {@code alerts[]} list it. */
    private static void writeAlert(Json j, ActiveAlert a) {
        j.beginObject()
                .name("labels").labels(a.labels())
                .name("annotations").stringMap(new TreeMap<>(a.annotations()))
                .name("state").value(a.state().apiName)
                .name("activeAt").value(GoTime.rfc3339Nano(a.activeAtMs()));
        if (a.keepFiringSinceMs() != 0) {
            j.name("keepFiringSince").value(GoTime.rfc3339Nano(a.keepFiringSinceMs()));
        }
        j.name("value").value(formatExp(a.value())).endObject();
    }

    Reply alerts() {
        List<ActiveAlert> alerts = new ArrayList<>();
        RuleManager m = ctx.rules();
        if (m != null) {
            alerts.addAll(m.activeAlerts());
        }
        return Reply.of(j -> {
            j.beginObject().name("alerts").beginArray();
            for (ActiveAlert a : alerts) {
                writeAlert(j, a);
            }
            j.endArray().endObject();
        });
    }

    Reply alertmanagers() {
        Notifier n = ctx.notifier();
        List<String> active = n == null ? List.of() : n.alertmanagers();
        List<String> dropped = n == null ? List.of() : n.droppedAlertmanagers();
        return Reply.of(j -> {
            j.beginObject().name("activeAlertmanagers");
            urls(j, active);
            j.name("droppedAlertmanagers");
            urls(j, dropped);
            j.endObject();
        });
    }

    private static void urls(Json j, List<String> urls) {
        j.beginArray();
        for (String u : urls) {
            j.beginObject().name("url").value(u).endObject();
        }
        j.endArray();
    }

    /** Go's {@code time.Duration.Seconds()}: whole seconds plus the nanosecond rest, as a float. */
    static double seconds(long nanos) {
        return (double) (nanos / 1_000_000_000L) + (double) (nanos % 1_000_000_000L) / 1e9;
    }

    /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}, as Prometheus prints alert values ({@code 1e+00}). */
    static String formatExp(double v) {
        return GoFloat.formatE(v, 'e');
    }
}
