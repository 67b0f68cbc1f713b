package org.panolm.benchmarks.jdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.panolm.benchmarks.backup.BackupCorpus;
import org.panolm.benchmarks.libolm.LibolmPkDecryption;
import org.panolm.backup.SessionData;

/** The pure-JDK backup baseline must produce and read what libolm and matrix-rust-sdk do. */
class JdkBackupTest {
    @Test
    void decryptsMatrixRustSdkVector() throws Exception {
        var key = JdkKeys.x25519Private(Base64.getDecoder().decode("Ha9cklU/9NqFo9WKdVfGzmqUL/9wlkdxfEitbSIPVXw"));
        var m = new SessionData("HlLi76oV6wxHz3PCqE/bxJi6yF1HnYz5Dq3T+d/KpRw",
                "MuM8E3Yc6TSAvhVGb77rQ++jE6p9dRepx63/3YPD2wACKAppkZHeFrnTH6wJ/HSyrmzo7HfwqVl6tKNpfooSTHqUf6x1LHz+h4B/Id5ITO1WYt16AaI40LOnZqTkJZCfSPuE2oxalwEHnCS3biWybutcnrBFPR3LMtaeHvvkb+k3ny9l5ZpsU9G7vCm3XoeYkWfLekWXvDhbqWrylXD0+CNUuaQJ/S527TzLd4XKctqVjjO/cCH7q+9utt9WJAfK8LGaWT/mZ3AeWjf5kiqOpKKf5Cn4n5SSil5p/pvGYmjnURvZSEeQIzHgvunIBEPtzK/MYEPOXe/P5achNGlCx+5N19Ftyp9TFaTFlTWCTi0mpD7ePfCNISrwpozAz9HZc0OhA8+1aSc7rhYFIeAYXFU326NuFIFHI5pvpSxjzPQlOA+mavIKmiRAtjlLw11IVKTxgrdT4N8lXeMr4ndCSmvIkAzFMo1uZA4fzjiAdQJE4/2WeXFNNpvdfoYmX8Zl9CAYjpSO5HvpwkAbk4/iLEH3hDfCVUwDfMh05PdGLnxeRpiEFWSMSsJNp+OWAA+5JsF41BoRGrxoXXT+VKqlUDONd+O296Psu8Q+d8/S618",
                "GtMrurhDTwo");
        String plain = new String(new JdkBackup().decrypt(key, m), StandardCharsets.UTF_8);
        assertEquals("{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"wREG/hBdSspoqM9xPCEXd/4YwjpBFXlso"
                + "bRkyDTo/Q8\",\"session_key\":\"AQAAAABwCEYsl5BrvPW0N8HTYP11phC7LOzItQLS3Zen6j1j9qMydUHVDeuMLxwo5i3GYfLWGjJEjsC"
                + "j0Q99TZMABnJBCFg9MheV8cNSBfj7mHSZr6NP8aUAAAOhsY+cJwPDHxcnU181nAEs0fovHnonZGXs6iB/K6sKfuRWUNvX50ORohgDT3TGl0gQF"
                + "ed1FQEtn2Q1qT35iTRfe81SGOnFJrOM\",\"sender_claimed_keys\":{\"ed25519\":\"MnNLGwn4j9ArCvtgU6o1jG8TgJaEXQpDTxz7QU0h7GM\"},\"forwarding_curve25519_key_chain\":[]}", plain);
    }

    @Test
    void agreesWithLibolmBothWays() throws Exception {
        var corpus = new BackupCorpus(8);
        var jdk = new JdkBackup();
        var priv = JdkKeys.x25519Private(corpus.privateKey);
        var pub = JdkKeys.x25519Public(Base64.getDecoder().decode(corpus.publicKey));
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(BackupCorpus.backedUpJson(corpus.keys.get(i)), jdk.decrypt(priv, corpus.ciphertexts.get(i)));
        }
        try (var libolm = new LibolmPkDecryption(corpus.privateKey, 2048)) {
            assertEquals(corpus.publicKey, libolm.publicKey());
            byte[] json = BackupCorpus.backedUpJson(corpus.keys.get(3));
            assertArrayEquals(json, libolm.decryptToBytes(jdk.encrypt(pub, json)));
        }
    }

    @Test
    void rejectsAWrongMac() throws Exception {
        var corpus = new BackupCorpus(1);
        SessionData c = corpus.ciphertexts.get(0);
        char[] mac = c.mac().toCharArray();
        mac[0] = mac[0] == 'A' ? 'B' : 'A';
        var bad = new SessionData(c.ephemeral(), c.ciphertext(), new String(mac));
        assertThrows(GeneralSecurityException.class,
                () -> new JdkBackup().decrypt(JdkKeys.x25519Private(corpus.privateKey), bad));
    }
}
