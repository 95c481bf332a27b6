package io.specula.alertmanager.template;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands the {@code templates:} globs (in the file name part, as Go's filepath.Glob does). */
public final class TemplateGlobs {
    private TemplateGlobs() {}

    /** The files matching all patterns, sorted per pattern; a pattern matching nothing adds nothing. */
    public static List<Path> expand(List<String> patterns) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String p : patterns) {
            Path path = Path.of(p);
            Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
            String name = path.getFileName().toString();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(f -> m.matches(f.getFileName())).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
