package io.specula.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bit-exact vectors derived by hand from Prometheus's record layout (tsdb/record/record.go):
 * fixed big-endian refs and base timestamps, zig-zag varint deltas to the first entry,
 * uvarint-prefixed strings.
 */
class RecordFormatTest {
    private static final long STALE_NAN = 0x7FF0000000000002L;

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static int[] ascii(String s) {
        return s.chars().toArray();
    }

    private static byte[] seq(Object... parts) {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.writeByte(i);
            } else if (p instanceof String s) {
                for (int c : ascii(s)) {
                    out.writeByte(c);
                }
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    @Test
    void series_encode_matchesHandDerivedBytes() {
        SeriesRecord r = new SeriesRecord();
        r.add(1, Labels.of("__name__", "up", "job", "a"));
        r.add(300, Labels.of("a", "b"));
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        byte[] expected = seq(
                0x01,
                bytes(0, 0, 0, 0, 0, 0, 0, 1), 0x02, 0x08, "__name__", 0x02, "up", 0x03, "job", 0x01, "a",
                bytes(0, 0, 0, 0, 0, 0, 0x01, 0x2C), 0x01, 0x01, "a", 0x01, "b");
        assertThat(out.toByteArray()).containsExactly(expected);
    }

    @Test
    void series_decode_internsThroughSymbolTable() throws CorruptionException {
        SeriesRecord w = new SeriesRecord();
        w.add(7, Labels.of("__name__", "up", "job", "node", "instance", "h1"));
        w.add(8, Labels.of("__name__", "up", "job", "node", "instance", "h2"));
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        w.encode(out);
        SymbolTable symbols = new SymbolTable();
        SeriesRecord r = new SeriesRecord(symbols);
        r.decode(out.array(), out.size());
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.ref(1)).isEqualTo(8);
        assertThat(r.labels(0)).isEqualTo(w.labels(0));
        assertThat(r.labels(1)).isEqualTo(w.labels(1));
        assertThat(r.labels(0).get("job")).isSameAs(r.labels(1).get("job"));
        assertThat(r.labels(0).get("job")).isSameAs(symbols.intern("node"));
    }

    @Test
    void samples_encode_matchesHandDerivedBytes() {
        SamplesRecord r = new SamplesRecord();
        r.add(10, 1000, 1.0);
        r.add(12, 1015, -2.5);
        r.add(9, 990, Double.longBitsToDouble(STALE_NAN));
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        byte[] expected = seq(
                0x02,
                bytes(0, 0, 0, 0, 0, 0, 0, 10), bytes(0, 0, 0, 0, 0, 0, 0x03, 0xE8),
                0x00, 0x00, bytes(0x3F, 0xF0, 0, 0, 0, 0, 0, 0), // ref +0, t +0, 1.0
                0x04, 0x1E, bytes(0xC0, 0x04, 0, 0, 0, 0, 0, 0), // ref +2, t +15, -2.5
                0x01, 0x13, bytes(0x7F, 0xF0, 0, 0, 0, 0, 0, 0x02)); // ref -1, t -10, stale NaN
        assertThat(out.toByteArray()).containsExactly(expected);
    }

    @Test
    void samples_decode_keepsNaNPayloadAndNegativeDeltas() throws CorruptionException {
        byte[] rec = seq(0x02, bytes(0, 0, 0, 0, 0, 0, 0, 10), bytes(0, 0, 0, 0, 0, 0, 0x03, 0xE8),
                0x00, 0x00, bytes(0x3F, 0xF0, 0, 0, 0, 0, 0, 0),
                0x01, 0x13, bytes(0x7F, 0xF0, 0, 0, 0, 0, 0, 0x02));
        SamplesRecord r = new SamplesRecord(1);
        r.decode(rec, rec.length);
        assertThat(r.size()).isEqualTo(2);
        assertThat(Arrays.copyOf(r.refs(), 2)).containsExactly(10, 9);
        assertThat(Arrays.copyOf(r.timestamps(), 2)).containsExactly(1000, 990);
        assertThat(r.v(0)).isEqualTo(1.0);
        assertThat(Double.doubleToRawLongBits(r.v(1))).isEqualTo(STALE_NAN);
    }

