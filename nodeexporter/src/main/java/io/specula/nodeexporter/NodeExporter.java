package io.specula.nodeexporter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.specula.model.config.ConfigException;
import io.specula.model.exposition.ExpositionBuffer;
import io.specula.model.exposition.ExpositionFormat;
import io.specula.model.exposition.ExpositionWriter;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host exporter: node_exporter's Linux collectors with its metric names, types, help texts,
 * labels and units, plus {@code node_scrape_collector_success} and
 * {@code node_scrape_collector_duration_seconds} per collector. Used by {@code specula
 * node-exporter} and, in process, by the server's embedded default ({@code /node/metrics}).
 *
 * <p>Collectors run one after another on the scraping thread (node_exporter runs them in
 * parallel; reading procfs takes microseconds, so one thread keeps their buffers reusable and
 * the scrape cheap). {@link #write} is thread-safe: concurrent scrapes are serialized.
 */
public final class NodeExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeExporter.class);

    /** The collectors Specula implements, all enabled by default as in node_exporter 1.5. */
    public static final Set<String> COLLECTORS = Set.of("conntrack", "cpu", "cpufreq", "diskstats", "edac", "entropy", "filefd",
            "filesystem", "hwmon", "loadavg", "mdadm", "meminfo", "netdev", "netstat", "nvme", "os", "pressure", "sockstat",
            "stat", "textfile", "thermal_zone", "time", "timex", "uname", "vmstat");

    /** node_exporter 1.5's other Linux collectors: accepted as {@code --no-collector.X}, refused when enabled. */
    public static final Set<String> UNSUPPORTED = Set.of("arp", "bcache", "bonding", "btrfs", "buddyinfo", "cgroups", "dmi", "drbd",
            "drm", "ethtool", "fibrechannel", "infiniband", "interrupts", "ipvs", "ksmd", "lnstat", "logind", "meminfo_numa",
            "mountstats", "netclass", "network_route", "nfs", "nfsd", "ntp", "perf", "powersupplyclass", "processes", "qdisc",
            "rapl", "runit", "schedstat", "selinux", "slabinfo", "softnet", "supervisord", "sysctl", "systemd", "tapestats",
            "tcpstat", "udp_queues", "wifi", "xfs", "zfs", "zoneinfo");

    private final Collector[] collectors;
    private final Labels[] collectorLabels;
    private final long[] nanos;
    private final boolean[] ok;
    private final String[] lastError;
    private final Native nat = new Native();

    /**
     * @throws ConfigException for a bad flag value (a regular expression that does not compile,
     *     mutually exclusive flags), naming the flag
     */
    public NodeExporter(NodeExporterOptions o) throws ConfigException {
        Map<String, Function<NodeExporterOptions, Collector>> all = new LinkedHashMap<>();
        all.put("conntrack", ConntrackCollector::new);
        all.put("cpu", CpuCollector::new);
        all.put("cpufreq", CpuFreqCollector::new);
        all.put("diskstats", opts -> new DiskstatsCollector(opts, filter(opts, "collector.diskstats")));
        all.put("edac", EdacCollector::new);
        all.put("entropy", EntropyCollector::new);
        all.put("filefd", FilefdCollector::new);
        all.put("filesystem", opts -> new FilesystemCollector(opts, nat,
                regex(opts, "collector.filesystem.mount-points-exclude"), regex(opts, "collector.filesystem.fs-types-exclude")));
        all.put("hwmon", HwmonCollector::new);
        all.put("loadavg", LoadavgCollector::new);
        all.put("mdadm", MdadmCollector::new);
        all.put("meminfo", MeminfoCollector::new);
        all.put("netdev", opts -> new NetdevCollector(opts, filter(opts, "collector.netdev")));
        all.put("netstat", opts -> new NetstatCollector(opts, regex(opts, "collector.netstat.fields")));
        all.put("nvme", NvmeCollector::new);
        all.put("os", OsCollector::new);
        all.put("pressure", PressureCollector::new);
        all.put("sockstat", SockstatCollector::new);
        all.put("stat", StatCollector::new);
        all.put("textfile", TextfileCollector::new);
        all.put("thermal_zone", ThermalZoneCollector::new);
        all.put("time", TimeCollector::new);
        all.put("timex", opts -> new TimexCollector(nat));
        all.put("uname", opts -> new UnameCollector(nat));
        all.put("vmstat", opts -> new VmstatCollector(opts, regex(opts, "collector.vmstat.fields")));
        List<Collector> list = new ArrayList<>();
        try {
            for (String name : new TreeSet<>(o.collectors())) {
                var f = all.get(name);
                if (f == null) {
                    throw new ConfigException(UNSUPPORTED.contains(name)
                            ? "collector " + name + " is not supported by Specula's node exporter yet: disable it with --no-collector." + name
                            : "unknown collector " + name);
                }
                list.add(f.apply(o));
            }
        } catch (BadFlag e) {
            nat.close();
            throw new ConfigException(e.getMessage());
        }
        collectors = list.toArray(Collector[]::new);
        collectorLabels = new Labels[collectors.length];
        for (int i = 0; i < collectors.length; i++) {
            collectorLabels[i] = Labels.of("collector", collectors[i].name());
        }
        nanos = new long[collectors.length];
        ok = new boolean[collectors.length];
        lastError = new String[collectors.length];
    }

    /** The names of the enabled collectors, sorted. */
    public List<String> enabled() {
        List<String> l = new ArrayList<>();
        for (Collector c : collectors) {
            l.add(c.name());
        }
        return l;
    }

    /**
     * Runs every enabled collector, writing its families to {@code w}, then the per-collector
     * success and duration families. Does not call {@link ExpositionWriter#finish()}.
     */
    public synchronized void write(ExpositionWriter w) throws IOException {
        Emitter out = new Emitter(w);
        for (int i = 0; i < collectors.length; i++) {
            Collector c = collectors[i];
            long t0 = System.nanoTime();
            boolean success;
            try {
                c.update(out);
                success = true;
            } catch (Collector.NoDataException e) {
                LOG.debug("collector returned no data name={} err=\"{}\"", c.name(), e.getMessage());
                success = false;
            } catch (IOException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                // Logged when it starts failing or the reason changes, not on every scrape.
                if (!msg.equals(lastError[i])) {
                    LOG.error("collector failed name={} err=\"{}\"", c.name(), msg);
                    lastError[i] = msg;
                }
                success = false;
            }
            if (success) {
                lastError[i] = null;
            }
            nanos[i] = System.nanoTime() - t0;
            ok[i] = success;
        }
        out.family("node_scrape_collector_duration_seconds", MetricType.GAUGE, "node_exporter: Duration of a collector scrape.");
        for (int i = 0; i < collectors.length; i++) {
            out.sample(collectorLabels[i], nanos[i] / 1e9);
        }
        out.family("node_scrape_collector_success", MetricType.GAUGE, "node_exporter: Whether a collector succeeded.");
        for (int i = 0; i < collectors.length; i++) {
            out.sample(collectorLabels[i], ok[i] ? 1 : 0);
        }
    }

    /** The content type of {@link #scrape()}'s body. */
    public static final String CONTENT_TYPE = ExpositionFormat.TEXT_CONTENT_TYPE;

    /**
     * One scrape as a text-format 0.0.4 body (a fresh array: the only allocation that grows with
     * the output; the rendering buffer is kept between scrapes).
     */
    public synchronized byte[] scrape() throws IOException {
        body.reset();
        ExpositionWriter w = ExpositionFormat.PROMETHEUS_TEXT.newWriter(body);
        write(w);
        w.finish();
        return body.toByteArray();
    }

    private final ExpositionBuffer body = new ExpositionBuffer(64 << 10);

    @Override
    public void close() {
        nat.close();
    }

    /** An unusable flag value, turned into a {@link ConfigException} by the constructor. */
    static final class BadFlag extends RuntimeException {
        BadFlag(String message) {
            super(message);
        }
    }

    /** The flag's regular expression (RE2, as Go's regexp), or null when the flag is empty. */
    static Pattern regex(NodeExporterOptions o, String flag) {
        String v = o.flag(flag);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw new BadFlag("--" + flag + ": invalid regular expression: " + e.getMessage());
        }
    }

    /** A device filter from {@code PREFIX.device-include} / {@code PREFIX.device-exclude}. */
    static DeviceFilter filter(NodeExporterOptions o, String prefix) {
        Pattern inc = regex(o, prefix + ".device-include");
        Pattern exc = regex(o, prefix + ".device-exclude");
        if (inc != null && exc != null) {
            throw new BadFlag("--" + prefix + ".device-include and --" + prefix + ".device-exclude are mutually exclusive");
        }
        return new DeviceFilter(inc, exc);
    }

    /**
     * node_exporter's device filter: with an include pattern only matches pass, else matches of
     * exclude are dropped. Decisions are remembered per device name (bounded), so a scrape runs
     * no regular expression for devices seen before. Not thread-safe (one collector owns it).
     */
    static final class DeviceFilter {
        private final Pattern include;
        private final Pattern exclude;
        private final java.util.HashMap<String, Boolean> decided = new java.util.HashMap<>();

        DeviceFilter(Pattern include, Pattern exclude) {
            this.include = include;
            this.exclude = exclude;
        }

        boolean ignored(String device) {
            Boolean d = decided.get(device);
            if (d == null) {
                d = include != null ? !include.matcher(device).find() : exclude != null && exclude.matcher(device).find();
                if (decided.size() >= 4096) {
                    decided.clear();
                }
                decided.put(device, d);
            }
            return d;
        }
    }
}
