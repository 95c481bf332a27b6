package io.specula.app.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares {@code /api/v1/targets} of Specula and Prometheus: per scrape pool, the active targets
 * (final labels, scrape URL) and the discovered labels of dropped targets, each as a sorted list,
 * so that order (which neither promises) does not matter.
 */
final class TargetsComparison {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TargetsComparison() {}

    /** Starts {@code specula server} in-process on a free port with {@code config}. */
    static Server startSpecula(Path config, Path dataDir) throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dataDir,
                "--config.file=" + config);
        return Server.start(cmd.options());
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * pool → "active"/"dropped"/"discovered" → sorted label sets as text, in the form both
     * servers can agree on:
     * <ul>
     *   <li>discovered labels (of active and dropped targets) are reduced to the {@code __meta_*}
     *       ones: Prometheus 2.42.0 shows the others corrupted by relabeling whenever a rule writes
     *       a label (its bug, fixed in 2.43; Specula shows the labels as they were before relabeling);
     *   <li>empty-valued discovered labels are left out: VictoriaMetrics 1.79 lists them (e.g. an
     *       empty {@code __meta_consul_service_address}), Prometheus and Specula do not have them;
     *   <li>an explicit {@code :80} in {@code instance} and in an http scrape URL is removed:
     *       Prometheus 2 adds the scheme's default port to a port-less address, Prometheus 3 (and
     *       Specula) leave the address alone.
     * </ul>
     */
    static Map<String, Map<String, List<String>>> normalize(String body) {
        JsonNode data = JSON.readTree(body).get("data");
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        for (JsonNode t : data.get("activeTargets")) {
            Map<String, List<String>> pool = out.computeIfAbsent(t.get("scrapePool").asString(), k -> new TreeMap<>());
            String active = labels(t.get("labels"), false) + " " + t.get("scrapeUrl").asString();
            active = active.replaceAll("(instance=[^,:}\\]]+):80([,}])", "$1$2").replaceAll("http://([^/:\\]]+):80/", "http://$1/");
            pool.computeIfAbsent("active", k -> new ArrayList<>()).add(active);
            pool.computeIfAbsent("discovered", k -> new ArrayList<>()).add(labels(t.get("discoveredLabels"), true));
        }
        for (JsonNode t : data.get("droppedTargets")) {
            // pooled together: 2.42 names no pool for a dropped target, and its bug can overwrite the job label
            out.computeIfAbsent("(all pools)", k -> new TreeMap<>()).computeIfAbsent("dropped", k -> new ArrayList<>())
                    .add(labels(t.get("discoveredLabels"), true));
        }
        out.values().forEach(m -> m.values().forEach(l -> l.sort(null)));
        return out;
    }

    private static String labels(JsonNode obj, boolean metaOnly) {
        TreeMap<String, String> m = new TreeMap<>();
        obj.properties().forEach(e -> {
            // a label with an empty value does not exist for Prometheus; VictoriaMetrics 1.79 lists such labels
            if (!metaOnly || (e.getKey().startsWith("__meta_") && !e.getValue().asString().isEmpty())) {
                m.put(e.getKey(), e.getValue().asString());
            }
        });
        return m.toString();
    }

    /** Polls {@code url}'s targets until {@code done} holds for the normalized form (or 30 s pass). */
    static Map<String, Map<String, List<String>>> await(String url, Predicate<Map<String, Map<String, List<String>>>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Map<String, List<String>>> last = Map.of();
        while (System.nanoTime() < deadline) {
            last = normalize(get(url));
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("targets at " + url + " never reached the expected state; last: " + last);
    }

    /** Waits until {@code url} shows {@code expected}; fails with the differences. */
    static Map<String, Map<String, List<String>>> awaitEqual(String url, Map<String, Map<String, List<String>>> expected) throws Exception {
        try {
            return await(url, n -> n.equals(expected));
        } catch (AssertionError e) {
            throw new AssertionError("targets differ from Prometheus's:\n" + diff(expected, normalize(get(url))));
        }
    }

    /** Entries only in {@code a} (-) or only in {@code b} (+), by pool and kind. */
    static String diff(Map<String, Map<String, List<String>>> a, Map<String, Map<String, List<String>>> b) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> pools = new java.util.TreeSet<>(a.keySet());
        pools.addAll(b.keySet());
        for (String pool : pools) {
            for (String kind : List.of("active", "discovered", "dropped")) {
                List<String> x = a.getOrDefault(pool, Map.of()).getOrDefault(kind, List.of());
                List<String> y = b.getOrDefault(pool, Map.of()).getOrDefault(kind, List.of());
                List<String> onlyX = new ArrayList<>(x);
                y.forEach(onlyX::remove);
                List<String> onlyY = new ArrayList<>(y);
                x.forEach(onlyY::remove);
                onlyX.forEach(t -> out.append(pool).append(' ').append(kind).append(" - ").append(t).append('\n'));
                onlyY.forEach(t -> out.append(pool).append(' ').append(kind).append(" + ").append(t).append('\n'));
            }
        }
        return out.toString();
    }

    /** Whether any target of any pool has a label set text containing {@code needle}. */
    static boolean mentions(Map<String, Map<String, List<String>>> n, String needle) {
        return n.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream).anyMatch(s -> s.contains(needle));
    }
}
