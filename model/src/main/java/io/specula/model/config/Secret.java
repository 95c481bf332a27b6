package io.specula.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A configuration value that must never be printed: passwords, API keys, tokens, URLs that
 * embed credentials. {@link #toString()} and serialization print {@code <secret>} (as
 * Prometheus and Alertmanager do); only {@link #reveal()} gives the value, for the code that
 * actually uses it. Immutable.
 */
public final class Secret {
    /** What a secret prints as everywhere. */
    public static final String REDACTED = "<secret>";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value == null ? "" : value);
    }

    /** The actual value; call only where it is sent to its destination. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @JsonValue
    @Override
    public String toString() {
        return value.isEmpty() ? "" : REDACTED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
