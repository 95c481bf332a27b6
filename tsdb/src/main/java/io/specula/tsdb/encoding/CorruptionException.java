package io.specula.tsdb.encoding;

import java.io.IOException;

/** Data on disk that cannot be what was written: names the file and the byte offset. */
public final class CorruptionException extends IOException {
    private final String file;
    private final long offset;

    public CorruptionException(String file, long offset, String message) {
        super(file + ": offset " + offset + ": " + message);
        this.file = file;
        this.offset = offset;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
