package org.panolm.verification.qr;

import static org.panolm.testing.Trees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;

/** Scanner and displayer checks in the three modes, and the mismatches that must cancel. */
class QrVerificationTest {
    static String key() {
        return MatrixBase64.encode(Ed25519.publicKey(SecureRandomBytes.next(32)));
    }

    final String aliceMsk = key();
    final String bobMsk = key();
    final OwnIdentity alice = new OwnIdentity("@alice:x", "ALICE1", key(), aliceMsk);
    final OwnIdentity alice2 = new OwnIdentity("@alice:x", "ALICE2", key(), aliceMsk);
    final OwnIdentity bob = new OwnIdentity("@bob:x", "BOB1", key(), bobMsk);
    final PeerKeys aliceAsSeen = new PeerKeys("@alice:x", Map.of("ALICE1", alice.deviceEd25519Key(), "ALICE2",
            alice2.deviceEd25519Key()), aliceMsk);
    final PeerKeys bobAsSeen = new PeerKeys("@bob:x", Map.of("BOB1", bob.deviceEd25519Key()), bobMsk);

    static QrOutcome.Verified verified(QrOutcome o) {
        return assertInstanceOf(QrOutcome.Verified.class, o, o.toString());
    }

    static CancelCode rejected(QrOutcome o) {
        return assertInstanceOf(QrOutcome.Rejected.class, o, o.toString()).code();
    }

    @Test
    void otherUserModeBothWays() {
        QrCodeData shown = QrVerification.showToOtherUser("flow", alice, bobAsSeen);
        QrCodeData scanned = QrCodeData.decode(shown.encode());
        var scan = verified(QrVerification.checkScanned(scanned, "flow", bob, aliceAsSeen, "ALICE1", true));
        assertEquals(Map.of("ed25519:" + aliceMsk, aliceMsk), scan.keys().keys());
        ObjectNode start = tree(scan.reply());
        assertEquals("m.reciprocate.v1", start.get("method").textValue());
        var shownSide = verified(QrVerification.checkReciprocate(shown, start.toString(), bobAsSeen, "BOB1"));
        assertEquals(Map.of("ed25519:" + bobMsk, bobMsk), shownSide.keys().keys());

        // A wrong secret in the reciprocation.
        ObjectNode forged = start.deepCopy();
        forged.put("secret", MatrixBase64.encode(new byte[16]));
        assertEquals(CancelCode.KEY_MISMATCH, rejected(QrVerification.checkReciprocate(shown, forged.toString(), bobAsSeen, "BOB1")));
        forged.put("secret", "***");
        assertEquals(CancelCode.INVALID_MESSAGE, rejected(QrVerification.checkReciprocate(shown, forged.toString(), bobAsSeen, "BOB1")));
        forged.put("method", "m.sas.v1");
        assertEquals(CancelCode.UNKNOWN_METHOD, rejected(QrVerification.checkReciprocate(shown, forged.toString(), bobAsSeen, "BOB1")));
    }

    @Test
    void otherUserModeMismatches() {
        // Alice believes a wrong master key for Bob (an attacker's): Bob's scan must refuse.
        PeerKeys wrongBob = new PeerKeys("@bob:x", Map.of(), key());
        QrCodeData shown = QrVerification.showToOtherUser("flow", alice, wrongBob);
        assertEquals(CancelCode.KEY_MISMATCH, rejected(QrVerification.checkScanned(shown, "flow", bob, aliceAsSeen, "ALICE1", true)));
        // Bob believes a wrong master key for Alice.
        QrCodeData honest = QrVerification.showToOtherUser("flow", alice, bobAsSeen);
        PeerKeys wrongAlice = new PeerKeys("@alice:x", Map.of(), key());
        assertEquals(CancelCode.KEY_MISMATCH, rejected(QrVerification.checkScanned(honest, "flow", bob, wrongAlice, "ALICE1", true)));
        assertEquals(CancelCode.UNKNOWN_TRANSACTION, rejected(QrVerification.checkScanned(honest, "other", bob, aliceAsSeen, "ALICE1", true)));
    }

    @Test
    void selfVerificationTrustedShower() {
        // ALICE1 trusts the master key and shows; ALICE2 (new) scans and learns to trust the master key.
        QrCodeData shown = QrVerification.showSelfTrusted("flow", alice, aliceAsSeen, "ALICE2");
        var scan = verified(QrVerification.checkScanned(shown, "flow", alice2, aliceAsSeen, "ALICE1", false));
        assertEquals(Map.of("ed25519:" + aliceMsk, aliceMsk), scan.keys().keys());
        var shower = verified(QrVerification.checkReciprocate(shown, scan.reply(), aliceAsSeen, "ALICE2"));
        assertEquals(Map.of("ed25519:ALICE2", alice2.deviceEd25519Key()), shower.keys().keys());
        assertEquals(CancelCode.UNKNOWN_METHOD, rejected(QrVerification.checkScanned(shown, "flow", bob, aliceAsSeen, "ALICE1", true)));
    }

    @Test
    void selfVerificationUntrustedShower() {
        // ALICE2 does not trust the master key and shows; ALICE1 (trusting) scans and vouches for ALICE2.
        QrCodeData shown = QrVerification.showSelfUntrusted("flow", alice2, aliceMsk);
        var scan = verified(QrVerification.checkScanned(shown, "flow", alice, aliceAsSeen, "ALICE2", true));
        assertEquals(Map.of("ed25519:ALICE2", alice2.deviceEd25519Key()), scan.keys().keys());
        var shower = verified(QrVerification.checkReciprocate(shown, scan.reply(), aliceAsSeen, "ALICE1"));
        assertEquals(Map.of("ed25519:" + aliceMsk, aliceMsk), shower.keys().keys());
        assertEquals(CancelCode.UNKNOWN_METHOD,
                rejected(QrVerification.checkScanned(shown, "flow", alice, aliceAsSeen, "ALICE2", false)));
        QrCodeData wrongMsk = QrVerification.showSelfUntrusted("flow", alice2, key());
        assertEquals(CancelCode.KEY_MISMATCH, rejected(QrVerification.checkScanned(wrongMsk, "flow", alice, aliceAsSeen, "ALICE2", true)));
    }
}
