package io.specula.web.api;

import io.specula.model.value.GoTime;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.scrape.MetricMetadata;
import io.specula.scrape.ScrapeManager;
import io.specula.scrape.ScrapeService;
import io.specula.scrape.Target;
import io.specula.web.ServerContext;
import io.specula.web.WebOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code targets}, {@code targets/metadata}, {@code targets/relabel_steps}, {@code metadata} and {@code scrape_pools}. */
final class TargetsApi {
    private final ServerContext ctx;
    private final WebOptions opts;

    TargetsApi(ServerContext ctx, WebOptions opts) {
        this.ctx = ctx;
        this.opts = opts;
    }

    private ScrapeManager manager() {
        ScrapeService s = ctx.scrape();
        return s == null ? null : s.scrapeManager();
    }

    Reply scrapePools() {
        ScrapeManager m = manager();
        List<String> pools = m == null ? new ArrayList<>() : new ArrayList<>(m.scrapePools());
        pools.sort(null);
        return Reply.of(j -> j.beginObject().name("scrapePools").strings(pools).endObject());
    }

    Reply targets(Params p) {
        String pool = p.get("scrapePool");
        String state = p.get("state").toLowerCase(Locale.ROOT);
        boolean active = state.isEmpty() || state.equals("any") || state.equals("active");
        boolean dropped = state.isEmpty() || state.equals("any") || state.equals("dropped");
        ScrapeManager m = manager();
        Map<String, List<Target>> act = m == null ? Map.of() : new TreeMap<>(m.activeTargets());
        Map<String, List<Labels>> drop = m == null ? Map.of() : new TreeMap<>(m.droppedTargets());
        Map<String, Integer> dropCounts = m == null ? Map.of() : new TreeMap<>(m.droppedTargetCounts());
        return Reply.of(j -> {
            j.beginObject().name("activeTargets").beginArray();
            if (active) {
                act.forEach((name, list) -> {
                    if (!pool.isEmpty() && !pool.equals(name)) {
                        return;
                    }
                    for (Target t : list) {
                        writeTarget(j, name, t);
                    }
                });
            }
            j.endArray().name("droppedTargets").beginArray();
            if (dropped) {
                drop.forEach((name, list) -> {
                    if (!pool.isEmpty() && !pool.equals(name)) {
                        return;
                    }
                    for (Labels l : list) {
                        j.beginObject().name("discoveredLabels").labels(l).name("scrapePool").value(name).endObject();
                    }
                });
            }
            j.endArray();
            if (dropped) {
                j.name("droppedTargetCounts").beginObject();
                dropCounts.forEach((k, v) -> j.name(k).value(v));
                j.endObject();
            } else {
                j.name("droppedTargetCounts").nullValue();
            }
            j.endObject();
        });
    }

    private void writeTarget(Json j, String pool, Target t) {
        j.beginObject()
                .name("discoveredLabels").labels(t.discoveredLabels())
                .name("labels").labels(t.publicLabels())
                .name("scrapePool").value(pool)
                .name("scrapeUrl").value(t.url())
                .name("globalUrl").value(globalUrl(t.url()))
                .name("lastError").value(t.lastError())
                .name("lastScrape").value(GoTime.rfc3339Nano(t.lastScrapeMillis()))
                .name("lastScrapeDuration").number(t.lastScrapeDurationNanos() / 1e9)
                .name("health").value(t.health().toString())
                .name("scrapeInterval").value(t.labels().get("__scrape_interval__"))
                .name("scrapeTimeout").value(t.labels().get("__scrape_timeout__"))
                .endObject();
    }

