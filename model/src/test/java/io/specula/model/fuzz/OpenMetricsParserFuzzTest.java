package io.specula.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.model.textparse.OpenMetricsParser;

/** The OpenMetrics parser on arbitrary bytes: it parses or refuses with a position, never anything else. */
class OpenMetricsParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) {
        FuzzedExposition.drain(new OpenMetricsParser(body));
    }
}
