package io.specula.model.textparse;

/**
 * Malformed exposition input. The message reads {@code line L, column C: what was expected},
 * with the line and column (both 1-based, columns in bytes) of the offending token.
 */
public final class ParseException extends Exception {
    private final int line;
    private final int column;

    public ParseException(int line, int column, String message) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
