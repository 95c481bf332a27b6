package io.specula.model.textparse;

/** Metric family types of the exposition formats, with their names as written in {@code # TYPE}. */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram"),
    GAUGE_HISTOGRAM("gaugehistogram"),
    SUMMARY("summary"),
    INFO("info"),
    STATESET("stateset"),
    /** OpenMetrics {@code unknown}; the text format's {@code untyped} maps here too. */
    UNKNOWN("unknown");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    /** The name as OpenMetrics writes it. */
    public String text() {
        return text;
    }

    /** The type named {@code s} in OpenMetrics, or null. */
    public static MetricType fromOpenMetrics(String s) {
        for (MetricType t : values()) {
            if (t.text.equals(s)) {
                return t;
            }
        }
        return null;
    }
}
