package io.specula.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.promql.engine.EngineOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start timestamps through the script runner: {@code @st} load lines, the engine's use of them. */
class StartTimestampScriptTest {
    private static ScriptRunner.FileReport run(EngineOptions o, String script) {
        return new ScriptRunner(o).run("st.test", script);
    }

    private static List<ScriptRunner.EvalOutcome> passing(EngineOptions o, String script) {
        ScriptRunner.FileReport r = run(o, script);
        assertThat(r.error()).isNull();
        assertThat(r.evals()).isNotEmpty();
        for (ScriptRunner.EvalOutcome e : r.evals()) {
            assertThat(e.passed()).as("line %d %s: %s", e.line(), e.expr(), e.got()).isTrue();
        }
        return r.evals();
    }

    /** The float part of upstream's start_timestamp() case (its histogram samples left out). */
    @Test
    void startTimestamp_reportsTheLatestSamplesStartTime() {
        passing(EngineOptions.forTests(), """
                load 10s
                    series{case="a"}@st  _  1ms   _   0  -1ms
                    series{case="a"}     _   10  20  30    40
                    series{case="b"}@st  _    _   _   _   -3s
                    series{case="b"}     _    _   _   _    40
                    plain                _    1

                eval range from 0s to 45s step 5s start_timestamp(series)
                    {case="a"}  _  _  10.001  10.001  0  0  30  30  39.999  39.999
                    {case="b"}  _  _   _       _      _  _   _   _  37      37

                eval instant at 15s start_timestamp(plain)
                    {} 0

                eval instant at 15s start_timestamp(plain + 1)
                """);
    }

    @Test
    void startTimestamps_off_rateIgnoresThem() {
        String script = """
                load 1m
                    delta_total@st   _ _ -1mx5
                    delta_total      _ _ 60x5

                eval instant at 6m increase(delta_total[5m])
                    {} %s

                eval instant at 6m start_timestamp(delta_total)
                %s
                """;
        passing(EngineOptions.forTests(), script.formatted("300", "    {} 300"));
        passing(EngineOptions.forTests().withStartTimestamps(false), script.formatted("0", ""));
    }

    @Test
    void load_startTimestampLineWithoutItsSamples_isAScriptError() {
        ScriptRunner.FileReport r = run(EngineOptions.forTests(), """
                load 1m
                    a@st  -1m -1m
                    b     1 2
                """);
        assertThat(r.error()).contains("line 2").contains("must be followed by the samples of the same series");
        r = run(EngineOptions.forTests(), """
                load 1m
                    a@st  -1m -1m
                    a     1 2 3
                """);
        assertThat(r.error()).contains("3 samples but 2 start timestamps");
    }
}
