package io.specula.promql.parser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads Prometheus's PromQL test scripts from {@code ${specula.shared.dir}/promql-testdata}
 * (format in that folder's SOURCE.md) into the pieces the parser tests need.
 */
final class PromQLCorpus {
    record Eval(String file, int line, String expr, boolean expectFail) {
    }

    record SeriesLine(String file, int line, String text, boolean load) {
    }

    final List<Eval> evals = new ArrayList<>();
    final List<SeriesLine> seriesLines = new ArrayList<>();
    int files;

    /** The corpus folder: under {@code -Dspecula.shared.dir} (set by the build) or {@code $SPECULA_SHARED_DIR}. */
    static Path dir() {
        String prop = System.getProperty("specula.shared.dir");
        String env = System.getenv("SPECULA_SHARED_DIR");
        for (String base : new String[] {prop, env}) {
            if (base != null && Files.isDirectory(Path.of(base, "promql-testdata"))) {
                return Path.of(base, "promql-testdata");
            }
        }
        Assumptions.abort("SKIPPED LOUDLY: PromQL corpus not found: looked for promql-testdata under specula.shared.dir="
                + prop + " and SPECULA_SHARED_DIR=" + env);
        return null;
    }

    static PromQLCorpus load() throws IOException {
        PromQLCorpus c = new PromQLCorpus();
        try (Stream<Path> s = Files.list(dir())) {
            for (Path f : s.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
                c.files++;
                c.read(f.getFileName().toString(), Files.readAllLines(f));
            }
        }
        return c;
    }

    private void read(String file, List<String> raw) {
        List<String> lines = new ArrayList<>();
        for (String l : raw) {
            String t = l.strip();
            lines.add(t.startsWith("#") ? "" : t);
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isEmpty()) {
                continue;
            }
            String first = l.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (first.startsWith("load")) {
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).isEmpty(); j++) {
                    seriesLines.add(new SeriesLine(file, j + 1, lines.get(j), true));
                }
                i = j - 1;
            } else if (first.startsWith("eval")) {
                boolean fail = first.equals("eval_fail");
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).isEmpty(); j++) {
                    String body = lines.get(j);
                    if (body.startsWith("expect fail")) {
                        fail = true;
                    } else if (!body.startsWith("expect") && !body.startsWith("expected_fail")
                            && !isScalarLine(body)) {
                        seriesLines.add(new SeriesLine(file, j + 1, body, false));
                    }
                }
                evals.add(new Eval(file, i + 1, expression(l), fail));
                i = j - 1;
            }
        }
    }

    private static boolean isScalarLine(String body) {
        try {
            GoNumbers.parseNumber(body.startsWith("-") || body.startsWith("+") ? body.substring(1) : body);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The expression after {@code instant at <t>} or {@code range from <a> to <b> step <s>}. */
    static String expression(String header) {
        String[] w = header.split("\\s+");
        int skip = w[1].equals("instant") ? 4 : 8;
        int pos = 0;
        for (int k = 0; k < skip; k++) {
            pos = header.indexOf(w[k], pos) + w[k].length();
        }
        return header.substring(pos).strip();
    }
}
