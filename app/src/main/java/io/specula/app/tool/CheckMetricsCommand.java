package io.specula.app.tool;

import io.specula.model.exposition.ExpositionFormat;
import io.specula.model.lint.FamilyCollector;
import io.specula.model.lint.LintProblem;
import io.specula.model.lint.Linter;
import io.specula.model.textparse.OpenMetricsParser;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.PromTextParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool check metrics [--openmetrics] [--lint-fatal] [FILE]}: checks that an
 * exposition parses, with the parser a scrape would use, and lints its metric names with
 * promlint's rules as {@code promtool check metrics} does.
 *
 * <p>Exit codes: 1 with one line on stderr naming the input, line, column and what was
 * expected when it does not parse (or repeats a HELP or TYPE line, which promtool's parser
 * refuses too). Otherwise each lint problem is one {@code <metric> <text>} line on stderr,
 * exactly as promtool prints it, and the exit code is 0 (problems are warnings) or, with
 * {@code --lint-fatal}, promtool's 3 when there are any.
 */
@Command(
        name = "metrics",
        description = {
            "Check that metrics parse (the Prometheus text format, or OpenMetrics with --openmetrics)"
                    + " and lint their names as promtool check metrics does.",
            "Reads FILE, or standard input when FILE is absent or '-'.",
            "Exit status: 0 parsed (lint problems are printed as warnings), 1 does not parse,"
                    + " 3 lint problems with --lint-fatal.",
        },
        mixinStandardHelpOptions = true)
public final class CheckMetricsCommand implements Callable<Integer> {
    /** Inputs beyond this are refused rather than read into memory. */
    static final long DEFAULT_MAX_BYTES = 512L << 20;

    @Option(names = "--openmetrics", description = "Parse as OpenMetrics text (application/openmetrics-text).")
    boolean openMetrics;

    @Option(names = "--lint-fatal",
            description = "Exit with status 3, as promtool does, when lint finds problems (default: print them and exit 0).")
    boolean lintFatal;

    /** promtool's exit code for lint problems. */
    static final int LINT_PROBLEMS_EXIT_CODE = 3;

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
        List<LintProblem> problems;
        try {
            problems = check(parser, openMetrics);
        } catch (ParseException e) {
            return fail(source + ": " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        for (LintProblem p : problems) {
            err.println(p);
        }
        err.flush();
        return problems.isEmpty() || !lintFatal ? 0 : LINT_PROBLEMS_EXIT_CODE;
    }

    /**
     * Parses the whole input into metric families, grouped as promtool groups them, and lints
     * them.
     *
     * @return the lint problems in promtool's order
     */
    static List<LintProblem> check(Parser parser, boolean openMetrics) throws ParseException {
        ExpositionFormat format = openMetrics ? ExpositionFormat.OPENMETRICS_TEXT : ExpositionFormat.PROMETHEUS_TEXT;
        return Linter.lint(FamilyCollector.collect(parser, format));
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
