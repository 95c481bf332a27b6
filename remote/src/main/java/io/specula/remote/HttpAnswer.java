package io.specula.remote;

import java.util.Map;

/**
 * A complete answer to a remote-protocol request: status, extra headers and body. Error bodies
 * are plain text ending in a newline, as Go's {@code http.Error} writes them.
 *
 * @param headers response headers besides the body's content type (may be empty)
 * @param contentType null when there is no body
 */
public record HttpAnswer(int status, Map<String, String> headers, String contentType, byte[] body) {
    public static final String TEXT = "text/plain; charset=utf-8";

    static HttpAnswer error(int status, String message) {
        return error(status, Map.of(), message);
    }

    static HttpAnswer error(int status, Map<String, String> headers, String message) {
        return new HttpAnswer(status, headers, TEXT, (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
