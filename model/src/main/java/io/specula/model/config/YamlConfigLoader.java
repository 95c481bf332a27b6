package io.specula.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Strict YAML loading for configuration files (alertmanager.yml, later prometheus.yml), with
 * the rules Prometheus's Go loaders apply:
 *
 * <ul>
 *   <li>keys map onto public camelCase fields of mutable config classes as snake_case
 *       ({@code groupWait} ↔ {@code group_wait});
 *   <li>an unknown or repeated key is an error naming file, line, column and key;
 *   <li>scalars are not coerced across types ({@code "true"} is not a boolean), as in Go;
 *   <li>every error becomes a {@link ConfigException} whose message is the whole story.
 * </ul>
 *
 * <p>Config classes use mutable public fields rather than records because Jackson keeps the
 * parser location for fields, so errors can point at the offending line. Thread-safe.
 */
public final class YamlConfigLoader {
    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            // Quote every string: Go's YAML 1.1 reader would take an unquoted 18:00, yes or 12
            // for something other than the string it was.
            .disable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private YamlConfigLoader() {}

    /** Reads and binds a file; an empty file yields {@code null}. */
    public static <T> T load(Path file, Class<T> type) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": permission denied");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString(), type);
    }

    /**
     * Binds YAML text; {@code source} names it in error messages. Empty or comment-only input
     * yields {@code null}.
     */
    public static <T> T parse(String text, String source, Class<T> type) throws ConfigException {
        if (isBlank(text)) {
            return null;
        }
        try {
            return MAPPER.readValue(text, type);
        } catch (JacksonException e) {
            throw new ConfigException(describe(source, e), e);
        }
    }

    /** Prints a config object back as YAML (secrets as {@code <secret>}, empty values left out). */
    public static String toYaml(Object config) {
        return MAPPER.writeValueAsString(config);
    }

    /** The shared mapper, for callers that need JSON-like trees of config values. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static boolean isBlank(String text) {
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.equals("---")) {
                return false;
            }
        }
        return true;
    }

    /** One line: {@code file:line:col: what} with the key path where Jackson knows it. */
    static String describe(String source, JacksonException e) {
        StringBuilder sb = new StringBuilder(source);
        TokenStreamLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(':').append(loc.getLineNr()).append(':').append(loc.getColumnNr());
        }
        sb.append(": ");
        if (e instanceof UnrecognizedPropertyException u) {
            String where = parentPath(e);
            sb.append("unknown key \"").append(u.getPropertyName()).append('"');
            if (!where.isEmpty()) {
                sb.append(" in ").append(where);
            }
            Collection<Object> known = u.getKnownPropertyIds();
            if (known != null && !known.isEmpty() && known.size() <= 40) {
                sb.append(" (known keys: ")
                        .append(known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")))
                        .append(')');
            }
            return sb.toString();
        }
        String path = path(e);
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(rootMessage(e));
        return sb.toString();
    }

    /** The innermost message: a creator's IllegalArgumentException says it best. */
    private static String rootMessage(JacksonException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t instanceof JacksonException j ? j.getOriginalMessage() : t.getMessage();
        if (m == null) {
            m = t.toString();
        }
        // Messages carry source excerpts and marks on further lines; the location says as much.
        // Keep the explanatory lines (a YAML syntax error has two: context and problem).
        StringBuilder kept = new StringBuilder();
        for (String line : m.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0)) || line.startsWith("^")) {
                continue;
            }
            if (!kept.isEmpty()) {
                kept.append("; ");
            }
            kept.append(line.strip());
        }
        m = kept.toString();
        return m.replace("tools.jackson.databind.", "")
                .replace("io.specula.", "")
                .replaceAll("`", "");
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String parentPath(JacksonException e) {
        var refs = e.getPath();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < refs.size() - 1; i++) {
            JacksonException.Reference r = refs.get(i);
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "top level" : sb.toString();
    }
}
