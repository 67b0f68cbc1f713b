package org.panolm.engine;

import static org.panolm.testsupport.ExportedApi.assertNullableComponents;
import static org.panolm.testsupport.ExportedApi.nullable;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.panolm.engine.store.CryptoStore;
import org.panolm.engine.store.IdentityRecord;
import org.panolm.testsupport.ExportedApi;

/**
 * Kotlin and null checkers read the engine's nullness from JSpecify: every package of the engine is
 * {@code @NullMarked}, and what the javadoc says may be null is {@code @Nullable} in the signature.
 */
class NullnessAnnotationsTest {
    @Test
    void everyPackageIsNullMarked() {
        List<String> checked = ExportedApi.of(OlmMachine.class).assertEveryPackageNullMarked(3);
        assertTrue(checked.containsAll(List.of("org.panolm.engine", "org.panolm.engine.store",
                "org.panolm.engine.internal")), checked.toString());
    }

    @Test
    void documentedNullsAreNullableAndTheRestIsNot() throws ReflectiveOperationException {
        assertNullableComponents(DecryptedRoomEvent.class, "senderDeviceId", "senderDeviceTrust");
        assertNullableComponents(KeysUploadRequest.class, "deviceKeys", "oneTimeKeys", "fallbackKeys");
        assertNullableComponents(SigningKeysUploadRequest.class, "auth");
        assertNullableComponents(SyncChanges.class, "unusedFallbackKeyTypes");
        assertNullableComponents(ToDeviceResult.Failed.class, "senderUserId");
        assertNullableComponents(IdentityRecord.class, "masterKey", "selfSigningKey", "userSigningKey");
        assertTrue(nullable(UndecryptableEventException.class.getMethod("withheld").getAnnotatedReturnType()));
        assertTrue(nullable(WithheldCode.class.getMethod("of", String.class).getAnnotatedReturnType()));
        assertTrue(!nullable(OlmMachine.class.getMethod("deviceKeys").getAnnotatedReturnType()));
        assertTrue(nullable(OlmMachine.class.getMethod("bootstrapCrossSigning", String.class)
                .getAnnotatedParameterTypes()[0]));
        // A transaction whose work returns nothing returns null.
        var t = CryptoStore.class.getMethod("transaction", java.util.function.Function.class).getTypeParameters()[0];
        assertTrue(nullable(t.getAnnotatedBounds()[0]), "CryptoStore.transaction's <T> admits null");
    }
}
