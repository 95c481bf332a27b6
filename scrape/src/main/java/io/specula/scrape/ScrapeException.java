package io.specula.scrape;

/** A failed scrape; the message becomes the target's {@code lastError} as it is. */
public final class ScrapeException extends Exception {
    public ScrapeException(String message) {
        super(message, null, false, false); // expected and frequent: no stack trace
    }
}
