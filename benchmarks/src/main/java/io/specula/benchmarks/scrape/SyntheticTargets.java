package io.specula.benchmarks.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * N synthetic scrape targets on 127.0.0.1 for the end-to-end benchmark
 * ({@code bench/scrape-vs-prometheus.sh}): each serves M series in the text format 0.0.4 at
 * {@code /metrics}, node-exporter and kube-state-metrics-like families with 2–4 labels of their
 * own (plus the {@code job} and {@code instance} the scraper adds).
 *
 * <p>Values move like real exporters' so that the XOR chunks see real-ish data: counters grow
 * by a pseudo-random step at every scrape (integers, or hundredths for the CPU seconds), most
 * gauges random-walk, and one family stays constant (status-like 0/1 series).
 *
 * <p>Rendering must not dominate the machine the scrapers run on: the label part of every line
 * is encoded once; a scrape copies those prefixes and writes the digits of the new value into
 * one reused buffer per target (no object per series).
 *
 * <p>Usage: {@code SyntheticTargets TARGETS SERIES_PER_TARGET}. Prints one line
 * {@code ports=P1,P2,...} once listening, then serves until killed.
 */
public final class SyntheticTargets {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** How a family's value moves from one scrape to the next. */
    private enum Kind { COUNTER, COUNTER_CENTI, GAUGE_WALK, CONSTANT }

    private record Family(String name, String type, String help, Kind kind, String[] labelNames) {}

    private static final String[] MODES = {"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    private static final String[] CODES = {"200", "201", "304", "400", "404", "500"};
    private static final String[] FSTYPES = {"ext4", "xfs", "tmpfs", "overlay"};
    private static final String[] NAMESPACES = {"default", "kube-system", "monitoring", "payments", "search", "web"};

    private static final Family[] FAMILIES = {
        new Family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.",
                Kind.COUNTER_CENTI, new String[] {"cpu", "mode"}),
        new Family("http_requests_total", "counter", "Requests handled, by handler, method and code.",
                Kind.COUNTER, new String[] {"code", "handler", "method"}),
        new Family("node_network_receive_bytes_total", "counter", "Network device statistic receive_bytes.",
                Kind.COUNTER, new String[] {"device", "namespace", "pod"}),
        new Family("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.",
                Kind.GAUGE_WALK, new String[] {"device", "fstype", "mountpoint"}),
        new Family("container_memory_working_set_bytes", "gauge", "Current working set in bytes.",
                Kind.GAUGE_WALK, new String[] {"container", "namespace", "pod"}),
        new Family("kube_pod_container_status_ready", "gauge", "Whether the container's readiness check succeeded.",
                Kind.CONSTANT, new String[] {"container", "namespace", "pod", "uid"}),
    };

