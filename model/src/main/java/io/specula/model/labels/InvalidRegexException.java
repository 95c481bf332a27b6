package io.specula.model.labels;

/** A regex that RE2 does not accept; the message is the one a user sees. */
public final class InvalidRegexException extends IllegalArgumentException {
    public InvalidRegexException(String message, Throwable cause) {
        super(message, cause);
    }
}
