package io.specula.template;

/** One lexeme of a template: kind, source text, char offset and line where it starts. */
record Token(Token.Kind kind, String val, int pos, int line) {

    enum Kind {
        ERROR, EOF, TEXT, LEFT_DELIM, RIGHT_DELIM, SPACE, IDENTIFIER, FIELD, VARIABLE, DOT, NUMBER,
        STRING, RAW_STRING, CHAR, BOOL, NIL, PIPE, LEFT_PAREN, RIGHT_PAREN, ASSIGN, DECLARE, COMMA, PUNCT,
        // keywords
        BLOCK, BREAK, CONTINUE, DEFINE, ELSE, END, IF, RANGE, TEMPLATE, WITH;

        boolean isKeyword() {
            return ordinal() >= BLOCK.ordinal();
        }
    }

    /** How Go's parser names a token in "unexpected ..." messages. */
    String describe() {
        if (kind == Kind.EOF) {
            return "EOF";
        }
        if (kind == Kind.ERROR) {
            return val;
        }
        if (kind.isKeyword() || kind == Kind.DOT || kind == Kind.NIL) {
            return "<" + val + ">";
        }
        if (val.codePointCount(0, val.length()) > 10) {
            return GoStrings.quote(val.substring(0, val.offsetByCodePoints(0, 10))) + "...";
        }
        return GoStrings.quote(val);
    }
}
