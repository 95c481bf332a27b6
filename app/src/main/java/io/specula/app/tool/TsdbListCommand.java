package io.specula.app.tool;

import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool tsdb list [-r] [DIR]}: one row per block, in promtool's columns and
 * layout (ULID, min and max time, duration, samples, chunks, series, size in bytes).
 */
@Command(name = "list", description = "List tsdb blocks.", mixinStandardHelpOptions = true)
public final class TsdbListCommand implements Callable<Integer> {
    static final String[] HEADER = {"BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"};

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Database path (default: data/).")
    Path dir = Path.of("data");

    @Option(names = {"-r", "--human-readable"}, description = "Print human readable values.")
    boolean humanReadable;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Block> blocks = BlockDirs.open(dir, spec.commandLine().getErr());
        try {
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            for (Block b : blocks) {
                rows.add(row(b.meta(), b.sizeBytes(), humanReadable));
            }
            spec.commandLine().getOut().print(GoFormat.table(rows));
            spec.commandLine().getOut().flush();
        } finally {
            BlockDirs.closeAll(blocks);
        }
        return 0;
    }

    static String[] row(BlockMeta m, long size, boolean human) {
        return new String[] {
            m.ulid().toString(),
            human ? GoFormat.time(m.minTime()) : Long.toString(m.minTime()),
            human ? GoFormat.time(m.maxTime()) : Long.toString(m.maxTime()),
            GoFormat.durationMillis(m.maxTime() - m.minTime()),
            Long.toUnsignedString(m.stats().numSamples()),
            Long.toUnsignedString(m.stats().numChunks()),
            Long.toUnsignedString(m.stats().numSeries()),
            human ? GoFormat.base2Bytes(size) : Long.toString(size),
        };
    }

    /** Size of a block directory as Prometheus counts it: every file in it. */
    static long blockSize(Path blockDir) throws IOException {
        try (Stream<Path> s = Files.walk(blockDir)) {
            long n = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    n += Files.size(p);
                }
            }
            return n;
        }
    }
}
