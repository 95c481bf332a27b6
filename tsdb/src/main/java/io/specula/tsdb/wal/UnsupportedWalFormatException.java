package io.specula.tsdb.wal;

import java.io.IOException;

/**
 * A WAL holds well-formed data that Specula cannot read, such as zstd-compressed records of a
 * newer Prometheus. Deliberately not a {@link io.specula.tsdb.encoding.CorruptionException}:
 * repairing would delete valid data.
 */
public final class UnsupportedWalFormatException extends IOException {
    public UnsupportedWalFormatException(String file, long offset, String message) {
        super(file + ": offset " + offset + ": " + message);
    }
}
