package io.specula.pushgateway;

/** A refused request: the HTTP status and the plain-text body the Pushgateway answers with. */
public final class PushException extends Exception {
    private final int status;

    public PushException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
