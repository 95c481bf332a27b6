package io.specula.promql.parser;

import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PromQL's parser: a hand-written recursive-descent parser with precedence climbing that
 * accepts the language of Prometheus 3.x and reports the same errors at the same positions.
 *
 * <p>As in Prometheus, parsing has two phases: the syntax phase builds the tree and reports the
 * first syntax error; the type-checking phase ({@link TypeChecker}) then reports the first
 * type error in Prometheus's traversal order. Instances are single-use; the static methods are
 * thread-safe.
 */
public final class PromQLParser {
    /** Largest duration in seconds that fits int64 nanoseconds, as Prometheus checks it. */
    private static final double MAX_DURATION_SECONDS = 9.223372036854775807E9;

    private final String input;
    private final List<Token> tokens;
    private final ParserOptions opts;
    private int p;
    /** End of the last closing token ({@code ) ] }}, number or duration) consumed. */
    private int lastClosing;
    /** The matching clauses as written, before scalar operands drop them, for the checker. */
    final Map<BinaryExpr, VectorMatching> writtenMatching = new IdentityHashMap<>();

    private PromQLParser(String input, ParserOptions opts) {
        this.input = input;
        this.tokens = Lexer.lex(input);
        this.opts = opts;
    }

    /** Parses and type-checks a query. */
    public static Expr parse(String query, ParserOptions options) throws ParseException {
        PromQLParser ps = new PromQLParser(query, options);
        if (ps.peek().type() == TokenType.EOF) {
            throw new ParseException(query, new PositionRange(0, 0), "no expression found in input");
        }
        try {
            Expr e = ps.parseExpr(1);
            ps.expectEnd();
            new TypeChecker(query, ps.writtenMatching).check(e);
            return e;
        } catch (StackOverflowError e) {
            // Only absurdly deep nesting gets here (thousands of parentheses or calls).
            throw new ParseException(query, new PositionRange(0, 0), "expression is nested too deeply");
        }
    }

    /**
     * Parses a series selector such as the {@code match[]} parameter of the HTTP API: a metric
     * name and/or label matchers, without offset or {@code @}. Like Prometheus's
     * {@code ParseMetricSelector} this does not type-check: {@code {a=~".*"}} is accepted, and
     * callers that need a non-empty matcher (the series API) check it themselves.
     */
    public static List<Matcher> parseMetricSelector(String s) throws ParseException {
        PromQLParser ps = new PromQLParser(s, ParserOptions.defaults());
        Token t = ps.peek();
        VectorSelector vs;
        if (t.type() == TokenType.LEFT_BRACE) {
            vs = ps.parseVectorSelector(null);
        } else if (t.type().canBeMetricName()) {
            ps.next();
            vs = ps.parseVectorSelector(t);
        } else {
            throw ps.unexpected(t, null, null);
        }
        ps.expectEnd();
        return vs.matchers();
    }

    /** Parses a series' label set such as {@code foo{a="b"}} or {@code {"my.metric","a.b"="c"}}. */
    public static Labels parseMetric(String s) throws ParseException {
        PromQLParser ps = new PromQLParser(s, ParserOptions.defaults());
        Labels l = ps.parseLabelSet();
        ps.expectEnd();
        return l;
    }

    /** Parses a label set at the current position and returns it; used for series descriptions too. */
    Labels parseLabelSet() throws ParseException {
        LabelsBuilder b = new LabelsBuilder();
        Token t = peek();
        String name = null;
        if (t.type().canBeMetricName()) {
            next();
            name = t.text();
        }
        if (peek().type() == TokenType.LEFT_BRACE) {
            next();
            if (peek().type() != TokenType.RIGHT_BRACE) {
                while (true) {
                    Token item = next();
                    if (item.type() == TokenType.IDENTIFIER || item.type() == TokenType.STRING) {
                        String lname = item.type() == TokenType.STRING ? unquote(item) : item.text();
                        if (peek().type() == TokenType.EQL) {
                            next();
                            Token v = next();
                            if (v.type() != TokenType.STRING) {
                                throw unexpected(v, "label set", "string");
                            }
                            b.set(lname, unquote(v));
                        } else if (item.type() == TokenType.STRING) {
                            b.set(Labels.METRIC_NAME, lname);
                        } else {
                            throw unexpected(peek(), "label set", "\"=\"");
                        }
                    } else {
                        throw unexpected(item, "label set", "identifier or \"}\"");
                    }
                    Token sep = next();
                    if (sep.type() == TokenType.RIGHT_BRACE) {
                        break;
                    }
                    if (sep.type() != TokenType.COMMA) {
                        throw unexpected(sep, "label set", "\",\" or \"}\"");
                    }
                    if (peek().type() == TokenType.RIGHT_BRACE) {
                        next();
                        break;
                    }
                }
            } else {
                next();
            }
        }
        if (name != null) {
            b.set(Labels.METRIC_NAME, name);
        }
        return b.build();
    }

