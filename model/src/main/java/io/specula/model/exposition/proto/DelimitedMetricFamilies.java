package io.specula.model.exposition.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf exposition format's framing: a stream of {@link MetricFamily} messages, each
 * preceded by its byte length as an unsigned varint (media type
 * {@code application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited}).
 *
 * <p>Reading is bounded: a length above the caller's limit is refused before anything is
 * allocated for it, so a hostile length prefix cannot make us reserve gigabytes. Stateless and
 * thread-safe.
 */
public final class DelimitedMetricFamilies {
    private DelimitedMetricFamilies() {}

    /** The media type of the delimited protobuf exposition. */
    public static final String MEDIA_TYPE =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    /** Receives each family as it is decoded. */
    @FunctionalInterface
    public interface Sink {
        void accept(MetricFamily family) throws IOException;
    }

    /**
     * Decodes every message until the end of {@code in}.
     *
     * @param maxMessageBytes the largest accepted message length
     * @throws InvalidProtocolBufferException on a malformed message, a truncated stream or a
     *     length above the limit
     */
    public static void read(InputStream in, int maxMessageBytes, Sink sink) throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            long length = readVarint(first, in);
            if (length > maxMessageBytes) {
                throw new InvalidProtocolBufferException(
                        "message of " + length + " bytes exceeds the limit of " + maxMessageBytes + " bytes");
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new InvalidProtocolBufferException("unexpected EOF: message truncated after "
                        + body.length + " of " + length + " bytes");
            }
            CodedInputStream cin = CodedInputStream.newInstance(body);
            sink.accept(MetricFamily.parseFrom(cin));
        }
    }

    /** Decodes every message until the end of {@code in} into a list. */
    public static List<MetricFamily> readAll(InputStream in, int maxMessageBytes) throws IOException {
        List<MetricFamily> out = new ArrayList<>();
        read(in, maxMessageBytes, out::add);
        return out;
    }

    /** Writes one length-prefixed message. */
    public static void write(MetricFamily family, OutputStream out) throws IOException {
        family.writeDelimitedTo(out);
    }

    private static long readVarint(int first, InputStream in) throws IOException {
        long result = first & 0x7f;
        int b = first;
        for (int shift = 7; (b & 0x80) != 0; shift += 7) {
            if (shift > 63) {
                throw new InvalidProtocolBufferException("malformed varint length prefix");
            }
            b = in.read();
            if (b < 0) {
                throw new InvalidProtocolBufferException("unexpected EOF in a length prefix");
            }
            result |= (long) (b & 0x7f) << shift;
        }
        if (result < 0) {
            throw new InvalidProtocolBufferException("malformed varint length prefix");
        }
        return result;
    }

}
