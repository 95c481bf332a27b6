package io.specula.pushgateway;

import io.specula.model.exposition.proto.Counter;
import io.specula.model.exposition.proto.Gauge;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import io.specula.model.exposition.proto.Quantile;
import io.specula.model.exposition.proto.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's own metrics under the Pushgateway's names: {@code pushgateway_build_info},
 * {@code pushgateway_http_requests_total{code,handler,method}} (every routed request except scrapes
 * of the telemetry path and {@code /-/quit}), and the summaries
 * {@code pushgateway_http_push_duration_seconds} / {@code pushgateway_http_push_size_bytes}
 * by method, with the 0.1, 0.5 and 0.9 quantiles over the last ten minutes (at most
 * {@value #WINDOW} observations).
 *
 * <p>Thread-safe (one monitor; updated once per request).
 */
final class Telemetry {
    static final String BUILD_INFO_HELP = "A metric with a constant '1' value labeled by version, revision, branch, goversion"
            + " from which pushgateway was built, and the goos and goarch for the build.";
    private static final int WINDOW = 500;
    private static final long MAX_AGE_NANOS = 10L * 60 * 1_000_000_000L;
    private static final double[] QUANTILES = {0.1, 0.5, 0.9};

    private final Map<List<String>, double[]> requests = new TreeMap<>(Telemetry::compareLists);
    private final Map<String, Window> durations = new TreeMap<>();
    private final Map<String, Window> sizes = new TreeMap<>();
    private final String version;

    Telemetry(String version) {
        this.version = version;
    }

    /** Counts a request of a handler ({@code push}, {@code delete}, {@code api/v1/status}, …). */
    synchronized void request(String handler, String method, int code) {
        requests.computeIfAbsent(List.of(String.valueOf(code), handler, method.toLowerCase(java.util.Locale.ROOT)),
                k -> new double[1])[0]++;
    }

    /** Observes a push's duration and approximate request size. */
    synchronized void push(String method, double seconds, long sizeBytes) {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        long now = System.nanoTime();
        durations.computeIfAbsent(m, k -> new Window()).observe(seconds, now);
        sizes.computeIfAbsent(m, k -> new Window()).observe(sizeBytes, now);
    }

    synchronized List<MetricFamily> families() {
        List<MetricFamily> out = new ArrayList<>();
        out.add(MetricFamily.newBuilder().setName("pushgateway_build_info").setHelp(BUILD_INFO_HELP).setType(MetricType.GAUGE)
                .addMetric(Metric.newBuilder()
                        .addLabel(label("branch", "HEAD"))
                        .addLabel(label("goarch", System.getProperty("os.arch")))
                        .addLabel(label("goos", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT)))
                        .addLabel(label("goversion", "java" + Runtime.version().feature()))
                        .addLabel(label("revision", "specula"))
                        .addLabel(label("version", version))
                        .setGauge(Gauge.newBuilder().setValue(1)))
                .build());
        long now = System.nanoTime();
        if (!durations.isEmpty()) {
            out.add(summary("pushgateway_http_push_duration_seconds", "HTTP request duration for pushes to the Pushgateway.",
                    durations, now));
        }
        if (!sizes.isEmpty()) {
            out.add(summary("pushgateway_http_push_size_bytes", "HTTP request size for pushes to the Pushgateway.", sizes, now));
        }
        if (!requests.isEmpty()) {
            MetricFamily.Builder b = MetricFamily.newBuilder().setName("pushgateway_http_requests_total")
                    .setHelp("Total HTTP requests processed by the Pushgateway, excluding scrapes.").setType(MetricType.COUNTER);
            requests.forEach((k, v) -> b.addMetric(Metric.newBuilder().addLabel(label("code", k.get(0)))
                    .addLabel(label("handler", k.get(1))).addLabel(label("method", k.get(2)))
                    .setCounter(Counter.newBuilder().setValue(v[0]))));
            out.add(b.build());
        }
        return out;
    }

    private static MetricFamily summary(String name, String help, Map<String, Window> byMethod, long now) {
        MetricFamily.Builder b = MetricFamily.newBuilder().setName(name).setHelp(help).setType(MetricType.SUMMARY);
        byMethod.forEach((method, w) -> {
            Summary.Builder s = Summary.newBuilder().setSampleCount(w.count).setSampleSum(w.sum);
            double[] recent = w.recent(now);
            for (double q : QUANTILES) {
                s.addQuantile(Quantile.newBuilder().setQuantile(q).setValue(quantile(recent, q)));
            }
            b.addMetric(Metric.newBuilder().addLabel(label("method", method)).setSummary(s));
        });
        return b.build();
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(q * sorted.length) - 1));
        return sorted[i];
    }

    private static LabelPair label(String name, String value) {
        return LabelPair.newBuilder().setName(name).setValue(value).build();
    }

    private static int compareLists(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Count and sum forever, and a ring of recent observations for the quantiles. */
    private static final class Window {
        long count;
        double sum;
        final double[] values = new double[WINDOW];
        final long[] times = new long[WINDOW];
        int next;
        int size;

        void observe(double v, long now) {
            count++;
            sum += v;
            values[next] = v;
            times[next] = now;
            next = (next + 1) % WINDOW;
            size = Math.min(size + 1, WINDOW);
        }

        double[] recent(long now) {
            double[] out = new double[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (now - times[i] <= MAX_AGE_NANOS) {
                    out[n++] = values[i];
                }
            }
            out = Arrays.copyOf(out, n);
            Arrays.sort(out);
            return out;
        }
    }
}
