package io.specula.tsdb.storage;

import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.util.List;

/**
 * Label names and values of the series in a time range. Results are sorted and
 * deduplicated. Must be closed; a querier pins the blocks it reads until then.
 */
public interface LabelQuerier extends AutoCloseable {
    /** Values of label {@code name} among the series that match all {@code matchers}. */
    List<String> labelValues(String name, Matcher... matchers) throws IOException;

    /** Names of the labels of the series that match all {@code matchers}. */
    List<String> labelNames(Matcher... matchers) throws IOException;

    @Override
    void close();
}
