package io.specula.tsdb.chunkenc;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Test helper: expected chunk bytes written as hex and bit strings, as derived by hand. */
final class BitStrings {
    private BitStrings() {}

    /**
     * Concatenates parts: a part starting with "0x" is hex bytes (spaces ignored), any other
     * part is a bit string of '0'/'1' (spaces ignored). Bits continue where the previous part
     * ended; the result is padded with zero bits to a whole byte.
     */
    static byte[] bytes(String... parts) {
        StringBuilder bits = new StringBuilder();
        for (String p : parts) {
            if (p.startsWith("0x")) {
                for (byte b : HexFormat.of().parseHex(p.substring(2).replace(" ", ""))) {
                    bits.append(String.format("%8s", Integer.toBinaryString(b & 0xFF)).replace(' ', '0'));
                }
            } else {
                String s = p.replace(" ", "");
                if (!s.matches("[01]*")) {
                    throw new IllegalArgumentException("not a bit string: " + p);
                }
                bits.append(s);
            }
        }
        while (bits.length() % 8 != 0) {
            bits.append('0');
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bits.length(); i += 8) {
            out.write(Integer.parseInt(bits.substring(i, i + 8), 2));
        }
        return out.toByteArray();
    }

    /** The low {@code n} bits of {@code v} as a bit string (two's complement for negatives). */
    static String bin(long v, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = n - 1; i >= 0; i--) {
            sb.append((v >>> i) & 1);
        }
        return sb.toString();
    }

    static String hex(byte[] b, int len) {
        return HexFormat.ofDelimiter(" ").formatHex(b, 0, len);
    }
}
