package io.specula.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical forms as Prometheus's printer writes them. */
class PrinterTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("sum by() (task:errors:rate10s{job=\"s\"})", "sum(task:errors:rate10s{job=\"s\"})"),
                Arguments.of("sum by(code) (task:errors:rate10s{job=\"s\"})", "sum by (code) (task:errors:rate10s{job=\"s\"})"),
                Arguments.of("sum without() (x)", "sum without () (x)"),
                Arguments.of("sum(rate(x[5m])) by (job)", "sum by (job) (rate(x[5m]))"),
                Arguments.of("sum by(\"foo.bar\") (x)", "sum by (\"foo.bar\") (x)"),
                Arguments.of("topk(5, x)", "topk(5, x)"),
                Arguments.of("count_values(\"value\", x)", "count_values(\"value\", x)"),
                Arguments.of("a - on() c", "a - on () c"),
                Arguments.of("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
                Arguments.of("a - on(b) group_left c", "a - on (b) group_left () c"),
                Arguments.of("a - ignoring() c", "a - c"),
                Arguments.of("a - ignoring() group_left c", "a - ignoring () group_left () c"),
                Arguments.of("a + fill(-23) b", "a + fill (-23) b"),
                Arguments.of("a + fill_left(-23) fill_right(42) b", "a + fill_left (-23) fill_right (42) b"),
                Arguments.of("a + on(b) group_left fill(-23) c", "a + on (b) group_left () fill (-23) c"),
                Arguments.of("up > bool 0", "up > bool 0"),
                Arguments.of("a offset 1m", "a offset 1m"),
                Arguments.of("a offset -7m", "a offset -7m"),
                Arguments.of("a offset 90m", "a offset 1h30m"),
                Arguments.of("a[1h:5m] offset 1m", "a[1h:5m] offset 1m"),
                Arguments.of("a{b=\"c\"}[5m] anchored @ start() offset 1m", "a{b=\"c\"}[5m] anchored @ start() offset 1m"),
                Arguments.of("a smoothed", "a smoothed"),
                Arguments.of("a @ 10", "a @ 10.000"),
                Arguments.of("a[1m] @ 10", "a[1m] @ 10.000"),
                Arguments.of("{__name__=\"a\"}", "{__name__=\"a\"}"),
                Arguments.of("{\"a.b\"=\"c\"}", "{\"a.b\"=\"c\"}"),
                Arguments.of("{\"_0\"=\"1\"}", "{_0=\"1\"}"),
                Arguments.of("{``=\"0\"}", "{\"\"=\"0\"}"),
                Arguments.of("x{b=\"2\",a=\"1\"}", "x{a=\"1\",b=\"2\"}"),
                Arguments.of("1048576", "1048576"),
                Arguments.of("0.5 + 1e-7", "0.5 + 0.0000001"),
                Arguments.of("foo[step()]", "foo[step()]"),
                Arguments.of("foo[-(step())]", "foo[-(step())]"),
                Arguments.of("foo offset +(5*2)", "foo offset (5 * 2)"),
                Arguments.of("foo offset -min_of(10s, +max_of(step() ^ 2, 2))", "foo offset -min_of(10s, max_of(step() ^ 2, 2))"),
                Arguments.of("foo[200-min_of(-step()^+step(),1)]", "foo[200 - min_of(-step() ^ step(), 1)]"),
                Arguments.of("predict_linear(foo[1h], 3000)", "predict_linear(foo[1h], 3000)"),
                Arguments.of("sum by(\"üüü\") (foo)", "sum by (\"üüü\") (foo)"),
                Arguments.of("'a\"b'", "\"a\\\"b\""),
                Arguments.of("-(1)", "-(1)"),
                Arguments.of("-5m", "-5m"),
                Arguments.of("h </ 0", "h </ 0"),
                Arguments.of("Inf + 1", "+Inf + 1"),
                Arguments.of("inf ^ 2", "Inf ^ 2"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void print_writesCanonicalForm(String in, String out) throws ParseException {
        Expr e = PromQLParser.parse(in, ParserOptions.all());
        assertThat(Printer.print(e)).isEqualTo(out);
        Expr again = PromQLParser.parse(out, ParserOptions.all());
        assertThat(AstNormalizer.strip(again)).isEqualTo(AstNormalizer.strip(e));
    }

    /** Trees far deeper than any stack allows recursion for: printed, never a StackOverflowError. */
    @org.junit.jupiter.api.Test
    void print_veryDeepTree_printsWithoutRecursion() {
        PositionRange p = new PositionRange(0, 0);
        Function abs = Functions.get("abs");
        for (int depth : new int[] {10_000, 300_000}) {
            Expr e = new NumberLiteral(1, false, p);
            StringBuilder prefix = new StringBuilder(); // built innermost first, reversed at the end
            StringBuilder suffix = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                switch (i % 3) {
                    case 0 -> {
                        e = new ParenExpr(e, p);
                        prefix.append('(');
                        suffix.append(')');
                    }
                    case 1 -> {
                        e = new UnaryExpr(true, e, p);
                        prefix.append('-');
                    }
                    default -> {
                        e = new Call(abs, java.util.List.of(e), p);
                        prefix.append("(sba");
                        suffix.append(')');
                    }
                }
            }
            assertThat(Printer.print(e)).as("depth %d", depth).isEqualTo(prefix.reverse() + "1" + suffix);
        }
    }
}