    // ---- token access ----

    Token peek() throws ParseException {
        Token t = tokens.get(p);
        if (t.type() == TokenType.ERROR) {
            throw new ParseException(input, new PositionRange(t.start(), input.length()), t.text());
        }
        return t;
    }

    private TokenType peekType(int ahead) {
        int i = Math.min(p + ahead, tokens.size() - 1);
        return tokens.get(i).type();
    }

    Token next() throws ParseException {
        Token t = peek();
        if (t.type() != TokenType.EOF) {
            p++;
        }
        switch (t.type()) {
            case RIGHT_BRACE, RIGHT_PAREN, RIGHT_BRACKET, DURATION, NUMBER -> lastClosing = t.end();
            default -> {
                // not a closing token
            }
        }
        return t;
    }

    /** The offset where the not-yet-consumed input starts (for series descriptions). */
    int consumedUpTo() {
        return p == 0 ? 0 : tokens.get(p - 1).end();
    }

    void expectEnd() throws ParseException {
        Token t = peek();
        if (t.type() != TokenType.EOF) {
            throw unexpected(t, null, null);
        }
    }

    ParseException unexpected(Token t, String context, String expected) {
        // Prometheus's parser reads one token past a syntax error while recovering; a lexer
        // error there is what it reports.
        int i = tokens.indexOf(t);
        if (i >= 0 && i + 1 < tokens.size() && tokens.get(i + 1).type() == TokenType.ERROR) {
            Token e = tokens.get(i + 1);
            return error(new PositionRange(e.start(), input.length()), e.text());
        }
        StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
        if (context != null) {
            sb.append(" in ").append(context);
        }
        if (expected != null) {
            sb.append(", expected ").append(expected);
        }
        return error(t.range(), sb.toString());
    }

    ParseException error(PositionRange r, String msg) {
        return new ParseException(input, r, msg);
    }

    private String unquote(Token t) throws ParseException {
        try {
            return GoStrings.unquote(t.text());
        } catch (IllegalArgumentException e) {
            throw error(t.range(), "error unquoting string " + GoStrings.quote(t.text()) + ": " + e.getMessage());
        }
    }

    // ---- expressions ----

    private static BinaryOp binaryOp(TokenType t) {
        return switch (t) {
            case LOR -> BinaryOp.OR;
            case LAND -> BinaryOp.AND;
            case LUNLESS -> BinaryOp.UNLESS;
            case EQLC -> BinaryOp.EQL;
            case NEQ -> BinaryOp.NEQ;
            case LTE -> BinaryOp.LTE;
            case LSS -> BinaryOp.LSS;
            case GTE -> BinaryOp.GTE;
            case GTR -> BinaryOp.GTR;
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case ATAN2 -> BinaryOp.ATAN2;
            case POW -> BinaryOp.POW;
            case TRIM_UPPER -> BinaryOp.TRIM_UPPER;
            case TRIM_LOWER -> BinaryOp.TRIM_LOWER;
            default -> null;
        };
    }

