package io.specula.nodeexporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's node_exporter 1.5 and Specula's on the same host, same collectors, same text file
 * directory: the same families with the same types and help, the same label names, every series
 * node_exporter has (and no other), the same collector successes, stable values equal and
 * counters bracketed by two node_exporter scrapes taken before and after ours.
 */
class NodeExporterDifferentialTest {
    static final Path BINARY = Path.of("/usr/bin/prometheus-node-exporter");
    /** Families only node_exporter has: the Go runtime, the process, the HTTP handler, its build. */
    private static final List<String> EXPORTER_OWN = List.of("go_", "process_", "promhttp_", "node_exporter_build_info");
    /** Values that must be equal: sizes and counts that do not change in a second. */
    private static final Set<String> STABLE = Set.of("node_memory_MemTotal_bytes", "node_memory_SwapTotal_bytes",
            "node_filesystem_size_bytes", "node_filesystem_files", "node_filesystem_readonly", "node_filesystem_device_error",
            "node_boot_time_seconds", "node_entropy_pool_size_bits", "node_filefd_maximum", "node_nf_conntrack_entries_limit",
            "node_uname_info", "node_os_info", "node_os_version", "node_time_zone_offset_seconds", "node_disk_info",
            "node_time_clocksource_available_info", "node_time_clocksource_current_info", "node_textfile_mtime_seconds",
            "node_textfile_scrape_error", "node_scrape_collector_success", "node_memory_Hugepagesize_bytes",
            "node_timex_tick_seconds", "node_timex_status", "node_timex_sync_status", "node_timex_loop_time_constant",
            "test_temperature_celsius", "test_jobs_total", "test_latency_seconds_bucket", "test_latency_seconds_sum",
            "test_latency_seconds_count");

    @TempDir
    Path dir;

    private Process peer;
    private NodeExporterServer ours;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void tearDown() throws Exception {
        if (peer != null) {
            peer.destroy();
            peer.waitFor(5, TimeUnit.SECONDS);
        }
        if (ours != null) {
            ours.close();
        }
        http.close();
    }

    @Test
    void sameHost_sameCollectors_sameMetrics() throws Exception {
        assumeTrue(Files.isExecutable(BINARY),
                "SKIPPED: " + BINARY + " missing (install Debian's prometheus-node-exporter, or run .ci/run)");
        Path textfiles = Files.createDirectories(dir.resolve("textfile"));
        Files.writeString(textfiles.resolve("test.prom"), """
                # HELP test_temperature_celsius A gauge from a script.
                # TYPE test_temperature_celsius gauge
                test_temperature_celsius{room="a"} 21.5
                test_temperature_celsius{room="b"} -3
                # TYPE test_jobs_total counter
                test_jobs_total 42
                # TYPE test_latency_seconds histogram
                test_latency_seconds_bucket{le="0.1"} 1
                test_latency_seconds_bucket{le="+Inf"} 3
                test_latency_seconds_sum 0.7
                test_latency_seconds_count 3
                """);
        Files.writeString(textfiles.resolve("ignored.txt"), "not a .prom file\n");
        List<String> args = new ArrayList<>(List.of(BINARY.toString(), "--collector.disable-defaults",
                "--collector.textfile.directory=" + textfiles));
        for (String c : NodeExporter.COLLECTORS) {
            args.add("--collector." + c);
        }
        int port = freePort();
        args.add("--web.listen-address=127.0.0.1:" + port);
        peer = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(dir.resolve("peer.log").toFile()).start();

        NodeExporterOptions o = NodeExporterOptions.defaults()
                .withFlags(Map.of("collector.textfile.directory", textfiles.toString()));
        ours = NodeExporterServer.start(new NodeExporter(o), "127.0.0.1:0", "/metrics");
        String peerUrl = "http://127.0.0.1:" + port + "/metrics";
        String ourUrl = "http://127.0.0.1:" + ours.port() + "/metrics";
        awaitUp(peerUrl);
        get(ourUrl); // warm up (class loading, first reads)

        Exposition before = Exposition.parse(get(peerUrl));
        Exposition mine = Exposition.parse(get(ourUrl));
        Exposition after = Exposition.parse(get(peerUrl));

        // Families, types and help texts.
        Set<String> theirFamilies = new TreeSet<>(before.types().keySet());
        theirFamilies.removeIf(f -> EXPORTER_OWN.stream().anyMatch(f::startsWith));
        assertThat(mine.types().keySet()).as("families").containsExactlyInAnyOrderElementsOf(theirFamilies);
        for (String f : theirFamilies) {
            assertThat(mine.types().get(f)).as("type of " + f).isEqualTo(before.types().get(f));
            assertThat(mine.help().get(f)).as("help of " + f).isEqualTo(before.help().get(f));
        }
        // Series: every one node_exporter has in both of its scrapes, and no other.
        Set<Labels> theirs = new TreeSet<>();
        for (Labels l : before.series().keySet()) {
            if (EXPORTER_OWN.stream().noneMatch(l.metricName()::startsWith) && after.series().containsKey(l)) {
                theirs.add(l);
            }
        }
        Set<Labels> mineSet = new TreeSet<>(mine.series().keySet());
        assertThat(mineSet).as("series").containsAll(theirs);
        Set<Labels> extra = new TreeSet<>(mineSet);
        extra.removeIf(l -> before.series().containsKey(l) || after.series().containsKey(l));
        assertThat(extra).as("series node_exporter does not have").isEmpty();

        // Values.
        int compared = 0;
        for (Labels l : theirs) {
            String name = l.metricName();
            double a = before.series().get(l);
            double b = mine.series().get(l);
            double c = after.series().get(l);
            String family = family(name);
            MetricType type = before.types().get(family);
            if (STABLE.contains(name)) {
                assertThat(b).as("stable value " + l).isEqualTo(a);
                compared++;
            } else if (type == MetricType.COUNTER) {
                double tol = 1e-9 * Math.abs(c) + 1e-9;
                assertThat(b).as("counter " + l + " between node_exporter's two scrapes").isBetween(Math.min(a, c) - tol,
                        Math.max(a, c) + tol);
                compared++;
            } else if (name.equals("node_time_seconds")) {
                assertThat(b).as(name).isBetween(a - 1, c + 1);
                compared++;
            }
        }
        assertThat(compared).as("values compared").isGreaterThan(100);
        // The CPU count and memory total, which the default alert rules rely on.
        assertThat(mine.family("node_cpu_seconds_total")).hasSameSizeAs(before.family("node_cpu_seconds_total"));
        assertThat(mine.value("node_memory_MemTotal_bytes")).isEqualTo(before.value("node_memory_MemTotal_bytes"));
        assertThat(mine.value("node_textfile_scrape_error")).isEqualTo(0);
    }

    private static String family(String sample) {
        for (String s : new String[] {"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(s) && sample.startsWith("test_latency_seconds")) {
                return sample.substring(0, sample.length() - s.length());
            }
        }
        return sample;
    }

    private void awaitUp(String url) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                get(url);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline || !peer.isAlive()) {
                    throw new AssertionError("node_exporter did not start: " + Files.readString(dir.resolve("peer.log")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
