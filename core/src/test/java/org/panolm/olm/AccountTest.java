package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.Ed25519;

class AccountTest {
    private static final byte[] PICKLE_KEY = "account pickle key".getBytes(StandardCharsets.UTF_8);

    @Test
    void identityKeysSignAndVerify() {
        try (Account account = Account.create()) {
            IdentityKeys keys = account.identityKeys();
            assertEquals(keys, account.identityKeys());
            byte[] message = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            byte[] signature = account.sign(message);
            assertEquals(64, signature.length);
            assertTrue(Ed25519.verify(keys.ed25519().bytes(), message, signature));
            assertTrue(keys.ed25519().verify(message, signature));
            message[0] ^= 1;
            assertFalse(Ed25519.verify(keys.ed25519().bytes(), message, signature));
        }
        try (Account a = Account.create(); Account b = Account.create()) {
            assertNotEquals(a.identityKeys(), b.identityKeys());
        }
    }

    @Test
    void oneTimeKeysAreGeneratedListedAndPublished() {
        try (Account account = Account.create()) {
            assertEquals(List.of(), account.oneTimeKeys());
            assertEquals(100, account.maxNumberOfOneTimeKeys());
            account.generateOneTimeKeys(5);
            List<OneTimeKey> keys = account.oneTimeKeys();
            assertEquals(5, keys.size());
            Set<String> ids = new HashSet<>();
            for (OneTimeKey k : keys) {
                assertTrue(ids.add(k.keyId()));
                assertEquals(32, k.publicKey().bytes().length);
            }
            assertTrue(ids.contains("AAAAAQ"), "libolm numbers keys from 1: " + ids);
            assertEquals(5, account.markKeysAsPublished());
            assertEquals(List.of(), account.oneTimeKeys());
            account.generateOneTimeKeys(0);
            assertEquals(List.of(), account.oneTimeKeys());
            account.generateOneTimeKeys(100);
            account.generateOneTimeKeys(50);
            List<OneTimeKey> kept = account.oneTimeKeys();
            assertEquals(account.maxNumberOfOneTimeKeys(), kept.size(), "libolm keeps the newest 100");
            assertEquals(OneTimeKey.of(155, new byte[32]).keyId(), kept.getFirst().keyId(), "newest first");
            assertEquals(OneTimeKey.of(56, new byte[32]).keyId(), kept.getLast().keyId(), "the oldest 55 dropped");
            var e = assertThrows(PanolmException.class, () -> account.generateOneTimeKeys(-1));
            assertEquals(Status.INVALID_ARGUMENT, e.status());
            e = assertThrows(PanolmException.class, () -> account.generateOneTimeKeys(Account.MAX_GENERATE + 1));
            assertEquals(Status.INVALID_ARGUMENT, e.status());
        }
    }

    @Test
    void fallbackKeys() {
        try (Account account = Account.create()) {
            assertTrue(account.unpublishedFallbackKey().isEmpty());
            account.generateFallbackKey();
            OneTimeKey first = account.unpublishedFallbackKey().orElseThrow();
            assertEquals(0, account.markKeysAsPublished());
            assertTrue(account.unpublishedFallbackKey().isEmpty());
            account.generateFallbackKey();
            OneTimeKey second = account.unpublishedFallbackKey().orElseThrow();
            assertNotEquals(first, second);
            assertDoesNotThrow(account::forgetOldFallbackKey);
        }
    }

    @Test
    void pickleRoundTrip() {
        try (Account account = Account.create()) {
            account.generateOneTimeKeys(3);
            account.generateFallbackKey();
            String pickle = account.pickle(PICKLE_KEY);
            try (Account restored = Account.fromPickle(pickle, PICKLE_KEY)) {
                assertEquals(account.identityKeys(), restored.identityKeys());
                assertEquals(account.oneTimeKeys(), restored.oneTimeKeys());
                assertEquals(account.unpublishedFallbackKey(), restored.unpublishedFallbackKey());
                byte[] message = "same key".getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(account.sign(message), restored.sign(message));
            }
        }
    }

    @Test
    void emptyPickleKeyAsOtherBindingsDefaultTo() {
        try (Account account = Account.create();
             Account restored = Account.fromPickle(account.pickle(new byte[0]), new byte[0])) {
            assertEquals(account.identityKeys(), restored.identityKeys());
        }
    }

    @Test
    void libolmFormatRoundTrip() {
        try (Account account = Account.create()) {
            account.generateOneTimeKeys(2);
            account.generateFallbackKey();
            account.markKeysAsPublished();
            account.generateFallbackKey();
            String pickle = account.toLibolmPickle(PICKLE_KEY);
            assertFalse(pickle.startsWith("panolm1:"));
            try (Account restored = Account.fromPickle(pickle, PICKLE_KEY);
                 Account explicit = Account.fromLibolmPickle(pickle, PICKLE_KEY)) {
                assertEquals(account.identityKeys(), restored.identityKeys());
                assertEquals(account.fallbackKey(), restored.fallbackKey());
                assertEquals(account.unpublishedFallbackKey(), explicit.unpublishedFallbackKey());
                assertArrayEquals(account.sign(PICKLE_KEY), explicit.sign(PICKLE_KEY));
            }
            // Our own format is not read as libolm's, nor the other way round.
            assertThrows(PanolmException.class, () -> Account.fromLibolmPickle(account.pickle(PICKLE_KEY), PICKLE_KEY));
        }
    }

