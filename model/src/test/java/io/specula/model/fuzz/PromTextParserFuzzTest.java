package io.specula.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.model.textparse.PromTextParser;

/**
 * The Prometheus text format parser on arbitrary bytes: it parses or refuses with a position,
 * never anything else. {@code ./test} replays the committed seeds and earlier findings
 * ({@code src/test/resources/…/PromTextParserFuzzTestInputs/}) and fuzzes for a bounded time;
 * see docs/fuzzing.md for longer runs.
 */
class PromTextParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) {
        FuzzedExposition.drain(new PromTextParser(body));
    }
}
