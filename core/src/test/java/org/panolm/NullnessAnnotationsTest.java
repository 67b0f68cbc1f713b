package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.AnnotatedType;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.panolm.megolm.BatchResults;
import org.panolm.testsupport.ExportedApi;

/**
 * Kotlin and null checkers read core's nullness from JSpecify: every package core exports is
 * {@code @NullMarked}, and what the javadoc says may be null is {@code @Nullable} in the signature.
 */
class NullnessAnnotationsTest {
    @Test
    void everyExportedPackageIsNullMarked() {
        ExportedApi core = ExportedApi.of(PanolmException.class);
        List<String> packages = core.unqualifiedExports();
        assertTrue(packages.size() >= 10, "exports found: " + packages);
        core.assertNullMarked(packages);
    }

    private static boolean nullable(AnnotatedType t) {
        return t.isAnnotationPresent(Nullable.class);
    }

    @Test
    void documentedNullsAreNullableAndTheRestIsNot() throws ReflectiveOperationException {
        var detail = ErrorDetail.class.getRecordComponents();
        for (var c : detail) {
            assertEquals(!c.getName().equals("reason"), nullable(c.getAnnotatedType()), "ErrorDetail." + c.getName());
        }
        assertTrue(nullable(BatchResults.class.getMethod("error", int.class).getAnnotatedReturnType()));
        assertTrue(nullable(BatchResults.class.getMethod("eventId", int.class).getAnnotatedReturnType()));
        assertTrue(!nullable(PanolmException.class.getMethod("detail").getAnnotatedReturnType()));
        assertNull(ErrorDetail.of("x").field());
    }
}
