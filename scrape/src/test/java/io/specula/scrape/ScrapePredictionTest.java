package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.value.StaleNaN;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text parser compares a line with the series the scrape cache predicts instead of lexing
 * it: whatever the bodies do between scrapes, a warm pipeline must store exactly what a fresh
 * one (no cache, every line lexed) stores for the same body.
 */
class ScrapePredictionTest {
    private static final String CT = "text/plain; version=0.0.4";

    private static final String[] BODIES = {
        "# TYPE up gauge\nup 1\nm{a=\"1\"} 1\nm{a=\"2\"} 2\nmulti{v=\"x\ny\"} 3\nlast 4\n",
        // the same, values changed, a timestamp added
        "# TYPE up gauge\nup 2\nm{a=\"1\"} 5\nm{a=\"2\"} 6 1000\nmulti{v=\"x\ny\"} 7\nlast 8\n",
        // a bare name now goes on (up_total), gets labels (last{...}), lines swapped and inserted
        "up_total 3\nm{a=\"2\"} 9\nm{a=\"1\"} 10\nnew{b=\"1\"} 11\nmulti{v=\"x\ny\"} 12\nlast{a=\"1\"} 13\n",
        // blanks where the series text ended before, a label value that only extends an old one
        "up_total  4\nm{a=\"2\"}14\nm{a=\"12\"} 15\nnew{b=\"1\"} 16\nlast {a=\"1\"} 17\n",
        "up_total 5\nm{a=\"2\"} 18\nm{a=\"12\"} 19\nnew{b=\"1\"} 20\nlast {a=\"1\"} 21\n",
    };

    private static ScrapeConfig config() throws Exception {
        return ScrapeConfigs.parse("scrape_configs:\n  - job_name: t\n", "t", GlobalConfig.defaults()).getFirst();
    }

    private static List<String> stored(Recording r) {
        List<String> out = new ArrayList<>();
        for (Recording.Sample s : r.samples) {
            out.add(s.labels() + " " + s.t() + " " + (StaleNaN.is(s.v()) ? "stale" : s.v()));
        }
        return out;
    }

    @Test
    void append_changingBodies_warmPipelineStoresWhatAFreshOneDoes() throws Exception {
        Recording warm = new Recording();
        ScrapePipeline p = new ScrapePipeline(config(), Labels.of("__address__", "a:1"), warm);
        long t = 1_000_000;
        for (String body : BODIES) {
            t += 15_000;
            int before = warm.samples.size();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            p.append(b, b.length, CT, t);
            List<String> got = stored(warm).subList(before, warm.samples.size()).stream()
                    .filter(s -> !s.endsWith("stale")).toList();

            Recording fresh = new Recording();
            new ScrapePipeline(config(), Labels.of("__address__", "a:1"), fresh).append(b, b.length, CT, t);
            assertThat(got).as(body).containsExactlyElementsOf(stored(fresh));
        }
    }
}
