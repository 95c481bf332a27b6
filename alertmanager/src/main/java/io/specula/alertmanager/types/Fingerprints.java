package io.specula.alertmanager.types;

import io.specula.model.labels.Labels;
import java.nio.charset.StandardCharsets;

/**
 * Alert fingerprints as Prometheus's common model computes them, so that ours equal the
 * ones amtool and other Alertmanagers show: 64-bit FNV-1a over each name and value in name
 * order, every string followed by the byte 0xff. Printed as 16 lower-case hex digits.
 */
public final class Fingerprints {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff;

    private Fingerprints() {}

    public static long of(Labels labels) {
        long h = OFFSET;
        for (int i = 0; i < labels.size(); i++) {
            h = add(h, labels.name(i));
            h = add(h, labels.value(i));
        }
        return h;
    }

    private static long add(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= PRIME;
        }
        h ^= SEPARATOR;
        h *= PRIME;
        return h;
    }

    public static String format(long fp) {
        String s = Long.toHexString(fp);
        return "0".repeat(16 - s.length()) + s;
    }
}
