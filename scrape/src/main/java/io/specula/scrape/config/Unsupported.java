package io.specula.scrape.config;

/** The one wording for configuration keys Prometheus has and Specula does not implement yet. */
final class Unsupported {
    private Unsupported() {}

    /** Thrown from a YAML setter, so the loader reports it with file, line and key path. */
    static IllegalArgumentException key(String key) {
        return new IllegalArgumentException(key + " is not supported yet by Specula");
    }
}
