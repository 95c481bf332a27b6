package io.specula.tsdb.index;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Read access to the index of a block (or of anything shaped like one, such as the head):
 * symbols, label names and values, postings by label pair, and series by reference.
 *
 * <p>Implementations MUST be safe for concurrent use by many queries. Returned lists are
 * immutable; returned {@link Postings} belong to the caller (one thread). Nothing returned
 * may be used after {@link #close()}: the owner (a block) closes its reader only once no
 * querier pins it. A damaged index raises {@link io.specula.tsdb.encoding.CorruptionException},
 * which names file and offset, never an unchecked exception.
 */
public interface IndexReader extends AutoCloseable {
    /** Opens the index file at {@code path} by memory mapping; see {@link IndexFileReader}. */
    static IndexFileReader open(Path path) throws IOException {
        return IndexFileReader.open(path);
    }

    /** Every symbol (label names and values), sorted in {@link Utf8Order}. */
    Iterator<String> symbols();

    /** Label names in {@link Utf8Order}. */
    List<String> labelNames() throws IOException;

    /** Values of label {@code name} in {@link Utf8Order}; empty for an unknown name. */
    List<String> labelValues(String name) throws IOException;

    /**
     * The series having label {@code name} set to {@code value}, by increasing reference.
     * The pair ({@code ""}, {@code ""}) gives every series.
     */
    Postings postings(String name, String value) throws IOException;

    /**
     * The union of the postings of the values of {@code name} that start with {@code prefix}
     * (possibly {@code ""}) and satisfy {@code match}. Values are visited in order from the
     * prefix on, so a regex with a literal prefix reads only its slice of the values.
     */
    Postings postingsForLabelMatching(String name, String prefix, Predicate<String> match) throws IOException;

    /**
     * Decodes series {@code ref} (a reference taken from postings): its labels replace the
     * contents of {@code builder}, its chunk metas those of {@code chunks}.
     */
    void series(long ref, LabelsBuilder builder, ChunkMetas chunks) throws IOException;

    /**
     * Like {@link #series} but returns the labels; a reader that holds them already (the head)
     * returns its own immutable instance instead of building a copy.
     */
    default Labels seriesLabels(long ref, LabelsBuilder builder, ChunkMetas chunks) throws IOException {
        series(ref, builder, chunks);
        return builder.build();
    }

    /**
     * The references of {@code p} reordered so that their series come in label order. A block's
     * index numbers series in label order already; the head numbers them by creation.
     */
    default Postings sortedPostings(Postings p) throws IOException {
        return p;
    }

    /** Every series. */
    default Postings allPostings() throws IOException {
        return postings(IndexFormat.ALL_POSTINGS_NAME, IndexFormat.ALL_POSTINGS_VALUE);
    }

    @Override
    void close();
}
