package io.specula.web.api;

/**
 * A failed API request: Prometheus's {@code errorType} and the HTTP status it maps to.
 * The message is the {@code error} text of the JSON envelope.
 */
public final class ApiException extends Exception {
    /** Prometheus's API error types with their default HTTP status codes. */
    public enum Type {
        BAD_DATA("bad_data", 400), EXECUTION("execution", 422), CANCELED("canceled", 499),
        TIMEOUT("timeout", 503), INTERNAL("internal", 500), NOT_FOUND("not_found", 404),
        NOT_ACCEPTABLE("not_acceptable", 406),
        /** Prometheus maps this one to 500 too (it has no case in its status switch). */
        UNAVAILABLE("unavailable", 500);

        public final String apiName;
        public final int status;

        Type(String apiName, int status) {
            this.apiName = apiName;
            this.status = status;
        }
    }

    private final Type type;

    public ApiException(Type type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    static ApiException badData(String message) {
        return new ApiException(Type.BAD_DATA, message);
    }

    /** Prometheus's {@code invalid parameter "name": cause}. */
    static ApiException invalidParam(String param, String cause) {
        return badData("invalid parameter \"" + param + "\": " + cause);
    }
}
