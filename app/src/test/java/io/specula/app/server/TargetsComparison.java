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

    /** pool → "active"/"dropped"/"discovered" → sorted label sets as text. */
    static Map<String, Map<String, List<String>>> normalize(String body) {
        JsonNode data = JSON.readTree(body).get("data");
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        for (JsonNode t : data.get("activeTargets")) {
            Map<String, List<String>> pool = out.computeIfAbsent(t.get("scrapePool").asString(), k -> new TreeMap<>());
            pool.computeIfAbsent("active", k -> new ArrayList<>()).add(labels(t.get("labels")) + " " + t.get("scrapeUrl").asString());
            pool.computeIfAbsent("discovered", k -> new ArrayList<>()).add(labels(t.get("discoveredLabels")));
        }
        for (JsonNode t : data.get("droppedTargets")) {
            JsonNode dl = t.get("discoveredLabels");
            String pool = t.has("scrapePool") ? t.get("scrapePool").asString() : dl.get("job").asString();
            out.computeIfAbsent(pool, k -> new TreeMap<>()).computeIfAbsent("dropped", k -> new ArrayList<>()).add(labels(dl));
        }
        out.values().forEach(m -> m.values().forEach(l -> l.sort(null)));
        return out;
    }

    /** Only what Prometheus 2.42 shows right: final labels of active targets, discovered labels of dropped ones. */
    static Map<String, Map<String, List<String>>> comparable(Map<String, Map<String, List<String>>> all) {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        all.forEach((pool, m) -> {
            Map<String, List<String>> c = new TreeMap<>(m);
            c.remove("discovered");
            out.put(pool, c);
        });
        return out;
    }

    private static String labels(JsonNode obj) {
        TreeMap<String, String> m = new TreeMap<>();
        obj.properties().forEach(e -> m.put(e.getKey(), e.getValue().asString()));
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

    /** Whether any target of any pool has a label set text containing {@code needle}. */
    static boolean mentions(Map<String, Map<String, List<String>>> n, String needle) {
        return n.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream).anyMatch(s -> s.contains(needle));
    }
}
