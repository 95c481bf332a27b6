package io.specula.alertmanager.config;

/** A semantic error in alertmanager.yml, worded as Alertmanager words it. */
public final class ConfigValidationException extends Exception {
    public ConfigValidationException(String message) {
        super(message);
    }
}
