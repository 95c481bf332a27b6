package io.specula.promql.parser;

/**
 * The lexer's token kinds, grouped as Prometheus groups them for error messages: operators print
 * as {@code <op:+>}, aggregators as {@code <aggr:sum>}, keywords as {@code <by>}, punctuation
 * quoted, and value tokens as {@code number "1"}.
 */
enum TokenType {
    EOF(Group.OTHER, null), ERROR(Group.OTHER, null),
    IDENTIFIER(Group.VALUE, "identifier"), METRIC_IDENTIFIER(Group.VALUE, "metric identifier"),
    NUMBER(Group.VALUE, "number"), DURATION(Group.VALUE, "duration"), STRING(Group.VALUE, "string"),

    LEFT_PAREN(Group.PUNCT, "("), RIGHT_PAREN(Group.PUNCT, ")"), LEFT_BRACE(Group.PUNCT, "{"),
    RIGHT_BRACE(Group.PUNCT, "}"), LEFT_BRACKET(Group.PUNCT, "["), RIGHT_BRACKET(Group.PUNCT, "]"),
    COMMA(Group.PUNCT, ","), EQL(Group.PUNCT, "="), COLON(Group.PUNCT, ":"),

    ADD(Group.OPERATOR, "+"), SUB(Group.OPERATOR, "-"), MUL(Group.OPERATOR, "*"), DIV(Group.OPERATOR, "/"),
    MOD(Group.OPERATOR, "%"), POW(Group.OPERATOR, "^"), EQLC(Group.OPERATOR, "=="), NEQ(Group.OPERATOR, "!="),
    LTE(Group.OPERATOR, "<="), LSS(Group.OPERATOR, "<"), GTE(Group.OPERATOR, ">="), GTR(Group.OPERATOR, ">"),
    EQL_REGEX(Group.OPERATOR, "=~"), NEQ_REGEX(Group.OPERATOR, "!~"), AT(Group.OPERATOR, "@"),
    LAND(Group.OPERATOR, "and"), LOR(Group.OPERATOR, "or"), LUNLESS(Group.OPERATOR, "unless"),
    ATAN2(Group.OPERATOR, "atan2"), TRIM_UPPER(Group.OPERATOR, "</"), TRIM_LOWER(Group.OPERATOR, ">/"),

    SUM(Group.AGGREGATOR, "sum"), AVG(Group.AGGREGATOR, "avg"), COUNT(Group.AGGREGATOR, "count"),
    MIN(Group.AGGREGATOR, "min"), MAX(Group.AGGREGATOR, "max"), GROUP(Group.AGGREGATOR, "group"),
    STDDEV(Group.AGGREGATOR, "stddev"), STDVAR(Group.AGGREGATOR, "stdvar"), TOPK(Group.AGGREGATOR, "topk"),
    BOTTOMK(Group.AGGREGATOR, "bottomk"), COUNT_VALUES(Group.AGGREGATOR, "count_values"),
    QUANTILE(Group.AGGREGATOR, "quantile"), LIMITK(Group.AGGREGATOR, "limitk"),
    LIMIT_RATIO(Group.AGGREGATOR, "limit_ratio"),

    BOOL(Group.KEYWORD, "bool"), BY(Group.KEYWORD, "by"), GROUP_LEFT(Group.KEYWORD, "group_left"),
    GROUP_RIGHT(Group.KEYWORD, "group_right"), IGNORING(Group.KEYWORD, "ignoring"), OFFSET(Group.KEYWORD, "offset"),
    ON(Group.KEYWORD, "on"), WITHOUT(Group.KEYWORD, "without"), ANCHORED(Group.KEYWORD, "anchored"),
    SMOOTHED(Group.KEYWORD, "smoothed"), FILL(Group.KEYWORD, "fill"), FILL_LEFT(Group.KEYWORD, "fill_left"),
    FILL_RIGHT(Group.KEYWORD, "fill_right"),

    START(Group.PREPROCESSOR, "start"), END(Group.PREPROCESSOR, "end"), STEP(Group.PREPROCESSOR, "step"),
    RANGE(Group.PREPROCESSOR, "range"), MIN_OF(Group.PREPROCESSOR, "min_of"), MAX_OF(Group.PREPROCESSOR, "max_of");

    enum Group { OTHER, VALUE, PUNCT, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

    final Group group;
    /** The fixed text of punctuation, operators and keywords; the description of value tokens. */
    final String text;

    TokenType(Group group, String text) {
        this.group = group;
        this.text = text;
    }

    /** Words the lexer turns into keyword tokens (matched case-insensitively). */
    static TokenType keyword(String lower) {
        return switch (lower) {
            case "and" -> LAND;
            case "or" -> LOR;
            case "unless" -> LUNLESS;
            case "atan2" -> ATAN2;
            case "sum" -> SUM;
            case "avg" -> AVG;
            case "count" -> COUNT;
            case "min" -> MIN;
            case "max" -> MAX;
            case "group" -> GROUP;
            case "stddev" -> STDDEV;
            case "stdvar" -> STDVAR;
            case "topk" -> TOPK;
            case "bottomk" -> BOTTOMK;
            case "count_values" -> COUNT_VALUES;
            case "quantile" -> QUANTILE;
            case "limitk" -> LIMITK;
            case "limit_ratio" -> LIMIT_RATIO;
            case "offset" -> OFFSET;
            case "smoothed" -> SMOOTHED;
            case "anchored" -> ANCHORED;
            case "by" -> BY;
            case "without" -> WITHOUT;
            case "on" -> ON;
            case "ignoring" -> IGNORING;
            case "group_left" -> GROUP_LEFT;
            case "group_right" -> GROUP_RIGHT;
            case "fill" -> FILL;
            case "fill_left" -> FILL_LEFT;
            case "fill_right" -> FILL_RIGHT;
            case "bool" -> BOOL;
            case "start" -> START;
            case "end" -> END;
            case "step" -> STEP;
            case "range" -> RANGE;
            case "inf", "nan" -> NUMBER;
            default -> null;
        };
    }

    boolean isAggregator() {
        return group == Group.AGGREGATOR;
    }

    /** Tokens that may name a metric although the lexer made them keywords. */
    boolean canBeMetricName() {
        return switch (this) {
            case AVG, BOTTOMK, BY, COUNT, COUNT_VALUES, GROUP, IDENTIFIER, LAND, LOR, LUNLESS, MAX,
                    METRIC_IDENTIFIER, MIN, OFFSET, QUANTILE, STDDEV, STDVAR, SUM, TOPK, WITHOUT, START, END,
                    LIMITK, LIMIT_RATIO, STEP, RANGE, ANCHORED, SMOOTHED -> true;
            default -> false;
        };
    }

    /** Tokens that may be a label name in {@code by (...)}, {@code on (...)} and the like. */
    boolean canBeLabel() {
        return switch (this) {
            case AVG, BOOL, BOTTOMK, BY, COUNT, COUNT_VALUES, GROUP, GROUP_LEFT, GROUP_RIGHT, IDENTIFIER, IGNORING,
                    LAND, LOR, LUNLESS, MAX, METRIC_IDENTIFIER, MIN, OFFSET, ON, QUANTILE, STDDEV, STDVAR, SUM,
                    TOPK, START, END, ATAN2, LIMITK, LIMIT_RATIO, STEP, RANGE, ANCHORED, SMOOTHED,
                    FILL, FILL_LEFT, FILL_RIGHT, MIN_OF, MAX_OF -> true;
            default -> false;
        };
    }
}
