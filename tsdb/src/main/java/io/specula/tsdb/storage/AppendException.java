package io.specula.tsdb.storage;

/**
 * A sample the storage refuses. The messages are Prometheus's, since they reach users
 * through logs, metrics and the remote-write API.
 */
public final class AppendException extends Exception {
    public enum Reason {
        OUT_OF_ORDER("out of order sample"),
        OUT_OF_BOUNDS("out of bounds"),
        DUPLICATE_TIMESTAMP("duplicate sample for timestamp"),
        TOO_OLD("too old sample"),
        OUT_OF_ORDER_EXEMPLAR("out of order exemplar"),
        EXEMPLAR_LABEL_LENGTH("label length for exemplar exceeds maximum of 128 UTF-8 characters");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    private final Reason reason;

    public AppendException(Reason reason) {
        super(reason.message(), null, false, false); // no stack trace: refusals are frequent and expected
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
