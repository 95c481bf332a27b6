package io.specula.template;

import io.specula.model.histogram.FloatHistogram;

/**
 * A native-histogram sample value as a template sees it: Go's {@code *histogram.FloatHistogram},
 * which prints through its {@code String()} ({@code {count:4, sum:5, (0.5,1]:2, ...}}) and is
 * no number to the humanize functions ({@code can't convert *histogram.FloatHistogram to float}).
 */
public final class GoHistogram implements GoTyped {
    private final FloatHistogram histogram;

    public GoHistogram(FloatHistogram histogram) {
        this.histogram = histogram;
    }

    public FloatHistogram histogram() {
        return histogram;
    }

    @Override
    public String goTypeName() {
        return "*histogram.FloatHistogram";
    }

    @Override
    public String toString() {
        return histogram.toString();
    }
}
