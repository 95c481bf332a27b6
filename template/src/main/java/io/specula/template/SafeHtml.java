package io.specula.template;

/**
 * A string of trusted HTML, Go's {@code html/template.HTML}: in HTML mode it is written
 * without escaping. In text mode it prints as its content.
 */
public record SafeHtml(String html) {
    public SafeHtml {
        if (html == null) {
            throw new NullPointerException("html");
        }
    }

    @Override
    public String toString() {
        return html;
    }
}