    @Test
    void samplesV2_encode_matchesHandDerivedBytes() throws CorruptionException {
        SamplesRecord r = new SamplesRecord();
        r.add(10, 500, 1000, 1.0);   // first: ref, t, st written whole
        r.add(12, 500, 1015, -2.5);  // same start time as the previous sample
        r.add(9, 0, 990, 3.0);       // none
        r.add(9, 400, 1030, 4.0);    // explicit, as a delta to the first start time
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        byte[] expected = seq(
                0x0B,
                0x14, 0xD0, 0x0F, 0xE8, 0x07, bytes(0x3F, 0xF0, 0, 0, 0, 0, 0, 0), // ref 10, t 1000, st 500
                0x04, 0x1E, 0x01, bytes(0xC0, 0x04, 0, 0, 0, 0, 0, 0),             // ref +2, t +15, same
                0x05, 0x13, 0x00, bytes(0x40, 0x08, 0, 0, 0, 0, 0, 0),             // ref -3, t -10, none
                0x00, 0x3C, 0x02, 0xC7, 0x01, bytes(0x40, 0x10, 0, 0, 0, 0, 0, 0)); // ref +0, t +30, st -100
        assertThat(out.toByteArray()).containsExactly(expected);

        SamplesRecord back = new SamplesRecord(1);
        back.decode(expected, expected.length);
        assertThat(back.size()).isEqualTo(4);
        assertThat(back.hasStartTimes()).isTrue();
        assertThat(Arrays.copyOf(back.refs(), 4)).containsExactly(10, 12, 9, 9);
        assertThat(Arrays.copyOf(back.timestamps(), 4)).containsExactly(1000, 1015, 990, 1030);
        assertThat(Arrays.copyOf(back.startTimes(), 4)).containsExactly(500, 500, 0, 400);
        assertThat(back.v(3)).isEqualTo(4.0);

        // A plain record decoded into the same object has no start times any more.
        SamplesRecord plain = new SamplesRecord();
        plain.add(1, 1, 1);
        ByteArrayDataOutput p = new ByteArrayDataOutput();
        plain.encode(p);
        assertThat(p.toByteArray()[0]).as("no start times: type 2, readable by Prometheus 2.x").isEqualTo((byte) 2);
        back.decode(p.array(), p.size());
        assertThat(back.hasStartTimes()).isFalse();
        assertThat(back.st(0)).isZero();
    }

    @Test
    void samplesV2_randomRecords_roundTrip() throws CorruptionException {
        java.util.Random rnd = new java.util.Random(3);
        SamplesRecord w = new SamplesRecord();
        SamplesRecord r = new SamplesRecord(1);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        for (int round = 0; round < 200; round++) {
            w.clear();
            int n = 1 + rnd.nextInt(50);
            long st = rnd.nextLong();
            for (int i = 0; i < n; i++) {
                if (rnd.nextInt(4) == 0) {
                    st = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong();
                }
                w.add(rnd.nextInt(1000), i == 0 && st == 0 ? 1 : st, rnd.nextLong(), rnd.nextDouble());
            }
            out.reset();
            w.encode(out);
            r.decode(out.array(), out.size());
            assertThat(r.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(new long[] {r.ref(i), r.st(i), r.t(i), Double.doubleToRawLongBits(r.v(i))}).as("sample %d", i)
                        .containsExactly(w.ref(i), w.st(i), w.t(i), Double.doubleToRawLongBits(w.v(i)));
            }
        }
    }

    @Test
    void samplesV2_badMarker_isCorruption() {
        byte[] rec = seq(0x0B, 0x14, 0xD0, 0x0F, 0x00, bytes(0, 0, 0, 0, 0, 0, 0, 0),
                0x00, 0x02, 0x07, bytes(0, 0, 0, 0, 0, 0, 0, 0));
        assertThatThrownBy(() -> new SamplesRecord().decode(rec, rec.length))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("start-time marker 7");
    }

    @Test
    void samples_empty_isTypeByteOnly() throws CorruptionException {
        SamplesRecord r = new SamplesRecord();
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        assertThat(out.toByteArray()).containsExactly(0x02);
        r.add(1, 1, 1);
        r.decode(out.array(), out.size());
        assertThat(r.size()).isZero();
    }

