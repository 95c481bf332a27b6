package io.specula.nodeexporter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A reusable reader for the small text files of procfs and sysfs, with a cursor over lines and
 * whitespace-separated fields. The byte buffer grows to the largest file read and is kept, and
 * field strings come from a small cache keyed by their bytes, so reading the same files every
 * scrape reaches a steady state without garbage beyond the file handles the JDK creates.
 *
 * <p>Not thread-safe: each collector owns its readers and scrapes run one at a time.
 */
final class ProcFile {
    /** procfs and sysfs files are small; a bigger one is refused rather than read into the heap. */
    static final int MAX_SIZE = 64 << 20;
    private static final int DEFAULT_CACHE_SLOTS = 256;

    private byte[] buf = new byte[4096];
    private ByteBuffer bb = ByteBuffer.wrap(buf);
    private int len;
    private int pos;
    private int lineEnd;
    private int fs;
    private int fe;
    /** Where the next field starts: the end of the current field before any {@link #narrow}. */
    private int cursor;
    private final String[] cache;

    ProcFile() {
        this(DEFAULT_CACHE_SLOTS);
    }

    /** @param cacheSlots string cache size, a power of two: a few times the distinct fields of the files read */
    ProcFile(int cacheSlots) {
        cache = new String[cacheSlots];
    }

