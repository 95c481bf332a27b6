package io.specula.app.tool;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool tsdb analyze [--limit N] [DIR] [BLOCK_ID]}: promtool's cardinality
 * report of one block (the last by time when no id is given): series, label names, label
 * pairs, churn (how much of the block's range series do not cover), the most common pairs,
 * the label names with most values and most value bytes, and metric names by series count.
 * Sections list the top {@code --limit} entries, largest first, ties by name.
 */
@Command(name = "analyze", description = "Analyze churn, label pair cardinality and compaction efficiency.",
        mixinStandardHelpOptions = true)
public final class TsdbAnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Database path (default: data/).")
    Path dir = Path.of("data");

    @Parameters(index = "1", arity = "0..1", paramLabel = "BLOCK_ID", description = "Block to analyze (default: the last block).")
    String blockId;

    @Option(names = "--limit", defaultValue = "20", description = "How many items to show in each list.")
    int limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private record Entry(String key, long metric) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Block> blocks = BlockDirs.open(dir, spec.commandLine().getErr());
        try {
            if (blocks.isEmpty()) {
                throw new IllegalArgumentException("no blocks found in " + dir);
            }
            Block block = blocks.getLast();
            if (blockId != null) {
                block = blocks.stream().filter(b -> b.meta().ulid().toString().equals(blockId)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("block " + blockId + " not found in " + dir));
            }
            analyze(block, out);
        } finally {
            out.flush();
            BlockDirs.closeAll(blocks);
        }
        return 0;
    }

    private void analyze(Block block, PrintWriter out) throws Exception {
        BlockMeta meta = block.meta();
        long span = meta.maxTime() - meta.minTime();
        out.printf("Block ID: %s%n", meta.ulid());
        out.printf("Duration: %s%n", GoFormat.durationMillis(span));
        out.printf("Series: %d%n", meta.stats().numSeries());
        Map<String, Long> labelsUncovered = new HashMap<>(), pairsUncovered = new HashMap<>(), pairsCount = new HashMap<>();
        Map<String, Long> perMetric = new HashMap<>();
        long entries = 0;
        try (Querier q = block.querier(meta.minTime(), meta.maxTime())) {
            List<String> names = q.labelNames();
            out.printf("Label names: %d%n", names.size());
            // Every series, with the range its samples cover (first to last sample, like the chunk metas promtool reads).
            SeriesSet set = q.select(true, null, Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, "(?s:.*)"));
            SampleIterator it = null;
            while (set.next()) {
                Labels l = set.at().labels();
                it = set.at().iterator(it);
                long first = Long.MIN_VALUE, last = Long.MIN_VALUE;
                while (it.next() == ValueType.FLOAT) {
                    if (first == Long.MIN_VALUE) {
                        first = it.atT();
                    }
                    last = it.atT();
                }
                long uncovered = span - (first == Long.MIN_VALUE ? 0 : last - first);
                for (int i = 0; i < l.size(); i++) {
                    String key = l.name(i) + "=" + l.value(i);
                    labelsUncovered.merge(l.name(i), uncovered, Long::sum);
                    pairsUncovered.merge(key, uncovered, Long::sum);
                    pairsCount.merge(key, 1L, Long::sum);
                    entries++;
                }
                perMetric.merge(l.metricName(), 1L, Long::sum);
            }
            if (set.err() != null) {
                throw set.err();
            }
            out.printf("Postings (unique label pairs): %d%n", pairsUncovered.size());
            out.printf("Postings entries (total label pairs): %d%n", entries);
            section(out, "Label pairs most involved in churning", churn(pairsUncovered, span));
            section(out, "Label names most involved in churning", churn(labelsUncovered, span));
            section(out, "Most common label pairs", entries(pairsCount));
            List<Entry> lengths = new ArrayList<>(), cardinality = new ArrayList<>();
            for (String n : names) {
                List<String> values = q.labelValues(n);
                long bytes = 0;
                for (String v : values) {
                    bytes += v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                }
                lengths.add(new Entry(n, bytes));
                cardinality.add(new Entry(n, values.size()));
            }
            section(out, "Label names with highest cumulative label value length", lengths);
            section(out, "Highest cardinality labels", cardinality);
            perMetric.remove("");
            section(out, "Highest cardinality metric names", entries(perMetric));
        }
    }

    private static List<Entry> churn(Map<String, Long> uncovered, long span) {
        List<Entry> out = new ArrayList<>();
        uncovered.forEach((k, v) -> out.add(new Entry(k, (long) ((double) v / (double) span))));
        return out;
    }

    private static List<Entry> entries(Map<String, Long> m) {
        List<Entry> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(new Entry(k, v)));
        return out;
    }

    private void section(PrintWriter out, String title, List<Entry> entries) {
        out.printf("%n%s:%n", title);
        entries.sort(Comparator.comparingLong(Entry::metric).reversed().thenComparing(Entry::key));
        for (int i = 0; i < entries.size() && i < limit; i++) {
            out.printf("%d %s%n", entries.get(i).metric(), entries.get(i).key());
        }
    }
}
