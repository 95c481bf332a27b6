package io.specula.promql.parser;

/**
 * Where a node sits in the query text: character offsets, {@code start} inclusive, {@code end}
 * exclusive. {@link #describe(String)} renders {@code line:column} (1-based) as Prometheus
 * does in errors ({@code 1:5: parse error: ...}) and annotations ({@code (1:5)}).
 */
public record PositionRange(int start, int end) {
    public static final PositionRange NONE = new PositionRange(-1, -1);

    /** The {@code line:column} of {@link #start} in {@code query}, both 1-based. */
    public String describe(String query) {
        if (start < 0) {
            return "1:1";
        }
        int line = 1, lineStart = 0;
        for (int i = 0; i < start && i < query.length(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (start - lineStart + 1);
    }
}
