package io.specula.model.value;

/**
 * Go's {@code net} package text forms, which end up in label values ({@code __address__} and
 * {@code __meta_*} labels of discovered targets): {@code net.IP.String} and {@code net.JoinHostPort}.
 */
public final class GoNet {
    private GoNet() {}

    /**
     * {@code net.IP.String}: dotted quad for IPv4 and IPv4-mapped IPv6; otherwise RFC 5952 style
     * (lowercase hex, no leading zeros, the first longest run of two or more zero groups as {@code ::}).
     */
    public static String ipString(byte[] ip) {
        if (ip.length == 4) {
            return dotted(ip, 0);
        }
        if (ip.length != 16) {
            throw new IllegalArgumentException("IP address of " + ip.length + " bytes");
        }
        boolean mapped = ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = ip[i] == 0;
        }
        if (mapped) {
            return dotted(ip, 12);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && group(ip, j) == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(group(ip, i)));
        }
        return b.toString();
    }

    private static int group(byte[] ip, int i) {
        return ((ip[2 * i] & 0xff) << 8) | (ip[2 * i + 1] & 0xff);
    }

    private static String dotted(byte[] ip, int off) {
        return (ip[off] & 0xff) + "." + (ip[off + 1] & 0xff) + "." + (ip[off + 2] & 0xff) + "." + (ip[off + 3] & 0xff);
    }

    /** {@code net.JoinHostPort}: brackets around hosts that contain a colon. */
    public static String joinHostPort(String host, String port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
