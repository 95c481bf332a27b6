package io.specula.remote;

/** A request the remote endpoints refuse as malformed (HTTP 400); the message goes to the client. */
public final class BadMessageException extends Exception {
    public BadMessageException(String message) {
        super(message, null, false, false);
    }
}
