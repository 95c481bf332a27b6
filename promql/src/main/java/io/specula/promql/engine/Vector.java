package io.specula.promql.engine;

import io.specula.promql.parser.ValueKind;
import java.util.List;

/** An instant vector: one sample per series, in the order the query produced them. */
public record Vector(List<Sample> samples) implements Value {
    public Vector {
        samples = List.copyOf(samples);
    }

    /** The float samples only: for consumers that cannot store or use native histograms yet. */
    public List<Sample> floatSamples() {
        for (Sample s : samples) {
            if (s.isHistogram()) {
                return samples.stream().filter(x -> !x.isHistogram()).toList();
            }
        }
        return samples;
    }

    @Override
    public ValueKind kind() {
        return ValueKind.VECTOR;
    }
}
