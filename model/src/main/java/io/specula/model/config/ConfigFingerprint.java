package io.specula.model.config;

import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.ObjectMapper;

/**
 * A string that is equal for two validated configuration objects exactly when they configure the
 * same behaviour, secrets included: what a reload compares to keep unchanged scrape pools and
 * discoverers running. Not for printing (it holds secrets).
 */
public final class ConfigFingerprint {
    private ConfigFingerprint() {}

    /** Makes secrets print their value, so a fingerprint changes when a password does. */
    private abstract static class RevealSecret {
        @JsonValue(false)
        @Override
        public abstract String toString();

        @JsonValue
        abstract String reveal();
    }

    private static final ObjectMapper MAPPER =
            YamlConfigLoader.mapper().rebuild().addMixIn(Secret.class, RevealSecret.class).build();

    public static String of(Object config) {
        return MAPPER.writeValueAsString(config);
    }
}