    private SyntheticTargets() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SyntheticTargets TARGETS SERIES_PER_TARGET");
            System.exit(2);
        }
        int targets = Integer.parseInt(args[0]);
        int series = Integer.parseInt(args[1]);
        // A small pool: requests are short and the scrapers are the thing under test.
        ExecutorService pool = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon(true).factory());
        List<Integer> ports = new ArrayList<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < targets; i++) {
            Target target = new Target(i, series);
            HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
            server.createContext("/metrics", target::handle);
            server.setExecutor(pool);
            server.start();
            ports.add(server.getAddress().getPort());
        }
        PrintStream out = System.out;
        StringBuilder line = new StringBuilder("ports=");
        for (int i = 0; i < ports.size(); i++) {
            line.append(i == 0 ? "" : ",").append(ports.get(i));
        }
        out.println(line);
        out.println("bytes_per_body=" + new Target(0, series).render() + " pid=" + ManagementFactory.getRuntimeMXBean().getPid());
        out.flush();
        try {
            Thread.currentThread().join(); // the HTTP servers run until the process is killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One target: encoded line prefixes, current values and the reused response buffer. */
    static final class Target {
        private final byte[][] headers; // per family: # HELP and # TYPE lines
        private final int[] familyStart; // first series of each family, plus the end
        private final byte[][] prefixes; // per series: name{labels} and the space before the value
        private final Kind[] kinds;
        private final long[] values; // counters and gauges as integers; COUNTER_CENTI in hundredths
        private long rng;
        private byte[] buf = new byte[1 << 16];
        private int len;

        Target(int index, int series) {
            rng = 0x9E3779B97F4A7C15L * (index + 1);
            int families = FAMILIES.length;
            headers = new byte[families][];
            familyStart = new int[families + 1];
            prefixes = new byte[series][];
            kinds = new Kind[series];
            values = new long[series];
            int s = 0;
            for (int f = 0; f < families; f++) {
                Family fam = FAMILIES[f];
                headers[f] = ("# HELP " + fam.name() + " " + fam.help() + "\n# TYPE " + fam.name() + " " + fam.type() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                familyStart[f] = s;
                int count = series / families + (f < series % families ? 1 : 0);
                for (int j = 0; j < count; j++, s++) {
                    prefixes[s] = (fam.name() + "{" + labels(fam, j) + "} ").getBytes(StandardCharsets.UTF_8);
                    kinds[s] = fam.kind();
                    values[s] = switch (fam.kind()) {
                        case COUNTER, COUNTER_CENTI -> next() & 0xFFFFFFL;
                        case GAUGE_WALK -> (1L << 30) + (next() & 0x3FFFFFFFL);
                        case CONSTANT -> (j % 17 == 0) ? 0 : 1;
                    };
                }
            }
            familyStart[families] = s;
        }

        /** Label values from the index: every combination distinct, cardinalities like real exporters'. */
        private static String labels(Family fam, int j) {
            return switch (fam.name()) {
                case "node_cpu_seconds_total" ->
                    "cpu=\"" + (j / MODES.length) + "\",mode=\"" + MODES[j % MODES.length] + "\"";
                case "http_requests_total" ->
                    "code=\"" + CODES[j % CODES.length] + "\",handler=\"/api/v1/resource" + (j / (CODES.length * METHODS.length))
                            + "\",method=\"" + METHODS[(j / CODES.length) % METHODS.length] + "\"";
                case "node_network_receive_bytes_total" ->
                    "device=\"eth" + (j % 4) + "\",namespace=\"" + NAMESPACES[(j / 4) % NAMESPACES.length]
                            + "\",pod=\"api-" + Long.toHexString(0x5f3c1000L + j / 4) + "-x" + (j % 7) + "\"";
                case "node_filesystem_avail_bytes" ->
                    "device=\"/dev/nvme" + (j / 64) + "n1p" + (j % 64) + "\",fstype=\"" + FSTYPES[j % FSTYPES.length]
                            + "\",mountpoint=\"/var/lib/kubelet/pods/" + (100000 + j) + "/volumes\"";
                case "container_memory_working_set_bytes" ->
                    "container=\"app" + (j % 3) + "\",namespace=\"" + NAMESPACES[(j / 3) % NAMESPACES.length]
                            + "\",pod=\"worker-" + Long.toHexString(0x7a11000L + j / 3) + "\"";
                default ->
                    "container=\"app" + (j % 3) + "\",namespace=\"" + NAMESPACES[(j / 3) % NAMESPACES.length]
                            + "\",pod=\"worker-" + Long.toHexString(0x7a11000L + j / 3)
                            + "\",uid=\"" + Long.toHexString(0xc0ffee00000L + j) + "\"";
            };
        }

        private long next() { // xorshift64: cheap and deterministic
            long x = rng;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            rng = x;
            return x;
        }

        void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                int n;
                byte[] body;
                synchronized (this) {
                    n = render();
                    body = buf;
                    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                    exchange.sendResponseHeaders(200, n);
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(body, 0, n);
                    }
                }
            }
        }

        /** Advances every value one scrape and renders the body into {@link #buf}; returns its length. */
        int render() {
            len = 0;
            for (int f = 0; f < headers.length; f++) {
                put(headers[f]);
                for (int s = familyStart[f]; s < familyStart[f + 1]; s++) {
                    put(prefixes[s]);
                    ensure(24);
                    long r = next();
                    switch (kinds[s]) {
                        case COUNTER -> putLong(values[s] += (r & 0x3FF));
                        case COUNTER_CENTI -> putCenti(values[s] += (r & 0x7F));
                        case GAUGE_WALK -> putLong(values[s] += ((r & 0xFFFF) - 0x8000) << 8);
                        case CONSTANT -> putLong(values[s]);
                    }
                    buf[len++] = '\n';
                }
            }
            return len;
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        private void putLong(long v) {
            if (v < 0) {
                buf[len++] = '-';
                v = -v;
            }
            int digits = 1;
            for (long x = v; x >= 10; x /= 10) {
                digits++;
            }
            for (int i = len + digits - 1; i >= len; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            len += digits;
        }

        private void putCenti(long hundredths) {
            putLong(hundredths / 100);
            long c = hundredths % 100;
            buf[len++] = '.';
            buf[len++] = (byte) ('0' + c / 10);
            buf[len++] = (byte) ('0' + c % 10);
        }
    }
}
