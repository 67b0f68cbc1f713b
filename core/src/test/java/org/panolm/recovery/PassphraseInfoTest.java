package org.panolm.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.panolm.PanolmException;
import org.panolm.Status;

class PassphraseInfoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rustSdkVector() {
        PassphraseInfo info = new PassphraseInfo("m.pbkdf2", "IuLnH7S85YtZmkkBJKwNUKxWF42g9O1H", 10, null);
        try (Passphrase p = Passphrase.of("It's a secret to everybody")) {
            assertArrayEquals(HexFormat.of().parseHex("397aff44a04238741cff9b76b38126073c34bf25599fa9969287f01ccf77559f"),
                    info.deriveKey(p));
        }
    }

    @Test
    void bitsAreHonouredAndAgreeWithTheJdk() throws Exception {
        String phrase = "Grüße, 世界 🔑";
        for (int bits : new int[] {128, 256, 512}) {
            PassphraseInfo info = new PassphraseInfo("m.pbkdf2", "saltSALT0123", 1000, bits);
            byte[] ours;
            try (Passphrase p = Passphrase.of(phrase)) {
                ours = info.deriveKey(p);
            }
            byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec(phrase.toCharArray(), "saltSALT0123".getBytes(StandardCharsets.UTF_8),
                            1000, bits)).getEncoded();
            assertArrayEquals(jdk, ours, "bits " + bits);
        }
    }

    @Test
    void generatesElementStyleInfoAndJson() throws Exception {
        PassphraseInfo info = PassphraseInfo.generate();
        assertEquals(500_000, info.iterations());
        assertTrue(info.salt().matches("[A-Za-z0-9]{32}"), info.salt());
        assertFalse(info.salt().equals(PassphraseInfo.generate().salt()));
        String json = JSON.writeValueAsString(info);
        assertEquals("{\"algorithm\":\"m.pbkdf2\",\"salt\":\"" + info.salt() + "\",\"iterations\":500000}", json);
        PassphraseInfo back = JSON.readValue("{\"algorithm\":\"m.pbkdf2\",\"salt\":\"abc\",\"iterations\":7,\"bits\":256,\"x\":1}",
                PassphraseInfo.class);
        assertEquals(new PassphraseInfo("m.pbkdf2", "abc", 7, 256), back);
        assertNull(JSON.readValue(json, PassphraseInfo.class).bits());
    }

    @Test
    void refusesWhatItCannotOrShouldNotRun() {
        try (Passphrase p = Passphrase.of("x")) {
            assertStatus(Status.TOO_LARGE, () -> new PassphraseInfo("m.pbkdf2", "s", 4_000_000_000L, null).deriveKey(p));
            assertStatus(Status.TOO_LARGE, () -> new PassphraseInfo("m.pbkdf2", "s", PassphraseInfo.MAX_ITERATIONS + 1L, null).deriveKey(p));
            assertStatus(Status.INVALID_ARGUMENT, () -> new PassphraseInfo("m.pbkdf2", "s", 0, null).deriveKey(p));
            assertStatus(Status.INVALID_ARGUMENT, () -> new PassphraseInfo("m.scrypt", "s", 10, null).deriveKey(p));
            assertStatus(Status.INVALID_ARGUMENT, () -> new PassphraseInfo("m.pbkdf2", null, 10, null).deriveKey(p));
            assertStatus(Status.INVALID_ARGUMENT, () -> new PassphraseInfo("m.pbkdf2", "s", 10, 12).deriveKey(p));
            assertStatus(Status.INVALID_ARGUMENT, () -> new PassphraseInfo("m.pbkdf2", "s", 10, 1024).deriveKey(p));
        }
    }

    @Test
    void passphraseIsHiddenAndWiped() {
        Passphrase p = Passphrase.of("correct horse".toCharArray());
        assertFalse(p.toString().contains("horse"));
        assertArrayEquals("correct horse".getBytes(StandardCharsets.UTF_8), p.utf8Copy());
        p.close();
        p.close();
        assertThrows(IllegalStateException.class, p::utf8Copy);
        assertStatus(Status.INVALID_ARGUMENT, () -> Passphrase.of(new char[] {'a', '\ud800'}));
    }

    private static void assertStatus(Status status, Runnable r) {
        assertEquals(status, assertThrows(PanolmException.class, r::run).status());
    }
}
