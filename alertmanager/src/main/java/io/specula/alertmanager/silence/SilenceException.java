package io.specula.alertmanager.silence;

/** A silence that cannot be created or changed; the message is for the API client. */
public final class SilenceException extends Exception {
    private final boolean notFound;

    public SilenceException(String message) {
        this(message, false);
    }

    public SilenceException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    public boolean notFound() {
        return notFound;
    }
}
