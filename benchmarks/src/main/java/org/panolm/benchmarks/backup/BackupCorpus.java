package org.panolm.benchmarks.backup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.panolm.benchmarks.libolm.LibolmPkEncryption;
import org.panolm.benchmarks.support.BackupCiphertext;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/** A backup key pair and backed-up sessions of the real shape, encrypted before timing by libolm. */
public final class BackupCorpus {
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    public final byte[] privateKey;
    public final String publicKey;
    public final List<byte[]> plaintexts;
    public final List<BackupCiphertext> ciphertexts;

    public BackupCorpus(int count) {
        privateKey = SecureRandomBytes.next(32);
        publicKey = B64.encodeToString(X25519.publicKey(privateKey));
        List<byte[]> p = new ArrayList<>(count);
        List<BackupCiphertext> c = new ArrayList<>(count);
        try (var enc = new LibolmPkEncryption(publicKey, 1024)) {
            for (int i = 0; i < count; i++) {
                byte[] json = sessionJson();
                p.add(json);
                c.add(enc.encryptToParts(json));
            }
        }
        plaintexts = List.copyOf(p);
        ciphertexts = List.copyOf(c);
    }

    /** A {@code BackedUpSessionData} (SPEC-NOTES §2.1) with random keys: about 400 bytes of JSON. */
    public static byte[] sessionJson() {
        byte[] sessionKey = SecureRandomBytes.next(165);
        sessionKey[0] = 1;
        String json = "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"" + B64.encodeToString(SecureRandomBytes.next(32))
                + "\",\"session_key\":\"" + B64.encodeToString(sessionKey)
                + "\",\"sender_claimed_keys\":{\"ed25519\":\"" + B64.encodeToString(SecureRandomBytes.next(32))
                + "\"},\"forwarding_curve25519_key_chain\":[]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