    @Test
    void tombstones_encode_matchesHandDerivedBytes() throws CorruptionException {
        TombstonesRecord r = new TombstonesRecord();
        r.add(5, -1000, 2000);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        assertThat(out.toByteArray()).containsExactly(seq(0x03, bytes(0, 0, 0, 0, 0, 0, 0, 5), 0xCF, 0x0F, 0xA0, 0x1F));
        TombstonesRecord d = new TombstonesRecord();
        d.decode(out.array(), out.size());
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.ref(0)).isEqualTo(5);
        assertThat(d.mint(0)).isEqualTo(-1000);
        assertThat(d.maxt(0)).isEqualTo(2000);
    }

    @Test
    void metadata_encode_matchesHandDerivedBytes() throws CorruptionException {
        MetadataRecord r = new MetadataRecord();
        r.add(3, MetadataRecord.TYPE_COUNTER, "s", "h");
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        assertThat(out.toByteArray()).containsExactly(seq(0x06, 0x03, 0x01, 0x02, 0x04, "UNIT", 0x01, "s", 0x04, "HELP", 0x01, "h"));
        MetadataRecord d = new MetadataRecord();
        d.decode(out.array(), out.size());
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.ref(0)).isEqualTo(3);
        assertThat(d.type(0)).isEqualTo(MetadataRecord.TYPE_COUNTER);
        assertThat(d.unit(0)).isEqualTo("s");
        assertThat(d.help(0)).isEqualTo("h");
    }

    @Test
    void metadata_decode_skipsUnknownFields() throws CorruptionException {
        byte[] rec = seq(0x06, 0x03, 0x02, 0x03, 0x04, "HELP", 0x01, "h", 0x03, "NEW", 0x02, "xy", 0x04, "UNIT", 0x01, "s");
        MetadataRecord d = new MetadataRecord();
        d.decode(rec, rec.length);
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.type(0)).isEqualTo(MetadataRecord.TYPE_GAUGE);
        assertThat(d.unit(0)).isEqualTo("s");
        assertThat(d.help(0)).isEqualTo("h");
    }

    @Test
    void exemplars_encode_matchesHandDerivedBytes() throws CorruptionException {
        ExemplarsRecord r = new ExemplarsRecord();
        r.add(7, 100, 2.0, Labels.of("trace_id", "x"));
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        assertThat(out.toByteArray()).containsExactly(seq(0x04, bytes(0, 0, 0, 0, 0, 0, 0, 7), bytes(0, 0, 0, 0, 0, 0, 0, 100),
                0x00, 0x00, bytes(0x40, 0, 0, 0, 0, 0, 0, 0), 0x01, 0x08, "trace_id", 0x01, "x"));
        ExemplarsRecord d = new ExemplarsRecord();
        d.decode(out.array(), out.size());
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.t(0)).isEqualTo(100);
        assertThat(d.v(0)).isEqualTo(2.0);
        assertThat(d.labels(0)).isEqualTo(Labels.of("trace_id", "x"));
    }

    @Test
    void decode_wrongType_throwsCorruption() {
        byte[] rec = bytes(0x01);
        assertThatThrownBy(() -> new SamplesRecord().decode(rec, 1))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("record type 1, expected 2");
        assertThatThrownBy(() -> new SeriesRecord().decode(new byte[0], 0)).isInstanceOf(CorruptionException.class);
    }

    @Test
    void decode_partialEntry_throwsCorruption() {
        SamplesRecord r = new SamplesRecord();
        r.add(1, 2, 3);
        r.add(2, 3, 4);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        r.encode(out);
        assertThatThrownBy(() -> new SamplesRecord().decode(out.array(), out.size() - 3))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("samples record");
    }

    @Test
    void recordType_of_recognisesPrometheusTypes() {
        assertThat(RecordType.of(bytes(7), 1)).isEqualTo(RecordType.HISTOGRAM_SAMPLES);
        assertThat(RecordType.of(bytes(7), 1).isHistogram()).isTrue();
        assertThat(RecordType.of(bytes(2), 1).isHistogram()).isFalse();
        assertThat(RecordType.of(bytes(99), 1)).isEqualTo(RecordType.UNKNOWN);
        assertThat(RecordType.of(bytes(1), 0)).isEqualTo(RecordType.UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void samples_randomRecords_roundTrip(int seed) throws CorruptionException {
        Random rnd = new Random(seed);
        SamplesRecord w = new SamplesRecord();
        SamplesRecord r = new SamplesRecord(2);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        for (int round = 0; round < 2000; round++) {
            w.clear();
            int n = rnd.nextInt(300);
            long baseRef = rnd.nextInt(1 << 20);
            long baseT = rnd.nextLong() >> rnd.nextInt(64);
            for (int i = 0; i < n; i++) {
                double v = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextDouble();
                    case 1 -> Double.longBitsToDouble(rnd.nextLong());
                    case 2 -> rnd.nextInt(100);
                    default -> Double.longBitsToDouble(STALE_NAN);
                };
                w.add(baseRef + rnd.nextInt(5000) - 2500, baseT + rnd.nextInt(60_000) - 30_000, v);
            }
            out.reset();
            w.encode(out);
            r.decode(out.array(), out.size());
            assertThat(r.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(r.ref(i)).isEqualTo(w.ref(i));
                assertThat(r.t(i)).isEqualTo(w.t(i));
                assertThat(Double.doubleToRawLongBits(r.v(i))).isEqualTo(Double.doubleToRawLongBits(w.v(i)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void decode_truncatedOrMutatedRecords_onlyCorruptionOrSuccess(int seed) {
        Random rnd = new Random(seed);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        SeriesRecord series = new SeriesRecord();
        series.add(1, Labels.of("__name__", "up", "job", "a"));
        series.add(2, Labels.of("__name__", "up", "job", "b"));
        series.encode(out);
        byte[] s = out.toByteArray();
        out.reset();
        MetadataRecord meta = new MetadataRecord();
        meta.add(1, 2, "bytes", "help text");
        meta.encode(out);
        byte[] m = out.toByteArray();
        for (int round = 0; round < 5000; round++) {
            byte[] rec = (round % 2 == 0 ? s : m).clone();
            rec[1 + rnd.nextInt(rec.length - 1)] = (byte) rnd.nextInt(256);
            int len = 1 + rnd.nextInt(rec.length);
            try {
                if (round % 2 == 0) {
                    new SeriesRecord(new SymbolTable()).decode(rec, len);
                } else {
                    new MetadataRecord().decode(rec, len);
                }
            } catch (CorruptionException expected) {
                assertThat(expected.getMessage()).contains(" record");
            }
        }
    }
}
