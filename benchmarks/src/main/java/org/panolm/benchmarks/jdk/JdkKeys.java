package org.panolm.benchmarks.jdk;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Raw 32-byte Curve25519 keys as SunEC key objects: the fixed DER prefixes of RFC 8410 in front of the
 * raw bytes (simpler than building EdECPoint/XEC specs, and what the encoded forms contain anyway).
 */
public final class JdkKeys {
    private JdkKeys() {}

    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] X25519_SPKI = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final byte[] ED25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b656e04220420");

    public static PublicKey ed25519Public(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, raw)));
    }

    public static PrivateKey ed25519Private(byte[] seed) throws GeneralSecurityException {
        byte[] der = concat(ED25519_PKCS8, seed);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    public static PublicKey x25519Public(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(X25519_SPKI, raw)));
    }

    public static PrivateKey x25519Private(byte[] raw) throws GeneralSecurityException {
        byte[] der = concat(X25519_PKCS8, raw);
        try {
            return KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** The raw 32 bytes of a SunEC Ed25519 or X25519 public key (the tail of its X.509 encoding). */
    public static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    private static byte[] concat(byte[] prefix, byte[] raw) {
        if (raw.length != 32) throw new IllegalArgumentException("a Curve25519 key is 32 bytes, not " + raw.length);
        byte[] out = Arrays.copyOf(prefix, prefix.length + 32);
        System.arraycopy(raw, 0, out, prefix.length, 32);
        return out;
    }
}