    /** Reads {@code path} whole; false when it does not exist. */
    boolean read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            len = 0;
            while (true) {
                if (len == buf.length) {
                    if (buf.length >= MAX_SIZE) {
                        throw new IOException(path + ": larger than " + MAX_SIZE + " bytes");
                    }
                    byte[] b = new byte[buf.length * 2];
                    System.arraycopy(buf, 0, b, 0, len);
                    buf = b;
                    bb = ByteBuffer.wrap(buf);
                }
                bb.limit(buf.length).position(len);
                int n = ch.read(bb);
                if (n < 0) {
                    break;
                }
                len += n;
            }
        } catch (NoSuchFileException e) {
            len = 0;
            pos = 0;
            return false;
        }
        pos = 0;
        lineEnd = -1;
        return true;
    }

    /** Reads {@code path} or fails with a message naming it. */
    void mustRead(Path path) throws IOException {
        if (!read(path)) {
            throw new NoSuchFileException(path.toString());
        }
    }

    /** Loads text directly (tests, parsing a string). */
    void load(byte[] content) {
        if (content.length > buf.length) {
            buf = new byte[content.length];
            bb = ByteBuffer.wrap(buf);
        }
        System.arraycopy(content, 0, buf, 0, content.length);
        len = content.length;
        pos = 0;
        lineEnd = -1;
    }

    int length() {
        return len;
    }

    /** Advances to the next line (possibly empty); its fields are then read with {@link #nextField()}. */
    boolean nextLine() {
        if (pos >= len) {
            return false;
        }
        int e = pos;
        while (e < len && buf[e] != '\n') {
            e++;
        }
        lineEnd = e;
        fs = fe = cursor = pos;
        pos = e + 1;
        return true;
    }

    /** Advances to the next field of the current line, separated by blanks; false at the line's end. */
    boolean nextField() {
        int i = cursor;
        while (i < lineEnd && isBlank(buf[i])) {
            i++;
        }
        if (i >= lineEnd) {
            fs = fe = cursor = lineEnd;
            return false;
        }
        int j = i;
        while (j < lineEnd && !isBlank(buf[j])) {
            j++;
        }
        fs = i;
        fe = cursor = j;
        return true;
    }

    /** Skips {@code n} fields; false if the line has fewer. */
    boolean skipFields(int n) {
        for (int i = 0; i < n; i++) {
            if (!nextField()) {
                return false;
            }
        }
        return true;
    }

    /** The rest of the current line after the current field, blanks trimmed. */
    String restOfLine() {
        int i = cursor;
        while (i < lineEnd && isBlank(buf[i])) {
            i++;
        }
        int j = lineEnd;
        while (j > i && isBlank(buf[j - 1])) {
            j--;
        }
        fs = i;
        fe = cursor = j;
        return string();
    }

    /** The whole current line, trailing blanks trimmed (for single-value files). */
    String line() {
        int j = lineEnd;
        int i = lineEnd;
        // back to the line start: the previous newline + 1
        while (i > 0 && buf[i - 1] != '\n') {
            i--;
        }
        while (j > i && isBlank(buf[j - 1])) {
            j--;
        }
        fs = i;
        fe = j;
        return string();
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    int fieldLength() {
        return fe - fs;
    }

    byte fieldByte(int i) {
        return buf[fs + i];
    }

    boolean fieldIs(String ascii) {
        int n = ascii.length();
        if (fe - fs != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[fs + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean fieldStartsWith(String ascii) {
        int n = ascii.length();
        if (fe - fs < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[fs + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Narrows the current field to {@code [from, to)} relative to its start (e.g. drop a trailing
     * ':'); {@link #nextField()} still continues after the whole field.
     */
    void narrow(int from, int to) {
        int s = fs;
        fs = s + from;
        fe = s + to;
    }

    /** The field as an unsigned decimal (or negative with '-'). */
    long longField() throws IOException {
        int i = fs;
        boolean neg = false;
        if (i < fe && buf[i] == '-') {
            neg = true;
            i++;
        }
        if (i >= fe) {
            throw bad("integer");
        }
        long v = 0;
        for (; i < fe; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw bad("integer");
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** The field read as an unsigned 64-bit decimal, as a double (values beyond 2^63 stay positive). */
    double unsignedField() throws IOException {
        long v = longField();
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** The field as hexadecimal (an optional 0x prefix). */
    long hexField() throws IOException {
        int i = fs;
        if (fe - i > 2 && buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X')) {
            i += 2;
        }
        if (i >= fe) {
            throw bad("hexadecimal number");
        }
        long v = 0;
        for (; i < fe; i++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0) {
                throw bad("hexadecimal number");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /**
     * The field as a decimal number ({@code 12}, {@code -0.73}). Up to 18 significant digits are
     * exact, divided once by a power of ten: the correctly rounded result for /proc's values.
     * Anything else (exponents, long fractions) goes through {@link Double#parseDouble}.
     */
    double doubleField() throws IOException {
        int i = fs;
        boolean neg = false;
        if (i < fe && (buf[i] == '-' || buf[i] == '+')) {
            neg = buf[i] == '-';
            i++;
        }
        long m = 0;
        int digits = 0;
        int frac = -1;
        boolean simple = i < fe;
        for (; i < fe; i++) {
            byte b = buf[i];
            if (b >= '0' && b <= '9') {
                m = m * 10 + (b - '0');
                digits++;
                if (frac >= 0) {
                    frac++;
                }
            } else if (b == '.' && frac < 0) {
                frac = 0;
            } else {
                simple = false;
                break;
            }
        }
        if (simple && digits > 0 && digits <= 15 && frac <= 22) {
            double v = frac > 0 ? m / POW10[frac] : m;
            return neg ? -v : v;
        }
        try {
            return Double.parseDouble(new String(buf, fs, fe - fs, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw bad("number");
        }
    }

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** The field as a String, shared with earlier reads of the same bytes. */
    String string() {
        int n = fe - fs;
        int h = 0;
        boolean ascii = true;
        for (int i = fs; i < fe; i++) {
            h = 31 * h + buf[i];
            ascii &= buf[i] >= 0;
        }
        if (!ascii) {
            return new String(buf, fs, n, StandardCharsets.UTF_8);
        }
        int slot = (h ^ (h >>> 16)) & (cache.length - 1);
        String c = cache[slot];
        if (c != null && c.length() == n) {
            boolean same = true;
            for (int i = 0; i < n; i++) {
                if (c.charAt(i) != buf[fs + i]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return c;
            }
        }
        String s = new String(buf, fs, n, StandardCharsets.US_ASCII);
        cache[slot] = s;
        return s;
    }

    private IOException bad(String what) {
        return new IOException("expected " + what + ", found \"" + new String(buf, fs, fe - fs, StandardCharsets.UTF_8) + "\"");
    }

    /** Reads a file holding one integer (sysfs attributes); {@code absent} when the file does not exist. */
    long readLong(Path path, long absent) throws IOException {
        if (!read(path) || !nextLine() || !nextField()) {
            return absent;
        }
        return longField();
    }

    /** Reads a file's first line, trimmed; null when the file does not exist. */
    String readLine(Path path) throws IOException {
        if (!read(path)) {
            return null;
        }
        if (!nextLine()) {
            return "";
        }
        return line();
    }
}
