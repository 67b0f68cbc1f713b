package org.panolm.client.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Streaming encryption and decryption of attachments as the spec's {@code EncryptedFile} describes: AES-256-CTR
 * with a fresh key and a counter block whose first 8 bytes are random and last 8 zero, and the SHA-256 of the
 * ciphertext. Memory stays at one buffer whatever the file's size. AES-CTR and SHA-256 run on the JDK's
 * intrinsics (AES-NI, SHA-NI), as fast as a native call and without copying the stream across.
 *
 * <p>Decryption never hands out plaintext before the hash is checked: it decrypts into a private temporary
 * file beside the target, compares the hash of everything read (in constant time), and only then moves the
 * file into place. A mismatch deletes it and throws {@link AttachmentException} naming {@code hashes.sha256}.
 */
public final class AttachmentCipher {
    private static final int BUFFER = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AttachmentCipher() {}

    /**
     * Encrypts {@code plaintext} into {@code ciphertext} with a new key.
     *
     * @param plaintext the file's bytes, read to the end (not closed)
     * @param ciphertext where the ciphertext goes (not closed)
     * @return the key, IV and hash; its {@code url} is null until the ciphertext is uploaded
     * @throws IOException if reading or writing fails
     */
    public static EncryptedFile encrypt(InputStream plaintext, OutputStream ciphertext) throws IOException {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(iv);
        // The counter half starts at zero so that a 64-bit counter (WebCrypto's) never wraps.
        Arrays.fill(iv, 8, 16, (byte) 0);
        try {
            Cipher aes = cipher(Cipher.ENCRYPT_MODE, key, iv);
            MessageDigest sha = sha256();
            byte[] in = new byte[BUFFER];
            byte[] out = new byte[BUFFER];
            int n;
            while ((n = plaintext.read(in)) > 0) {
                int m = aes.update(in, 0, n, out, 0);
                sha.update(out, 0, m);
                ciphertext.write(out, 0, m);
            }
            int m = aes.doFinal(out, 0);
            sha.update(out, 0, m);
            ciphertext.write(out, 0, m);
            Arrays.fill(in, (byte) 0);
            return new EncryptedFile(null, JsonWebKey.of(key), b64(iv), Map.of("sha256", b64(sha.digest())),
                    EncryptedFile.V2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Decrypts {@code ciphertext} into {@code target}, which appears only once the ciphertext's SHA-256 has
     * matched {@code file.hashes.sha256}.
     *
     * @param file the key, IV and hash, as the (decrypted) event gave them
     * @param ciphertext the downloaded ciphertext, read to the end (not closed)
     * @param target where the plaintext goes (replaced if present)
     * @throws IOException if reading or writing fails
     */
    public static void decrypt(EncryptedFile file, InputStream ciphertext, Path target) throws IOException {
        if (file == null) throw AttachmentException.field("", "is missing");
        if (!EncryptedFile.V2.equals(file.v())) throw AttachmentException.field("v", "is not v2");
        if (file.key() == null) throw AttachmentException.field("key", "is missing");
        byte[] iv = decode(file.iv(), 16, "iv");
        byte[] expected = decode(file.hashes() == null ? null : file.hashes().get("sha256"), 32, "hashes.sha256");
        byte[] key = file.key().keyBytes();
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, ".attachment-", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        boolean moved = false;
        try {
            Cipher aes = cipher(Cipher.DECRYPT_MODE, key, iv);
            MessageDigest sha = sha256();
            byte[] in = new byte[BUFFER];
            byte[] out = new byte[BUFFER];
            try (OutputStream w = Files.newOutputStream(temp)) {
                int n;
                while ((n = ciphertext.read(in)) > 0) {
                    sha.update(in, 0, n);
                    int m = aes.update(in, 0, n, out, 0);
                    w.write(out, 0, m);
                }
                w.write(out, 0, aes.doFinal(out, 0));
            } finally {
                Arrays.fill(out, (byte) 0);
            }
            if (!MessageDigest.isEqual(expected, sha.digest())) {
                throw AttachmentException.field("hashes.sha256", "does not match the downloaded ciphertext: "
                        + "the file was damaged or replaced, nothing was kept");
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (!moved) Files.deleteIfExists(temp);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c;
    }

    private static MessageDigest sha256() throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256");
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] decode(@Nullable String text, int length, String field) {
        if (text == null) throw AttachmentException.field(field, "is missing");
        byte[] b;
        try {
            b = Base64.getDecoder().decode(text.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw AttachmentException.field(field, "is not base64");
        }
        if (b.length != length) throw AttachmentException.field(field, "is not " + length + " bytes");
        return b;
    }
}
