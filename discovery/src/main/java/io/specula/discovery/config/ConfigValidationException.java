package io.specula.discovery.config;

/** A configuration value Prometheus would refuse; the message is Prometheus's wording, without file name. */
public final class ConfigValidationException extends Exception {
    public ConfigValidationException(String message) {
        super(message);
    }
}