    @Test
    void ourPicklesAreSaltedAndVersioned() {
        try (Account account = Account.create()) {
            String a = account.pickle(PICKLE_KEY);
            String b = account.pickle(PICKLE_KEY);
            assertTrue(a.startsWith("panolm1:"), a.substring(0, 8));
            assertNotEquals(a, b, "a fresh salt per pickle: the same key never reuses an IV");
        }
    }

    @Test
    void wrongPickleKeyAndDamagedPickles() {
        String pickle;
        try (Account account = Account.create()) {
            pickle = account.pickle(PICKLE_KEY);
        }
        var wrongKey = assertThrows(OlmException.class,
                () -> Account.fromPickle(pickle, "another key".getBytes(StandardCharsets.UTF_8)));
        assertEquals(OlmError.BAD_ACCOUNT_KEY, wrongKey.error());
        assertEquals(Status.BAD_MAC, wrongKey.status());

        char[] chars = pickle.toCharArray();
        chars[60] = chars[60] == 'A' ? 'B' : 'A';
        var altered = assertThrows(OlmException.class, () -> Account.fromPickle(new String(chars), PICKLE_KEY));
        assertEquals(OlmError.BAD_ACCOUNT_KEY, altered.error());

        // The format version (the envelope's second byte) is checked before the MAC.
        byte[] raw = java.util.Base64.getDecoder().decode(padded(pickle.substring(8)));
        raw[1] = 2;
        String version = "panolm1:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(raw);
        var unknownVersion = assertThrows(OlmException.class, () -> Account.fromPickle(version, PICKLE_KEY));
        assertEquals(OlmError.UNKNOWN_PICKLE_VERSION, unknownVersion.error());

        var notBase64 = assertThrows(PanolmException.class,
                () -> Account.fromPickle(pickle.substring(0, 12) + "*" + pickle.substring(13), PICKLE_KEY));
        assertEquals(Status.BAD_BASE64, notBase64.status());
        var empty = assertThrows(OlmException.class, () -> Account.fromPickle("", PICKLE_KEY));
        assertEquals(OlmError.CORRUPTED_PICKLE, empty.error());
        var truncated = assertThrows(OlmException.class, () -> Account.fromPickle(pickle.substring(0, 40), PICKLE_KEY));
        assertEquals(OlmError.CORRUPTED_PICKLE, truncated.error());
        var otherKind = assertThrows(OlmException.class, () -> Session.fromPickle(pickle, PICKLE_KEY));
        assertEquals(OlmError.BAD_ACCOUNT_KEY, otherKind.error(), "an account pickle never opens as a session");
    }

    private static String padded(String base64) {
        return base64 + "=".repeat((4 - base64.length() % 4) % 4);
    }

    @Test
    void keyJsonIsLibolms() {
        try (Account account = Account.create()) {
            assertEquals("{\"curve25519\":{}}", account.oneTimeKeysJson());
            account.generateOneTimeKeys(2);
            List<OneTimeKey> keys = account.oneTimeKeys();
            assertEquals("{\"curve25519\":{\"AAAAAg\":\"" + keys.get(0).publicKeyBase64() + "\",\"AAAAAQ\":\""
                    + keys.get(1).publicKeyBase64() + "\"}}", account.oneTimeKeysJson());
            IdentityKeys id = account.identityKeys();
            assertEquals("{\"curve25519\":\"" + id.curve25519Base64() + "\",\"ed25519\":\"" + id.ed25519Base64()
                    + "\"}", id.toJson());
            assertEquals("{\"curve25519\":{}}", account.unpublishedFallbackKeyJson());
        }
    }

    @Test
    void useAfterCloseThrowsAndCloseIsIdempotent() {
        Account account = Account.create();
        account.close();
        account.close();
        assertTrue(account.isClosed());
        assertEquals("Account[closed]", account.toString());
        assertThrows(IllegalStateException.class, account::identityKeys);
        assertThrows(IllegalStateException.class, () -> account.sign(new byte[1]));
        assertThrows(IllegalStateException.class, () -> account.generateOneTimeKeys(1));
        assertThrows(IllegalStateException.class, () -> account.pickle(PICKLE_KEY));
        try (Account other = Account.create()) {
            assertThrows(IllegalStateException.class,
                    () -> Session.createOutbound(account, other.identityKeys().curve25519(), other.identityKeys().curve25519()));
            assertThrows(IllegalStateException.class, account::oneTimeKeys);
            assertThrows(IllegalStateException.class, account::markKeysAsPublished);
        }
    }

    @Test
    void toStringShowsOnlyThePublicIdentityKey() {
        try (Account account = Account.create()) {
            String pickle = account.pickle(PICKLE_KEY);
            String text = account.toString();
            assertTrue(text.contains(account.identityKeys().curve25519Base64()), text);
            assertFalse(text.contains(pickle.substring(0, 20)));
            assertEquals("Account[" + account.identityKeys().curve25519Base64() + "]", text);
        }
    }
}
