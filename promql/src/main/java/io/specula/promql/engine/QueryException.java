package io.specula.promql.engine;

/**
 * A query that cannot be run or failed while running. {@link #type()} is the Prometheus HTTP
 * API {@code errorType}; the message is Prometheus's text for the same failure.
 */
public class QueryException extends RuntimeException {
    /** The Prometheus API error types a query can end with. */
    public enum Type {
        BAD_DATA("bad_data"), EXECUTION("execution"), TIMEOUT("timeout"), CANCELED("canceled"),
        INTERNAL("internal");

        public final String apiName;

        Type(String apiName) {
            this.apiName = apiName;
        }
    }

    private final Type type;

    public QueryException(Type type, String message) {
        super(message);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    static QueryException execution(String message) {
        return new QueryException(Type.EXECUTION, message);
    }

    static QueryException badData(String message) {
        return new QueryException(Type.BAD_DATA, message);
    }

    static QueryException tooManySamples() {
        return new QueryException(Type.EXECUTION,
                "query processing would load too many samples into memory in query execution");
    }
}
