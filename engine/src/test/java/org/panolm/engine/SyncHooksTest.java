package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.PanolmException;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;

/** The hooks a sync loop uses: the sync token kept with the sync, and signing as the device. */
class SyncHooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theSyncTokenIsKeptWithTheSyncAndSurvivesAReopen() {
        Path file = dir.resolve("a.db");
        try (var store = SqliteCryptoStore.open(file, StoreKey.of(new byte[32]));
             var engine = OlmMachine.open("@a:example.org", "A", store)) {
            assertEquals(Optional.empty(), engine.syncToken());
            engine.receiveSyncChanges(SyncChanges.toDevice(List.of()), "s1_0");
            assertEquals(Optional.of("s1_0"), engine.syncToken());
            // A response that cannot be read moves nothing: the loop fails before the token is stored.
            ObjectNode bad = JSON.createObjectNode();
            bad.putObject("device_one_time_keys_count").put("signed_curve25519", "many");
            assertThrows(EngineException.class, () -> engine.receiveSyncChanges(SyncChanges.fromSyncResponse(bad.toString()), "s2_0"));
            assertEquals(Optional.of("s1_0"), engine.syncToken());
            engine.receiveSyncChanges(SyncChanges.toDevice(List.of()), "s3_1");
        }
        try (var store = SqliteCryptoStore.open(file, StoreKey.of(new byte[32]));
             var engine = OlmMachine.open("@a:example.org", "A", store)) {
            assertEquals(Optional.of("s3_1"), engine.syncToken());
        }
    }

    @Test
    void signJsonSignsACopyAsTheDeviceAndKeepsOtherSignatures() {
        try (var store = SqliteCryptoStore.open(dir.resolve("b.db"), StoreKey.of(new byte[32]));
             var engine = OlmMachine.open("@b:example.org", "B", store)) {
            ObjectNode object = JSON.createObjectNode().put("public_key", "abc");
            object.putObject("signatures").putObject("@b:example.org").put("ed25519:MASTER", "kept");
            ObjectNode signed = TestJson.tree(engine.signJson(object.toString()));
            assertEquals("kept", signed.at("/signatures/@b:example.org/ed25519:MASTER").asText());
            assertEquals(1, object.get("signatures").get("@b:example.org").size(), "the input is not changed");
            byte[] key = engine.identityKeys().ed25519().bytes();
            SignedTree.verify(signed, "@b:example.org", "B", key);
            signed.put("public_key", "abd");
            assertThrows(PanolmException.class, () -> SignedTree.verify(signed, "@b:example.org", "B", key));
            var notObject = assertThrows(IllegalArgumentException.class, () -> engine.signJson("[]"));
            assertTrue(notObject.getMessage().contains("objectJson"), notObject.getMessage());
            assertThrows(IllegalArgumentException.class, () -> engine.signJson("{} {}"), "one object, nothing after it");
            assertThrows(IllegalArgumentException.class, () -> engine.signJson("{\"a\":"));
            assertTrue(signed.has("signatures"));
        }
    }
}
