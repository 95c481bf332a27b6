package io.specula.web.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * A successful API result before rendering: the {@code data} member (written by {@link #data}),
 * and the annotations that become {@code warnings} and {@code infos}. A null {@code data} means
 * Prometheus's {@code 204 No Content} (admin endpoints).
 */
public record Reply(Consumer<Json> data, List<String> warnings, List<String> infos) {
    static Reply of(Consumer<Json> data) {
        return new Reply(data, List.of(), List.of());
    }

    static Reply of(Consumer<Json> data, List<String> warnings) {
        return new Reply(data, warnings, List.of());
    }

    static final Reply NO_CONTENT = new Reply(null, List.of(), List.of());
}
