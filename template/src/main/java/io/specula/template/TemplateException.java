package io.specula.template;

/**
 * A template failed to parse or to execute. The message is shaped like Go's text/template
 * errors, e.g. {@code template: alert:1: unexpected "}" in operand} for a parse error and
 * {@code template: alert:1:3: executing "alert" at <.foo>: ...} for an execution error, so
 * that users see the same text Prometheus and Alertmanager would show.
 *
 * <p>{@link #line()} is 1-based and {@link #column()} is the 0-based byte offset in that line
 * (Go's convention), or -1 when unknown (parse errors carry only a line, as in Go).
 */
public final class TemplateException extends Exception {
    private final int line;
    private final int column;

    public TemplateException(String message, int line, int column) {
        super(message, null, false, false);
        this.line = line;
        this.column = column;
    }

    public TemplateException(String message) {
        this(message, -1, -1);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
