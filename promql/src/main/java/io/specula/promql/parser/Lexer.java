package io.specula.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL query into tokens, with the same modes as Prometheus's lexer: inside
 * {@code {...}} keywords are plain identifiers; after {@code [} the text is a duration or a
 * duration expression. Comments ({@code #} to end of line) are dropped. A lexing error ends the
 * list with an {@link TokenType#ERROR} token whose text is the message, so the parser reports
 * it when it reaches it, as Prometheus does.
 */
final class Lexer {
    private final String in;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean gotDuration;
    /** True right after {@code [} until the first number: the duration-expression mode. */
    private boolean durationMode;

    private Lexer(String in) {
        this.in = in;
    }

    static List<Token> lex(String query) {
        Lexer l = new Lexer(query);
        l.run();
        return l.out;
    }

    private void run() {
        while (true) {
            boolean more = braceOpen ? insideBraces() : durationMode ? durationExpr() : statement();
            if (!more) {
                return;
            }
        }
    }

    private int peek() {
        return pos < in.length() ? in.charAt(pos) : -1;
    }

    private int peek(int ahead) {
        return pos + ahead < in.length() ? in.charAt(pos + ahead) : -1;
    }

    private void emit(TokenType t, int start) {
        out.add(new Token(t, start, pos, in.substring(start, pos)));
    }

    private boolean error(int start, String msg) {
        out.add(new Token(TokenType.ERROR, start, in.length(), msg));
        return false;
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    static boolean isAlpha(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphaNumeric(int c) {
        return isAlpha(c) || isDigit(c);
    }

    private void skipComment() {
        while (pos < in.length() && in.charAt(pos) != '\n' && in.charAt(pos) != '\r') {
            pos++;
        }
    }

    private boolean statement() {
        int start = pos;
        int c = peek();
        if (c == '#') {
            skipComment();
            return true;
        }
        if (c < 0) {
            if (parenDepth != 0) {
                return error(start, "unclosed left parenthesis");
            }
            if (bracketOpen) {
                return error(start, "unclosed left bracket");
            }
            out.add(new Token(TokenType.EOF, start, start, ""));
            return false;
        }
        pos++;
        switch (c) {
            case ',' -> emit(TokenType.COMMA, start);
            case ' ', '\t', '\n', '\r' -> skipSpaces();
            case '*' -> emit(TokenType.MUL, start);
            case '/' -> emit(TokenType.DIV, start);
            case '%' -> emit(TokenType.MOD, start);
            case '+' -> emit(TokenType.ADD, start);
            case '-' -> emit(TokenType.SUB, start);
            case '^' -> emit(TokenType.POW, start);
            case '@' -> emit(TokenType.AT, start);
            case '=' -> {
                int t = peek();
                if (t == '=') {
                    pos++;
                    emit(TokenType.EQLC, start);
                } else if (t == '~') {
                    return error(start, "unexpected character after '=': " + GoStrings.quoteRune(t));
                } else {
                    emit(TokenType.EQL, start);
                }
            }
            case '!' -> {
                int t = peek();
                pos++;
                if (t != '=') {
                    return error(start, "unexpected character after '!': " + GoStrings.quoteRune(t));
                }
                emit(TokenType.NEQ, start);
            }
            case '<' -> {
                if (peek() == '=') {
                    pos++;
                    emit(TokenType.LTE, start);
                } else if (peek() == '/') {
                    pos++;
                    emit(TokenType.TRIM_UPPER, start);
                } else {
                    emit(TokenType.LSS, start);
                }
            }
            case '>' -> {
                if (peek() == '=') {
                    pos++;
                    emit(TokenType.GTE, start);
                } else if (peek() == '/') {
                    pos++;
                    emit(TokenType.TRIM_LOWER, start);
                } else {
                    emit(TokenType.GTR, start);
                }
            }
            case '"', '\'' -> {
                return string(start, (char) c);
            }
            case '`' -> {
                return rawString(start);
            }
            case '(' -> {
                emit(TokenType.LEFT_PAREN, start);
                parenDepth++;
            }
            case ')' -> {
                emit(TokenType.RIGHT_PAREN, start);
                parenDepth--;
                if (parenDepth < 0) {
                    return error(pos, "unexpected right parenthesis ')'");
                }
            }
            case '{' -> {
                emit(TokenType.LEFT_BRACE, start);
                braceOpen = true;
            }
            case '[' -> {
                if (bracketOpen) {
                    return error(start, "unexpected left bracket '['");
                }
                gotColon = false;
                emit(TokenType.LEFT_BRACKET, start);
                skipSpaces();
                bracketOpen = true;
                durationMode = true;
            }
            case ']' -> {
                if (!bracketOpen) {
                    return error(start, "unexpected right bracket ']'");
                }
                emit(TokenType.RIGHT_BRACKET, start);
                bracketOpen = false;
            }
            default -> {
                if (isDigit(c) || (c == '.' && isDigit(peek()))) {
                    pos = start;
                    return numberOrDuration(start);
                }
                if (isAlpha(c) || c == ':') {
                    if (!bracketOpen) {
                        pos = start;
                        keywordOrIdentifier(start);
                        return true;
                    }
                    if (c == ':') {
                        if (gotColon) {
                            return error(start, "unexpected colon ':'");
                        }
                        emit(TokenType.COLON, start);
                        gotColon = true;
                        return true;
                    }
                    if ((c == 's' || c == 'S' || c == 'm' || c == 'M' || c == 'r' || c == 'R')
                            && durationKeyword(start)) {
                        return true;
                    }
                    return error(start, "unexpected character: " + GoStrings.quoteRune(c) + ", expected ':'");
                }
                return error(start, "unexpected character: " + GoStrings.quoteRune(in.codePointAt(start)));
            }
        }
        return true;
    }

    private void skipSpaces() {
        while (isSpace(peek())) {
            pos++;
        }
    }

    /** {@code step}, {@code range}, {@code min_of}, {@code max_of} inside brackets. */
    private boolean durationKeyword(int start) {
        pos = start;
        while (isAlpha(peek())) {
            pos++;
        }
        TokenType t = switch (in.substring(start, pos).toLowerCase(java.util.Locale.ROOT)) {
            case "step" -> TokenType.STEP;
            case "range" -> TokenType.RANGE;
            case "min_of" -> TokenType.MIN_OF;
            case "max_of" -> TokenType.MAX_OF;
            default -> null;
        };
        if (t == null) {
            pos = start + 1;
            return false;
        }
        emit(t, start);
        return true;
    }

    private boolean durationExpr() {
        int start = pos;
        int c = peek();
        if (c < 0) {
            return error(start, "unexpected end of input in duration expression");
        }
        pos++;
        switch (c) {
            case ']' -> {
                emit(TokenType.RIGHT_BRACKET, start);
                bracketOpen = false;
                gotColon = false;
                durationMode = false;
            }
            case ':' -> {
                emit(TokenType.COLON, start);
                if (!gotDuration) {
                    return error(start, "unexpected colon before duration in duration expression");
                }
                if (gotColon) {
                    return error(start, "unexpected repeated colon in duration expression");
                }
                gotColon = true;
            }
            case '(' -> {
                emit(TokenType.LEFT_PAREN, start);
                parenDepth++;
            }
            case ')' -> {
                emit(TokenType.RIGHT_PAREN, start);
                parenDepth--;
                if (parenDepth < 0) {
                    return error(pos, "unexpected right parenthesis ')'");
                }
            }
            case ' ', '\t', '\n', '\r' -> skipSpaces();
            case '+' -> emit(TokenType.ADD, start);
            case '-' -> emit(TokenType.SUB, start);
            case '*' -> emit(TokenType.MUL, start);
            case '/' -> emit(TokenType.DIV, start);
            case '%' -> emit(TokenType.MOD, start);
            case '^' -> emit(TokenType.POW, start);
            case ',' -> emit(TokenType.COMMA, start);
            default -> {
                if ((c == 's' || c == 'S' || c == 'm' || c == 'M' || c == 'r' || c == 'R') && durationKeyword(start)) {
                    return true;
                }
                if (isDigit(c) || (c == '.' && isDigit(peek()))) {
                    pos = start;
                    gotDuration = true;
                    durationMode = false;
                    return numberOrDuration(start);
                }
                return error(start, "unexpected character in duration expression: "
                        + GoStrings.quoteRune(in.codePointAt(start)));
            }
        }
        return true;
    }

    private boolean insideBraces() {
        int start = pos;
        int c = peek();
        if (c == '#') {
            skipComment();
            return true;
        }
        if (c < 0) {
            return error(start, "unexpected end of input inside braces");
        }
        pos++;
        switch (c) {
            case ' ', '\t', '\n', '\r' -> skipSpaces();
            case ',' -> emit(TokenType.COMMA, start);
            case '"', '\'' -> {
                return string(start, (char) c);
            }
            case '`' -> {
                return rawString(start);
            }
            case '=' -> {
                if (peek() == '~') {
                    pos++;
                    emit(TokenType.EQL_REGEX, start);
                } else {
                    emit(TokenType.EQL, start);
                }
            }
            case '!' -> {
                int nr = peek();
                pos++;
                if (nr == '~') {
                    emit(TokenType.NEQ_REGEX, start);
                } else if (nr == '=') {
                    emit(TokenType.NEQ, start);
                } else {
                    return error(start, "unexpected character after '!' inside braces: " + GoStrings.quoteRune(nr));
                }
            }
            case '{' -> {
                return error(start, "unexpected left brace '{'");
            }
            case '}' -> {
                emit(TokenType.RIGHT_BRACE, start);
                braceOpen = false;
            }
            default -> {
                if (isAlpha(c)) {
                    while (isAlphaNumeric(peek())) {
                        pos++;
                    }
                    emit(TokenType.IDENTIFIER, start);
                    return true;
                }
                return error(start, "unexpected character inside braces: " + GoStrings.quoteRune(in.codePointAt(start)));
            }
        }
        return true;
    }

    private boolean string(int start, char quote) {
        while (true) {
            int c = peek();
            if (c < 0 || c == '\n') {
                return error(start, "unterminated quoted string");
            }
            pos++;
            if (c == quote) {
                break;
            }
            if (c == '\\') {
                String err = escape(quote);
                if (err != null) {
                    return error(start, err);
                }
            }
        }
        emit(TokenType.STRING, start);
        return true;
    }

    /** Validates one escape sequence after the backslash; returns an error message or null. */
    private String escape(char quote) {
        int c = peek();
        if (c < 0) {
            return "escape sequence not terminated";
        }
        pos++;
        int n;
        int base;
        int max;
        switch (c) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
                return null;
            }
            case 'x' -> {
                n = 2;
                base = 16;
                max = 255;
            }
            case 'u' -> {
                n = 4;
                base = 16;
                max = 0x10FFFF;
            }
            case 'U' -> {
                n = 8;
                base = 16;
                max = 0x10FFFF;
            }
            default -> {
                if (c == quote) {
                    return null;
                }
                if (c >= '0' && c <= '7') {
                    n = 3;
                    base = 8;
                    max = 255;
                    pos--; // the first digit is part of the value
                } else {
                    return "unknown escape sequence " + GoStrings.unicodeName(in.codePointAt(pos - 1));
                }
            }
        }
        long x = 0;
        for (; n > 0; n--) {
            int d = peek();
            int v = d < 0 ? 16 : Character.digit(d, 16);
            if (v < 0 || v >= base) {
                if (d < 0) {
                    return "escape sequence not terminated";
                }
                return "illegal character " + GoStrings.unicodeName(in.codePointAt(pos)) + " in escape sequence";
            }
            pos++;
            x = x * base + v;
        }
        if (x > max || (x >= 0xD800 && x < 0xE000)) {
            return "escape sequence is an invalid Unicode code point";
        }
        return null;
    }

    private boolean rawString(int start) {
        int end = in.indexOf('`', pos);
        if (end < 0) {
            return error(start, "unterminated raw string");
        }
        pos = end + 1;
        emit(TokenType.STRING, start);
        return true;
    }

    private boolean numberOrDuration(int start) {
        if (scanNumber()) {
            emit(TokenType.NUMBER, start);
            return true;
        }
        if (acceptRemainingDuration()) {
            emit(TokenType.DURATION, start);
            return true;
        }
        return error(start, "bad number or duration syntax: " + GoStrings.quote(in.substring(start, pos)));
    }

    private boolean accept(String valid) {
        int c = peek();
        if (c >= 0 && valid.indexOf(c) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        accept("s");
        while (accept("0123456789")) {
            while (accept("0123456789")) {
                // consume
            }
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        // Like Prometheus, the character that ends the duration is consumed when it is wrong,
        // so it shows in the error message.
        int c = peek();
        if (isAlphaNumeric(c)) {
            pos++;
            return false;
        }
        return true;
    }

    /** Scans a decimal, hex or float number; the caller checks the result is a valid number. */
    private boolean scanNumber() {
        int initial = pos;
        String digits = "0123456789";
        if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            pos += 2;
            accept("_");
            digits = "0123456789abcdefABCDEF";
        }
        accept(".");
        accept(digits);
        boolean dot = false;
        boolean exp = false;
        while (true) {
            int c = peek();
            if (c < 0 || (digits.indexOf(c) < 0 && c != '.' && c != '_' && c != 'e' && c != 'E')) {
                break;
            }
            if (c == '.') {
                if (dot) {
                    pos++;
                    return false;
                }
                pos++;
                dot = true;
                if (accept("_.")) {
                    return false;
                }
                if (digits.length() > 10) {
                    return false;
                }
                continue;
            }
            if ((c == 'e' || c == 'E') && digits.length() == 10) {
                if (exp) {
                    pos++;
                    return false;
                }
                pos++;
                exp = true;
                accept("+-");
                if (accept("._eE") || peek() < 0) {
                    return false;
                }
                continue;
            }
            if (c == '_') {
                pos++;
                if (accept("._eE") || peek() < 0) {
                    return false;
                }
                continue;
            }
            while (peek() >= 0 && digits.indexOf(peek()) >= 0) {
                pos++;
            }
        }
        if (pos == initial) {
            return false;
        }
        return !isAlphaNumeric(peek());
    }

    private void keywordOrIdentifier(int start) {
        while (isAlphaNumeric(peek()) || peek() == ':') {
            pos++;
        }
        String word = in.substring(start, pos);
        TokenType kw = TokenType.keyword(word.toLowerCase(java.util.Locale.ROOT));
        if (kw != null) {
            if ((kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT)
                    && !followedByLeftParen()) {
                emit(TokenType.IDENTIFIER, start);
                return;
            }
            emit(kw, start);
        } else if (word.indexOf(':') < 0) {
            emit(TokenType.IDENTIFIER, start);
        } else {
            emit(TokenType.METRIC_IDENTIFIER, start);
        }
    }

    private boolean followedByLeftParen() {
        for (int i = pos; i < in.length(); i++) {
            char c = in.charAt(i);
            if (!isSpace(c)) {
                return c == '(';
            }
        }
        return false;
    }
}
