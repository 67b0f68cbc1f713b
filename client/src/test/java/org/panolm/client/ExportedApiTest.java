package org.panolm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.PanolmException;
import org.panolm.engine.OlmMachine;
import org.panolm.testsupport.ExportedApi;

/**
 * The client's API speaks JSON text, records and maps, never Jackson: no exported signature names a Jackson type,
 * the module does not hand Jackson to its users, it exports only its API packages (its Jackson helper is not
 * exported at all), and a user compiles against it without Jackson.
 */
class ExportedApiTest {
    private static final ExportedApi CLIENT = ExportedApi.of(HomeserverClient.class);

    @Test
    void noExportedSignatureMentionsJackson() {
        CLIENT.assertNoJacksonInTheApi(30);
    }

    @Test
    void onlyTheApiIsExported() {
        ModuleDescriptor module = CLIENT.descriptor();
        assertEquals("org.panolm.client", module.name());
        assertEquals(List.of("org.panolm.client", "org.panolm.client.backup", "org.panolm.client.device",
                "org.panolm.client.media", "org.panolm.client.sync"), CLIENT.unqualifiedExports());
        assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), module.exports().toString());
        assertTrue(module.opens().stream().allMatch(o -> o.targets().equals(Set.of("com.fasterxml.jackson.databind"))),
                "packages are opened to Jackson only: " + module.opens());
    }

    @Test
    void theCheckSeesJacksonInTheInternalPackage() {
        // The unexported helper speaks Jackson; the same scan must flag it, or it proves nothing.
        List<String> found = CLIENT.jacksonInPackage("org.panolm.client.internal");
        assertTrue(found.stream().anyMatch(s -> s.contains("ClientJson.MAPPER")), found.toString());
    }

    @Test
    void aConsumerCompilesWithoutJackson(@TempDir Path dir) throws Exception {
        ExportedApi.compile(dir, """
                import java.time.Duration;
                import org.panolm.client.HomeserverClient;
                import org.panolm.client.MatrixApiException;
                import org.panolm.client.device.OwnDevice;
                import org.panolm.client.sync.SyncRound;
                import org.panolm.engine.OlmMachine;
                class Consumer {
                    static String use(HomeserverClient client, OlmMachine engine, SyncRound round) {
                        StringBuilder out = new StringBuilder(client.sync(null, Duration.ZERO, null));
                        out.append(round.response());
                        try {
                            out.append(client.postWithPassword("/_matrix/client/v3/keys/device_signing/upload",
                                    "{}", new char[0], String.class));
                        } catch (MatrixApiException e) {
                            out.append(e.body().orElse(""));
                        }
                        OwnDevice device = new OwnDevice("@a:example.org", engine.deviceId(), "c", "e", engine::signJson);
                        out.append(device.sign("{}")).append(device.deviceKeys());
                        return out.toString();
                    }
                }
                """, List.of(CLIENT.classes(), ExportedApi.codeSource(OlmMachine.class),
                ExportedApi.codeSource(PanolmException.class),
                ExportedApi.codeSource(Class.forName("org.panolm.bindings.NativeLibraries")),
                ExportedApi.codeSource(org.jspecify.annotations.Nullable.class)));
    }
}
