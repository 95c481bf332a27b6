package io.specula.model.relabel;

/**
 * A relabeling rule that Prometheus would reject. The message is Prometheus's own, e.g.
 * {@code relabel configuration for hashmod requires non-zero modulus}; a configuration loader
 * adds the file, line and column.
 */
public final class InvalidRelabelConfigException extends IllegalArgumentException {
    public InvalidRelabelConfigException(String message) {
        super(message);
    }

    public InvalidRelabelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
