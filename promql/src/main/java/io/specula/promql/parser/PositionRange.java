package io.specula.promql.parser;

/**
 * Where a node sits in the query text: character offsets, {@code start} inclusive, {@code end}
 * exclusive. {@link #describe(String)} renders {@code line:column} (1-based) as Prometheus
 * does in errors ({@code 1:5: parse error: ...}) and annotations ({@code (1:5)}); like
 * Prometheus, whose offsets are bytes, the column counts UTF-8 bytes.
 */
public record PositionRange(int start, int end) {
    public static final PositionRange NONE = new PositionRange(-1, -1);

    /** The {@code line:column} of {@link #start} in {@code query}, both 1-based. */
    public String describe(String query) {
        if (start < 0) {
            return "1:1";
        }
        int line = 1, lineStart = 0;
        int end = Math.min(start, query.length());
        for (int i = 0; i < end; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = 1;
        for (int i = lineStart; i < end; i++) {
            char c = query.charAt(i);
            column += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return line + ":" + column;
    }
}
