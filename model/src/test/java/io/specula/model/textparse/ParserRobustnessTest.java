package io.specula.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.specula.model.labels.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded randomized robustness: arbitrary bytes, mutations of valid bodies and pathological
 * shapes must end in success or a {@link ParseException} with a position — never another
 * exception, a hang or unbounded work.
 */
class ParserRobustnessTest {
    private static final long SEED = 0x5EC01AL;
    private static final int MUTATIONS = 4000;

    enum Kind {
        TEXT(PromTextParser::new),
        OPENMETRICS(OpenMetricsParser::new);

        final Function<byte[], Parser> make;

        Kind(Function<byte[], Parser> make) {
            this.make = make;
        }
    }

    private static final String[] VALID = {
        """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"} 3 1395066363000
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.5"} 4773
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693
        {"my.metric", "a.b"="c\\n\\"d\\\\"} NaN
        # a comment
        """,
        """
        # TYPE a counter
        # UNIT a_seconds seconds
        # HELP a help \\" \\\\ \\n
        a_total{foo="bar"} 1 1.5 # {trace_id="x"} 0.5 1.25
        a_created{foo="bar"} 123.456 1.5
        # TYPE h histogram
        h_bucket{le="0.1"} 1
        h_bucket{le="+Inf"} 2 # {a="b"} 1
        h_count 2
        h_sum 0.5
        h_created 1
        # TYPE s stateset
        s{s="a"} 1
        s{s="b"} 0
        # TYPE i info
        i_info{v="1"} 1
        {"q.r",l="m"} +Inf
        # EOF
        """,
    };

    private static final byte[][] TOKENS = {
        {'{'}, {'}'}, {'"'}, {'\\'}, {0}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {'\n'}, {'\r'},
        {'#'}, {' '}, {'\t'}, {'='}, {','}, "# EOF\n".getBytes(StandardCharsets.US_ASCII),
        "# TYPE ".getBytes(StandardCharsets.US_ASCII), "_total".getBytes(StandardCharsets.US_ASCII),
        "le=\"+Inf\"".getBytes(StandardCharsets.US_ASCII), "NaN".getBytes(StandardCharsets.US_ASCII),
        "1e999".getBytes(StandardCharsets.US_ASCII), "\\n".getBytes(StandardCharsets.US_ASCII),
    };

    @ParameterizedTest
    @EnumSource(Kind.class)
    void next_mutatedAndRandomInput_endsInSuccessOrParseException(Kind kind) {
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rnd = new Random(SEED + kind.ordinal());
            int parsed = 0;
            int rejected = 0;
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] input = i % 10 == 0 ? randomBytes(rnd) : mutate(rnd, VALID[rnd.nextInt(VALID.length)]);
                if (run(kind, input, "case " + i)) {
                    parsed++;
                } else {
                    rejected++;
                }
            }
            assertThat(parsed + rejected).isEqualTo(MUTATIONS);
            assertThat(rejected).as("most mutations break the input").isGreaterThan(MUTATIONS / 4);
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void next_pathologicalShapes_stayLinear(Kind kind) {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(("a{b=\"" + "x".repeat(2_000_000) + "\"} 1\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add(("{\"" + "y".repeat(1_000_000) + "\"} 1\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add(("# HELP a " + "h".repeat(1_000_000) + "\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add(("a " + "9".repeat(500_000) + "\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add(("a 1e" + "9".repeat(500_000) + "\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add(("a 0." + "0".repeat(500_000) + "1\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add("{".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        inputs.add("\"".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        inputs.add("\\".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        inputs.add(("a{b=\"" + "\\\\".repeat(500_000) + "\"} 1\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        inputs.add(("a{b=\"" + "\\".repeat(500_001)).getBytes(StandardCharsets.US_ASCII));
        inputs.add("a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        inputs.add("\n".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
        inputs.add("# ".repeat(500_000).getBytes(StandardCharsets.US_ASCII));
        inputs.add(new byte[1_000_000]); // NUL bytes
        byte[] ff = new byte[1_000_000];
        Arrays.fill(ff, (byte) 0xFF);
        inputs.add(ff);
        StringBuilder labels = new StringBuilder("a{");
        for (int i = 200_000; i > 0; i--) {
            labels.append('l').append(i).append("=\"v\",");
        }
        labels.setLength(labels.length() - 1);
        inputs.add((labels + "} 1\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder families = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            families.append("# TYPE f").append(i).append(" histogram\nf").append(i).append("_bucket{le=\"+Inf\"} 1\n");
        }
        inputs.add((families + "# EOF\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder buckets = new StringBuilder("# TYPE h histogram\n");
        for (int i = 0; i < 100_000; i++) {
            buckets.append("h_bucket{le=\"").append(i).append("\"} ").append(i).append('\n');
        }
        inputs.add((buckets + "h_bucket{le=\"+Inf\"} 100000\nh_created 5\n# EOF\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder sets = new StringBuilder("# TYPE g gauge\n");
        for (int i = 0; i < 100_000; i++) {
            sets.append("g{i=\"").append(i).append("\"} 1\n");
        }
        inputs.add((sets + "g{i=\"5\"} 1\n# EOF\n").getBytes(StandardCharsets.US_ASCII));

        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int i = 0;
            for (byte[] in : inputs) {
                run(kind, in, "shape " + i++);
            }
        });
    }

    /** Parses to the end, touching every accessor; true when the input parsed. */
    private static boolean run(Kind kind, byte[] input, String what) {
        Parser p = kind.make.apply(input);
        LabelsBuilder lb = new LabelsBuilder();
        Exemplar ex = new Exemplar();
        long steps = 0;
        try {
            for (Entry e; (e = p.next()) != null; ) {
                if (++steps > input.length + 2L) {
                    fail("%s: more entries than input bytes for %s", what, show(input));
                }
                switch (e) {
                    case SERIES -> {
                        assertThat(p.seriesOffset()).isNotNegative();
                        assertThat(p.seriesOffset() + p.seriesLength()).isLessThanOrEqualTo(p.seriesBytes().length);
                        p.labels(lb);
                        p.value();
                        p.exemplar(ex);
                        if (p.hasCreatedTimestamp()) {
                            p.createdTimestamp();
                        }
                    }
                    case TYPE -> assertThat(p.type()).isNotNull();
                    default -> {
                        p.metricFamily();
                        p.text();
                    }
                }
            }
            return true;
        } catch (ParseException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            assertThat(e.getMessage()).startsWith("line " + e.line() + ", column " + e.column() + ": ");
            return false;
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t + " for " + show(input), t);
        }
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
        if (rnd.nextBoolean()) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (b[i] & 0x7F); // mostly ASCII, closer to real text
            }
        }
        return b;
    }

    private static byte[] mutate(Random rnd, String valid) {
        byte[] b = valid.getBytes(StandardCharsets.UTF_8);
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> b = Arrays.copyOf(b, at); // truncate
                case 1 -> b[at] = (byte) rnd.nextInt(256); // replace a byte
                case 2 -> b[at] ^= (byte) (1 << rnd.nextInt(8)); // flip a bit
                case 3 -> b = insert(b, at, TOKENS[rnd.nextInt(TOKENS.length)]);
                case 4 -> { // delete a range
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(20));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                default -> { // duplicate a range
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(40));
                    b = insert(b, at, Arrays.copyOfRange(b, at, at + len));
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static String show(byte[] input) {
        return input.length <= 300 ? "input hex " + HexFormat.of().formatHex(input) : input.length + " bytes";
    }
}
