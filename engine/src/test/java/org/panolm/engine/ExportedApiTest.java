package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.PanolmException;
import org.panolm.testsupport.ExportedApi;

/**
 * The engine's API speaks JSON text, never Jackson: no exported signature names a Jackson type, the module does not
 * hand Jackson to its users, it exports only its API packages, and a user compiles against it without Jackson.
 */
class ExportedApiTest {
    private static final ExportedApi ENGINE = ExportedApi.of(OlmMachine.class);

    @Test
    void noExportedSignatureMentionsJackson() {
        ENGINE.assertNoJacksonInTheApi(30);
    }

    @Test
    void onlyTheApiIsExportedToEveryone() {
        ModuleDescriptor module = ENGINE.descriptor();
        assertEquals("org.panolm.engine", module.name());
        assertEquals(List.of("org.panolm.engine", "org.panolm.engine.store"), ENGINE.unqualifiedExports());
        ModuleDescriptor.Exports internal = module.exports().stream()
                .filter(e -> e.source().equals("org.panolm.engine.internal")).findFirst().orElseThrow();
        assertEquals(Set.of("org.panolm.client"), internal.targets());
        assertTrue(module.opens().stream().allMatch(o -> o.targets().equals(Set.of("com.fasterxml.jackson.databind"))),
                "packages are opened to Jackson only: " + module.opens());
    }

    @Test
    void theCheckSeesJacksonInTheInternalPackage() {
        // The tree fast path is exported to panolm's modules only; the same scan must flag it, or it proves nothing.
        List<String> found = ENGINE.jacksonInPackage("org.panolm.engine.internal");
        assertTrue(found.stream().anyMatch(s -> s.contains("EngineTrees.syncChanges")), found.toString());
    }

    @Test
    void aConsumerCompilesWithoutJackson(@TempDir Path dir) throws Exception {
        ExportedApi.compile(dir, """
                import java.util.List;
                import org.panolm.engine.*;
                class Consumer {
                    static String use(OlmMachine engine, String room, String syncJson, String eventJson) {
                        StringBuilder out = new StringBuilder(engine.deviceKeys());
                        for (OutgoingRequest r : engine.outgoingRequests()) {
                            out.append(r.method()).append(r.path()).append(r.bodyJson());
                            if (r.body() instanceof ToDeviceRequest t) out.append(t.messages().size());
                            if (r.body() instanceof SigningKeysUploadRequest s) out.append(s.masterKey());
                        }
                        for (ToDeviceResult result : engine.receiveSyncChanges(SyncChanges.fromSyncResponse(syncJson))) {
                            if (result instanceof ToDeviceResult.Decrypted d) out.append(d.event());
                        }
                        out.append(engine.encryptRoomEvent(room, "m.room.message", "{\\"body\\":\\"hi\\"}"));
                        out.append(engine.decryptRoomEvent(eventJson, room).plaintext());
                        out.append(engine.signJson("{}")).append(DoNotStore.requested("{}"));
                        engine.sendToDevice("@a:example.org", "D", "m.dummy", "{}");
                        engine.bootstrapCrossSigning(null);
                        return out.toString();
                    }
                }
                """, List.of(ENGINE.classes(), ExportedApi.codeSource(PanolmException.class),
                ExportedApi.codeSource(Class.forName("org.panolm.bindings.NativeLibraries")),
                ExportedApi.codeSource(org.jspecify.annotations.Nullable.class)));
    }
}
