package io.specula.alertmanager.config;

import java.util.List;

/** A named entry of {@code time_intervals} (or the deprecated {@code mute_time_intervals}). */
public final class TimeIntervalConfig {
    public String name;
    public List<TimeInterval> timeIntervals;

    /** Whether any of the intervals contains the instant. */
    public boolean contains(java.time.Instant t) {
        if (timeIntervals != null) {
            for (TimeInterval ti : timeIntervals) {
                if (ti.contains(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
