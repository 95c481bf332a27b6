package io.specula.model.textparse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OpenMetrics parser test corpus kept outside the repository (see {@code shared/openmetrics-testdata/SOURCE.md}):
 * one directory per case with a {@code metrics} body and a {@code test.json} saying whether it must parse.
 * Found under the system property {@code specula.shared.dir} (set by the build) or the environment variable
 * {@code SPECULA_SHARED_DIR}.
 */
public final class OpenMetricsCorpus {
    private OpenMetricsCorpus() {}

    public record Case(String name, Path metrics, boolean shouldParse) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Pattern SHOULD_PARSE = Pattern.compile("\"shouldParse\"\\s*:\\s*(true|false)");

    /** The places looked at, in order, for messages when the corpus is missing. */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty("specula.shared.dir");
        if (prop != null && !prop.isBlank()) {
            out.add(Path.of(prop, "openmetrics-testdata", "parsers"));
        }
        String env = System.getenv("SPECULA_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env, "openmetrics-testdata", "parsers"));
        }
        return out;
    }

    /** The corpus directory, or null when none of {@link #candidates()} exists. */
    public static Path locate() {
        for (Path p : candidates()) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    public static String missingMessage() {
        return "OpenMetrics corpus not found; looked at " + candidates()
                + " (set -Dspecula.shared.dir or SPECULA_SHARED_DIR to the folder holding openmetrics-testdata/)";
    }

    public static List<Case> cases(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Case> out = new ArrayList<>();
            for (Path d : s.sorted().toList()) {
                Path json = d.resolve("test.json");
                if (!Files.isRegularFile(json)) {
                    continue;
                }
                Matcher m = SHOULD_PARSE.matcher(Files.readString(json));
                if (!m.find()) {
                    throw new IllegalStateException("no shouldParse in " + json);
                }
                out.add(new Case(d.getFileName().toString(), d.resolve("metrics"), Boolean.parseBoolean(m.group(1))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
