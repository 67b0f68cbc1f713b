package org.panolm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.ExportedApi;

/**
 * Jackson is an implementation detail of core: no public or protected signature of a package core exports to
 * everyone may name a {@code com.fasterxml} type, so a consumer needs no Jackson to compile against panolm
 * ({@link ExportedApi} is the check, shared with engine and client).
 */
class ExportedApiTest {
    private static final ExportedApi CORE = ExportedApi.of(PanolmException.class);

    @Test
    void noExportedSignatureMentionsJackson() {
        List<String> open = CORE.unqualifiedExports();
        assertTrue(open.size() >= 10, "unqualified exports: " + open);
        CORE.assertNoJacksonInTheApi(81);
    }

    @Test
    void aConsumerCompilesWithoutJackson(@TempDir Path dir) throws Exception {
        // The wire records keep their Jackson annotations; javac must still compile a user's code without Jackson.
        ExportedApi.compile(dir, """
                import org.panolm.backup.BackupAuthData;
                import org.panolm.crosssigning.OwnCrossSigning;
                import org.panolm.verification.OutgoingEvent;
                class Consumer {
                    static String key(BackupAuthData authData) { return authData.publicKey() + authData.other(); }
                    static String master() {
                        try (OwnCrossSigning own = OwnCrossSigning.generate("@a:example.org")) {
                            return own.publicKeys().master().json();
                        }
                    }
                    static String content(OutgoingEvent e) { return e.content(); }
                }
                """, List.of(CORE.classes(), ExportedApi.codeSource(org.panolm.bindings.NativeLibraries.class),
                ExportedApi.codeSource(org.jspecify.annotations.Nullable.class)));
    }

    @Test
    void theCheckSeesJacksonInAQualifiedPackage() {
        // The tree fast path is exported to panolm's modules only; the same scan must flag it, or it proves nothing.
        List<String> found = CORE.jacksonInPackage("org.panolm.internal.json");
        assertTrue(found.stream().anyMatch(s -> s.contains("CanonicalTree.encode")), found.toString());
        assertTrue(found.stream().anyMatch(s -> s.contains("TreeBatches.addEvent")), found.toString());
    }
}
