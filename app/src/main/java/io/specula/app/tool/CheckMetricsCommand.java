package io.specula.app.tool;

import io.specula.model.textparse.Entry;
import io.specula.model.textparse.OpenMetricsParser;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.PromTextParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool check metrics [--openmetrics] [FILE]}: checks that an exposition parses,
 * with the parser a scrape would use. Exit 0 when it does; otherwise exit 1 with one line on
 * stderr naming the input, line, column and what was expected.
 */
@Command(
        name = "metrics",
        description = {
            "Check that metrics parse: the Prometheus text format, or OpenMetrics with --openmetrics.",
            "Reads FILE, or standard input when FILE is absent or '-'.",
        },
        mixinStandardHelpOptions = true)
public final class CheckMetricsCommand implements Callable<Integer> {
    /** Inputs beyond this are refused rather than read into memory. */
    static final long DEFAULT_MAX_BYTES = 512L << 20;

    @Option(names = "--openmetrics", description = "Parse as OpenMetrics text (application/openmetrics-text).")
    boolean openMetrics;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to check (default: stdin).")
    String file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final long maxBytes;

    public CheckMetricsCommand() {
        this(DEFAULT_MAX_BYTES);
    }

    CheckMetricsCommand(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public Integer call() {
        boolean stdin = file == null || file.equals("-");
        String source = stdin ? "stdin" : file;
        byte[] body;
        try {
            body = stdin ? readCapped(System.in) : readFile(Path.of(file));
        } catch (TooLarge e) {
            return fail(source + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            return fail(source + ": no such file");
        } catch (AccessDeniedException e) {
            return fail(source + ": permission denied");
        } catch (IOException | RuntimeException e) {
            return fail(source + ": cannot read: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        Parser parser = openMetrics ? new OpenMetricsParser(body) : new PromTextParser(body);
        try {
            check(parser);
        } catch (ParseException e) {
            return fail(source + ": " + e.getMessage());
        }
        return 0;
    }

    /**
     * Parses the whole input. Every entry (metadata lines and samples, in order) passes through
     * this loop once: the place for lint rules to look at families and samples.
     */
    static void check(Parser parser) throws ParseException {
        for (Entry entry = parser.next(); entry != null; entry = parser.next()) {
            // Parsing is the whole check for now; lint rules hook in here.
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("error: " + message);
        return 1;
    }

    private byte[] readFile(Path p) throws IOException, TooLarge {
        if (Files.isDirectory(p)) {
            throw new IOException("is a directory");
        }
        if (Files.size(p) > maxBytes) {
            throw new TooLarge(maxBytes);
        }
        try (InputStream in = Files.newInputStream(p)) {
            return readCapped(in); // the file may grow while being read
        }
    }

    private byte[] readCapped(InputStream in) throws IOException, TooLarge {
        byte[] b = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
        if (b.length > maxBytes) {
            throw new TooLarge(maxBytes);
        }
        return b;
    }

    private static final class TooLarge extends Exception {
        TooLarge(long max) {
            super("input larger than " + (max % (1 << 20) == 0 ? (max >> 20) + " MiB" : max + " bytes")
                    + ", refusing to read it");
        }
    }
}
