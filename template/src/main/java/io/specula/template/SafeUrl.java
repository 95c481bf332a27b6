package io.specula.template;

/**
 * A trusted URL, Go's {@code html/template.URL} as Alertmanager's {@code safeUrl} returns it.
 * Only URL attribute contexts would treat it specially, and HTML mode does not model those
 * (see {@link Template}); in element text it is escaped like any string.
 */
public record SafeUrl(String url) {
    public SafeUrl {
        if (url == null) {
            throw new NullPointerException("url");
        }
    }

    @Override
    public String toString() {
        return url;
    }
}
