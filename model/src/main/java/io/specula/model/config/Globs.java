package io.specula.model.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * File-name patterns as Prometheus's {@code rule_files} and {@code scrape_config_files} take
 * them (Go's {@code filepath.Glob}): {@code *} and {@code ?} match within one path element,
 * {@code [a-z]} and {@code [^a-z]} are classes, {@code \} escapes. There is no {@code **}. Matches
 * come back sorted; a pattern matching nothing yields an empty list, not an error.
 */
public final class Globs {
    private Globs() {}

    /** Whether {@code s} holds a character that makes it a pattern rather than a plain path. */
    public static boolean hasMeta(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('\\') >= 0;
    }

    /** Checks the syntax of {@code pattern}; the message is Go's ({@code syntax error in pattern}). */
    public static void validate(String pattern) throws ConfigException {
        for (String element : pattern.split("/", -1)) {
            if (hasMeta(element)) {
                compile(element, pattern);
            }
        }
    }

    /** The existing files matching {@code pattern}, relative patterns resolved against {@code base}. */
    public static List<Path> expand(Path base, String pattern) throws ConfigException {
        validate(pattern);
        Path p = base == null ? Path.of(pattern) : base.resolve(pattern);
        if (!hasMeta(pattern)) {
            return Files.exists(p) ? List.of(p) : List.of();
        }
        List<Path> current = new ArrayList<>();
        current.add(p.getRoot() == null ? Path.of("") : p.getRoot());
        for (Path element : p.getRoot() == null ? p : p.getRoot().relativize(p)) {
            String name = element.toString();
            List<Path> next = new ArrayList<>();
            if (!hasMeta(name)) {
                for (Path c : current) {
                    Path r = c.resolve(name);
                    if (Files.exists(r)) {
                        next.add(r);
                    }
                }
            } else {
                Pattern re = compile(name, pattern);
                for (Path c : current) {
                    Path dir = c.toString().isEmpty() ? Path.of(".") : c;
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                        for (Path f : ds) {
                            if (re.matcher(f.getFileName().toString()).matches()) {
                                next.add(c.resolve(f.getFileName().toString()));
                            }
                        }
                    } catch (IOException e) {
                        // An unreadable directory matches nothing, as in Go.
                    }
                }
            }
            current = next;
        }
        current.sort(null);
        return current;
    }

    private static Pattern compile(String element, String pattern) throws ConfigException {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = element.length();
        while (i < n) {
            char c = element.charAt(i++);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i == n) {
                        throw syntax(pattern);
                    }
                    re.append(Pattern.quote(String.valueOf(element.charAt(i++))));
                }
                case '[' -> {
                    StringBuilder cls = new StringBuilder("[");
                    if (i < n && element.charAt(i) == '^') {
                        cls.append('^');
                        i++;
                    }
                    boolean any = false;
                    while (true) {
                        if (i >= n) {
                            throw syntax(pattern);
                        }
                        char d = element.charAt(i);
                        if (d == ']' && any) {
                            i++;
                            break;
                        }
                        if (d == '\\') {
                            i++;
                            if (i >= n) {
                                throw syntax(pattern);
                            }
                            d = element.charAt(i);
                        } else if (d == '-' || d == ']' && !any) {
                            throw syntax(pattern);
                        }
                        cls.append(d == '\\' || d == '[' || d == ']' || d == '^' || d == '&' ? "\\" + d : String.valueOf(d));
                        i++;
                        any = true;
                        if (i < n && element.charAt(i) == '-') {
                            i++;
                            if (i >= n || element.charAt(i) == ']') {
                                throw syntax(pattern);
                            }
                            char hi = element.charAt(i);
                            if (hi == '\\') {
                                if (++i >= n) {
                                    throw syntax(pattern);
                                }
                                hi = element.charAt(i);
                            }
                            cls.append('-').append(hi == '\\' || hi == ']' || hi == '[' ? "\\" + hi : String.valueOf(hi));
                            i++;
                        }
                    }
                    re.append(cls).append(']');
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static ConfigException syntax(String pattern) {
        return new ConfigException("syntax error in pattern: " + pattern);
    }
}
