package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.SessionKey;
import org.panolm.pk.PkDecryption;
import org.panolm.pk.PkSigning;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.RecoveryKey;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.verification.sas.SasKeyPair;

/**
 * No {@code toString()} of a key-holding type and no exception message about bad key input contains key
 * material, in hex or base64 (see {@link SecretText}). Every check first proves the secret is known to the
 * test (non-empty, retrievable), so a scan can never pass because it searched for nothing.
 */
class SecretHygieneTest {
    private final List<String> leaks = new ArrayList<>();
    private int scanned;

    private void scan(String where, String text, byte[] secret) {
        assertNotNull(secret, where);
        assertEquals(false, secret.length < 16, where + ": secret too short to scan for");
        scanned++;
        String hit = SecretText.find(text, secret);
        if (hit != null) leaks.add(where + " shows key material (" + hit.substring(0, 6) + "...)");
        // Same for the raw text form of the secret, for passphrases and base64 keys held as strings.
        String plain = new String(secret, StandardCharsets.ISO_8859_1);
        if (text != null && text.contains(plain)) leaks.add(where + " shows the secret text");
    }

    private void scanFailure(String where, Runnable bad, byte[] secret) {
        RuntimeException e = assertThrows(RuntimeException.class, bad::run, where + " must fail");
        for (Throwable t = e; t != null; t = t.getCause()) {
            scan(where + " (" + t.getClass().getSimpleName() + ")", t.getMessage(), secret);
            scan(where + " (toString)", t.toString(), secret);
        }
    }

