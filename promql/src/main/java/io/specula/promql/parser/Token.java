package io.specula.promql.parser;

/**
 * One lexed token: its kind, where it starts and ends (char offsets) and its text as written
 * (for ERROR: the error message).
 */
record Token(TokenType type, int start, int end, String text) {
    PositionRange range() {
        return new PositionRange(start, end);
    }

    /** How Prometheus names the token in "unexpected ..." messages. */
    String describe() {
        return switch (type.group) {
            case OTHER -> type == TokenType.EOF ? "end of input" : text;
            case VALUE -> type.text + " " + shown();
            case PUNCT -> GoStrings.quote(type.text);
            case OPERATOR -> "<op:" + text + ">";
            case AGGREGATOR -> "<aggr:" + text + ">";
            case KEYWORD -> "<" + text + ">";
            case PREPROCESSOR -> GoStrings.quote(text);
        };
    }

    private String shown() {
        if (type == TokenType.IDENTIFIER || type == TokenType.METRIC_IDENTIFIER) {
            return GoStrings.quote(text);
        }
        // Go's %.10q: quote at most the first ten characters.
        if (text.codePointCount(0, text.length()) > 10) {
            return GoStrings.quote(text.substring(0, text.offsetByCodePoints(0, 10))) + "...";
        }
        return GoStrings.quote(text);
    }
}
