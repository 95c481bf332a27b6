package io.specula.tsdb.storage;

/** Something that takes samples. */
public interface Appendable {
    /** A new transaction; see {@link Appender}. */
    Appender appender();
}