    /**
     * The target URL as seen from outside: a loopback host is replaced by the external URL's
     * host (with its scheme and port too when the target is this server itself), as Prometheus does.
     */
    String globalUrl(String url) {
        try {
            URI u = URI.create(url);
            String host = u.getHost();
            if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                    || host.equals("::1"))) {
                return url;
            }
            URI ext = URI.create(opts.externalUrl() == null || opts.externalUrl().isEmpty()
                    ? "http://localhost:9090" : opts.externalUrl());
            String ownPort = opts.listenAddress().substring(opts.listenAddress().lastIndexOf(':') + 1);
            String port = u.getPort() < 0 ? "" : String.valueOf(u.getPort());
            String rest = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            if (port.equals(ownPort)) {
                return ext.getScheme() + "://" + ext.getRawAuthority() + rest;
            }
            return u.getScheme() + "://" + ext.getHost() + (port.isEmpty() ? "" : ":" + port) + rest;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /**
     * Prometheus 3.8's {@code targets/relabel_steps}: the pool's {@code relabel_configs} replayed
     * on {@code labels} (a JSON object, typically a target's discovered labels), one step per rule
     * with the labels after it and whether the target is still kept (a dropped target's output is
     * empty, and every later step drops it too).
     */
    Reply relabelSteps(Params p) throws ApiException {
        String pool = p.get("scrapePool");
        if (pool.isEmpty()) {
            throw ApiException.invalidParam("scrapePool", "no scrapePool parameter provided");
        }
        String labelsJson = p.get("labels");
        if (labelsJson.isEmpty()) {
            throw ApiException.invalidParam("labels", "no labels parameter provided");
        }
        Labels input;
        try {
            tools.jackson.databind.JsonNode n = LABELS_JSON.readTree(labelsJson);
            if (n == null || !n.isObject()) {
                throw ApiException.invalidParam("labels", "error parsing labels: expected a JSON object of label names to values");
            }
            io.specula.model.labels.LabelsBuilder b = new io.specula.model.labels.LabelsBuilder();
            for (var e : n.properties()) {
                if (!e.getValue().isString()) {
                    throw ApiException.invalidParam("labels", "error parsing labels: the value of \"" + e.getKey() + "\" is not a string");
                }
                b.set(e.getKey(), e.getValue().asString());
            }
            input = b.build();
        } catch (tools.jackson.core.JacksonException e) {
            throw ApiException.invalidParam("labels", "error parsing labels: " + e.getOriginalMessage());
        }
        ScrapeManager m = manager();
        List<io.specula.model.relabel.RelabelConfig> rules = m == null ? null : m.relabelConfigs(pool);
        if (rules == null) {
            throw ApiException.invalidParam("scrapePool", "error retrieving scrape config: scrape pool \"" + pool + "\" not found");
        }
        io.specula.model.relabel.Relabeler relabeler = new io.specula.model.relabel.Relabeler();
        List<Labels> outputs = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            outputs.add(relabeler.process(input, rules.subList(0, i + 1)));
        }
        return Reply.of(j -> {
            j.beginObject().name("steps").beginArray();
            for (int i = 0; i < rules.size(); i++) {
                Labels out = outputs.get(i);
                j.beginObject().name("rule");
                writeRule(j, rules.get(i));
                j.name("output").labels(out == null ? Labels.EMPTY : out).name("keep").value(out != null).endObject();
            }
            j.endArray().endObject();
        });
    }

    private static final tools.jackson.databind.json.JsonMapper LABELS_JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** A rule as its YAML keys, empty ones left out. */
    private static void writeRule(Json j, io.specula.model.relabel.RelabelConfig r) {
        j.beginObject();
        if (r.getSourceLabels() != null && !r.getSourceLabels().isEmpty()) {
            j.name("source_labels").strings(r.getSourceLabels());
        }
        if (!r.getSeparator().isEmpty()) {
            j.name("separator").value(r.getSeparator());
        }
        if (!r.getRegex().isEmpty()) {
            j.name("regex").value(r.getRegex());
        }
        if (r.getModulus() != 0) {
            j.name("modulus").value(r.getModulus());
        }
        if (!r.getTargetLabel().isEmpty()) {
            j.name("target_label").value(r.getTargetLabel());
        }
        if (!r.getReplacement().isEmpty()) {
            j.name("replacement").value(r.getReplacement());
        }
        j.name("action").value(r.getAction());
        j.endObject();
    }

    Reply targetMetadata(Params p) throws ApiException {
        int limit = p.number("limit");
        String matchTarget = p.get("match_target");
        List<Matcher> matchers = List.of();
        if (!matchTarget.isEmpty()) {
            try {
                matchers = PromQLParser.parseMetricSelector(matchTarget);
            } catch (ParseException e) {
                throw ApiException.invalidParam("match_target", e.getMessage());
            }
        }
        String metric = p.get("metric");
        List<Object[]> rows = new ArrayList<>();
        ScrapeManager m = manager();
        if (m != null) {
            outer:
            for (List<Target> list : m.activeTargets().values()) {
                for (Target t : list) {
                    if (limit >= 0 && rows.size() >= limit) {
                        break outer;
                    }
                    Labels tl = t.publicLabels();
                    if (!matches(tl, matchers)) {
                        continue;
                    }
                    if (metric.isEmpty()) {
                        new TreeMap<>(t.metadata()).forEach((name, md) -> rows.add(new Object[] {tl, name, md}));
                    } else {
                        MetricMetadata md = t.metadata().get(metric);
                        if (md != null) {
                            rows.add(new Object[] {tl, null, md});
                        }
                    }
                }
            }
        }
        return Reply.of(j -> {
            j.beginArray();
            for (Object[] r : rows) {
                MetricMetadata md = (MetricMetadata) r[2];
                j.beginObject().name("target").labels((Labels) r[0]);
                if (r[1] != null) {
                    j.name("metric").value((String) r[1]);
                }
                j.name("type").value(md.type()).name("help").value(md.help()).name("unit").value(md.unit()).endObject();
            }
            j.endArray();
        });
    }

    private static boolean matches(Labels l, List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    Reply metadata(Params p) throws ApiException {
        int limit = p.number("limit");
        int perMetric = p.number("limit_per_metric");
        String metric = p.get("metric");
        // Metric name → distinct metadata, in the order first seen; names sorted like Go's map output.
        TreeMap<String, Set<MetricMetadata>> byName = new TreeMap<>();
        ScrapeManager m = manager();
        if (m != null) {
            for (List<Target> list : m.activeTargets().values()) {
                for (Target t : list) {
                    Map<String, MetricMetadata> md = t.metadata();
                    if (metric.isEmpty()) {
                        md.forEach((name, v) -> add(byName, name, v, perMetric));
                    } else if (md.containsKey(metric)) {
                        add(byName, metric, md.get(metric), perMetric);
                    }
                }
            }
        }
        while (limit >= 0 && byName.size() > limit) {
            byName.pollLastEntry();
        }
        return Reply.of(j -> {
            j.beginObject();
            byName.forEach((name, set) -> {
                j.name(name).beginArray();
                for (MetricMetadata md : set) {
                    j.beginObject().name("type").value(md.type()).name("help").value(md.help())
                            .name("unit").value(md.unit()).endObject();
                }
                j.endArray();
            });
            j.endObject();
        });
    }

    private static void add(Map<String, Set<MetricMetadata>> byName, String name, MetricMetadata md, int perMetric) {
        Set<MetricMetadata> set = byName.get(name);
        if (set != null && perMetric > 0 && set.size() >= perMetric) {
            return;
        }
        byName.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(md);
    }
}
