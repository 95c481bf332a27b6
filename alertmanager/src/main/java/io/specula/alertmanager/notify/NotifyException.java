package io.specula.alertmanager.notify;

/** A failed delivery; {@link #retryable()} says whether trying again can help. */
public final class NotifyException extends Exception {
    private final boolean retryable;

    public NotifyException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
