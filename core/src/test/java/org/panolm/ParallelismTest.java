package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelismTest {
    @AfterEach
    void clear() {
        System.clearProperty(Parallelism.PROPERTY);
    }

    @Test
    void propertyOverridesTheProcessorCount() {
        System.setProperty(Parallelism.PROPERTY, " 3 ");
        assertEquals(3, Parallelism.defaultThreads());
        assertEquals(3, Parallelism.threads(null));
        assertEquals(5, Parallelism.threads(5), "an explicit request wins");
    }

    @Test
    void withoutConfigurationItIsOnePerProcessor() {
        if (System.getenv(Parallelism.ENV) == null) {
            assertEquals(Runtime.getRuntime().availableProcessors(), Parallelism.defaultThreads());
        }
    }

    @Test
    void badValuesAreErrorsNamingTheirSource() {
        for (String bad : new String[] {"0", "-2", "many", ""}) {
            System.setProperty(Parallelism.PROPERTY, bad);
            var e = assertThrows(PanolmException.class, Parallelism::defaultThreads, bad);
            assertEquals(Status.INVALID_ARGUMENT, e.status());
            assertEquals("system property " + Parallelism.PROPERTY, e.detail().field());
        }
        System.clearProperty(Parallelism.PROPERTY);
        var e = assertThrows(PanolmException.class, () -> Parallelism.threads(0));
        assertEquals("threads", e.detail().field());
    }
}
