package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.PreparedBatch;
import org.panolm.olm.Account;
import org.panolm.olm.Session;
import org.panolm.pk.PkDecryption;
import org.panolm.pk.PkEncryption;
import org.panolm.pk.PkSigning;
import org.panolm.recovery.Passphrase;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.verification.sas.EstablishedSas;
import org.panolm.verification.sas.SasKeyPair;

/**
 * Every public type that owns native memory or key material: closing twice is harmless, and any use
 * after close throws {@link IllegalStateException} instead of touching freed memory.
 */
class UseAfterCloseTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    /** An object, the call that must fail once it is closed, and its name for the report. */
    private record Case(String name, AutoCloseable object, Executable use) {}

    private static <T extends AutoCloseable> Case of(String name, Supplier<T> make, java.util.function.Consumer<T> use) {
        T object = make.get();
        use.accept(object); // works while open
        return new Case(name, object, () -> use.accept(object));
    }

    @Test
    void everyNativeBackedObjectRefusesUseAfterClose() throws Exception {
        List<Case> cases = new ArrayList<>();
        cases.add(of("MegolmOutboundSession", MegolmOutboundSession::create, s -> s.encrypt("x")));
        var sender = MegolmOutboundSession.create();
        var senderKey = sender.sessionKey();
        String message = sender.encrypt("x");
        cases.add(of("MegolmInboundSession", () -> MegolmInboundSession.create(senderKey), s -> s.decrypt(message)));
        cases.add(of("MegolmInboundSession (export)", () -> MegolmInboundSession.create(senderKey),
                MegolmInboundSession::export));
        cases.add(of("PreparedBatch", () -> PreparedBatch.create(4), b -> b.appendInput(HELLO)));
        cases.add(of("Account", Account::create, Account::identityKeys));
        cases.add(of("Account (sign)", Account::create, a -> a.sign(HELLO)));
        var alice = Account.create();
        var bob = Account.create();
        bob.generateOneTimeKeys(1);
        var bobIdentity = bob.identityKeys().curve25519();
        var bobOneTime = bob.oneTimeKeys().getFirst().publicKey();
        cases.add(of("Session", () -> Session.createOutbound(alice, bobIdentity, bobOneTime), s -> s.encrypt(HELLO)));
        cases.add(of("Session (pickle)", () -> Session.createOutbound(alice, bobIdentity, bobOneTime),
                s -> s.pickle(HELLO)));
        cases.add(of("Account (pickle)", Account::create, a -> a.toLibolmPickle(HELLO)));
        cases.add(of("PkDecryption", PkDecryption::generate, PkDecryption::publicKey));
        var pk = PkDecryption.generate();
        byte[] recipient = pk.publicKey();
        cases.add(of("PkEncryption", () -> PkEncryption.forRecipient(recipient), e -> e.encrypt(HELLO)));
        cases.add(of("PkSigning", () -> PkSigning.fromSeed(PkSigning.generateSeed()), s -> s.sign(HELLO)));
        cases.add(of("BackupDecryptionKey", BackupDecryptionKey::generate, BackupDecryptionKey::toBytes));
        cases.add(of("SecretStorageKey", SecretStorageKey::generate, SecretStorageKey::copyBytes));
        cases.add(of("Passphrase", () -> Passphrase.of("correct horse"), Passphrase::utf8Copy));
        var other = SasKeyPair.generate();
        String otherKey = other.publicKeyBase64();
        // agree() consumes a key pair, so it is not tried before close; its public key stays readable.
        var keyPair = SasKeyPair.generate();
        cases.add(new Case("SasKeyPair", keyPair, () -> keyPair.agree(otherKey)));
        cases.add(of("EstablishedSas", () -> SasKeyPair.generate().agree(otherKey), s -> s.generateBytes("info", 6)));

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            c.object().close();
            assertDoesNotThrow(() -> c.object().close(), c.name() + ": a second close must be harmless");
            try {
                c.use().execute();
                failures.add(c.name() + ": used after close without an exception");
            } catch (IllegalStateException expected) {
                // refused clearly
            } catch (Throwable t) {
                failures.add(c.name() + ": threw " + t + " instead of IllegalStateException");
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {sender, alice, bob, pk, other}) c.close();
        if (!failures.isEmpty()) throw new AssertionError(String.join("\n", failures));
        assertThrows(IllegalStateException.class, () -> sender.encrypt("after close"));
    }
}
