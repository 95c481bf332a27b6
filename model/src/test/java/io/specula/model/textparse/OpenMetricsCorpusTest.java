package io.specula.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs every case of the OpenMetrics parser corpus through {@link OpenMetricsParser}. */
class OpenMetricsCorpusTest {

    @Test
    void parse_everyCorpusCase_acceptsExactlyTheGoodOnes() throws Exception {
        Path dir = OpenMetricsCorpus.locate();
        Assumptions.assumeTrue(dir != null, OpenMetricsCorpus::missingMessage);
        List<OpenMetricsCorpus.Case> cases = OpenMetricsCorpus.cases(dir);
        assertThat(cases).as("corpus cases in %s", dir).hasSize(211);

        List<String> wrong = new ArrayList<>();
        int right = 0;
        for (OpenMetricsCorpus.Case c : cases) {
            byte[] body = Files.readAllBytes(c.metrics());
            String outcome;
            boolean parsed;
            try {
                Parser p = new OpenMetricsParser(body);
                while (p.next() != null) {
                    // parse to the end
                }
                parsed = true;
                outcome = "parsed";
            } catch (ParseException e) {
                parsed = false;
                outcome = e.getMessage();
            }
            if (parsed == c.shouldParse()) {
                right++;
            } else {
                wrong.add(c.name() + " (shouldParse=" + c.shouldParse() + "): " + outcome);
            }
        }
        System.out.println("OpenMetrics corpus: " + right + "/" + cases.size() + " cases as expected");
        assertThat(wrong).as("cases with the wrong outcome").isEmpty();
        assertThat(right).isEqualTo(211);
    }
}
