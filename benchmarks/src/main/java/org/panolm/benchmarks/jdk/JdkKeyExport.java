package org.panolm.benchmarks.jdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Element's room-key export file (docs/formats.md §6) on the JDK's own providers: PBKDF2WithHmacSHA512,
 * AES/CTR/NoPadding, HmacSHA256, armoured as Element writes it (96-byte chunks of padded base64).
 * Whole-file, in memory, as a Java developer would first write it. Not thread-safe.
 */
public final class JdkKeyExport {
    private static final String HEADER = "-----BEGIN MEGOLM SESSION DATA-----";
    private static final String FOOTER = "-----END MEGOLM SESSION DATA-----";
    private static final int PREFIX = 1 + 16 + 16 + 4;

    private final JdkPbkdf2 pbkdf2;
    private final SecureRandom random = new SecureRandom();
    private final Cipher aes;
    private final Mac mac;

    public JdkKeyExport() throws GeneralSecurityException {
        pbkdf2 = new JdkPbkdf2();
        aes = Cipher.getInstance("AES/CTR/NoPadding");
        mac = Mac.getInstance("HmacSHA256");
    }

    public String encrypt(byte[] json, char[] passphrase, int rounds) throws GeneralSecurityException {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        iv[8] &= 0x7F; // WebCrypto readers count with the low 64 bits only: keep them from carrying
        byte[] keys = pbkdf2.derive(passphrase, salt, rounds, 64);
        try {
            ByteBuffer body = ByteBuffer.allocate(PREFIX + json.length + 32);
            body.put((byte) 1).put(salt).put(iv).putInt(rounds);
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys, 0, 32, "AES"), new IvParameterSpec(iv));
            aes.doFinal(json, 0, json.length, body.array(), PREFIX);
            mac.init(new SecretKeySpec(keys, 32, 32, "HmacSHA256"));
            mac.update(body.array(), 0, PREFIX + json.length);
            mac.doFinal(body.array(), PREFIX + json.length);
            return armour(body.array());
        } finally {
            Arrays.fill(keys, (byte) 0);
        }
    }

    public byte[] decrypt(String file, char[] passphrase) throws GeneralSecurityException {
        int start = file.indexOf(HEADER);
        int end = file.indexOf(FOOTER);
        if (start < 0 || end < start) throw new GeneralSecurityException("not an export file");
        byte[] body = Base64.getMimeDecoder().decode(file.substring(start + HEADER.length(), end));
        if (body.length < PREFIX + 32 || body[0] != 1) throw new GeneralSecurityException("bad export body");
        int rounds = ByteBuffer.wrap(body, 33, 4).getInt();
        byte[] keys = pbkdf2.derive(passphrase, Arrays.copyOfRange(body, 1, 17), rounds, 64);
        try {
            int n = body.length - 32;
            mac.init(new SecretKeySpec(keys, 32, 32, "HmacSHA256"));
            mac.update(body, 0, n);
            if (!MessageDigest.isEqual(mac.doFinal(), Arrays.copyOfRange(body, n, body.length))) {
                throw new GeneralSecurityException("bad MAC: wrong passphrase or corrupted file");
            }
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys, 0, 32, "AES"),
                    new IvParameterSpec(body, 17, 16));
            return aes.doFinal(body, PREFIX, n - PREFIX);
        } finally {
            Arrays.fill(keys, (byte) 0);
        }
    }

    private static String armour(byte[] body) {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder out = new StringBuilder(body.length * 4 / 3 + body.length / 48 + 80);
        out.append(HEADER).append('\n');
        for (int off = 0; off < body.length; off += 96) {
            int n = Math.min(96, body.length - off);
            out.append(new String(b64.encode(Arrays.copyOfRange(body, off, off + n)), StandardCharsets.US_ASCII))
                    .append('\n');
        }
        return out.append(FOOTER).append('\n').toString();
    }
}
