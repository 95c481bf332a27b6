package io.specula.tsdb.record;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import io.specula.tsdb.encoding.DataOutput;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Pieces shared by the record formats: the type byte, label sets, strings. */
final class RecordCodec {
    /** "samples record", …: names the record in a CorruptionException (offsets are inside the record). */
    private static final String[] SOURCES = Arrays.stream(RecordType.values())
            .map(t -> t.name().toLowerCase(Locale.ROOT) + " record")
            .toArray(String[]::new);

    private RecordCodec() {
    }

    /** A cursor over {@code rec[0, len)} past its type byte, which must be {@code expected}. */
    static DataInput open(byte[] rec, int len, RecordType expected) throws CorruptionException {
        String source = SOURCES[expected.ordinal()];
        if (len > rec.length) {
            throw new IllegalArgumentException("length " + len + " beyond array of " + rec.length);
        }
        DataInput in = new DataInput(MemorySegment.ofArray(rec), source, 0, len);
        int type = in.readByte();
        if (type != expected.code()) {
            throw new CorruptionException(source, 0, "record type " + type + ", expected " + expected.code());
        }
        return in;
    }

    /**
     * Label set layout: {@code n <uvarint>}, then n times {@code len <uvarint> name <bytes>
     * len <uvarint> value <bytes>}, in the set's (sorted) order.
     */
    static void writeLabels(DataOutput out, Labels labels) {
        out.writeUvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            out.writeUvarintString(labels.name(i));
            out.writeUvarintString(labels.value(i));
        }
    }

    static Labels readLabels(DataInput in, byte[] rec, SymbolTable symbols, LabelsBuilder scratch) throws CorruptionException {
        long at = in.position();
        int n = in.readUvarintInt();
        // Each pair takes at least two bytes: a cheap guard against a corrupt count.
        if (n > in.remaining() / 2) {
            throw in.corrupt(at, "label count " + n + " exceeds the record");
        }
        scratch.reset();
        for (int i = 0; i < n; i++) {
            String name = readString(in, rec, symbols);
            String value = readString(in, rec, symbols);
            scratch.add(name, value);
        }
        return scratch.build();
    }

    /** A uvarint-prefixed UTF-8 string, interned through {@code symbols} when given (a hit allocates nothing). */
    static String readString(DataInput in, byte[] rec, SymbolTable symbols) throws CorruptionException {
        int len = in.readUvarintInt();
        int at = (int) in.position();
        in.skip(len);
        return symbols != null ? symbols.intern(rec, at, len) : new String(rec, at, len, StandardCharsets.UTF_8);
    }

    static int grow(int capacity, int need) {
        return Math.max(need, Math.max(16, capacity + (capacity >> 1)));
    }
}
