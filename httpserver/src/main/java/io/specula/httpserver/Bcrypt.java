package io.specula.httpserver;

import io.specula.model.config.ConfigException;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** bcrypt hashes of {@code basic_auth_users}: Go's acceptance rules and error texts, Spring's hashing. */
final class Bcrypt {
    private Bcrypt() {}

    private static final int MIN_HASH_SIZE = 59;
    private static final int MIN_COST = 4;
    private static final int MAX_COST = 31;

    /** Refuses what Go's {@code bcrypt.Cost} refuses, with its words. */
    static void checkHash(String h) throws ConfigException {
        if (h.length() < MIN_HASH_SIZE) {
            throw new ConfigException("crypto/bcrypt: hashedSecret too short to be a bcrypted password");
        }
        if (h.charAt(0) != '$') {
            throw new ConfigException("crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '" + h.charAt(0) + "'");
        }
        if (h.charAt(1) > '2') {
            throw new ConfigException("crypto/bcrypt: bcrypt algorithm version '" + h.charAt(1)
                    + "' requested is newer than current version '2'");
        }
        int n = h.charAt(2) != '$' ? 4 : 3;
        String cost = h.substring(n, n + 2);
        int c;
        try {
            c = Integer.parseInt(cost);
        } catch (NumberFormatException e) {
            throw new ConfigException("strconv.Atoi: parsing \"" + cost + "\": invalid syntax");
        }
        if (c < MIN_COST || c > MAX_COST) {
            throw new ConfigException("crypto/bcrypt: cost " + c + " is outside allowed range (" + MIN_COST + "," + MAX_COST + ")");
        }
    }

    /** Whether {@code password} matches {@code hash}; false for a hash the library cannot read. */
    static boolean matches(String password, String hash) {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (RuntimeException e) {
            return false; // malformed hash, or a password beyond bcrypt's 72 bytes
        }
    }
}
