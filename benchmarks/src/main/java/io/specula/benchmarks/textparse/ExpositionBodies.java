package io.specula.benchmarks.textparse;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Synthetic scrape bodies shaped like the real ones Specula parses, in both text formats.
 * Seeded, so every run parses the same bytes.
 */
public final class ExpositionBodies {
    private ExpositionBodies() {}

    public enum Shape {
        /** Many small families with short label sets, like node_exporter (~60 % of real scrapes). */
        NODE_EXPORTER,
        /** Classic histograms: 12 buckets per series, as HTTP middleware exports them. */
        HISTOGRAMS,
        /** Series with 15 long labels, like kube-state-metrics or cAdvisor. */
        LONG_LABELS
    }

    /** The body for {@code shape}; {@code openMetrics} selects OpenMetrics 1.0 text (with {@code # EOF}). */
    public static byte[] body(Shape shape, boolean openMetrics) {
        StringBuilder sb = new StringBuilder(1 << 20);
        Random rnd = new Random(20261124);
        switch (shape) {
            case NODE_EXPORTER -> nodeExporter(sb, rnd, openMetrics);
            case HISTOGRAMS -> histograms(sb, rnd, openMetrics);
            case LONG_LABELS -> longLabels(sb, rnd, openMetrics);
        }
        if (openMetrics) {
            sb.append("# EOF\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void family(StringBuilder sb, String name, String type, String help, boolean om) {
        // OpenMetrics names a counter family without its _total suffix.
        String family = om && type.equals("counter") && name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
        sb.append("# HELP ").append(family).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(family).append(' ').append(type).append('\n');
    }

    private static void nodeExporter(StringBuilder sb, Random rnd, boolean om) {
        String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
        family(sb, "node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.", om);
        for (int cpu = 0; cpu < 32; cpu++) {
            for (String mode : modes) {
                sb.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"").append(mode).append("\"} ")
                        .append(String.format("%.2f", rnd.nextDouble() * 1e6)).append('\n');
            }
        }
        for (int f = 0; f < 200; f++) {
            String name = "node_memory_field" + f + "_bytes";
            family(sb, name, "gauge", "Memory information field " + f + ".", om);
            sb.append(name).append(' ').append(rnd.nextLong(1L << 40)).append('\n');
        }
        String[] devices = {"eth0", "eth1", "lo", "docker0", "veth1a2b3c", "veth4d5e6f"};
        for (String stat : new String[] {"receive_bytes", "transmit_bytes", "receive_packets", "transmit_packets",
                "receive_errs", "transmit_errs", "receive_drop", "transmit_drop"}) {
            String name = "node_network_" + stat + "_total";
            family(sb, name, "counter", "Network device statistic " + stat + ".", om);
            for (String d : devices) {
                sb.append(name).append("{device=\"").append(d).append("\"} ").append(rnd.nextLong(1L << 44)).append('\n');
            }
        }
        family(sb, "node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.", om);
        for (int i = 0; i < 40; i++) {
            sb.append("node_filesystem_avail_bytes{device=\"/dev/nvme0n1p").append(i).append("\",fstype=\"ext4\",mountpoint=\"/mnt/disk")
                    .append(i).append("\"} ").append(rnd.nextLong(1L << 42)).append('\n');
        }
    }

    private static void histograms(StringBuilder sb, Random rnd, boolean om) {
        String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        String[] codes = {"200", "201", "400", "404", "500"};
        family(sb, "http_request_duration_seconds", "histogram", "Latency of HTTP requests.", om);
        for (int h = 0; h < 20; h++) {
            for (String m : methods) {
                for (String c : codes) {
                    String labels = "handler=\"/api/v1/resource" + h + "\",method=\"" + m + "\",code=\"" + c + "\"";
                    long count = 0;
                    for (String le : les) {
                        count += rnd.nextInt(1000);
                        sb.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(le)
                                .append("\"} ").append(count).append('\n');
                    }
                    sb.append("http_request_duration_seconds_sum{").append(labels).append("} ")
                            .append(String.format("%.4f", count * rnd.nextDouble())).append('\n');
                    sb.append("http_request_duration_seconds_count{").append(labels).append("} ").append(count).append('\n');
                }
            }
        }
    }

    private static void longLabels(StringBuilder sb, Random rnd, boolean om) {
        family(sb, "container_memory_working_set_bytes", "gauge", "Current working set in bytes.", om);
        for (int i = 0; i < 2000; i++) {
            String ns = "namespace-" + (i % 37);
            String pod = "deployment-" + (i % 211) + "-7d9f8b6c5-" + Integer.toString(rnd.nextInt(1 << 25), 36);
            sb.append("container_memory_working_set_bytes{")
                    .append("container=\"app-").append(i % 7).append("\",")
                    .append("endpoint=\"https-metrics\",")
                    .append("id=\"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod").append(Long.toHexString(rnd.nextLong())).append(".slice\",")
                    .append("image=\"registry.example.com/team/app-").append(i % 7).append(":v1.").append(i % 13).append(".0\",")
                    .append("instance=\"10.0.").append(i % 256).append('.').append(i % 199).append(":10250\",")
                    .append("job=\"kubelet\",")
                    .append("metrics_path=\"/metrics/cadvisor\",")
                    .append("name=\"k8s_app_").append(pod).append("\",")
                    .append("namespace=\"").append(ns).append("\",")
                    .append("node=\"worker-").append(i % 50).append(".cluster.example.com\",")
                    .append("pod=\"").append(pod).append("\",")
                    .append("service=\"kubelet\",")
                    .append("uid=\"").append(new java.util.UUID(rnd.nextLong(), rnd.nextLong())).append("\",")
                    .append("zone=\"eu-west-1").append((char) ('a' + i % 3)).append("\",")
                    .append("team=\"platform\"} ")
                    .append(rnd.nextLong(1L << 34)).append('\n');
        }
    }
}
