package io.specula.web.api;

import io.specula.model.value.GoTime;
import io.specula.model.labels.Labels;
import io.specula.tsdb.DB;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.web.BuildInfo;
import io.specula.web.ServerContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** {@code status/*}: configuration, flags, runtime and build information, TSDB cardinality, WAL replay. */
final class StatusApi {
    private final ServerContext ctx;
    private final Instant startTime = Instant.now();

    StatusApi(ServerContext ctx) {
        this.ctx = ctx;
    }

    Reply config() {
        String yaml = ctx.configYaml();
        return Reply.of(j -> j.beginObject().name("yaml").value(yaml == null ? "" : yaml).endObject());
    }

    Reply flags() {
        Map<String, String> flags = new TreeMap<>(ctx.flags());
        return Reply.of(j -> j.stringMap(flags));
    }

    Reply buildInfo() {
        return Reply.of(j -> j.beginObject()
                .name("version").value(BuildInfo.version())
                .name("revision").value(BuildInfo.revision())
                .name("branch").value(BuildInfo.branch())
                .name("buildUser").value(BuildInfo.buildUser())
                .name("buildDate").value(BuildInfo.buildDate())
                .name("goVersion").value(BuildInfo.runtimeVersion())
                .endObject());
    }

    Reply runtimeInfo() {
        ServerContext.ReloadStatus rs = ctx.reloadStatus();
        DB db = ctx.db();
        Map<String, String> flags = ctx.flags();
        String retention = retention(flags);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "";
        }
        String hostname = host;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return Reply.of(j -> j.beginObject()
                .name("startTime").value(GoTime.rfc3339Nano(startTime))
                .name("CWD").value(Path.of("").toAbsolutePath().toString())
                .name("hostname").value(hostname)
                .name("serverTime").value(GoTime.rfc3339Nano(Instant.now()))
                .name("reloadConfigSuccess").value(rs == null || rs.success())
                .name("lastConfigTime").value(GoTime.rfc3339Nano(rs == null ? 0 : rs.lastSuccessMillis() / 1000 * 1000))
                .name("corruptionCount").value(db == null ? 0 : db.corruptBlocks().size())
                .name("goroutineCount").value(threads)
                .name("GOMAXPROCS").value(Runtime.getRuntime().availableProcessors())
                .name("GOMEMLIMIT").value(Runtime.getRuntime().maxMemory())
                .name("GOGC").value("")
                .name("GODEBUG").value("")
                .name("storageRetention").value(retention)
                .endObject());
    }

    /** Prometheus's {@code storageRetention}: {@code 15d}, {@code 1GiB}, or {@code 15d or 1GiB}. */
    private static String retention(Map<String, String> flags) {
        String time = flags.getOrDefault("storage.tsdb.retention.time", "");
        String size = flags.getOrDefault("storage.tsdb.retention.size", "");
        boolean hasTime = !time.isEmpty() && !time.equals("0s");
        boolean hasSize = !size.isEmpty() && !size.equals("0B");
        if (hasTime && hasSize) {
            return time + " or " + size;
        }
        return hasSize ? size : hasTime ? time : "15d";
    }

    Reply tsdb(Params p) throws ApiException {
        int limit = 10;
        String s = p.get("limit");
        if (!s.isEmpty()) {
            try {
                limit = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1) {
                throw ApiException.badData("limit must be a positive number");
            }
        }
        DB db = ServerDb.require(ctx);
        Head head = db.head();
        // name → value → series count: the head's postings, as Prometheus's cardinality stats use.
        Map<String, Map<String, long[]>> postings = new HashMap<>();
        long numSeries = 0;
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(false, null);
            while (ss.next()) {
                Labels l = ss.at().labels();
                numSeries++;
                for (int i = 0; i < l.size(); i++) {
                    postings.computeIfAbsent(l.name(i), k -> new HashMap<>())
                            .computeIfAbsent(l.value(i), k -> new long[1])[0]++;
                }
            }
        }
        List<Stat> byMetric = new ArrayList<>(), byLabel = new ArrayList<>(), memory = new ArrayList<>(),
                pairs = new ArrayList<>();
        long labelPairs = 0;
        for (Map.Entry<String, Map<String, long[]>> e : postings.entrySet()) {
            String name = e.getKey();
            Map<String, long[]> values = e.getValue();
            byLabel.add(new Stat(name, values.size()));
            labelPairs += values.size();
            long size = 0;
            for (Map.Entry<String, long[]> v : values.entrySet()) {
                long n = v.getValue()[0];
                if (name.equals(Labels.METRIC_NAME)) {
                    byMetric.add(new Stat(v.getKey(), n));
                }
                pairs.add(new Stat(name + "=" + v.getKey(), n));
                size += (long) v.getKey().length() * n;
            }
            memory.add(new Stat(name, size));
        }
        long nSeries = numSeries, nPairs = labelPairs;
        long minT = numSeries == 0 ? Long.MAX_VALUE : head.minTime();
        long maxT = numSeries == 0 ? Long.MIN_VALUE : head.maxTime();
        int lim = limit;
        return Reply.of(j -> {
            j.beginObject().name("headStats").beginObject()
                    .name("numSeries").value(nSeries)
                    .name("numLabelPairs").value(nPairs)
                    .name("chunkCount").value(0)
                    .name("minTime").value(minT)
                    .name("maxTime").value(maxT)
                    .endObject();
            top(j, "seriesCountByMetricName", byMetric, lim);
            top(j, "labelValueCountByLabelName", byLabel, lim);
            top(j, "memoryInBytesByLabelName", memory, lim);
            top(j, "seriesCountByLabelValuePair", pairs, lim);
            j.endObject();
        });
    }

    /** {@code status/tsdb/blocks}: each block's meta.json, as Prometheus 3 lists them (zero counts left out). */
    Reply blocks() throws ApiException {
        DB db = ServerDb.require(ctx);
        List<BlockMeta> metas = db.blocks().stream().map(Block::meta).toList();
        return Reply.of(j -> {
            j.beginObject().name("blocks").beginArray();
            for (BlockMeta m : metas) {
                j.beginObject().name("ulid").value(m.ulid().toString()).name("minTime").value(m.minTime())
                        .name("maxTime").value(m.maxTime()).name("stats").beginObject();
                BlockMeta.Stats st = m.stats();
                nonZero(j, "numSamples", st.numSamples());
                nonZero(j, "numFloatSamples", st.numFloatSamples());
                nonZero(j, "numHistogramSamples", st.numHistogramSamples());
                nonZero(j, "numSeries", st.numSeries());
                nonZero(j, "numChunks", st.numChunks());
                nonZero(j, "numTombstones", st.numTombstones());
                BlockMeta.Compaction c = m.compaction();
                j.endObject().name("compaction").beginObject().name("level").value(c.level()).name("sources").beginArray();
                c.sources().forEach(u -> j.value(u.toString()));
                j.endArray();
                if (c.deletable()) {
                    j.name("deletable").value(true);
                }
                if (!c.parents().isEmpty()) {
                    j.name("parents").beginArray();
                    for (BlockMeta.BlockDesc d : c.parents()) {
                        j.beginObject().name("ulid").value(d.ulid().toString()).name("minTime").value(d.minTime())
                                .name("maxTime").value(d.maxTime()).endObject();
                    }
                    j.endArray();
                }
                if (c.failed()) {
                    j.name("failed").value(true);
                }
                if (!c.hints().isEmpty()) {
                    j.name("hints").strings(c.hints());
                }
                j.endObject().name("version").value(m.version()).endObject();
            }
            j.endArray().endObject();
        });
    }

    private static void nonZero(Json j, String name, long v) {
        if (v != 0) {
            j.name(name).value(v);
        }
    }

    private record Stat(String name, long value) {}

    private static void top(Json j, String member, List<Stat> stats, int limit) {
        stats.sort(Comparator.comparingLong(Stat::value).reversed().thenComparing(Stat::name));
        j.name(member).beginArray();
        for (int i = 0; i < Math.min(limit, stats.size()); i++) {
            j.beginObject().name("name").value(stats.get(i).name()).name("value").value(stats.get(i).value()).endObject();
        }
        j.endArray();
    }

    /**
     * WAL replay progress by segment number. Replay runs before the storage is handed out, so
     * once {@code db()} is set it is complete ({@code current == max}).
     */
    Reply walReplay() {
        long min = 0, max = 0;
        String dir = ctx.flags().get("storage.tsdb.path");
        if (dir != null) {
            try (Stream<Path> files = Files.list(Path.of(dir, "wal"))) {
                List<Long> segs = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .map(Long::parseLong).sorted().toList();
                if (!segs.isEmpty()) {
                    min = segs.getFirst();
                    max = segs.getLast();
                }
            } catch (IOException | RuntimeException e) {
                // no WAL yet: 0/0/0 as Prometheus shows it
            }
        }
        long lo = min, hi = max, cur = ctx.db() == null ? min : max;
        return Reply.of(j -> j.beginObject().name("min").value(lo).name("max").value(hi).name("current").value(cur).endObject());
    }
}
