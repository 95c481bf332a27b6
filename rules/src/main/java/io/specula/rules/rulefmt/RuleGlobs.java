package io.specula.rules.rulefmt;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands {@code rule_files} patterns like Go's {@code filepath.Glob}: {@code *}, {@code ?} and
 * {@code [...]} within one path segment, relative patterns resolved against a base directory,
 * matches sorted, a pattern without matches yielding nothing (not an error).
 */
public final class RuleGlobs {
    private RuleGlobs() {}

    /**
     * @param baseDir directory relative patterns are resolved against (the config file's), or null for the working directory
     * @throws IllegalArgumentException for a malformed pattern
     */
    public static List<Path> expand(List<String> patterns, Path baseDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String p : patterns) {
            out.addAll(expand(p, baseDir));
        }
        return out;
    }

    public static List<Path> expand(String pattern, Path baseDir) throws IOException {
        Path p = Path.of(pattern);
        if (!p.isAbsolute() && baseDir != null) {
            p = baseDir.resolve(p);
        }
        if (!hasMeta(p.toString())) {
            return Files.exists(p) ? List.of(p) : List.of();
        }
        // The longest leading part without meta characters is walked; the rest is matched.
        Path base = p.getRoot() == null ? Path.of("") : p.getRoot();
        int i = 0;
        for (; i < p.getNameCount(); i++) {
            if (hasMeta(p.getName(i).toString())) {
                break;
            }
            base = base.resolve(p.getName(i));
        }
        final int depth = p.getNameCount() - i;
        final boolean relativeBase = base.toString().isEmpty();
        final Path start = relativeBase ? Path.of(".") : base;
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + escapeFor(p.toString()));
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(start, depth)) {
            s.map(f -> relativeBase ? start.relativize(f) : f)
                    .filter(f -> m.matches(f) && Files.isRegularFile(relativeBase ? start.resolve(f) : f))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    private static boolean hasMeta(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** Go's glob has no braces; escape them so Java's matcher takes them literally. */
    private static String escapeFor(String s) {
        return s.replace("{", "\\{").replace("}", "\\}");
    }
}
