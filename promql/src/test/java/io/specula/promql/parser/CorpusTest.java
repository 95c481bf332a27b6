package io.specula.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Runs the parser over every expression and series line of Prometheus's PromQL test scripts. */
class CorpusTest {
    @Test
    void parse_everyCorpusEvalParsesAndRoundTrips() throws Exception {
        PromQLCorpus c = PromQLCorpus.load();
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int expectedFailures = 0;
        int roundTrips = 0;
        for (PromQLCorpus.Eval e : c.evals) {
            Expr expr;
            try {
                expr = PromQLParser.parse(e.expr(), ParserOptions.all());
                parsed++;
            } catch (ParseException ex) {
                if (e.expectFail()) {
                    expectedFailures++;
                } else {
                    failures.add(e.file() + ":" + e.line() + " " + e.expr() + " -> " + ex.getMessage());
                }
                continue;
            }
            String printed = Printer.print(expr);
            try {
                Expr again = PromQLParser.parse(printed, ParserOptions.all());
                if (AstNormalizer.strip(again).equals(AstNormalizer.strip(expr))) {
                    roundTrips++;
                } else {
                    failures.add(e.file() + ":" + e.line() + " round trip differs: " + e.expr() + " -> " + printed);
                }
            } catch (ParseException ex) {
                failures.add(e.file() + ":" + e.line() + " printed form does not parse: " + e.expr() + " -> "
                        + printed + " -> " + ex.getMessage());
            }
        }
        System.out.printf("corpus: %d files, %d evals, %d parsed, %d round-tripped, %d failed as expected%n",
                c.files, c.evals.size(), parsed, roundTrips, expectedFailures);
        assertThat(failures).isEmpty();
        assertThat(c.evals).hasSizeGreaterThan(2000);
    }

    @Test
    void seriesDescription_everyCorpusSeriesLineParses() throws Exception {
        PromQLCorpus c = PromQLCorpus.load();
        List<String> failures = new ArrayList<>();
        int load = 0;
        int expected = 0;
        int histogramLines = 0;
        for (PromQLCorpus.SeriesLine l : c.seriesLines) {
            try {
                SeriesDescription d = SeriesDescription.parse(l.text());
                if (d.hasHistograms()) {
                    histogramLines++;
                }
                if (l.load()) {
                    load++;
                } else {
                    expected++;
                }
            } catch (ParseException ex) {
                failures.add(l.file() + ":" + l.line() + " " + l.text() + " -> " + ex.getMessage());
            }
        }
        System.out.printf("series lines: %d load, %d expected-result, %d with native histograms%n", load, expected,
                histogramLines);
        assertThat(failures).isEmpty();
    }

    private static final String ALPHABET = "(){}[]\"'`,:=!~+-*/%^<>@ #\n0123456789.eExabmsyh_" + "\u00e4";
    private static final String[] WORDS = {"sum", "by", "offset", "@", "bool", "on", "group_left", "[5m]", "[5m:1m]",
            "start()", "step()", "fill(0)", "anchored", "smoothed", "Inf", "NaN", "0x1F", "1e3", "\\x", "\\u12"};

    @Test
    void parse_randomMutationsOnlyThrowParseException() throws Exception {
        PromQLCorpus c = PromQLCorpus.load();
        Random rnd = new Random(20261124L);
        int ok = 0;
        int rejected = 0;
        for (int round = 0; round < 20; round++) {
            for (PromQLCorpus.Eval e : c.evals) {
                String q = mutate(e.expr(), rnd);
                for (ParserOptions o : List.of(ParserOptions.all(), ParserOptions.defaults())) {
                    try {
                        Expr x = PromQLParser.parse(q, o);
                        String printed = Printer.print(x);
                        Expr again;
                        try {
                            again = PromQLParser.parse(printed, o);
                        } catch (ParseException ex) {
                            throw new AssertionError("printed form of " + q + " does not parse: " + printed, ex);
                        }
                        assertThat(AstNormalizer.strip(again)).as("round trip of %s via %s", q, printed)
                                .isEqualTo(AstNormalizer.strip(x));
                        ok++;
                    } catch (ParseException ex) {
                        assertThat(ex.getMessage()).contains("parse error: ");
                        rejected++;
                    } catch (RuntimeException | StackOverflowError ex) {
                        throw new AssertionError("parser crashed on " + q, ex);
                    }
                }
            }
        }
        System.out.printf("mutations: %d accepted, %d rejected with ParseException%n", ok, rejected);
        assertThat(rejected).isPositive();
        assertThat(ok).isPositive();
    }

    private static String mutate(String s, Random rnd) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + rnd.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = sb.isEmpty() ? 0 : rnd.nextInt(sb.length() + 1);
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> sb.insert(at, WORDS[rnd.nextInt(WORDS.length)]);
                default -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    }
                }
            }
        }
        return sb.toString();
    }
}
