package org.panolm.client;

import static org.panolm.testsupport.ExportedApi.assertNullableComponents;
import static org.panolm.testsupport.ExportedApi.nullable;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.panolm.client.backup.SetupResult;
import org.panolm.client.backup.UploadOutcome;
import org.panolm.client.sync.RequestFailure;
import org.panolm.client.sync.SyncRound;
import org.panolm.testsupport.ExportedApi;

/**
 * Kotlin and null checkers read the client's nullness from JSpecify: every package of the client is
 * {@code @NullMarked}, and what the javadoc says may be null is {@code @Nullable} in the signature.
 */
class NullnessAnnotationsTest {
    @Test
    void everyPackageIsNullMarked() {
        List<String> checked = ExportedApi.of(HomeserverClient.class).assertEveryPackageNullMarked(6);
        assertTrue(checked.contains("org.panolm.client.internal"), checked.toString());
    }

    @Test
    void documentedNullsAreNullableAndTheRestIsNot() throws ReflectiveOperationException {
        assertNullableComponents(UploadOutcome.class, "version", "currentVersion");
        assertNullableComponents(SetupResult.class, "securityKey");
        assertNullableComponents(SyncRound.class, "since");
        assertNullableComponents(RequestFailure.class, "errcode");
        assertNullableComponents(WhoAmI.class, "deviceId");
        var sync = HomeserverClient.class.getMethod("sync", String.class, java.time.Duration.class, String.class)
                .getAnnotatedParameterTypes();
        assertTrue(nullable(sync[0]) && !nullable(sync[1]) && nullable(sync[2]), "sync(since, timeout, filter)");
        assertTrue(!nullable(HomeserverClient.class.getMethod("requireCredentials").getAnnotatedReturnType()));
    }
}
