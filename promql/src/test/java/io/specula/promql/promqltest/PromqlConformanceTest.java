package io.specula.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus's own PromQL test scripts ({@code ../shared/promql-testdata}) against the
 * engine. Evals listed in {@code promql-known-failures.txt} may fail; any other failure fails
 * the build, and so does a listed eval that now passes (the list may only shrink).
 *
 * <p>Regenerate the list with {@code -Dpromql.knownFailures.write=<path>}.
 */
class PromqlConformanceTest {
    private static final String KNOWN = "/promql-known-failures.txt";

    @Test
    void corpus_matchesKnownFailures() throws IOException {
        String shared = System.getProperty("specula.shared.dir");
        if (shared == null) {
            shared = System.getenv().getOrDefault("SPECULA_SHARED_DIR", "../shared");
        }
        Path dir = Path.of(shared, "promql-testdata");
        assumeTrue(Files.isDirectory(dir), "PromQL corpus not found at " + dir.toAbsolutePath()
                + " (set -Dspecula.shared.dir); conformance test SKIPPED");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        Map<String, String> known = loadKnown();
        ScriptRunner runner = new ScriptRunner();
        List<String> unexpected = new ArrayList<>(), fixed = new ArrayList<>(), current = new ArrayList<>();
        long pass = 0, fail = 0;
        StringBuilder summary = new StringBuilder();
        for (Path f : files) {
            ScriptRunner.FileReport r = runner.run(f);
            assertThat(r.error()).as("running " + f).isNull();
            pass += r.passed();
            fail += r.failed();
            summary.append(String.format("%-28s %4d passed, %4d failed%n", r.file(), r.passed(), r.failed()));
            for (ScriptRunner.EvalOutcome o : r.evals()) {
                String key = o.file() + ":" + o.line();
                if (!o.passed()) {
                    current.add(key + " " + reason(o));
                    if (!known.containsKey(key)) {
                        unexpected.add(key + " " + o.expr() + "\n    expected: " + o.expected().replace("\n", "\n      ")
                                + "\n    got: " + o.got());
                    }
                } else if (known.containsKey(key)) {
                    fixed.add(key);
                }
            }
        }
        summary.append(String.format("%-28s %4d passed, %4d failed%n", "total", pass, fail));
        System.out.print(summary);
        String write = System.getProperty("promql.knownFailures.write");
        if (write != null) {
            Files.write(Path.of(write), (String.join("\n", current) + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        assertThat(unexpected).as("evals failing that are not in promql-known-failures.txt").isEmpty();
        assertThat(fixed).as("evals now passing: remove them from promql-known-failures.txt").isEmpty();
    }

    private static String reason(ScriptRunner.EvalOutcome o) {
        String e = o.expr() + " " + o.expected() + " " + o.got();
        if (e.contains("{{") || e.contains("histogram") || o.file().equals("native_histograms.test")) {
            return "native histograms not supported";
        }
        if (o.histogramData()) {
            return "native histograms not supported (histogram samples in the loaded data): " + shorten(o.got());
        }
        return shorten(o.got());
    }

    private static String shorten(String got) {
        String g = got.replace('\n', ' ');
        return g.length() > 100 ? g.substring(0, 100) + "..." : g;
    }

    private static Map<String, String> loadKnown() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (var in = PromqlConformanceTest.class.getResourceAsStream(KNOWN)) {
            if (in == null) {
                return m;
            }
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int sp = t.indexOf(' ');
                m.put(sp < 0 ? t : t.substring(0, sp), sp < 0 ? "" : t.substring(sp + 1));
            }
        }
        return m;
    }
}