    @Test
    void toStringNeverShowsKeys() {
        try (var out = MegolmOutboundSession.create()) {
            SessionKey key = out.sessionKey();
            byte[] ratchet = Arrays.copyOfRange(key.bytes(), 5, 133);
            scan("MegolmOutboundSession", out.toString(), ratchet);
            scan("SessionKey", key.toString(), ratchet);
            try (var in = MegolmInboundSession.create(key)) {
                scan("MegolmInboundSession", in.toString(), ratchet);
                ExportedSessionKey exported = in.export();
                scan("ExportedSessionKey", exported.toString(), ratchet);
                var entry = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!r:x", "sender", in.sessionId(),
                        exported.toBase64(), null, null, null);
                scan("ExportedRoomKey", entry.toString(), ratchet);
                scan("ExportedRoomKey (text)", entry.toString(), exported.toBase64().getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (var backup = BackupDecryptionKey.generate()) {
            byte[] secret = backup.toBytes();
            scan("BackupDecryptionKey", backup.toString(), secret);
            scan("BackupPublicKey", backup.publicKey().toString(), secret);
        }
        try (var ssss = SecretStorageKey.generate()) {
            scan("SecretStorageKey", ssss.toString(), ssss.copyBytes());
        }
        try (var pk = PkDecryption.generate()) {
            scan("PkDecryption", pk.toString(), pk.privateKey());
        }
        byte[] seed = PkSigning.generateSeed();
        try (var signing = PkSigning.fromSeed(seed)) {
            scan("PkSigning", signing.toString(), seed);
        }
        String words = "correct horse battery staple";
        try (var passphrase = Passphrase.of(words)) {
            scan("Passphrase", passphrase.toString(), words.getBytes(StandardCharsets.UTF_8));
        }
        byte[] sasPrivate = new byte[32];
        Arrays.fill(sasPrivate, (byte) 0x35);
        try (var sas = SasKeyPair.fromPrivateKey(sasPrivate.clone())) {
            scan("SasKeyPair", sas.toString(), sasPrivate);
        }
        // An Olm account whose Ed25519 seed the test knows (made from a libolm pickle), and its sessions.
        byte[] edSeed = new byte[32];
        Arrays.fill(edSeed, (byte) 0x5a);
        byte[] pickleKey = "a pickle key of some length".getBytes(StandardCharsets.UTF_8);
        try (var account = org.panolm.olm.Account.fromLibolmPickle(org.panolm.testing.LibolmPickles.account(
                edSeed, org.panolm.subtle.Ed25519.publicKey(edSeed), pickleKey), pickleKey)) {
            scan("olm.Account", account.toString(), edSeed);
            scan("olm.IdentityKeys", account.identityKeys().toString(), edSeed);
            account.generateOneTimeKeys(1);
            try (var session = org.panolm.olm.Session.createOutbound(account, account.identityKeys().curve25519(),
                    account.oneTimeKeys().getFirst().publicKey())) {
                scan("olm.Session", session.toString(), edSeed);
                scan("olm.OlmMessage", session.encrypt(edSeed).toString(), edSeed);
            }
        }
        assertEquals(List.of(), leaks);
        assertEquals(17, scanned);
    }

    @Test
    void exceptionMessagesNeverShowKeys() {
        byte[] secret = new byte[32];
        for (int i = 0; i < 32; i++) secret[i] = (byte) (i * 7 + 3);
        String recovery = RecoveryKey.encode(secret);
        char last = recovery.charAt(recovery.length() - 1);
        String damaged = recovery.substring(0, recovery.length() - 1) + (last == 'a' ? 'b' : 'a');
        scanFailure("RecoveryKey.decode (bad parity)", () -> RecoveryKey.decode(damaged), secret);
        scanFailure("BackupDecryptionKey.fromRecoveryKey", () -> BackupDecryptionKey.fromRecoveryKey(damaged), secret);
        scanFailure("RecoveryKey.decode (too long)", () -> RecoveryKey.decode(recovery + recovery), secret);
        // The recovery key's own text (base58, spaced in groups of four) must not be echoed either.
        byte[] recoveryText = damaged.substring(0, 24).getBytes(StandardCharsets.US_ASCII);
        scanFailure("RecoveryKey.decode (echo)", () -> RecoveryKey.decode(damaged), recoveryText);
        scanFailure("BackupDecryptionKey.fromRecoveryKey (echo)", () -> BackupDecryptionKey.fromRecoveryKey(damaged),
                recoveryText);

        byte[] longer = Arrays.copyOf(secret, 33);
        scanFailure("BackupDecryptionKey.fromBase64 (33 bytes)",
                () -> BackupDecryptionKey.fromBase64(MatrixBase64.encode(longer)), secret);
        scanFailure("BackupDecryptionKey.fromBytes (33 bytes)", () -> BackupDecryptionKey.fromBytes(longer.clone()), secret);
        scanFailure("SecretStorageKey.fromBytes (33 bytes)", () -> SecretStorageKey.fromBytes(longer.clone()), secret);
        scanFailure("PkDecryption.fromPrivateKey (33 bytes)", () -> PkDecryption.fromPrivateKey(longer.clone()), secret);
        scanFailure("PkSigning.fromSeed (33 bytes)", () -> PkSigning.fromSeed(longer.clone()), secret);

        try (var out = MegolmOutboundSession.create()) {
            byte[] key = out.sessionKey().bytes();
            byte[] ratchet = Arrays.copyOfRange(key, 5, 133);
            byte[] wrongVersion = key.clone();
            wrongVersion[0] = 3;
            scanFailure("SessionKey (version 3)", () -> SessionKey.fromBase64(MatrixBase64.encode(wrongVersion)), ratchet);
            byte[] badSignature = key.clone();
            badSignature[200] ^= 1;
            scanFailure("MegolmInboundSession (bad signature)",
                    () -> MegolmInboundSession.create(new SessionKey(badSignature)), ratchet);
            scanFailure("SessionKey (truncated)",
                    () -> SessionKey.fromBase64(MatrixBase64.encode(Arrays.copyOf(key, 228))), ratchet);
            scanFailure("SessionKey (not base64)",
                    () -> SessionKey.fromBase64(MatrixBase64.encode(key) + "!"), ratchet);
        }
        // Olm pickles: neither the pickle key nor the pickle (which holds the keys) is echoed when reading fails.
        byte[] pickleKey = "the olm pickle key, long enough".getBytes(StandardCharsets.UTF_8);
        try (var account = org.panolm.olm.Account.create()) {
            String pickle = account.pickle(pickleKey);
            String libolm = account.toLibolmPickle(pickleKey);
            byte[] wrong = "another olm pickle key, as long".getBytes(StandardCharsets.UTF_8);
            scanFailure("olm.Account.fromPickle (wrong key)", () -> org.panolm.olm.Account.fromPickle(pickle, wrong), pickleKey);
            scanFailure("olm.Account.fromPickle (wrong key, key echo)", () -> org.panolm.olm.Account.fromPickle(pickle, wrong), wrong);
            scanFailure("olm.Account.fromPickle (pickle echo)", () -> org.panolm.olm.Account.fromPickle(pickle, wrong),
                    pickle.substring(8, 40).getBytes(StandardCharsets.US_ASCII));
            scanFailure("olm.Session.fromPickle (libolm, damaged)",
                    () -> org.panolm.olm.Session.fromPickle(libolm.substring(0, 60) + "!", pickleKey), pickleKey);
        }
        assertEquals(List.of(), leaks);
        assertNull(SecretText.find("nothing here", secret));
        assertNotNull(SecretText.find("xx" + MatrixBase64.encode(secret) + "yy", secret), "the scanner finds base64");
    }
}
