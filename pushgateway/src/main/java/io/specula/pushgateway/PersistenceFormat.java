package io.specula.pushgateway;

import io.specula.model.exposition.proto.MetricFamily;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Specula's Pushgateway persistence file (the Go gateway's file is a Go gob stream, which only
 * Go reads; this one is Specula's own). Layout, big-endian:
 *
 * <pre>
 * magic    "SPGW" (4 bytes), version 1 (1 byte)
 * groups   int32 count, then per group:
 *            int32 label count, then per label: name, value (Java modified-UTF-8 strings, 2-byte length)
 *            int32 family count, then per family:
 *              int64 write time, seconds since the epoch; int32 nanoseconds
 *              int32 length, then that many bytes: a serialized io.prometheus.client.MetricFamily
 * crc      int32 CRC-32C of every byte before it
 * </pre>
 *
 * <p>Written whole to {@code <file>.in_progress.<nanos>} in the same directory, forced to disk
 * and renamed over the file, so a crash leaves either the old or the new state, never a mix.
 */
final class PersistenceFormat {
    private PersistenceFormat() {}

    private static final byte[] MAGIC = {'S', 'P', 'G', 'W'};
    private static final int VERSION = 1;
    /** No single family in a pushed body can exceed the body limit. */
    private static final int MAX_FAMILY_BYTES = PushHandler.MAX_BODY_BYTES;

    static void write(Path file, List<MetricStore.Group> groups) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(buf);
        out.write(MAGIC);
        out.writeByte(VERSION);
        out.writeInt(groups.size());
        for (MetricStore.Group g : groups) {
            out.writeInt(g.key().labels().size());
            for (var e : g.key().labels().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(g.families().size());
            for (MetricStore.TimestampedFamily tf : g.families().values()) {
                out.writeLong(tf.time().getEpochSecond());
                out.writeInt(tf.time().getNano());
                byte[] mf = tf.family().toByteArray();
                out.writeInt(mf.length);
                out.write(mf);
            }
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(buf.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();

        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".in_progress." + System.nanoTime());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(buf.toByteArray());
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The groups in {@code file}, or an empty list when it does not exist. */
    static List<MetricStore.Group> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 1 + 4 + 4) {
            throw new IOException(file + ": truncated (" + all.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = ByteBuffer.wrap(all, all.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(file + ": checksum mismatch at offset " + (all.length - 4));
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 4));
        byte[] magic = in.readNBytes(4);
        if (!java.util.Arrays.equals(magic, MAGIC) || in.readByte() != VERSION) {
            throw new IOException(file + ": not a Specula Pushgateway persistence file (version " + VERSION + ")");
        }
        int groups = count(in, file);
        List<MetricStore.Group> out = new ArrayList<>(Math.min(groups, 1024));
        for (int i = 0; i < groups; i++) {
            int nl = count(in, file);
            TreeMap<String, String> labels = new TreeMap<>();
            for (int j = 0; j < nl; j++) {
                labels.put(in.readUTF(), in.readUTF());
            }
            GroupingKey key = new GroupingKey(labels);
            int nf = count(in, file);
            TreeMap<String, MetricStore.TimestampedFamily> families = new TreeMap<>();
            for (int j = 0; j < nf; j++) {
                Instant t = Instant.ofEpochSecond(in.readLong(), in.readInt());
                int len = in.readInt();
                if (len < 0 || len > MAX_FAMILY_BYTES) {
                    throw new IOException(file + ": family of " + len + " bytes");
                }
                MetricFamily mf = MetricFamily.parseFrom(readExactly(in, len));
                families.put(mf.getName(), new MetricStore.TimestampedFamily(mf, t));
            }
            out.add(new MetricStore.Group(key, families));
        }
        return out;
    }

    private static int count(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(file + ": negative count");
        }
        return n;
    }

    private static byte[] readExactly(InputStream in, int len) throws IOException {
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new IOException("truncated");
        }
        return b;
    }
}
