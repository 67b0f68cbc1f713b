package org.panolm.benchmarks.jdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** A Megolm sender on the JDK's own providers (Ed25519 signing by SunEC). Not thread-safe. */
public final class JdkOutboundGroupSession {
    private static final byte[] MEGOLM_KEYS = "MEGOLM_KEYS".getBytes(StandardCharsets.US_ASCII);

    private final JdkMegolmRatchet ratchet;
    private final byte[] publicKey;
    private final PrivateKey signingKey;
    private final Signature signer;
    private final JdkHkdf hkdf;
    private final Mac mac;
    private final Cipher aes;

    public JdkOutboundGroupSession() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] r = new byte[128];
        random.nextBytes(r);
        ratchet = new JdkMegolmRatchet(r, 0);
        Arrays.fill(r, (byte) 0);
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signingKey = pair.getPrivate();
        publicKey = JdkKeys.raw(pair.getPublic());
        signer = Signature.getInstance("Ed25519");
        hkdf = new JdkHkdf();
        mac = Mac.getInstance("HmacSHA256");
        aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    }

    /** The docs/formats.md §1.5 session key at the current index, signed. */
    public String sessionKey() throws GeneralSecurityException {
        ByteBuffer b = ByteBuffer.allocate(229);
        b.put((byte) 2).putInt(ratchet.counter()).put(ratchet.bytes()).put(publicKey);
        signer.initSign(signingKey);
        signer.update(b.array(), 0, 165);
        b.put(signer.sign());
        return Base64.getEncoder().withoutPadding().encodeToString(b.array());
    }

    /** Encrypts one message; returns its unpadded base64, as it goes into {@code content.ciphertext}. */
    public byte[] encrypt(byte[] plaintext) throws GeneralSecurityException {
        byte[] r = ratchet.bytes();
        byte[] okm = hkdf.derive(r, MEGOLM_KEYS, 80);
        Arrays.fill(r, (byte) 0);
        try {
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
            byte[] body = JdkMegolmMessage.encodeBody(ratchet.counter(), aes.doFinal(plaintext));
            byte[] m = Arrays.copyOf(body, body.length + JdkMegolmMessage.MAC_LENGTH + JdkMegolmMessage.SIGNATURE_LENGTH);
            mac.init(new SecretKeySpec(okm, 32, 32, "HmacSHA256"));
            mac.update(body);
            System.arraycopy(mac.doFinal(), 0, m, body.length, JdkMegolmMessage.MAC_LENGTH);
            signer.initSign(signingKey);
            signer.update(m, 0, body.length + JdkMegolmMessage.MAC_LENGTH);
            System.arraycopy(signer.sign(), 0, m, body.length + JdkMegolmMessage.MAC_LENGTH,
                    JdkMegolmMessage.SIGNATURE_LENGTH);
            ratchet.advance();
            return Base64.getEncoder().withoutPadding().encode(m);
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }
}
