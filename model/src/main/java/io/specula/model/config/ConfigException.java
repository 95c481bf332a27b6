package io.specula.model.config;

/**
 * A configuration file that cannot be used. The message is meant for the user as is: it
 * names the file and, where known, the line, column and key, and never needs a stack trace.
 */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
