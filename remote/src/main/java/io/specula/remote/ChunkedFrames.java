package io.specula.remote;

import io.specula.tsdb.encoding.Crc32c;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The frame format of streamed remote read ({@code application/x-streamed-protobuf}):
 * <pre>
 * ┌───────────────────────┬────────────────────────────────────┬─────────────────┐
 * │ len(message) &lt;uvarint&gt; │ CRC32C of message &lt;4 bytes, big end&gt; │ message &lt;bytes&gt; │
 * └───────────────────────┴────────────────────────────────────┴─────────────────┘
 * </pre>
 * repeated until the stream ends; each message is one {@code prometheus.ChunkedReadResponse}.
 */
public final class ChunkedFrames {
    private ChunkedFrames() {}

    /** Writes one frame (does not flush). */
    public static void write(OutputStream out, byte[] message) throws IOException {
        byte[] head = new byte[14];
        int n = 0;
        long v = message.length;
        while (v >= 0x80) {
            head[n++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        head[n++] = (byte) v;
        int crc = Crc32c.of(message, 0, message.length);
        head[n++] = (byte) (crc >>> 24);
        head[n++] = (byte) (crc >>> 16);
        head[n++] = (byte) (crc >>> 8);
        head[n++] = (byte) crc;
        out.write(head, 0, n);
        out.write(message);
    }

    /**
     * Reads the next frame's message, or null at a clean end of stream.
     *
     * @throws IOException for a truncated frame, a frame over {@code maxBytes} or a checksum mismatch
     */
    public static byte[] read(InputStream in, int maxBytes) throws IOException {
        long len = 0;
        for (int shift = 0; ; shift += 7) {
            int c = in.read();
            if (c < 0) {
                if (shift == 0) {
                    return null;
                }
                throw new IOException("truncated frame length");
            }
            if (shift > 63) {
                throw new IOException("frame length overflows");
            }
            len |= (long) (c & 0x7F) << shift;
            if (c < 0x80) {
                break;
            }
        }
        if (len > maxBytes) {
            throw new IOException("frame of " + len + " bytes exceeds the limit of " + maxBytes);
        }
        byte[] crc = in.readNBytes(4);
        byte[] msg = in.readNBytes((int) len);
        if (crc.length < 4 || msg.length < len) {
            throw new IOException("truncated frame");
        }
        int want = (crc[0] & 0xFF) << 24 | (crc[1] & 0xFF) << 16 | (crc[2] & 0xFF) << 8 | crc[3] & 0xFF;
        if (Crc32c.of(msg, 0, msg.length) != want) {
            throw new IOException("frame checksum mismatch");
        }
        return msg;
    }
}
