package io.specula.tsdb.block;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * A ULID, the name of every block directory: 128 bits, the upper 48 a Unix time in
 * milliseconds and the lower 80 random, written as 26 characters of Crockford's base32
 * ({@code 0-9A-Z} without I, L, O, U), most significant first. The text sorts like the bits,
 * so directory listings sort blocks by creation time.
 *
 * @param msb the upper 64 bits: time (48) and the first 16 random bits
 * @param lsb the lower 64 random bits
 */
public record Ulid(long msb, long lsb) implements Comparable<Ulid> {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final byte[] DECODE = new byte[128];
    public static final int LENGTH = 26;
    /** The largest time a ULID holds: 2^48 - 1 ms (year 10889). */
    public static final long MAX_TIME = (1L << 48) - 1;

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
        }
    }

    /** A ULID of time {@code timeMs} and 80 random bits given as 16 + 64. */
    public static Ulid of(long timeMs, int random16, long random64) {
        if (timeMs < 0 || timeMs > MAX_TIME) {
            throw new IllegalArgumentException("ULID time " + timeMs + " outside [0, 2^48)");
        }
        return new Ulid(timeMs << 16 | (random16 & 0xFFFF), random64);
    }

    /** A new ULID for {@code timeMs} with entropy from {@code rnd}. */
    public static Ulid random(long timeMs, RandomGenerator rnd) {
        return of(timeMs, rnd.nextInt(), rnd.nextLong());
    }

    /** A new ULID for now, with secure entropy. */
    public static Ulid now() {
        return random(System.currentTimeMillis(), Holder.SECURE);
    }

    private static final class Holder {
        static final SecureRandom SECURE = new SecureRandom();
    }

    /** The creation time in Unix milliseconds. */
    public long time() {
        return msb >>> 16;
    }

    /**
     * Parses the 26-character form, case-insensitively.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Ulid parse(CharSequence s) {
        if (s.length() != LENGTH) {
            throw new IllegalArgumentException("ULID \"" + s + "\" has " + s.length() + " characters, want " + LENGTH);
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < LENGTH; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? DECODE[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("ULID \"" + s + "\": invalid character '" + c + "' at " + i);
            }
            if (i == 0 && v > 7) {
                throw new IllegalArgumentException("ULID \"" + s + "\" overflows 128 bits (first character above 7)");
            }
            // Shift the 128-bit value left by 5 and add v.
            hi = hi << 5 | lo >>> 59;
            lo = lo << 5 | v;
        }
        return new Ulid(hi, lo);
    }

    @Override
    public String toString() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int shift = 125 - 5 * i; // lowest bit of character i's group; character 0 holds 3 bits
            int v;
            if (shift >= 64) {
                v = (int) (msb >>> (shift - 64));
            } else if (shift > 59) {
                v = (int) (lsb >>> shift | msb << (64 - shift));
            } else {
                v = (int) (lsb >>> shift);
            }
            out[i] = ALPHABET[v & 31];
        }
        return new String(out);
    }

    /** Orders as the text does: by time, then randomness (unsigned). */
    @Override
    public int compareTo(Ulid o) {
        int c = Long.compareUnsigned(msb, o.msb);
        return c != 0 ? c : Long.compareUnsigned(lsb, o.lsb);
    }

    /**
     * Generates ULIDs that strictly increase even within one millisecond: a ULID in the
     * same millisecond as the previous one takes the previous random part plus one (the
     * scheme of the ULID spec's monotonic mode). Thread-safe.
     */
    public static final class Generator {
        private final RandomGenerator rnd;
        private Ulid last;

        public Generator(RandomGenerator rnd) {
            this.rnd = rnd;
        }

        public synchronized Ulid next(long timeMs) {
            if (last != null && timeMs <= last.time()) {
                long lo = last.lsb + 1;
                long hi = last.msb + (lo == 0 ? 1 : 0);
                if ((hi >>> 16) != last.time()) {
                    // 80 random bits exhausted within one millisecond: move into the next.
                    last = of(last.time() + 1, rnd.nextInt(), rnd.nextLong());
                } else {
                    last = new Ulid(hi, lo);
                }
                return last;
            }
            last = random(timeMs, rnd);
            return last;
        }
    }
}
