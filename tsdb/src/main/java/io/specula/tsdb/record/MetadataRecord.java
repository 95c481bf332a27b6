package io.specula.tsdb.record;

import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;

/**
 * A metadata record (type 6): metric type, unit and help of series.
 *
 * <p>Byte layout (Prometheus's {@code record.Metadata}, bit-exact):
 * <pre>
 * ┌─────────────────────────────────────────────────────────────┐
 * │ type = 6 &lt;1b&gt;                                               │
 * ├─────────────────────────────────────────────────────────────┤
 * │ ref &lt;uvarint&gt; │ metric type &lt;1b&gt; │ k = fields &lt;uvarint&gt;     │ ◀ every series
 * │ k × (len &lt;uvarint&gt; field name, len &lt;uvarint&gt; field value)    │
 * └─────────────────────────────────────────────────────────────┘
 * </pre>
 * Prometheus writes two fields, {@code "UNIT"} then {@code "HELP"}; a decoder must skip fields
 * it does not know. Metric type bytes are the {@code TYPE_*} constants below.
 *
 * <p>Reusable; not thread-safe. Units and help texts are interned through the optional
 * {@link SymbolTable} (every series of a family repeats them).
 */
public final class MetadataRecord {
    public static final int TYPE_UNKNOWN = 0;
    public static final int TYPE_COUNTER = 1;
    public static final int TYPE_GAUGE = 2;
    public static final int TYPE_HISTOGRAM = 3;
    public static final int TYPE_GAUGE_HISTOGRAM = 4;
    public static final int TYPE_SUMMARY = 5;
    public static final int TYPE_INFO = 6;
    public static final int TYPE_STATESET = 7;

    private static final String UNIT = "UNIT";
    private static final String HELP = "HELP";

    private final SymbolTable symbols;
    private long[] refs = new long[8];
    private byte[] types = new byte[8];
    private String[] units = new String[8];
    private String[] helps = new String[8];
    private int size;

    public MetadataRecord() {
        this(null);
    }

    /** @param symbols interns decoded strings; may be null */
    public MetadataRecord(SymbolTable symbols) {
        this.symbols = symbols;
    }

    public void clear() {
        Arrays.fill(units, 0, size, null);
        Arrays.fill(helps, 0, size, null);
        size = 0;
    }

    /** @param type one of the {@code TYPE_*} constants (any byte is carried through) */
    public void add(long ref, int type, String unit, String help) {
        if (size == refs.length) {
            int c = RecordCodec.grow(size, size + 1);
            refs = Arrays.copyOf(refs, c);
            types = Arrays.copyOf(types, c);
            units = Arrays.copyOf(units, c);
            helps = Arrays.copyOf(helps, c);
        }
        refs[size] = ref;
        types[size] = (byte) type;
        units[size] = unit;
        helps[size] = help;
        size++;
    }

    public int size() {
        return size;
    }

    public long ref(int i) {
        return refs[i];
    }

    /** The metric type byte, 0–255. */
    public int type(int i) {
        return types[i] & 0xFF;
    }

    public String unit(int i) {
        return units[i];
    }

    public String help(int i) {
        return helps[i];
    }

    public void encode(ByteArrayDataOutput out) {
        out.writeByte(RecordType.METADATA.code());
        for (int i = 0; i < size; i++) {
            out.writeUvarint(refs[i]);
            out.writeByte(types[i]);
            out.writeUvarint(2);
            out.writeUvarintString(UNIT);
            out.writeUvarintString(units[i]);
            out.writeUvarintString(HELP);
            out.writeUvarintString(helps[i]);
        }
    }

    public void decode(byte[] rec, int len) throws CorruptionException {
        DataInput in = RecordCodec.open(rec, len, RecordType.METADATA);
        clear();
        while (in.remaining() > 0) {
            long ref = in.readUvarint();
            int type = in.readByte();
            long at = in.position();
            int fields = in.readUvarintInt();
            if (fields > in.remaining() / 2) {
                throw in.corrupt(at, "field count " + fields + " exceeds the record");
            }
            String unit = "";
            String help = "";
            for (int f = 0; f < fields; f++) {
                String name = RecordCodec.readString(in, rec, symbols);
                String value = RecordCodec.readString(in, rec, symbols);
                if (name.equals(UNIT)) {
                    unit = value;
                } else if (name.equals(HELP)) {
                    help = value;
                }
            }
            add(ref, type, unit, help);
        }
    }
}
