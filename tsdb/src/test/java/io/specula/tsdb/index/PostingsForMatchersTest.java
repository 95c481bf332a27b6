package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Matcher resolution against brute-force filtering of every series. */
class PostingsForMatchersTest {
    @TempDir
    static Path dir;

    private static List<TestIndex.Series> series;
    private static long[] refs;

    @BeforeAll
    static void writeIndex() throws IOException {
        series = TestIndex.randomSeries(42, 3000);
        refs = TestIndex.write(dir.resolve("index"), series);
    }

    private static final String[] NAMES = {"__name__", "a", "b", "c", "job", "le", "zone", "\u00fcber", "missing"};
    private static final String[] VALUES = {"", "v1", "v7", "v8", "v10", "v999", "metric_3", "\u00e4", "\uD83D\uDE00", "nope"};
    private static final String[] REGEXES = {
        ".*", ".+", "", "v1|v7|nope", "(v8|v10)", "v1.*", "v.*", "metric_1.*", ".*1", ".*1.*", "v[0-9]+", "v[0-9]",
        "(v1|)", "v7|", "\u00e4|\uD83D\uDE00", "(?i)V1", "a|aa|ab", "x=\"y\"", "\\n", "v1\\d"};

    private static Matcher randomMatcher(Random rnd) {
        String name = NAMES[rnd.nextInt(NAMES.length)];
        MatchType type = MatchType.values()[rnd.nextInt(4)];
        String value = type.isRegex() ? REGEXES[rnd.nextInt(REGEXES.length)] : VALUES[rnd.nextInt(VALUES.length)];
        return Matcher.of(type, name, value);
    }

    private static long[] bruteForce(List<Matcher> ms) {
        List<Long> out = new ArrayList<>();
        outer:
        for (int i = 0; i < series.size(); i++) {
            for (Matcher m : ms) {
                if (!m.matches(series.get(i).labels().get(m.name()))) {
                    continue outer;
                }
            }
            out.add(refs[i]);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void postings_randomMatchers_equalBruteForce(long seed) throws IOException {
        Random rnd = new Random(seed);
        try (IndexFileReader r = IndexReader.open(dir.resolve("index"))) {
            for (int q = 0; q < 300; q++) {
                List<Matcher> ms = new ArrayList<>();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    ms.add(randomMatcher(rnd));
                }
                assertThat(Postings.toArray(PostingsForMatchers.postings(r, ms))).as("%s", ms).containsExactly(bruteForce(ms));
            }
        }
    }

    @Test
    void postings_everyShapeAlone_equalsBruteForce() throws IOException {
        try (IndexFileReader r = IndexReader.open(dir.resolve("index"))) {
            for (String name : NAMES) {
                for (MatchType t : MatchType.values()) {
                    for (String v : t.isRegex() ? REGEXES : VALUES) {
                        Matcher m = Matcher.of(t, name, v);
                        assertThat(Postings.toArray(PostingsForMatchers.postings(r, m))).as("%s", m).containsExactly(bruteForce(List.of(m)));
                    }
                }
            }
        }
    }

    @Test
    void postings_noMatchers_selectNothingAsInPrometheus() throws IOException {
        try (IndexFileReader r = IndexReader.open(dir.resolve("index"))) {
            assertThat(Postings.toArray(PostingsForMatchers.postings(r))).isEmpty();
        }
    }
}
