package io.specula.alertmanager.api;

/** An API request that fails with a given status and a message for the client. */
final class ApiException extends Exception {
    final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }
}
