package io.specula.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataOutputInputTest {

    private static byte[] uvarint(long v) {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeUvarint(v);
        return out.toByteArray();
    }

    private static byte[] varint(long v) {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeVarint(v);
        return out.toByteArray();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void uvarint_matchesGoEncoding() {
        assertThat(uvarint(0)).containsExactly(bytes(0x00));
        assertThat(uvarint(127)).containsExactly(bytes(0x7F));
        assertThat(uvarint(128)).containsExactly(bytes(0x80, 0x01));
        assertThat(uvarint(300)).containsExactly(bytes(0xAC, 0x02));
        assertThat(uvarint(-1L)).containsExactly(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
        assertThat(DataOutput.uvarintSize(-1L)).isEqualTo(10);
        assertThat(DataOutput.uvarintSize(300)).isEqualTo(2);
    }

    @Test
    void varint_isZigZag() {
        assertThat(varint(0)).containsExactly(bytes(0x00));
        assertThat(varint(-1)).containsExactly(bytes(0x01));
        assertThat(varint(1)).containsExactly(bytes(0x02));
        assertThat(varint(-64)).containsExactly(bytes(0x7F));
        assertThat(varint(64)).containsExactly(bytes(0x80, 0x01));
        assertThat(varint(Long.MIN_VALUE)).hasSize(10);
    }

    @Test
    void roundTrip_randomValues() throws CorruptionException {
        Random rnd = new Random(3);
        ByteArrayDataOutput out = new ByteArrayDataOutput(4);
        long[] values = new long[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 4) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextInt(1000) - 500;
                case 2 -> 1L << rnd.nextInt(64);
                default -> -(1L << rnd.nextInt(64));
            };
            out.writeUvarint(values[i]);
            out.writeVarint(values[i]);
            out.writeBE64(values[i]);
            out.writeBE32((int) values[i]);
            out.writeBE16((int) values[i] & 0xFFFF);
        }
        DataInput in = DataInput.of(out.toByteArray(), "test");
        for (long v : values) {
            assertThat(in.readUvarint()).isEqualTo(v);
            assertThat(in.readVarint()).isEqualTo(v);
            assertThat(in.readBE64()).isEqualTo(v);
            assertThat(in.readBE32()).isEqualTo((int) v);
            assertThat(in.readBE16()).isEqualTo((int) v & 0xFFFF);
        }
        assertThat(in.remaining()).isZero();
    }

    @Test
    void doubles_keepNaNPayloads() throws CorruptionException {
        double stale = Double.longBitsToDouble(0x7FF0000000000002L); // Prometheus's staleness marker
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeDouble(stale);
        out.writeDouble(-0.0);
        DataInput in = DataInput.of(out.toByteArray(), "t");
        assertThat(Double.doubleToRawLongBits(in.readDouble())).isEqualTo(0x7FF0000000000002L);
        assertThat(Double.doubleToRawLongBits(in.readDouble())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void strings_areLengthPrefixedUtf8() throws CorruptionException {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeUvarintString("héllo");
        assertThat(out.toByteArray()).containsExactly(bytes(6, 'h', 0xC3, 0xA9, 'l', 'l', 'o'));
        assertThat(DataInput.of(out.toByteArray(), "t").readUvarintString()).isEqualTo("héllo");
    }

    @Test
    void crc32c_isCastagnoli() {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeBytes("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.crc32c(0, out.size())).isEqualTo(0xE3069283);
        assertThat(DataInput.of(out.toByteArray(), "t").crc32c(0, 9)).isEqualTo(0xE3069283);
    }

    @Test
    void corruptInput_namesSourceAndOffset() throws CorruptionException {
        DataInput truncated = DataInput.of(bytes(0x80, 0x80), "01ABC/index");
        assertThatThrownBy(truncated::readUvarint)
                .isInstanceOf(CorruptionException.class)
                .hasMessage("01ABC/index: offset 0: truncated uvarint");
        DataInput overlong = DataInput.of(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02), "f");
        assertThatThrownBy(overlong::readUvarint).hasMessageContaining("overflows");
        DataInput shortRead = DataInput.of(bytes(1, 2, 3), "f");
        shortRead.readByte();
        assertThatThrownBy(shortRead::readBE32).hasMessage("f: offset 1: unexpected end of data: need 4 bytes, 2 left");
        assertThatThrownBy(() -> DataInput.of(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), "f").readUvarintInt())
                .hasMessageContaining("out of range");
    }
}
