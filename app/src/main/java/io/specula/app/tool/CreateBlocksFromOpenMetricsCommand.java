package io.specula.app.tool;

import io.specula.model.textparse.ParseException;
import io.specula.tsdb.block.BlockMeta;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool tsdb create-blocks-from openmetrics FILE [OUTPUT_DIR]}: promtool's
 * backfill (see {@link OpenMetricsBackfill}). Prints the blocks created as {@code tsdb list}
 * does, unless {@code -q}; progress goes to stderr on runs of more than three ranges.
 */
@Command(
        name = "openmetrics",
        description = "Import samples from an OpenMetrics file and produce TSDB blocks, as promtool does.",
        mixinStandardHelpOptions = true)
public final class CreateBlocksFromOpenMetricsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "OpenMetrics file to read samples from.")
    Path input;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUTPUT_DIR", description = "Output directory for generated blocks (default: data/).")
    Path output = Path.of("data");

    @Option(names = "--max-block-duration", defaultValue = "2h", paramLabel = "DURATION",
            description = "Maximum duration created blocks may span, e.g. 2h, 1d; anything below 2h is ignored.")
    String maxBlockDuration;

    @Option(names = {"-r", "--human-readable"}, description = "Print human readable values.")
    boolean humanReadable;

    @Option(names = {"-q", "--quiet"}, description = "Do not print created blocks.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] body = Files.readAllBytes(input);
        OpenMetricsBackfill backfill = new OpenMetricsBackfill(body, input.toString(), output, parseDuration(maxBlockDuration), err);
        List<BlockMeta> metas;
        try {
            metas = backfill.run();
        } catch (ParseException e) {
            err.println("error: " + input + ": " + e.getMessage());
            return 1;
        }
        if (!quiet) {
            List<String[]> rows = new ArrayList<>();
            rows.add(TsdbListCommand.HEADER);
            for (BlockMeta m : metas) {
                rows.add(TsdbListCommand.row(m, TsdbListCommand.blockSize(output.resolve(m.ulid().toString())), humanReadable));
            }
            out.print(GoFormat.table(rows));
            out.flush();
        }
        return 0;
    }

    /** Prometheus durations: a sequence of number+unit among y, w, d, h, m, s, ms (e.g. {@code 1d12h}). */
    static long parseDuration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)").matcher(s);
        long total = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "y" -> n * Duration.ofDays(365).toMillis();
                case "w" -> n * Duration.ofDays(7).toMillis();
                case "d" -> n * Duration.ofDays(1).toMillis();
                case "h" -> n * 3600_000L;
                case "m" -> n * 60_000L;
                case "s" -> n * 1000L;
                default -> n;
            };
            at = m.end();
        }
        if (at != s.length() || s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\" (use e.g. 2h, 1d, 90m)");
        }
        return total;
    }
}