    private Expr parseExpr(int minPrec) throws ParseException {
        Expr lhs = parseUnary();
        while (true) {
            BinaryOp op = binaryOp(peek().type());
            if (op == null || op.precedence < minPrec) {
                return lhs;
            }
            next();
            Modifiers m = parseBinModifiers();
            Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence : op.precedence + 1);
            lhs = newBinary(op, lhs, rhs, m);
        }
    }

    private Expr parseUnary() throws ParseException {
        Token t = peek();
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            next();
            // A unary operator binds like '*': its operand takes '^' but not '*'.
            Expr operand = parseExpr(BinaryOp.POW.precedence);
            boolean negate = t.type() == TokenType.SUB;
            if (operand instanceof NumberLiteral nl) {
                return new NumberLiteral(negate ? -nl.value() : nl.value(), nl.duration(),
                        new PositionRange(t.start(), nl.position().end()));
            }
            return new UnaryExpr(negate, operand, new PositionRange(t.start(), operand.position().end()));
        }
        return parsePostfix(parsePrimary());
    }

    private Expr parsePrimary() throws ParseException {
        Token t = peek();
        switch (t.type()) {
            case NUMBER -> {
                next();
                return new NumberLiteral(number(t), t.range());
            }
            case DURATION -> {
                next();
                return new NumberLiteral(durationSeconds(t), true, t.range());
            }
            case STRING -> {
                next();
                return new StringLiteral(unquote(t), t.range());
            }
            case LEFT_PAREN -> {
                next();
                Expr inner = parseExpr(1);
                Token close = next();
                if (close.type() != TokenType.RIGHT_PAREN) {
                    throw unexpected(close, null, null);
                }
                return new ParenExpr(inner, new PositionRange(t.start(), close.end()));
            }
            case LEFT_BRACE -> {
                return parseVectorSelector(null);
            }
            case STEP, RANGE, START, END -> {
                if (peekType(1) == TokenType.LEFT_PAREN) {
                    next();
                    expect(TokenType.LEFT_PAREN, null, null);
                    Token close = expect(TokenType.RIGHT_PAREN, null, null);
                    PositionRange r = new PositionRange(t.start(), close.end());
                    requireDurationExpressions(r);
                    DurationExpr.Op op = switch (t.type()) {
                        case STEP -> DurationExpr.Op.STEP;
                        case RANGE -> DurationExpr.Op.RANGE;
                        case START -> DurationExpr.Op.START;
                        default -> DurationExpr.Op.END;
                    };
                    return new DurationExpr(op, null, null, false, r);
                }
                next();
                return parseVectorSelector(t);
            }
            case IDENTIFIER -> {
                if (peekType(1) == TokenType.LEFT_PAREN && isDurationFunction(t)) {
                    return parseDurationPrimary(null, null);
                }
                next();
                if (peek().type() == TokenType.LEFT_PAREN) {
                    return parseCall(t);
                }
                return parseVectorSelector(t);
            }
            default -> {
                if (t.type().isAggregator()) {
                    TokenType after = peekType(1);
                    if (after == TokenType.LEFT_PAREN || after == TokenType.BY || after == TokenType.WITHOUT) {
                        next();
                        return parseAggregate(t);
                    }
                }
                if (t.type().canBeMetricName()) {
                    next();
                    return parseVectorSelector(t);
                }
                throw unexpected(t, null, null);
            }
        }
    }

    private double number(Token t) throws ParseException {
        try {
            return GoNumbers.parseNumber(t.text());
        } catch (NumberFormatException e) {
            throw error(t.range(), "error parsing number: " + e.getMessage());
        }
    }

    private double durationSeconds(Token t) throws ParseException {
        try {
            return GoNumbers.parseDurationMs(t.text()) / 1000.0;
        } catch (IllegalArgumentException e) {
            throw error(t.range(), e.getMessage());
        }
    }

    // ---- postfix modifiers: [range], [range:step], offset, @, anchored, smoothed ----

    private Expr parsePostfix(Expr e) throws ParseException {
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
                case OFFSET -> {
                    next();
                    e = parseOffset(e);
                }
                case AT -> {
                    next();
                    e = parseAt(e);
                }
                case ANCHORED, SMOOTHED -> {
                    next();
                    e = setAnchoredOrSmoothed(e, t.type() == TokenType.ANCHORED);
                }
                default -> {
                    return e;
                }
            }
        }
    }

    private Expr parseRangeOrSubquery(Expr e) throws ParseException {
        Token open = next();
        Expr range = parsePositiveDuration("subquery or range selector",
                "number, duration, step(), or range()");
        Token t = next();
        if (t.type() == TokenType.RIGHT_BRACKET) {
            PositionRange errRange = new PositionRange(open.start(), t.end());
            if (!(e instanceof VectorSelector vs)) {
                throw error(errRange, "ranges only allowed for vector selectors");
            }
            if (vs.offset() != 0 || vs.offsetExpr() != null) {
                throw error(errRange, "no offset modifiers allowed before range");
            }
            if (vs.at().isSet()) {
                throw error(errRange, "no @ modifiers allowed before range");
            }
            return new MatrixSelector(vs, rangeMs(range), range instanceof DurationExpr d ? d : null,
                    new PositionRange(vs.position().start(), t.end()));
        }
        if (t.type() != TokenType.COLON) {
            throw unexpected(t, "subquery or range", "\":\" or \"]\"");
        }
        Expr step = null;
        if (peek().type() != TokenType.RIGHT_BRACKET) {
            step = parsePositiveDuration("subquery selector", "number, duration, step(), range(), or \"]\"");
        }
        Token close = next();
        if (close.type() != TokenType.RIGHT_BRACKET) {
            throw unexpected(close, "subquery selector", "\"]\"");
        }
        return new SubqueryExpr(e, rangeMs(range), range instanceof DurationExpr d ? d : null,
                step == null ? 0 : rangeMs(step), step instanceof DurationExpr d ? d : null,
                0, null, At.NONE, new PositionRange(e.position().start(), close.end()));
    }

    private static long rangeMs(Expr durationOrLiteral) {
        return durationOrLiteral instanceof NumberLiteral nl ? GoNumbers.secondsToMs(nl.value()) : 0;
    }

    private Expr parsePositiveDuration(String context, String expected) throws ParseException {
        Expr d = parseDuration(1, context, expected);
        if (d instanceof NumberLiteral nl && !(nl.value() > 0)) {
            throw error(nl.position(), "duration must be greater than 0");
        }
        return d;
    }

    private Expr parseOffset(Expr e) throws ParseException {
        Expr d = parseOffsetDuration();
        long ms = 0;
        DurationExpr de = null;
        if (d instanceof NumberLiteral nl) {
            ms = GoNumbers.secondsToMs(nl.value());
        } else {
            de = (DurationExpr) d;
        }
        int end = lastClosing;
        switch (e) {
            case VectorSelector vs -> {
                checkOffsetUnset(e, vs.offset(), vs.offsetExpr());
                return new VectorSelector(vs.name(), vs.matchers(), ms, de, vs.at(), vs.anchored(), vs.smoothed(),
                        new PositionRange(vs.position().start(), end));
            }
            case MatrixSelector ms2 -> {
                VectorSelector vs = ms2.selector();
                checkOffsetUnset(e, vs.offset(), vs.offsetExpr());
                VectorSelector nvs = new VectorSelector(vs.name(), vs.matchers(), ms, de, vs.at(), vs.anchored(),
                        vs.smoothed(), vs.position());
                return new MatrixSelector(nvs, ms2.range(), ms2.rangeExpr(),
                        new PositionRange(ms2.position().start(), end));
            }
            case SubqueryExpr sq -> {
                checkOffsetUnset(e, sq.offset(), sq.offsetExpr());
                return new SubqueryExpr(sq.expr(), sq.range(), sq.rangeExpr(), sq.step(), sq.stepExpr(), ms, de,
                        sq.at(), new PositionRange(sq.position().start(), end));
            }
            default -> throw error(e.position(),
                    "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    private void checkOffsetUnset(Expr e, long offset, DurationExpr expr) throws ParseException {
        if (offset != 0 || expr != null) {
            throw error(e.position(), "offset may not be set multiple times");
        }
    }

    /**
     * The duration after {@code offset}: a signed literal, {@code step()}, {@code range()},
     * {@code min_of}/{@code max_of} or a parenthesised duration expression. Arithmetic after it
     * belongs to the enclosing expression, so {@code x offset 1m * 2} is {@code (x offset 1m) * 2}.
     */
    private Expr parseOffsetDuration() throws ParseException {
        String ctx = "offset";
        String exp = "number, duration, step(), or range()";
        Token t = peek();
        boolean negate = false;
        Token sign = null;
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            sign = next();
            negate = t.type() == TokenType.SUB;
            t = peek();
        }
        Expr inner;
        switch (t.type()) {
            case NUMBER, DURATION -> {
                next();
                double v = t.type() == TokenType.NUMBER ? number(t) : durationSeconds(t);
                if (negate) {
                    v = -v;
                }
                PositionRange r = new PositionRange(sign != null ? sign.start() : t.start(), t.end());
                checkDurationRange(v, sign != null ? sign.range() : t.range());
                return new NumberLiteral(v, t.type() == TokenType.DURATION, r);
            }
            case LEFT_PAREN -> inner = parseDurationPrimary(ctx, exp);
            default -> {
                if (isDurationFunction(t)) {
                    inner = parseDurationPrimary(ctx, exp);
                } else {
                    throw unexpected(t, ctx, exp);
                }
            }
        }
        if (negate) {
            if (inner instanceof NumberLiteral nl) {
                return new NumberLiteral(-nl.value(), nl.duration(), new PositionRange(sign.start(), nl.position().end()));
            }
            return new DurationExpr(DurationExpr.Op.SUB, null, inner, false,
                    new PositionRange(sign.start(), inner.position().end()));
        }
        return inner;
    }

    private static boolean isDurationFunction(Token t) {
        return switch (t.type()) {
            case STEP, RANGE, MIN_OF, MAX_OF -> true;
            case IDENTIFIER -> {
                String lower = t.text().toLowerCase(Locale.ROOT);
                yield lower.equals("min_of") || lower.equals("max_of");
            }
            default -> false;
        };
    }

    private void checkDurationRange(double v, PositionRange r) throws ParseException {
        if (v > MAX_DURATION_SECONDS || v < -MAX_DURATION_SECONDS) {
            throw error(r, "duration out of range");
        }
    }

    private void requireDurationExpressions(PositionRange r) throws ParseException {
        if (!opts.durationExpressions()) {
            throw error(r, "experimental duration expression is not enabled");
        }
    }

    private static DurationExpr.Op durationOp(TokenType t) {
        return switch (t) {
            case ADD -> DurationExpr.Op.ADD;
            case SUB -> DurationExpr.Op.SUB;
            case MUL -> DurationExpr.Op.MUL;
            case DIV -> DurationExpr.Op.DIV;
            case MOD -> DurationExpr.Op.MOD;
            case POW -> DurationExpr.Op.POW;
            default -> null;
        };
    }

    private static int durationPrecedence(DurationExpr.Op op) {
        return switch (op) {
            case ADD, SUB -> 4;
            case MUL, DIV, MOD -> 5;
            default -> 6;
        };
    }

    /** Duration arithmetic inside brackets (and inside parentheses after {@code offset}). */
    private Expr parseDuration(int minPrec, String ctx, String exp) throws ParseException {
        Expr lhs = parseDurationUnary(ctx, exp);
        while (true) {
            Token t = peek();
            DurationExpr.Op op = durationOp(t.type());
            if (op == null || durationPrecedence(op) < minPrec) {
                return lhs;
            }
            next();
            int prec = durationPrecedence(op);
            Expr rhs = parseDuration(op == DurationExpr.Op.POW ? prec : prec + 1, ctx, exp);
            requireDurationExpressions(lhs.position());
            if ((op == DurationExpr.Op.DIV || op == DurationExpr.Op.MOD) && rhs instanceof NumberLiteral nl
                    && nl.value() == 0) {
                throw error(t.range(), op == DurationExpr.Op.DIV ? "division by zero" : "modulo by zero");
            }
            lhs = new DurationExpr(op, lhs, rhs, false,
                    new PositionRange(lhs.position().start(), rhs.position().end()));
        }
    }

    private Expr parseDurationUnary(String ctx, String exp) throws ParseException {
        Token t = peek();
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            next();
            Expr operand = parseDuration(6, ctx, exp);
            boolean negate = t.type() == TokenType.SUB;
            if (operand instanceof NumberLiteral nl) {
                double v = negate ? -nl.value() : nl.value();
                checkDurationRange(v, t.range());
                return new NumberLiteral(v, nl.duration(), new PositionRange(t.start(), nl.position().end()));
            }
            if (!negate) {
                return operand;
            }
            return new DurationExpr(DurationExpr.Op.SUB, null, operand, false,
                    new PositionRange(t.start(), operand.position().end()));
        }
        return parseDurationPrimary(ctx, exp);
    }

    private Expr parseDurationPrimary(String ctx, String exp) throws ParseException {
        Token t = peek();
        switch (t.type()) {
            case NUMBER, DURATION -> {
                next();
                double v = t.type() == TokenType.NUMBER ? number(t) : durationSeconds(t);
                checkDurationRange(v, t.range());
                return new NumberLiteral(v, t.type() == TokenType.DURATION, t.range());
            }
            case STEP, RANGE -> {
                next();
                expect(TokenType.LEFT_PAREN, ctx, exp);
                Token close = expect(TokenType.RIGHT_PAREN, ctx, exp);
                PositionRange r = new PositionRange(t.start(), close.end());
                requireDurationExpressions(r);
                return new DurationExpr(t.type() == TokenType.STEP ? DurationExpr.Op.STEP : DurationExpr.Op.RANGE,
                        null, null, false, r);
            }
            case LEFT_PAREN -> {
                next();
                Expr inner = parseDuration(1, ctx, exp);
                expect(TokenType.RIGHT_PAREN, ctx, exp);
                requireDurationExpressions(inner.position());
                if (inner instanceof DurationExpr d) {
                    return new DurationExpr(d.op(), d.lhs(), d.rhs(), true, d.position());
                }
                return inner;
            }
            default -> {
                if (isDurationFunction(t)) {
                    next();
                    boolean min = t.text().toLowerCase(Locale.ROOT).startsWith("min");
                    expect(TokenType.LEFT_PAREN, ctx, exp);
                    Expr a = parseDuration(1, ctx, exp);
                    expect(TokenType.COMMA, ctx, exp);
                    Expr b = parseDuration(1, ctx, exp);
                    Token close = expect(TokenType.RIGHT_PAREN, ctx, exp);
                    PositionRange r = new PositionRange(t.start(), close.end());
                    requireDurationExpressions(r);
                    return new DurationExpr(min ? DurationExpr.Op.MIN_OF : DurationExpr.Op.MAX_OF, a, b, false, r);
                }
                throw unexpected(t, ctx, exp);
            }
        }
    }

    private Token expect(TokenType type, String ctx, String exp) throws ParseException {
        Token t = next();
        if (t.type() != type) {
            throw unexpected(t, ctx, exp);
        }
        return t;
    }

    private Expr parseAt(Expr e) throws ParseException {
        Token t = peek();
        At at;
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            next();
            expect(TokenType.LEFT_PAREN, "@", "timestamp");
            expect(TokenType.RIGHT_PAREN, "@", "timestamp");
            at = new At(t.type() == TokenType.START ? At.Kind.START : At.Kind.END, 0);
        } else {
            boolean negate = false;
            if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
                next();
                negate = t.type() == TokenType.SUB;
                t = peek();
            }
            double ts;
            if (t.type() == TokenType.NUMBER) {
                next();
                ts = number(t);
            } else if (t.type() == TokenType.DURATION) {
                next();
                ts = durationSeconds(t);
            } else {
                throw unexpected(t, "@", "timestamp");
            }
            if (negate) {
                ts = -ts;
            }
            if (Double.isNaN(ts) || Double.isInfinite(ts) || ts >= 9.223372036854775807E18
                    || ts <= -9.223372036854775808E18) {
                throw error(e.position(), "timestamp out of bounds for @ modifier: " + goFixed6(ts));
            }
            at = At.timestamp(GoNumbers.goRound(ts * 1000));
        }
        int end = lastClosing;
        switch (e) {
            case VectorSelector vs -> {
                checkAtUnset(e, vs.at());
                return new VectorSelector(vs.name(), vs.matchers(), vs.offset(), vs.offsetExpr(), at, vs.anchored(),
                        vs.smoothed(), new PositionRange(vs.position().start(), end));
            }
            case MatrixSelector m -> {
                checkAtUnset(e, m.selector().at());
                return new MatrixSelector(m.selector().withAt(at), m.range(), m.rangeExpr(),
                        new PositionRange(m.position().start(), end));
            }
            case SubqueryExpr sq -> {
                checkAtUnset(e, sq.at());
                return new SubqueryExpr(sq.expr(), sq.range(), sq.rangeExpr(), sq.step(), sq.stepExpr(), sq.offset(),
                        sq.offsetExpr(), at, new PositionRange(sq.position().start(), end));
            }
            default -> throw error(e.position(),
                    "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    private static String goFixed6(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private void checkAtUnset(Expr e, At at) throws ParseException {
        if (at.isSet()) {
            throw error(e.position(), "@ <timestamp> may not be set multiple times");
        }
    }

    private Expr setAnchoredOrSmoothed(Expr e, boolean anchored) throws ParseException {
        String name = anchored ? "anchored" : "smoothed";
        if (!opts.extendedRangeSelectors()) {
            throw error(e.position(), name + " modifier is experimental and not enabled");
        }
        VectorSelector vs = switch (e) {
            case VectorSelector v -> v;
            case MatrixSelector m -> m.selector();
            case SubqueryExpr s -> throw error(e.position(), name + " modifier is not supported for subqueries");
            default -> throw error(e.position(), name + " modifier not implemented");
        };
        if (anchored ? vs.smoothed() : vs.anchored()) {
            throw error(e.position(), "anchored and smoothed modifiers cannot be used together");
        }
        VectorSelector nvs = new VectorSelector(vs.name(), vs.matchers(), vs.offset(), vs.offsetExpr(), vs.at(),
                vs.anchored() || anchored, vs.smoothed() || !anchored, vs.position());
        if (e instanceof MatrixSelector m) {
            return new MatrixSelector(nvs, m.range(), m.rangeExpr(), m.position());
        }
        return nvs;
    }

    // ---- selectors ----

    /** A vector selector; {@code nameTok} is the already consumed metric name, or null. */
    private VectorSelector parseVectorSelector(Token nameTok) throws ParseException {
        List<Matcher> matchers = new ArrayList<>();
        int start = nameTok != null ? nameTok.start() : peek().start();
        int end = nameTok != null ? nameTok.end() : start;
        if (peek().type() == TokenType.LEFT_BRACE) {
            next();
            while (true) {
                Token t = peek();
                if (t.type() == TokenType.RIGHT_BRACE) {
                    end = next().end();
                    break;
                }
                Matcher m = parseMatcher();
                if (m != null) {
                    matchers.add(m);
                }
                Token sep = next();
                if (sep.type() == TokenType.RIGHT_BRACE) {
                    end = sep.end();
                    break;
                }
                if (sep.type() != TokenType.COMMA) {
                    throw unexpected(sep, "label matching", "\",\" or \"}\"");
                }
            }
        }
        String name = null;
        if (nameTok != null) {
            name = nameTok.text();
            matchers.add(Matcher.equal(Labels.METRIC_NAME, name));
        }
        return new VectorSelector(name, matchers, 0, null, At.NONE, false, false, new PositionRange(start, end));
    }

    private Matcher parseMatcher() throws ParseException {
        Token label = next();
        String name;
        if (label.type() == TokenType.IDENTIFIER) {
            name = label.text();
        } else if (label.type() == TokenType.STRING) {
            name = unquote(label);
            TokenType after = peek().type();
            if (after == TokenType.COMMA || after == TokenType.RIGHT_BRACE) {
                return Matcher.equal(Labels.METRIC_NAME, name);
            }
        } else {
            throw unexpected(label, "label matching", "identifier or \"}\"");
        }
        Token op = next();
        MatchType type = switch (op.type()) {
            case EQL -> MatchType.EQUAL;
            case NEQ -> MatchType.NOT_EQUAL;
            case EQL_REGEX -> MatchType.REGEX;
            case NEQ_REGEX -> MatchType.NOT_REGEX;
            default -> null;
        };
        if (type == null) {
            throw unexpected(op, "label matching", "label matching operator");
        }
        Token value = next();
        if (value.type() != TokenType.STRING) {
            throw unexpected(value, "label matching", "string");
        }
        try {
            return Matcher.of(type, name, unquote(value));
        } catch (InvalidRegexException e) {
            throw error(new PositionRange(label.start(), value.end()), e.getMessage());
        }
    }

    // ---- calls and aggregations ----

    private List<Expr> parseCallArgs() throws ParseException {
        expect(TokenType.LEFT_PAREN, null, null);
        List<Expr> args = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            next();
            return args;
        }
        while (true) {
            args.add(parseExpr(1));
            Token t = next();
            if (t.type() == TokenType.RIGHT_PAREN) {
                return args;
            }
            if (t.type() != TokenType.COMMA) {
                throw unexpected(t, null, null);
            }
            if (peek().type() == TokenType.RIGHT_PAREN) {
                throw error(t.range(), "trailing commas not allowed in function call args");
            }
        }
    }

    private Expr parseCall(Token name) throws ParseException {
        List<Expr> args = parseCallArgs();
        Function f = Functions.get(name.text());
        if (f == null) {
            throw error(name.range(), "unknown function with name " + GoStrings.quote(name.text()));
        }
        if (f.experimental() && !opts.experimentalFunctions()) {
            throw error(name.range(), "function " + GoStrings.quote(name.text()) + " is not enabled");
        }
        return new Call(f, args, new PositionRange(name.start(), lastClosing));
    }

    private Expr parseAggregate(Token opTok) throws ParseException {
        AggregateOp op = AggregateOp.valueOf(opTok.type().name());
        List<String> grouping = List.of();
        boolean without = false;
        boolean modifierSeen = false;
        TokenType t = peek().type();
        if (t == TokenType.BY || t == TokenType.WITHOUT) {
            next();
            without = t == TokenType.WITHOUT;
            grouping = parseGroupingLabels();
            modifierSeen = true;
            if (peek().type() != TokenType.LEFT_PAREN) {
                throw unexpected(peek(), "aggregation", null);
            }
        }
        List<Expr> args = parseCallArgs();
        int end = lastClosing;
        if (!modifierSeen) {
            TokenType after = peek().type();
            if (after == TokenType.BY || after == TokenType.WITHOUT) {
                next();
                without = after == TokenType.WITHOUT;
                grouping = parseGroupingLabels();
                end = lastClosing;
            }
        }
        PositionRange r = new PositionRange(opTok.start(), end);
        if (args.isEmpty()) {
            throw error(r, "no arguments for aggregate expression provided");
        }
        int desired = 1;
        Expr param = null;
        if (op.hasParam) {
            if ((op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO) && !opts.experimentalFunctions()) {
                throw error(r, op.keyword
                        + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
            }
            desired = 2;
            param = args.get(0);
        }
        if (args.size() != desired) {
            throw error(r, "wrong number of arguments for aggregate expression provided, expected " + desired
                    + ", got " + args.size());
        }
        return new AggregateExpr(op, args.get(desired - 1), param, grouping, without, r);
    }

    private List<String> parseGroupingLabels() throws ParseException {
        Token open = next();
        if (open.type() != TokenType.LEFT_PAREN) {
            throw unexpected(open, "grouping opts", "\"(\"");
        }
        List<String> labels = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            next();
            return labels;
        }
        while (true) {
            Token l = next();
            if (l.type() == TokenType.STRING) {
                String name = unquote(l);
                if (name.isEmpty() || !io.specula.model.labels.LabelNames.isWellFormed(name)) {
                    throw error(l.range(), "invalid label name for grouping: " + GoStrings.quote(name));
                }
                labels.add(name);
            } else if (l.type().canBeLabel()) {
                labels.add(l.text());
            } else {
                throw unexpected(l, "grouping opts", "label");
            }
            Token sep = next();
            if (sep.type() == TokenType.RIGHT_PAREN) {
                return labels;
            }
            if (sep.type() != TokenType.COMMA) {
                throw unexpected(sep, "grouping opts", "\",\" or \")\"");
            }
            if (peek().type() == TokenType.RIGHT_PAREN) {
                next();
                return labels;
            }
        }
    }

    // ---- binary expressions ----

    /** What was written between a binary operator and its right operand. */
    private record Modifiers(boolean returnBool, boolean matchingWritten, boolean on, List<String> labels,
            VectorMatching.Cardinality card, List<String> include, Double fillLeft, Double fillRight) {
    }

    private Modifiers parseBinModifiers() throws ParseException {
        boolean returnBool = false;
        if (peek().type() == TokenType.BOOL) {
            next();
            returnBool = true;
        }
        boolean on = false;
        boolean written = false;
        List<String> labels = List.of();
        List<String> include = List.of();
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        TokenType t = peek().type();
        if (t == TokenType.ON || t == TokenType.IGNORING) {
            next();
            written = true;
            on = t == TokenType.ON;
            labels = parseGroupingLabels();
            t = peek().type();
            if (t == TokenType.GROUP_LEFT || t == TokenType.GROUP_RIGHT) {
                next();
                card = t == TokenType.GROUP_LEFT ? VectorMatching.Cardinality.MANY_TO_ONE
                        : VectorMatching.Cardinality.ONE_TO_MANY;
                if (peek().type() == TokenType.LEFT_PAREN) {
                    include = parseGroupingLabels();
                }
            }
        }
        Double fillLeft = null;
        Double fillRight = null;
        boolean fillSeen = false;
        while (true) {
            t = peek().type();
            if (t != TokenType.FILL && t != TokenType.FILL_LEFT && t != TokenType.FILL_RIGHT) {
                break;
            }
            Token kw = next();
            boolean dup = fillSeen && t == TokenType.FILL || t == TokenType.FILL && (fillLeft != null || fillRight != null)
                    || t == TokenType.FILL_LEFT && fillLeft != null || t == TokenType.FILL_RIGHT && fillRight != null;
            if (dup) {
                throw unexpected(kw, null, null);
            }
            fillSeen = true;
            double v = parseFillValue();
            if (t != TokenType.FILL_RIGHT) {
                fillLeft = v;
            }
            if (t != TokenType.FILL_LEFT) {
                fillRight = v;
            }
        }
        return new Modifiers(returnBool, written, on, labels, card, include, fillLeft, fillRight);
    }

    private double parseFillValue() throws ParseException {
        expect(TokenType.LEFT_PAREN, "fill modifier", "number");
        Token t = next();
        boolean negate = false;
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            negate = t.type() == TokenType.SUB;
            t = next();
        }
        double v;
        if (t.type() == TokenType.NUMBER) {
            v = number(t);
        } else if (t.type() == TokenType.DURATION) {
            v = durationSeconds(t);
        } else {
            throw unexpected(t, "fill modifier", "number");
        }
        expect(TokenType.RIGHT_PAREN, "fill modifier", "\")\"");
        return negate ? -v : v;
    }

    private Expr newBinary(BinaryOp op, Expr lhs, Expr rhs, Modifiers m) throws ParseException {
        VectorMatching written = new VectorMatching(m.card(), m.labels(), m.on(), m.include(), m.fillLeft(),
                m.fillRight());
        PositionRange r = new PositionRange(lhs.position().start(), rhs.position().end());
        if (!opts.binopFillModifiers() && (m.fillLeft() != null || m.fillRight() != null)) {
            throw error(r, "binop fill modifiers are experimental and not enabled");
        }
        VectorMatching matching = null;
        if (lhs.type() == ValueKind.VECTOR && rhs.type() == ValueKind.VECTOR) {
            VectorMatching.Cardinality card = m.card();
            if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) {
                card = VectorMatching.Cardinality.MANY_TO_MANY;
            }
            matching = new VectorMatching(card, m.labels(), m.on(), m.include(), m.fillLeft(), m.fillRight());
        }
        BinaryExpr b = new BinaryExpr(op, lhs, rhs, matching, m.returnBool(), r);
        writtenMatching.put(b, written);
        return b;
    }
}
