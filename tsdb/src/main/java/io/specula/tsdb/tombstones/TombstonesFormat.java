package io.specula.tsdb.tombstones;

import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.Crc32c;
import io.specula.tsdb.encoding.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A block's {@code tombstones} file:
 *
 * <pre>
 * magic 0x0130BA30 &lt;4b&gt; | version 1 &lt;1b&gt;
 * (series ref &lt;uvarint64&gt; | mint &lt;varint64&gt; | maxt &lt;varint64&gt;)*   one per interval
 * CRC32C &lt;4b&gt; of the intervals (not of magic and version)
 * </pre>
 *
 * An empty file is 9 bytes. Intervals are written by increasing series reference and time;
 * Prometheus writes them in map order, so readers must not rely on any order. A missing
 * file means no deletions. (The format document still mentions a trailing offset to the
 * intervals; no Prometheus 2.x writes one.)
 */
public final class TombstonesFormat {
    public static final String FILENAME = "tombstones";
    public static final int MAGIC = 0x0130BA30;
    public static final int VERSION_1 = 1;
    static final int HEADER_LEN = 5;

    private TombstonesFormat() {}

    /** Reads {@code blockDir/tombstones}; {@link Tombstones#EMPTY} when there is none. */
    public static Tombstones read(Path blockDir) throws IOException {
        Path file = blockDir.resolve(FILENAME);
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Tombstones.EMPTY;
        }
        return decode(b, file.toString());
    }

    /** Decodes a whole tombstones file; {@code file} names it in errors. */
    public static Tombstones decode(byte[] b, String file) throws CorruptionException {
        if (b.length < HEADER_LEN + 4) {
            throw new CorruptionException(file, 0, "tombstones file too small: " + b.length + " bytes");
        }
        DataInput in = DataInput.of(b, file);
        int magic = in.readBE32();
        if (magic != MAGIC) {
            throw new CorruptionException(file, 0, String.format("invalid magic number %08x, want %08x", magic, MAGIC));
        }
        int version = in.readByte();
        if (version != VERSION_1) {
            throw new CorruptionException(file, 4, "invalid tombstone format version " + version);
        }
        int end = b.length - 4;
        int stored = DataInput.of(b, file).seek(end).readBE32();
        int actual = Crc32c.of(b, HEADER_LEN, end - HEADER_LEN);
        if (stored != actual) {
            throw new CorruptionException(file, end, String.format("checksum mismatch: stored %08x, computed %08x", stored, actual));
        }
        DataInput body = new DataInput(java.lang.foreign.MemorySegment.ofArray(b), file, HEADER_LEN, end);
        Tombstones.Builder tb = new Tombstones.Builder();
        while (body.remaining() > 0) {
            long at = body.position();
            long ref = body.readUvarint();
            long mint = body.readVarint();
            long maxt = body.readVarint();
            if (maxt < mint) {
                throw new CorruptionException(file, at, "interval [" + mint + ", " + maxt + "] of series " + ref + " is empty");
            }
            tb.add(ref, mint, maxt);
        }
        return tb.build();
    }

    /** The file's bytes for {@code t}. */
    public static byte[] encode(Tombstones t) {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeBE32(MAGIC);
        out.writeByte(VERSION_1);
        for (int i = 0; i < t.seriesCount(); i++) {
            Intervals iv = t.intervals(i);
            for (int k = 0; k < iv.size(); k++) {
                out.writeUvarint(t.ref(i));
                out.writeVarint(iv.mint(k));
                out.writeVarint(iv.maxt(k));
            }
        }
        out.writeBE32(out.crc32c(HEADER_LEN, out.size()));
        return out.toByteArray();
    }

    /** Writes {@code blockDir/tombstones} atomically; returns its size in bytes. */
    public static long write(Path blockDir, Tombstones t) throws IOException {
        Path file = blockDir.resolve(FILENAME);
        Path tmp = blockDir.resolve(FILENAME + ".tmp");
        byte[] b = encode(t);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(blockDir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Directories cannot be opened everywhere; the rename is durable where we run.
        }
        return b.length;
    }
}
