package io.specula.template;

import io.specula.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits template text into tokens with Go text/template's rules: text outside
 * the delimiters, trim markers ({@code "{{- "} and {@code " -}}"}) that eat adjacent white
 * space, comments (slash-star ... star-slash right inside the delimiters) that vanish, and
 * the action vocabulary inside.
 * The whole input is tokenized up front (templates are small and parsed once); a lexical
 * error ends the list with an {@link Kind#ERROR} token carrying Go's message.
 */
final class Lexer {
    private static final String LEFT = "{{";
    private static final String RIGHT = "}}";

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int start;
    private int line = 1;
    private int startLine = 1;
    private int parenDepth;

    private Lexer(String input) {
        this.input = input;
    }

    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        l.run();
        return l.tokens;
    }

    private static final int DONE = 0;
    private static final int ACTION = 1;
    private static final int MORE_TEXT = 2;

    private void run() {
        while (true) {
            int r = lexText();
            if (r == DONE || (r == ACTION && !lexInsideAction())) {
                return;
            }
        }
    }

    // ---- text ----

    /** Lexes text up to the next left delimiter: DONE at end of input or error, ACTION, or MORE_TEXT after a comment. */
    private int lexText() {
        int x = input.indexOf(LEFT, pos);
        if (x < 0) {
            pos = input.length();
            if (pos > start) {
                emit(Kind.TEXT);
            }
            emitAt(Kind.EOF, "", pos);
            return DONE;
        }
        int textEnd = x;
        boolean trimLeft = hasLeftTrimMarker(x + LEFT.length());
        if (trimLeft) {
            while (textEnd > start && isSpace(input.charAt(textEnd - 1))) {
                textEnd--;
            }
        }
        if (textEnd > start) {
            advanceTo(textEnd);
            emit(Kind.TEXT);
        }
        advanceTo(x);
        start = x;
        startLine = line;
        int afterDelim = x + LEFT.length() + (trimLeft ? 2 : 0);
        if (input.startsWith("/*", afterDelim)) {
            return lexComment(afterDelim) ? MORE_TEXT : DONE;
        }
        advanceTo(x + LEFT.length());
        emit(Kind.LEFT_DELIM);
        if (trimLeft) {
            advanceTo(afterDelim);
            ignore();
        }
        parenDepth = 0;
        return ACTION;
    }

    private boolean lexComment(int commentStart) {
        int end = input.indexOf("*/", commentStart + 2);
        if (end < 0) {
            return error("unclosed comment");
        }
        advanceTo(end + 2);
        boolean trim = hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2);
        if (!trim && !input.startsWith(RIGHT, pos)) {
            return error("comment ends before closing delimiter");
        }
        advanceTo(pos + (trim ? 2 : 0) + RIGHT.length());
        if (trim) {
            skipLeadingSpace();
        }
        ignore();
        return true;
    }

    // ---- inside an action ----

    /** Lexes the inside of one action through its right delimiter; false on error. */
    private boolean lexInsideAction() {
        while (true) {
            boolean trim = hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2);
            if (trim || input.startsWith(RIGHT, pos)) {
                if (parenDepth > 0) {
                    return error("unclosed left paren");
                }
                if (trim) {
                    advanceTo(pos + 2);
                    ignore();
                }
                advanceTo(pos + RIGHT.length());
                emit(Kind.RIGHT_DELIM);
                if (trim) {
                    skipLeadingSpace();
                    ignore();
                }
                return true;
            }
            if (pos >= input.length()) {
                return error("unclosed action");
            }
            char c = input.charAt(pos);
            if (isSpace(c)) {
                // A space followed by "-}}" belongs to the closing delimiter.
                while (pos < input.length() && isSpace(input.charAt(pos))
                        && !(hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2))) {
                    advanceTo(pos + 1);
                }
                if (pos > start) {
                    emit(Kind.SPACE);
                }
                continue;
            }
            switch (c) {
                case '=' -> {
                    advanceTo(pos + 1);
                    emit(Kind.ASSIGN);
                }
                case ':' -> {
                    if (!input.startsWith(":=", pos)) {
                        advanceTo(pos + 1);
                        return error("expected :=");
                    }
                    advanceTo(pos + 2);
                    emit(Kind.DECLARE);
                }
                case '|' -> {
                    advanceTo(pos + 1);
                    emit(Kind.PIPE);
                }
                case '"' -> {
                    if (!lexQuote()) {
                        return false;
                    }
                }
                case '`' -> {
                    int end = input.indexOf('`', pos + 1);
                    if (end < 0) {
                        return error("unterminated raw quoted string");
                    }
                    advanceTo(end + 1);
                    emit(Kind.RAW_STRING);
                }
                case '\'' -> {
                    if (!lexChar()) {
                        return false;
                    }
                }
                case '$' -> {
                    if (!lexFieldOrVariable(Kind.VARIABLE)) {
                        return false;
                    }
                }
                case '.' -> {
                    if (pos + 1 < input.length() && isDigit(input.charAt(pos + 1))) {
                        if (!lexNumber()) {
                            return false;
                        }
                    } else if (!lexFieldOrVariable(Kind.FIELD)) {
                        return false;
                    }
                }
                case '(' -> {
                    advanceTo(pos + 1);
                    emit(Kind.LEFT_PAREN);
                    parenDepth++;
                }
                case ')' -> {
                    advanceTo(pos + 1);
                    emit(Kind.RIGHT_PAREN); // Go emits the paren first: the parser reports it in context
                    if (--parenDepth < 0) {
                        return error("unexpected right paren");
                    }
                }
                default -> {
                    if (c == '+' || c == '-' || isDigit(c)) {
                        if (!lexNumber()) {
                            return false;
                        }
                    } else if (isAlphaNumeric(input.codePointAt(pos))) {
                        if (!lexIdentifier()) {
                            return false;
                        }
                    } else if (c < 0x7f && c >= 0x20) {
                        advanceTo(pos + 1);
                        emit(c == ',' ? Kind.COMMA : Kind.PUNCT);
                    } else {
                        int cp = input.codePointAt(pos);
                        advanceTo(pos + Character.charCount(cp));
                        return error("unrecognized character in action: " + describeRune(cp));
                    }
                }
            }
        }
    }

    private boolean lexQuote() {
        int i = pos + 1;
        while (true) {
            if (i >= input.length() || input.charAt(i) == '\n') {
                advanceTo(i);
                return error("unterminated quoted string");
            }
            char c = input.charAt(i);
            if (c == '\\') {
                if (i + 1 >= input.length() || input.charAt(i + 1) == '\n') {
                    advanceTo(i + 1);
                    return error("unterminated quoted string");
                }
                i += 2;
                continue;
            }
            i++;
            if (c == '"') {
                break;
            }
        }
        advanceTo(i);
        emit(Kind.STRING);
        return true;
    }

    private boolean lexChar() {
        int i = pos + 1;
        while (true) {
            if (i >= input.length() || input.charAt(i) == '\n') {
                advanceTo(i);
                return error("unterminated character constant");
            }
            char c = input.charAt(i);
            if (c == '\\') {
                if (i + 1 >= input.length() || input.charAt(i + 1) == '\n') {
                    advanceTo(i + 1);
                    return error("unterminated character constant");
                }
                i += 2;
                continue;
            }
            i++;
            if (c == '\'') {
                break;
            }
        }
        advanceTo(i);
        emit(Kind.CHAR);
        return true;
    }

    private boolean lexFieldOrVariable(Kind kind) {
        int i = pos + 1;
        if (atTerminator(i)) {
            advanceTo(i);
            emit(kind == Kind.VARIABLE ? Kind.VARIABLE : Kind.DOT);
            return true;
        }
        while (i < input.length() && isAlphaNumeric(input.codePointAt(i))) {
            i += Character.charCount(input.codePointAt(i));
        }
        advanceTo(i);
        if (!atTerminator(i)) {
            return error("bad character " + describeRune(input.codePointAt(i)));
        }
        emit(kind);
        return true;
    }

    private boolean lexIdentifier() {
        int i = pos;
        while (i < input.length() && isAlphaNumeric(input.codePointAt(i))) {
            i += Character.charCount(input.codePointAt(i));
        }
        advanceTo(i);
        if (!atTerminator(i)) {
            return error("bad character " + describeRune(input.codePointAt(i)));
        }
        String word = input.substring(start, pos);
        Kind kind = switch (word) {
            case "block" -> Kind.BLOCK;
            case "break" -> Kind.BREAK;
            case "continue" -> Kind.CONTINUE;
            case "define" -> Kind.DEFINE;
            case "else" -> Kind.ELSE;
            case "end" -> Kind.END;
            case "if" -> Kind.IF;
            case "range" -> Kind.RANGE;
            case "template" -> Kind.TEMPLATE;
            case "with" -> Kind.WITH;
            case "nil" -> Kind.NIL;
            case "true", "false" -> Kind.BOOL;
            default -> Kind.IDENTIFIER;
        };
        emit(kind);
        return true;
    }

    private boolean lexNumber() {
        int i = pos;
        if (i < input.length() && (input.charAt(i) == '+' || input.charAt(i) == '-')) {
            i++;
        }
        String digits = "0123456789_";
        if (i < input.length() && input.charAt(i) == '0' && i + 1 < input.length()) {
            char p = input.charAt(i + 1);
            if (p == 'x' || p == 'X') {
                digits = "0123456789abcdefABCDEF_";
                i += 2;
            } else if (p == 'o' || p == 'O') {
                digits = "01234567_";
                i += 2;
            } else if (p == 'b' || p == 'B') {
                digits = "01_";
                i += 2;
            }
        }
        i = acceptRun(i, digits);
        if (i < input.length() && input.charAt(i) == '.') {
            i = acceptRun(i + 1, digits);
        }
        boolean decimal = digits.length() == 11;
        boolean hex = digits.length() == 23;
        if (i < input.length() && ((decimal && (input.charAt(i) == 'e' || input.charAt(i) == 'E'))
                || (hex && (input.charAt(i) == 'p' || input.charAt(i) == 'P')))) {
            i++;
            if (i < input.length() && (input.charAt(i) == '+' || input.charAt(i) == '-')) {
                i++;
            }
            i = acceptRun(i, "0123456789_");
        }
        if (i < input.length() && input.charAt(i) == 'i') {
            i++;
        }
        if (i < input.length() && isAlphaNumeric(input.codePointAt(i))) {
            advanceTo(i + 1);
            return error("bad number syntax: " + GoStrings.quote(input.substring(start, pos)));
        }
        advanceTo(i);
        emit(Kind.NUMBER);
        return true;
    }

    private int acceptRun(int i, String valid) {
        while (i < input.length() && valid.indexOf(input.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private boolean atTerminator(int i) {
        if (i >= input.length()) {
            return true;
        }
        char c = input.charAt(i);
        return isSpace(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '('
                || input.startsWith(RIGHT, i);
    }

    // ---- helpers ----

    private boolean hasLeftTrimMarker(int i) {
        return i + 1 < input.length() && input.charAt(i) == '-' && isSpace(input.charAt(i + 1));
    }

    private boolean hasRightTrimMarker(int i) {
        return i + 1 < input.length() && isSpace(input.charAt(i)) && input.charAt(i + 1) == '-';
    }

    private void skipLeadingSpace() {
        while (pos < input.length() && isSpace(input.charAt(pos))) {
            advanceTo(pos + 1);
        }
    }

    /** Moves {@code pos} forward, counting newlines crossed. */
    private void advanceTo(int p) {
        for (int i = pos; i < p; i++) {
            if (input.charAt(i) == '\n') {
                line++;
            }
        }
        pos = p;
    }

    private void emit(Kind kind) {
        tokens.add(new Token(kind, input.substring(start, pos), start, startLine));
        ignore();
    }

    private void emitAt(Kind kind, String val, int at) {
        tokens.add(new Token(kind, val, at, line));
    }

    private void ignore() {
        start = pos;
        startLine = line;
    }

    private boolean error(String message) {
        tokens.add(new Token(Kind.ERROR, message, start, startLine));
        return false;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphaNumeric(int r) {
        return r == '_' || Character.isLetter(r) || Character.isDigit(r);
    }

    /** Go's {@code %#U}: {@code U+0040 '@'}. */
    static String describeRune(int r) {
        String hex = Integer.toHexString(r).toUpperCase();
        String u = "U+" + "0".repeat(Math.max(0, 4 - hex.length())) + hex;
        return GoStrings.isPrint(r) ? u + " '" + new String(Character.toChars(r)) + "'" : u;
    }
}
