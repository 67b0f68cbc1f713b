package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.AnnotatedType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.panolm.megolm.BatchResults;
import org.panolm.testsupport.Peers;

/**
 * Kotlin and null checkers read core's nullness from JSpecify: every package core exports is
 * {@code @NullMarked}, and what the javadoc says may be null is {@code @Nullable} in the signature.
 */
class NullnessAnnotationsTest {
    @Test
    void everyExportedPackageIsNullMarked() throws IOException, ClassNotFoundException {
        String module = Files.readString(Peers.root().resolve("core/src/main/java/module-info.java"));
        Matcher exports = Pattern.compile("(?m)^\\s*exports ([\\w.]+);").matcher(module);
        List<String> packages = new ArrayList<>();
        while (exports.find()) {
            packages.add(exports.group(1));
        }
        assertTrue(packages.size() >= 10, "exports found: " + packages);
        for (String p : packages) {
            Class<?> info = Class.forName(p + ".package-info");
            assertNotNull(info.getAnnotation(NullMarked.class), p + " is not @NullMarked");
        }
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
