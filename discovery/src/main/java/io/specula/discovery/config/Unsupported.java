package io.specula.discovery.config;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/** The one wording for configuration keys Prometheus has and Specula does not implement yet. */
public final class Unsupported {
    private Unsupported() {}

    /** Thrown from a YAML setter, so the loader reports it with file, line and key path. */
    public static IllegalArgumentException key(String key) {
        return new IllegalArgumentException(key + " is not supported yet by Specula");
    }

    /**
     * Refuses a key as soon as its value starts, so the error points at the value's first line
     * rather than where the (possibly long) block ends.
     */
    public static final class Refuse extends ValueDeserializer<Object> {
        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            throw DatabindException.from(p, p.currentName() + " is not supported yet by Specula");
        }
    }
}
