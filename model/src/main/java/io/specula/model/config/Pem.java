package io.specula.model.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * PEM certificates and private keys as Go's {@code crypto/tls} reads them: certificates of
 * every {@code CERTIFICATE} block, and an unencrypted key in PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form. The one place the
 * project parses PEM, for TLS clients and servers alike.
 */
public final class Pem {
    private Pem() {}

    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    /** Every certificate in {@code pem} (possibly none). */
    public static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The first private key in {@code pem}.
     *
     * @throws ConfigException when there is none, it is encrypted, or its algorithm is not RSA, EC or Ed25519
     */
    public static PrivateKey privateKey(String pem) throws ConfigException {
        if (pem == null) {
            throw new ConfigException("a certificate needs a key");
        }
        byte[] pkcs8;
        byte[] der;
        if ((der = block(pem, "PRIVATE KEY")) != null) {
            pkcs8 = der;
        } else if ((der = block(pem, "RSA PRIVATE KEY")) != null) {
            pkcs8 = seq(cat(new byte[] {2, 1, 0}, seq(cat(tlv(6, RSA_OID), new byte[] {5, 0})), tlv(4, der)));
        } else if ((der = block(pem, "EC PRIVATE KEY")) != null) {
            byte[] curve = sec1Curve(der);
            if (curve == null) {
                throw new ConfigException("EC private key without named curve parameters");
            }
            pkcs8 = seq(cat(new byte[] {2, 1, 0}, seq(cat(tlv(6, EC_OID), tlv(6, curve))), tlv(4, der)));
        } else if (pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new ConfigException("encrypted private keys are not supported");
        } else {
            throw new ConfigException("failed to find any PEM data in key input");
        }
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new ConfigException("unsupported private key algorithm");
    }

    /** The DER bytes of the first {@code -----BEGIN <type>-----} block, or null. */
    private static byte[] block(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf("-----END " + type + "-----");
        if (b < 0 || e < b) {
            return null;
        }
        String body = pem.substring(b + begin.length(), e);
        if (body.contains(":")) {
            return null; // RFC 1421 headers: an encrypted legacy key
        }
        return Base64.getMimeDecoder().decode(body);
    }

    /** The curve OID of a SEC 1 ECPrivateKey's {@code [0] parameters}, or null. */
    private static byte[] sec1Curve(byte[] der) {
        int[] pos = {0};
        if (der.length < 2 || der[0] != 0x30) {
            return null;
        }
        pos[0] = 1;
        int end = length(der, pos) + pos[0];
        while (pos[0] < end && pos[0] < der.length) {
            int tag = der[pos[0]++] & 0xff;
            int len = length(der, pos);
            if (tag == 0xa0 && len > 2 && der[pos[0]] == 6) {
                int p = pos[0] + 1;
                int[] q = {p};
                int oidLen = length(der, q);
                return java.util.Arrays.copyOfRange(der, q[0], q[0] + oidLen);
            }
            pos[0] += len;
        }
        return null;
    }

    private static int length(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            n = n << 8 | der[pos[0]++] & 0xff;
        }
        return n;
    }

    private static byte[] seq(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
