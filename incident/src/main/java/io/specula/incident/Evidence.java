package io.specula.incident;

/**
 * Why an entity counts as unhealthy: one of its alerts, a stored health signal, or (for a
 * service) an unhealthy pod beneath it. Immutable.
 *
 * @param source {@code alert}, {@code signal} or {@code derived}
 * @param name the alert's name, the signal's name ({@code target_down}, {@code memory_low}, …),
 *     or {@code unhealthy_pod}
 * @param series the series (or alert labels) the evidence was read from, in Prometheus's notation
 * @param value its value at the last evaluation (the alert's value; NaN when there is none)
 * @param sinceMs since when it holds without interruption, Unix ms
 * @param state for alerts {@code pending} or {@code firing}; empty otherwise
 * @param text one line a person reads, e.g. {@code memory available 2.0%}
 * @param expr a PromQL expression that graphs this evidence for its series alone (an {@code ALERTS}
 *     selector for an alert); empty for derived evidence
 */
public record Evidence(String source, String name, String series, double value, long sinceMs, String state,
        String text, String expr) {
    public static final String ALERT = "alert";
    public static final String SIGNAL = "signal";
    public static final String DERIVED = "derived";

    public Evidence withSince(long ms) {
        return ms == sinceMs ? this : new Evidence(source, name, series, value, ms, state, text, expr);
    }

    public boolean isAlert() {
        return source.equals(ALERT);
    }

    public boolean isFiringAlert() {
        return isAlert() && state.equals("firing");
    }
}
