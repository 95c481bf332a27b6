package io.specula.model.textparse;

/**
 * No parser can be made for a scrape response: its Content-Type is blank, malformed or not an
 * exposition format and no fallback protocol was given, or it names a format Specula cannot
 * parse yet (protobuf). The message says which and names the Content-Type.
 */
public final class UnsupportedContentTypeException extends Exception {
    public UnsupportedContentTypeException(String message) {
        super(message);
    }
}
