package org.panolm.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.panolm.subtle.Kdf;
import org.panolm.subtle.SecureRandomBytes;

/**
 * How a store hides its rows: each value is sealed with AES-256-GCM under a random 96-bit nonce, the row's table
 * and lookup key as associated data (so a row copied into another place fails to open); each lookup key (a room
 * id, a sender key, a user id) is replaced by its HMAC-SHA-256, so the file shows neither secrets nor who talks to
 * whom. Both keys come from the store key by HKDF.
 */
final class StoreCipher implements AutoCloseable {
    // Not thread-safe: the store calls it under its lock.
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] NO_SALT = new byte[32];

    private final SecretKeySpec sealKey;
    private final SecretKeySpec indexKey;
    private final byte[] sealBytes;
    private final byte[] indexBytes;
    // One instance each, reused: the store calls under its own lock, and creating them per row dominated inserts.
    private final Mac mac;
    private final Cipher gcm;

    StoreCipher(byte[] storeKey) {
        sealBytes = Kdf.hkdfSha256(NO_SALT, storeKey, "panolm engine store: seal".getBytes(StandardCharsets.US_ASCII), 32);
        indexBytes = Kdf.hkdfSha256(NO_SALT, storeKey, "panolm engine store: index".getBytes(StandardCharsets.US_ASCII), 32);
        sealKey = new SecretKeySpec(sealBytes, "AES");
        indexKey = new SecretKeySpec(indexBytes, "HmacSHA256");
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(indexKey);
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 or AES-GCM is unavailable", e);
        }
    }

    /** The lookup key of {@code parts}, which are length-prefixed so that ("ab","c") and ("a","bc") differ. */
    byte[] index(String... parts) {
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            mac.update(ByteBuffer.allocate(4).putInt(b.length).array());
            mac.update(b);
        }
        return mac.doFinal();
    }

    byte[] seal(String table, byte[] lookup, byte[] plaintext) {
        byte[] nonce = SecureRandomBytes.next(NONCE);
        try {
            Cipher c = gcm;
            c.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(table, lookup));
            byte[] out = new byte[NONCE + c.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Opens a sealed value, or throws {@link StoreException.Reason#CORRUPT} naming the table (never the value). */
    byte[] open(String table, byte[] lookup, byte[] sealed) {
        if (sealed.length < NONCE + TAG_BITS / 8) {
            throw new StoreException(StoreException.Reason.CORRUPT, "a row of " + table + " is too short to be sealed");
        }
        try {
            Cipher c = gcm;
            c.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            c.updateAAD(aad(table, lookup));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new StoreException(StoreException.Reason.CORRUPT, "a row of " + table
                    + " does not authenticate (altered, moved, or sealed under another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] aad(String table, byte[] lookup) {
        byte[] t = table.getBytes(StandardCharsets.US_ASCII);
        byte[] aad = new byte[t.length + 1 + lookup.length];
        System.arraycopy(t, 0, aad, 0, t.length);
        System.arraycopy(lookup, 0, aad, t.length + 1, lookup.length);
        return aad;
    }

    @Override
    public void close() {
        Arrays.fill(sealBytes, (byte) 0);
        Arrays.fill(indexBytes, (byte) 0);
    }
}
