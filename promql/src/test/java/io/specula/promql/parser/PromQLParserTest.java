package io.specula.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromQLParserTest {
    private static Expr parse(String q) throws ParseException {
        return PromQLParser.parse(q, ParserOptions.all());
    }

    private static double number(String q) throws ParseException {
        return ((NumberLiteral) parse(q)).value();
    }

    @Test
    void parse_numberLiteralsFollowGoSyntax() throws ParseException {
        assertThat(number("1")).isEqualTo(1);
        assertThat(number("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(number("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(number("NaN")).isNaN();
        assertThat(number(".5")).isEqualTo(0.5);
        assertThat(number("5.")).isEqualTo(5);
        assertThat(number("5e-3")).isEqualTo(0.005);
        assertThat(number("0xc")).isEqualTo(12);
        assertThat(number("0x1F")).isEqualTo(31);
        assertThat(number("0755")).isEqualTo(493);
        assertThat(number("-0755")).isEqualTo(-493);
        assertThat(number("1_000")).isEqualTo(1000);
        assertThat(number("+5.5e-3")).isEqualTo(0.0055);
    }

    @Test
    void parse_durationLiteralIsNumberOfSeconds() throws ParseException {
        NumberLiteral n = (NumberLiteral) parse("1h30m");
        assertThat(n.value()).isEqualTo(5400);
        assertThat(n.duration()).isTrue();
        assertThat(((NumberLiteral) parse("-5m")).value()).isEqualTo(-300);
        assertThat(((NumberLiteral) parse("1y")).value()).isEqualTo(365 * 86400);
        assertThat(((NumberLiteral) parse("10ms")).value()).isEqualTo(0.01);
    }

    @Test
    void parse_unaryMinusBindsLooserThanPower() throws ParseException {
        Expr e = parse("-1^2");
        assertThat(e).isInstanceOf(UnaryExpr.class);
        assertThat(((UnaryExpr) e).expr()).isInstanceOf(BinaryExpr.class);
        BinaryExpr b = (BinaryExpr) parse("-1*2");
        assertThat(b.op()).isEqualTo(BinaryOp.MUL);
        assertThat(((NumberLiteral) b.lhs()).value()).isEqualTo(-1);
        assertThat(b.lhs().position()).isEqualTo(new PositionRange(0, 2));
    }

    @Test
    void parse_precedenceAndAssociativity() throws ParseException {
        BinaryExpr or = (BinaryExpr) parse("foo + bar or bla and blub");
        assertThat(or.op()).isEqualTo(BinaryOp.OR);
        assertThat(((BinaryExpr) or.lhs()).op()).isEqualTo(BinaryOp.ADD);
        assertThat(((BinaryExpr) or.rhs()).op()).isEqualTo(BinaryOp.AND);
        assertThat(or.matching().card()).isEqualTo(VectorMatching.Cardinality.MANY_TO_MANY);
        BinaryExpr pow = (BinaryExpr) parse("2 ^ 3 ^ 2");
        assertThat(pow.rhs()).isInstanceOf(BinaryExpr.class);
        BinaryExpr sub = (BinaryExpr) parse("4 - 2 - 1");
        assertThat(sub.lhs()).isInstanceOf(BinaryExpr.class);
        BinaryExpr cmp = (BinaryExpr) parse("1 < bool 2 - 1 * 2");
        assertThat(cmp.returnBool()).isTrue();
        assertThat(cmp.matching()).isNull();
    }

    @Test
    void parse_vectorMatchingModifiers() throws ParseException {
        BinaryExpr b = (BinaryExpr) parse("bar + on(foo) bla / on(baz, buz) group_right(test) blub");
        BinaryExpr div = (BinaryExpr) b.rhs();
        assertThat(div.matching()).isEqualTo(new VectorMatching(VectorMatching.Cardinality.ONE_TO_MANY,
                List.of("baz", "buz"), true, List.of("test"), null, null));
        assertThat(b.matching().labels()).containsExactly("foo");
        BinaryExpr f = (BinaryExpr) parse("a + on(b) group_left fill_left(1) fill_right(2) c");
        assertThat(f.matching().fillLeft()).isEqualTo(1.0);
        assertThat(f.matching().fillRight()).isEqualTo(2.0);
        assertThat(f.matching().card()).isEqualTo(VectorMatching.Cardinality.MANY_TO_ONE);
    }

    @Test
    void parse_keywordsAsMetricAndLabelNames() throws ParseException {
        MatrixSelector m = (MatrixSelector) parse("offset{step=\"1s\"}[5m]");
        assertThat(m.selector().name()).isEqualTo("offset");
        assertThat(m.selector().matchers()).containsExactly(Matcher.equal("step", "1s"),
                Matcher.equal("__name__", "offset"));
        assertThat(m.range()).isEqualTo(300_000);
        assertThat(((BinaryExpr) parse("foo * sum")).rhs()).isInstanceOf(VectorSelector.class);
        AggregateExpr a = (AggregateExpr) parse("sum by (on, by, offset, \"a.b\") (x)");
        assertThat(a.grouping()).containsExactly("on", "by", "offset", "a.b");
        assertThat(((BinaryExpr) parse("fill + fill")).lhs()).isInstanceOf(VectorSelector.class);
    }

    @Test
    void parse_aggregationModifierBeforeOrAfter() throws ParseException {
        AggregateExpr a = (AggregateExpr) parse("sum(x) without (a)");
        AggregateExpr b = (AggregateExpr) parse("sum without (a) (x)");
        assertThat(AstNormalizer.strip(a)).isEqualTo(AstNormalizer.strip(b));
        assertThat(a.without()).isTrue();
        AggregateExpr t = (AggregateExpr) parse("topk(5, x)");
        assertThat(((NumberLiteral) t.param()).value()).isEqualTo(5);
        AggregateExpr cv = (AggregateExpr) parse("count_values(\"v\", x)");
        assertThat(((StringLiteral) cv.param()).value()).isEqualTo("v");
    }

    @Test
    void parse_selectorsWithUtf8NamesAndModifiers() throws ParseException {
        VectorSelector vs = (VectorSelector) parse("{\"my.metric\", \"a.b\"=~\"c|d\"}");
        assertThat(vs.name()).isNull();
        assertThat(vs.matchers()).containsExactly(Matcher.equal("__name__", "my.metric"),
                Matcher.of(MatchType.REGEX, "a.b", "c|d"));
        VectorSelector o = (VectorSelector) parse("foo offset -5m @ 100");
        assertThat(o.offset()).isEqualTo(-300_000);
        assertThat(o.at()).isEqualTo(At.timestamp(100_000));
        VectorSelector s = (VectorSelector) parse("foo @ start()");
        assertThat(s.at().kind()).isEqualTo(At.Kind.START);
        MatrixSelector m = (MatrixSelector) parse("foo[5m] anchored offset 1m");
        assertThat(m.selector().anchored()).isTrue();
        assertThat(m.selector().offset()).isEqualTo(60_000);
        VectorSelector n = (VectorSelector) parse("foo offset 90");
        assertThat(n.offset()).isEqualTo(90_000);
    }

    @Test
    void parse_subqueries() throws ParseException {
        SubqueryExpr s = (SubqueryExpr) parse("rate(x[5m])[1h:5m] offset 1m @ end()");
        assertThat(s.range()).isEqualTo(3_600_000);
        assertThat(s.step()).isEqualTo(300_000);
        assertThat(s.offset()).isEqualTo(60_000);
        assertThat(s.at().kind()).isEqualTo(At.Kind.END);
        assertThat(((SubqueryExpr) parse("x[5m:]")).step()).isZero();
    }

    @Test
    void parse_durationExpressions() throws ParseException {
        MatrixSelector m = (MatrixSelector) parse("x[5m+1m]");
        assertThat(m.rangeExpr().op()).isEqualTo(DurationExpr.Op.ADD);
        VectorSelector o = (VectorSelector) parse("x offset -(2*step())");
        assertThat(o.offsetExpr().op()).isEqualTo(DurationExpr.Op.SUB);
        assertThat(o.offsetExpr().lhs()).isNull();
        assertThat(((DurationExpr) o.offsetExpr().rhs()).wrapped()).isTrue();
        // Arithmetic after an offset belongs to the enclosing expression.
        BinaryExpr b = (BinaryExpr) parse("x offset step() * 2");
        assertThat(b.op()).isEqualTo(BinaryOp.MUL);
        MatrixSelector mm = (MatrixSelector) parse("x[max_of(min_of(step()+1,1h),1ms)]");
        assertThat(mm.rangeExpr().op()).isEqualTo(DurationExpr.Op.MAX_OF);
        assertThat(((MatrixSelector) parse("x[(5m)]")).range()).isEqualTo(300_000);
        assertThat(parse("end() - start()")).isInstanceOf(BinaryExpr.class);
        assertThat(((DurationExpr) parse("step()")).op()).isEqualTo(DurationExpr.Op.STEP);
        assertThat(parse("step() ").type()).isEqualTo(ValueKind.SCALAR);
    }

    @Test
    void parse_offsetTakesOnlyAPrimaryDuration() throws ParseException {
        BinaryExpr b = (BinaryExpr) parse("foo offset 5s-8");
        assertThat(((VectorSelector) b.lhs()).offset()).isEqualTo(5000);
        BinaryExpr p = (BinaryExpr) parse("foo offset -1^1");
        assertThat(p.op()).isEqualTo(BinaryOp.POW);
        assertThat(((VectorSelector) p.lhs()).offset()).isEqualTo(-1000);
        DurationExpr d = ((VectorSelector) parse("foo offset (-1^2)")).offsetExpr();
        assertThat(d.op()).isEqualTo(DurationExpr.Op.SUB);
        assertThat(d.wrapped()).isTrue();
        assertThat(((DurationExpr) d.rhs()).op()).isEqualTo(DurationExpr.Op.POW);
        SubqueryExpr s = (SubqueryExpr) parse("foo[4s+4s:1s*2] offset (5s-8)");
        assertThat(s.rangeExpr().op()).isEqualTo(DurationExpr.Op.ADD);
        assertThat(s.stepExpr().op()).isEqualTo(DurationExpr.Op.MUL);
        assertThat(s.offsetExpr().wrapped()).isTrue();
        assertThat(((VectorSelector) parse("foo @ 3.3335")).at().timestamp()).isEqualTo(3334);
        assertThat(((VectorSelector) parse("foo @ -3.3e1")).at().timestamp()).isEqualTo(-33000);
        assertThat(((MatrixSelector) parse("foo[4.018]")).range()).isEqualTo(4018);
    }

    @Test
    void parse_stringLiteralsUnescapeLikeGo() throws ParseException {
        assertThat(((StringLiteral) parse("\"a\\n\\t\\\"b\\u00e4\"")).value()).isEqualTo("a\n\t\"b\u00e4");
        assertThat(((StringLiteral) parse("'it\\'s'")).value()).isEqualTo("it's");
        assertThat(((StringLiteral) parse("`raw\\n`")).value()).isEqualTo("raw\\n");
        assertThat(((StringLiteral) parse("\"\\101\\x42\"")).value()).isEqualTo("AB");
        String invalid = ((StringLiteral) parse("\"a\\xc5z\"")).value();
        assertThat(invalid).isEqualTo("a\udcc5z");
        assertThat(Printer.print(new StringLiteral(invalid, PositionRange.NONE))).isEqualTo("\"a\\xc5z\"");
    }

    @Test
    void parse_commentsAndPositionsOnLaterLines() throws ParseException {
        assertThat(parse("foo # comment\n + 1")).isInstanceOf(BinaryExpr.class);
        assertThatThrownBy(() -> parse("foo +\n  bar baz")).hasMessage("2:7: parse error: unexpected identifier \"baz\"");
        // Columns count UTF-8 bytes, as Prometheus's byte offsets do.
        assertThatThrownBy(() -> parse("{\"\u00e4\"=\"x\"} bar")).hasMessage("1:12: parse error: unexpected identifier \"bar\"");
    }

    @Test
    void parseMetricSelector_returnsMatchers() throws ParseException {
        assertThat(PromQLParser.parseMetricSelector("up{job=\"a\"}"))
                .containsExactly(Matcher.equal("job", "a"), Matcher.equal("__name__", "up"));
        assertThat(PromQLParser.parseMetricSelector("{\"my.metric\"}")).containsExactly(Matcher.equal("__name__", "my.metric"));
        assertThatThrownBy(() -> PromQLParser.parseMetricSelector("up offset 5m")).isInstanceOf(ParseException.class);
        assertThat(PromQLParser.parseMetricSelector("{a=~\".*\"}")).hasSize(1);
        assertThatThrownBy(() -> PromQLParser.parseMetricSelector("rate(x[5m])")).isInstanceOf(ParseException.class);
    }

    @Test
    void parseMetric_returnsLabelSet() throws ParseException {
        assertThat(PromQLParser.parseMetric("foo{a=\"b\"}")).isEqualTo(Labels.of("__name__", "foo", "a", "b"));
        assertThat(PromQLParser.parseMetric("{\"my.metric\",\"a.b\"=\"c\",}")).isEqualTo(Labels.of("__name__", "my.metric", "a.b", "c"));
        assertThat(PromQLParser.parseMetric("{}")).isEqualTo(Labels.EMPTY);
        assertThatThrownBy(() -> PromQLParser.parseMetric("foo{a!=\"b\"}")).isInstanceOf(ParseException.class);
    }

    @Test
    void functions_tableHasSignatures() {
        assertThat(Functions.get("rate").argTypes()).containsExactly(ValueKind.MATRIX);
        assertThat(Functions.get("label_join").variadic()).isEqualTo(-1);
        assertThat(Functions.get("round").variadic()).isEqualTo(1);
        assertThat(Functions.get("info").experimental()).isTrue();
        assertThat(Functions.get("histogram_quantile").experimental()).isFalse();
        assertThat(Functions.get("step")).isNull();
        assertThat(Functions.get("holt_winters")).isNull();
        assertThat(Functions.all()).hasSizeGreaterThan(80);
    }
}
