package io.specula.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Error messages and positions, as Prometheus reports them (texts from its parser tests and grammar). */
class ParseErrorTest {
    static Stream<Arguments> errorsWithAllFeatures() {
        return Stream.of(
                Arguments.of("", "1:1: parse error: no expression found in input"),
                Arguments.of("# just a comment\n\n", "1:1: parse error: no expression found in input"),
                Arguments.of("1+", "1:3: parse error: unexpected end of input"),
                Arguments.of("1 /", "1:4: parse error: unexpected end of input"),
                Arguments.of(".", "1:1: parse error: unexpected character: '.'"),
                Arguments.of("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""),
                Arguments.of("100..4", "1:1: parse error: bad number or duration syntax: \"100..\""),
                Arguments.of("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""),
                Arguments.of("*1", "1:1: parse error: unexpected <op:*>"),
                Arguments.of("@@", "1:1: parse error: unexpected <op:@>"),
                Arguments.of("(1))", "1:5: parse error: unexpected right parenthesis ')'"),
                Arguments.of("((1)", "1:5: parse error: unclosed left parenthesis"),
                Arguments.of("(", "1:2: parse error: unclosed left parenthesis"),
                Arguments.of("1" + "9".repeat(400), "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1"
                        + "9".repeat(400) + "\": value out of range"),
                Arguments.of("1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
                Arguments.of("1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"),
                Arguments.of("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
                Arguments.of("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
                Arguments.of("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
                Arguments.of("-\"string\"", "1:1: parse error: unary expression only allowed on expressions of type "
                        + "scalar or instant vector, got \"string\""),
                Arguments.of("-test[5m]", "1:1: parse error: unary expression only allowed on expressions of type "
                        + "scalar or instant vector, got \"range vector\""),
                Arguments.of("1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant vector "
                        + "selector or range vector selector or a subquery"),
                Arguments.of("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
                Arguments.of("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
                Arguments.of("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
                Arguments.of("foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces"),
                Arguments.of("foo{a}", "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"),
                Arguments.of("foo{a=1}", "1:7: parse error: unexpected character inside braces: '1'"),
                Arguments.of("foo{a=\"b\" c=\"d\"}", "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""),
                Arguments.of("foo{a=~\"(\"}", "1:5: parse error: error parsing regexp: missing closing ): `^(?s:()$`"),
                Arguments.of("rate(x)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
                Arguments.of("sum(x[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
                Arguments.of("topk(x, y)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
                Arguments.of("x[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
                Arguments.of("1 + bool 2", "1:3: parse error: bool modifier can only be used on comparison operators"),
                Arguments.of("foo and on(a) group_left(b) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
                Arguments.of("foo + on(a) group_left(a) bar", "1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once"),
                Arguments.of("1 + on(a) foo", "1:1: parse error: vector matching only allowed between instant vectors"),
                Arguments.of("unknown_fn(x)", "1:1: parse error: unknown function with name \"unknown_fn\""),
                Arguments.of("rate(x[5m],)", "1:11: parse error: trailing commas not allowed in function call args"),
                Arguments.of("time(1)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
                Arguments.of("round()", "1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0"),
                Arguments.of("round(x, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"),
                Arguments.of("sum()", "1:1: parse error: no arguments for aggregate expression provided"),
                Arguments.of("topk(x)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
                Arguments.of("sum by x (y)", "1:8: parse error: unexpected identifier \"x\" in grouping opts, expected \"(\""),
                Arguments.of("sum by (\"\") (y)", "1:9: parse error: invalid label name for grouping: \"\""),
                Arguments.of("(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"),
                Arguments.of("foo offset 1m [5m]", "1:15: parse error: no offset modifiers allowed before range"),
                Arguments.of("foo @ 1 [5m]", "1:9: parse error: no @ modifiers allowed before range"),
                Arguments.of("foo[5m][1m:]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
                Arguments.of("foo[0]", "1:5: parse error: duration must be greater than 0"),
                Arguments.of("foo[5m", "1:7: parse error: unclosed left bracket"),
                Arguments.of("foo[5m:1m:]", "1:10: parse error: unexpected colon ':'"),
                Arguments.of("foo[]", "1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()"),
                Arguments.of("foo[5m x]", "1:8: parse error: unexpected character: 'x', expected ':'"),
                Arguments.of("foo[1h30]", "1:5: parse error: bad number or duration syntax: \"1h30\""),
                Arguments.of("foo[1m1h]", "1:5: parse error: not a valid duration string: \"1m1h\""),
                Arguments.of("foo offset", "1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()"),
                Arguments.of("foo @", "1:6: parse error: unexpected end of input in @, expected timestamp"),
                Arguments.of("foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
                Arguments.of("1 @ 1", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
                Arguments.of("foo @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
                Arguments.of("\"abc", "1:1: parse error: unterminated quoted string"),
                Arguments.of("`abc", "1:1: parse error: unterminated raw string"),
                Arguments.of("\"\\q\"", "1:1: parse error: unknown escape sequence U+0071 'q'"),
                Arguments.of("\"\\xZ1\"", "1:1: parse error: illegal character U+005A 'Z' in escape sequence"),
                Arguments.of("\"\\uD800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"),
                Arguments.of("foo bar", "1:5: parse error: unexpected identifier \"bar\""),
                Arguments.of("foo[5m/0]", "1:7: parse error: division by zero"),
                Arguments.of("foo[5m%0]", "1:7: parse error: modulo by zero"),
                Arguments.of("foo[5m:1m] anchored", "1:1: parse error: anchored modifier is not supported for subqueries"),
                Arguments.of("foo anchored smoothed", "1:1: parse error: anchored and smoothed modifiers cannot be used together"),
                Arguments.of("1 + fill(0) foo", "1:1: parse error: filling in missing series only allowed between instant vectors"),
                Arguments.of("foo and fill(0) bar", "1:1: parse error: filling in missing series not allowed for set operators"),
                Arguments.of("info(foo, bar)", "1:11: parse error: expected label selectors only, got vector selector instead"),
                Arguments.of("foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
                Arguments.of("1 or on(bar) foo", "1:1: parse error: vector matching only allowed between instant vectors"),
                Arguments.of("foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"),
                Arguments.of("foo + group_left(baz) bar", "1:7: parse error: unexpected <group_left>"),
                Arguments.of("foo or on(bar) group_right(baz) bar", "1:1: parse error: no grouping allowed for \"or\" operation"),
                Arguments.of("http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}",
                        "1:35: parse error: label \"instance\" must not occur in ON and GROUP clause at once"),
                Arguments.of("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
                Arguments.of("foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
                Arguments.of("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
                Arguments.of("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
                Arguments.of("foo @ 9223372036854775808.000000", "1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000"),
                Arguments.of("{", "1:2: parse error: unexpected end of input inside braces"),
                Arguments.of("}", "1:1: parse error: unexpected character: '}'"),
                Arguments.of("some}", "1:5: parse error: unexpected character: '}'"),
                Arguments.of("some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string"),
                Arguments.of("some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'"),
                Arguments.of("foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"),
                Arguments.of("foo{gibberish}", "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"),
                Arguments.of("{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
                Arguments.of("foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
                Arguments.of("foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
                Arguments.of("foo{\"a\"=}", "1:9: parse error: unexpected \"}\" in label matching, expected string"),
                Arguments.of("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
                Arguments.of("foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\""),
                Arguments.of("foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\""),
                Arguments.of("foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\""),
                Arguments.of("foo[0m]", "1:5: parse error: duration must be greater than 0"),
                Arguments.of("foo[-1]", "1:5: parse error: duration must be greater than 0"),
                Arguments.of("foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'"),
                Arguments.of("some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""),
                Arguments.of("some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"),
                Arguments.of("(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"),
                Arguments.of("sum by (\"foo)(some_metric{})", "1:9: parse error: unterminated quoted string"),
                Arguments.of("sum without(==)(some_metric)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label"),
                Arguments.of("sum without(foo,,)(some_metric)", "1:17: parse error: unexpected \",\" in grouping opts, expected label"),
                Arguments.of("sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""),
                Arguments.of("sum (some_metric) by test", "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""),
                Arguments.of("sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided"),
                Arguments.of("MIN (some_metric) keep_common", "1:19: parse error: unexpected identifier \"keep_common\""),
                Arguments.of("sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"),
                Arguments.of("topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"),
                Arguments.of("count_values(5, other_metric)", "1:14: parse error: expected type string in aggregation parameter, got scalar"),
                Arguments.of("rate(some_metric[5m]) @ 1234", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
                Arguments.of("floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
                Arguments.of("hour(some_metric, some_metric, some_metric)", "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"),
                Arguments.of("-=", "1:2: parse error: unexpected \"=\""),
                Arguments.of("++-++-+-+-<", "1:11: parse error: unexpected <op:<>"),
                Arguments.of("e-+=/(0)", "1:4: parse error: unexpected \"=\""),
                Arguments.of("a>b()", "1:3: parse error: unknown function with name \"b\""),
                Arguments.of("rate(avg)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
                Arguments.of("(" + "-{}-1".repeat(10000) + ")" + "[1m:]".repeat(1000),
                        "1:3: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("`\\``", "1:4: parse error: unterminated raw string"),
                Arguments.of("\"\\", "1:1: parse error: escape sequence not terminated"),
                Arguments.of("\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'"),
                Arguments.of("\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"),
                Arguments.of("foo{bar=\"baz\"}[", "1:16: parse error: unexpected end of input in duration expression"),
                Arguments.of("test[5d] OFFSET 10s [10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
                Arguments.of("rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"),
                Arguments.of("info(http_request_counter_total{namespace=\"zzz\"}, {foo=\"bar\"} == 1)",
                        "1:51: parse error: expected label selectors only"),
                Arguments.of("foo[step]", "1:9: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()"),
                Arguments.of("foo[step()/0d]", "1:11: parse error: division by zero"),
                Arguments.of("foo offset (4d/0)", "1:15: parse error: division by zero"),
                Arguments.of("foo offset 9.5e10", "1:12: parse error: duration out of range"),
                Arguments.of("foo[9.5e10]", "1:5: parse error: duration out of range"),
                Arguments.of("sum(", "1:5: parse error: unclosed left parenthesis"),
                Arguments.of("sum(rate(", "1:10: parse error: unclosed left parenthesis"),
                Arguments.of("foo[5s x 5s]", "1:8: parse error: unexpected character: 'x', expected ':'"),
                Arguments.of("foo[5s s 5s]", "1:8: parse error: unexpected character: 's', expected ':'"),
                Arguments.of("histogram_quantiles(x, \"q\")", "1:1: parse error: expected at least 3 argument(s) in call to \"histogram_quantiles\", got 2"),
                Arguments.of("info(foo, 1)", "1:1: parse error: expected type instant vector in call to function \"info\", got scalar"));
    }

    @ParameterizedTest
    @MethodSource("errorsWithAllFeatures")
    void parse_reportsPrometheusError(String query, String message) {
        assertThatThrownBy(() -> PromQLParser.parse(query, ParserOptions.all()))
                .isInstanceOf(ParseException.class).hasMessage(message);
    }

    static Stream<Arguments> errorsWithoutFeatures() {
        return Stream.of(
                Arguments.of("sort_by_label(x, \"a\")", "1:1: parse error: function \"sort_by_label\" is not enabled"),
                Arguments.of("limitk(1, x)", "1:1: parse error: limitk() is experimental and must be enabled with "
                        + "--enable-feature=promql-experimental-functions"),
                Arguments.of("x[5m+1m]", "1:3: parse error: experimental duration expression is not enabled"),
                Arguments.of("x offset step()", "1:10: parse error: experimental duration expression is not enabled"),
                Arguments.of("x anchored", "1:1: parse error: anchored modifier is experimental and not enabled"),
                Arguments.of("x[5m] smoothed", "1:1: parse error: smoothed modifier is experimental and not enabled"),
                Arguments.of("a + fill(0) b", "1:1: parse error: binop fill modifiers are experimental and not enabled"));
    }

    @ParameterizedTest
    @MethodSource("errorsWithoutFeatures")
    void parse_rejectsExperimentalFeaturesByDefault(String query, String message) throws ParseException {
        assertThatThrownBy(() -> PromQLParser.parse(query, ParserOptions.defaults()))
                .isInstanceOf(ParseException.class).hasMessage(message);
        assertThat(PromQLParser.parse(query, ParserOptions.all())).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("errorsWithAllFeatures")
    void parseException_positionMatchesMessage(String query, String message) {
        try {
            PromQLParser.parse(query, ParserOptions.all());
        } catch (ParseException e) {
            assertThat(e.getMessage()).startsWith(e.position().describe(query) + ": parse error: ");
            assertThat(e.getMessage()).endsWith(e.detail());
        }
    }
}
