package org.panolm.keystore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.Aes;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;
import org.panolm.subtle.SecureRandomBytes;

/**
 * Seals and opens the key store's bytes; the layout is documented on {@link KeyStore}. The MAC covers the
 * whole file before it and is checked (in constant time) before anything is decrypted.
 */
final class KeyStoreFile {
    private KeyStoreFile() {}

    static final byte[] MAGIC = "PNLMKEYS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final byte[] INFO = "panolm key store v1".getBytes(StandardCharsets.US_ASCII);
    static final int SALT = 32;
    static final int HEADER = MAGIC.length + 2 + 2 + SALT + 8;
    static final int MAC = 32;
    static final int KEY_LENGTH = 32;

    static byte[] seal(byte[] storeKey, byte[] plaintext) {
        byte[] salt = SecureRandomBytes.next(SALT);
        byte[] okm = Kdf.hkdfSha256(salt, storeKey, INFO, 80);
        byte[] aesKey = Arrays.copyOfRange(okm, 0, 32);
        byte[] macKey = Arrays.copyOfRange(okm, 32, 64);
        try {
            byte[] ciphertext = Aes.ctr(aesKey, Arrays.copyOfRange(okm, 64, 80), plaintext);
            ByteBuffer out = ByteBuffer.allocate(HEADER + ciphertext.length + MAC);
            out.put(MAGIC).putShort((short) VERSION).putShort((short) 0).put(salt).putLong(ciphertext.length)
                    .put(ciphertext);
            byte[] file = out.array();
            byte[] mac = Mac.hmacSha256(macKey, Arrays.copyOf(file, HEADER + ciphertext.length));
            System.arraycopy(mac, 0, file, HEADER + ciphertext.length, MAC);
            return file;
        } finally {
            wipe(okm, aesKey, macKey);
        }
    }

    /** @param what names the file in error messages */
    static byte[] open(byte[] storeKey, byte[] file, String what) {
        if (file.length < MAGIC.length || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, what + " is not a panolm key store");
        }
        if (file.length < HEADER + MAC) {
            throw new PanolmException(Status.TRUNCATED, what + " is shorter than a key store header");
        }
        ByteBuffer in = ByteBuffer.wrap(file, MAGIC.length, file.length - MAGIC.length);
        int version = Short.toUnsignedInt(in.getShort());
        if (version != VERSION) {
            throw new PanolmException(Status.BAD_VERSION, what + " has key store format version " + version
                    + "; this panolm reads version " + VERSION);
        }
        in.getShort(); // reserved
        byte[] salt = new byte[SALT];
        in.get(salt);
        long length = in.getLong();
        if (length < 0 || length != (long) file.length - HEADER - MAC) {
            throw new PanolmException(Status.TRUNCATED, what + " announces " + length + " bytes of content but holds "
                    + ((long) file.length - HEADER - MAC));
        }
        byte[] okm = Kdf.hkdfSha256(salt, storeKey, INFO, 80);
        byte[] aesKey = Arrays.copyOfRange(okm, 0, 32);
        byte[] macKey = Arrays.copyOfRange(okm, 32, 64);
        try {
            byte[] expected = Mac.hmacSha256(macKey, Arrays.copyOf(file, file.length - MAC));
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(file, file.length - MAC, file.length))) {
                throw new PanolmException(Status.BAD_MAC, what + ": wrong key store key, or the file was corrupted");
            }
            return Aes.ctr(aesKey, Arrays.copyOfRange(okm, 64, 80), Arrays.copyOfRange(file, HEADER, file.length - MAC));
        } finally {
            wipe(okm, aesKey, macKey);
        }
    }

    private static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) Arrays.fill(a, (byte) 0);
    }
}
