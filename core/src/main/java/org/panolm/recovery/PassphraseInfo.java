package org.panolm.recovery;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.SecureRandomBytes;

/**
 * How a key is derived from a Security Phrase ({@code m.pbkdf2}, docs/formats.md §4): the {@code passphrase}
 * object of a secret-storage key description (and of legacy backup {@code auth_data}). PBKDF2-HMAC-SHA-512
 * over the phrase's UTF-8 bytes, with the salt used as its UTF-8 string (never base64-decoded).
 *
 * @param algorithm {@code m.pbkdf2}, the only algorithm
 * @param salt the salt, as text
 * @param iterations the PBKDF2 iteration count
 * @param bits output length; null means 256 (what every client writes, so it is omitted when writing)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PassphraseInfo(
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("salt") String salt,
        @JsonProperty("iterations") long iterations,
        @JsonProperty("bits") Integer bits) {

    public static final String PBKDF2 = "m.pbkdf2";
    /** What Element and matrix-rust-sdk use when they create a key. */
    public static final int DEFAULT_ITERATIONS = 500_000;
    /**
     * The most iterations accepted from account data: a server or attacker could otherwise make a client
     * spin for hours. Twenty times the default, a few seconds here.
     */
    public static final int MAX_ITERATIONS = 10_000_000;
    public static final int DEFAULT_BITS = 256;
    /** 512 bits is the most a single PBKDF2-HMAC-SHA-512 block gives; nobody uses more. */
    public static final int MAX_BITS = 512;
    private static final int SALT_LENGTH = 32;
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /**
     * A new description with a random 32-character salt and the default 500,000 iterations.
     *
     * @return the description
     */
    public static PassphraseInfo generate() {
        return generate(DEFAULT_ITERATIONS);
    }

    /**
     * A new description with a random 32-character salt and the given iteration count.
     *
     * @param iterations the PBKDF2 iteration count
     * @return the description
     */
    public static PassphraseInfo generate(int iterations) {
        PassphraseInfo info = new PassphraseInfo(PBKDF2, randomAlphanumeric(SALT_LENGTH), iterations, null);
        info.validate();
        return info;
    }

    /** Checks algorithm, iteration count and bit length; throws a {@link PanolmException} naming the field. */
    public void validate() {
        if (!PBKDF2.equals(algorithm)) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "passphrase.algorithm is " + (algorithm == null ? "missing" : "'" + algorithm + "'")
                            + ", only " + PBKDF2 + " is supported");
        }
        if (salt == null) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "passphrase.salt is missing");
        }
        if (iterations < 1) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "passphrase.iterations must be at least 1, not " + iterations);
        }
        if (iterations > MAX_ITERATIONS) {
            throw new PanolmException(Status.TOO_LARGE,
                    "passphrase.iterations " + iterations + " is above the limit of " + MAX_ITERATIONS);
        }
        int b = outputBits();
        if (b < 8 || b % 8 != 0 || b > MAX_BITS) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "passphrase.bits must be a multiple of 8 from 8 to " + MAX_BITS + ", not " + b);
        }
    }

    /**
     * {@code bits}, or 256 when absent.
     *
     * @return the key length in bits
     */
    @JsonIgnore
    public int outputBits() {
        return bits == null ? DEFAULT_BITS : bits;
    }

    /**
     * Runs PBKDF2 natively (about 0.2 s at 500,000 iterations). The caller wipes the result.
     *
     * @param passphrase the Security Phrase
     * @return the derived key, {@code outputBits() / 8} bytes
     */
    public byte[] deriveKey(Passphrase passphrase) {
        validate();
        byte[] password = passphrase.utf8Copy();
        try {
            return Kdf.pbkdf2Sha512(password, salt.getBytes(StandardCharsets.UTF_8), (int) iterations,
                    outputBits() / 8);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    static String randomAlphanumeric(int length) {
        // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
        char[] out = new char[length];
        int filled = 0;
        byte[] pool = new byte[length * 2];
        while (filled < length) {
            SecureRandomBytes.fill(pool);
            for (int i = 0; i < pool.length && filled < length; i++) {
                int v = pool[i] & 0xff;
                if (v < 248) {
                    out[filled++] = ALPHANUMERIC[v % 62];
                }
            }
        }
        return new String(out);
    }
}
