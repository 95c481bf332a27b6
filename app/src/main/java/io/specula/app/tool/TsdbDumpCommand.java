package io.specula.app.tool;

import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool tsdb dump [--min-time T] [--max-time T] [--match SELECTOR] [DIR]}:
 * every sample of the matching series of all blocks, one {@code {labels} value timestamp}
 * line each, byte for byte as promtool prints them (Go's {@code %g} values), series in label
 * order and overlapping blocks merged.
 */
@Command(name = "dump", description = "Dump samples from a TSDB.", mixinStandardHelpOptions = true)
public final class TsdbDumpCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Database path (default: data/).")
    Path dir = Path.of("data");

    @Option(names = "--min-time", defaultValue = "-9223372036854775808", description = "Minimum timestamp to dump.")
    long minTime;

    @Option(names = "--max-time", defaultValue = "9223372036854775807", description = "Maximum timestamp to dump.")
    long maxTime;

    @Option(names = "--match", defaultValue = "{__name__=~'(?s:.*)'}", description = "Series selector.")
    String match;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Matcher[] matchers = SeriesSelector.parse(match);
        List<Block> blocks = BlockDirs.open(dir, spec.commandLine().getErr());
        List<Querier> queriers = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        try {
            for (Block b : blocks) {
                queriers.add(b.querier(minTime, maxTime));
            }
            try (Querier q = MergeQuerier.of(queriers)) {
                queriers.clear(); // the merge closes them
                SeriesSet set = q.select(true, null, matchers);
                SampleIterator it = null;
                StringBuilder line = new StringBuilder(128);
                while (set.next()) {
                    String labels = GoFormat.labels(set.at().labels());
                    it = set.at().iterator(it);
                    while (it.next() == ValueType.FLOAT) {
                        line.setLength(0);
                        line.append(labels).append(' ').append(GoFormat.g(it.atV())).append(' ').append(it.atT()).append('\n');
                        out.append(line);
                    }
                    if (it.err() != null) {
                        throw new IOException(set.at().labels() + ": " + it.err().getMessage(), it.err());
                    }
                }
                if (set.err() != null) {
                    throw new IOException(set.err().getMessage(), set.err());
                }
            }
        } finally {
            out.flush();
            queriers.forEach(Querier::close);
            BlockDirs.closeAll(blocks);
        }
        return 0;
    }
}
