package io.specula.rules.unittest;

import io.specula.model.config.PromDuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule unit-test file in promtool's format (Prometheus's
 * {@code docs/configuration/unit_testing_rules.md}), bound by
 * {@link io.specula.model.config.YamlConfigLoader}.
 */
public final class UnitTestFile {
    public List<String> ruleFiles = new ArrayList<>();
    public PromDuration evaluationInterval;
    public List<String> groupEvalOrder = new ArrayList<>();
    public List<TestGroup> tests = new ArrayList<>();

    /** One entry of {@code tests}: input series and the checks against them. */
    public static final class TestGroup {
        public PromDuration interval;
        public List<InputSeries> inputSeries = new ArrayList<>();
        public List<AlertTestCase> alertRuleTest = new ArrayList<>();
        public List<PromqlTestCase> promqlExprTest = new ArrayList<>();
        public Map<String, String> externalLabels = new LinkedHashMap<>();
        public String externalUrl = "";
        public String name = "";
    }

    /** {@code series} in PromQL metric notation, {@code values} in the expanding notation ({@code 1+2x3 _ stale}). */
    public static final class InputSeries {
        public String series = "";
        public String values = "";
    }

    /** The firing alerts of {@code alertname} expected at {@code eval_time}. */
    public static final class AlertTestCase {
        public PromDuration evalTime = PromDuration.ZERO;
        public String alertname = "";
        public List<ExpAlert> expAlerts = new ArrayList<>();
    }

    /** One expected alert: labels besides {@code alertname}, and annotations. */
    public static final class ExpAlert {
        public Map<String, String> expLabels = new LinkedHashMap<>();
        public Map<String, String> expAnnotations = new LinkedHashMap<>();
    }

    /** An instant query and the samples it must return, in any order. */
    public static final class PromqlTestCase {
        public String expr = "";
        public PromDuration evalTime = PromDuration.ZERO;
        public List<ExpSample> expSamples = new ArrayList<>();
    }

    /** One expected sample: labels in metric notation and an exact value. */
    public static final class ExpSample {
        public String labels = "";
        public double value;
    }
}
