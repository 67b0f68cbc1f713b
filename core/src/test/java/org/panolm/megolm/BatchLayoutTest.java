package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.panolm.bindings.panolm_megolm_h;

/**
 * Java mirrors the batch structs of {@code panolm_megolm.h} by hand ({@link BatchLayout}); the C side
 * asserts its layout at compile time and reports it through {@code panolm_megolm_layout}. Every size,
 * offset and constant must agree, by name, so that a struct changed on one side fails here.
 */
class BatchLayoutTest {
    private static Map<String, Long> nativeLayout() {
        try (Arena arena = Arena.ofConfined()) {
            long length = panolm_megolm_h.panolm_megolm_layout(MemorySegment.NULL, 0);
            MemorySegment text = arena.allocate(length + 1);
            assertEquals(length, panolm_megolm_h.panolm_megolm_layout(text, length + 1));
            Map<String, Long> values = new TreeMap<>();
            for (String pair : text.getString(0).split(" ")) {
                String[] kv = pair.split("=");
                values.put(kv[0], Long.parseLong(kv[1]));
            }
            return values;
        }
    }

    /** The layout's own sizes and offsets, and BatchLayout's M_ and R_ constants, by the C names. */
    private static Map<String, Long> javaLayout() throws IllegalAccessException {
        Map<String, Long> values = new TreeMap<>();
        describe("message", BatchLayout.MESSAGE, values);
        describe("result", BatchLayout.RESULT, values);
        values.put("no_session", Integer.toUnsignedLong(PreparedBatch.NO_SESSION));
        values.put("replay_note", (long) ReplayScan.NOTE);
        values.put("replay_confirm", (long) ReplayScan.CONFIRM);
        Map<String, Long> constants = new HashMap<>();
        for (Field f : BatchLayout.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == long.class
                    && (f.getName().startsWith("M_") || f.getName().startsWith("R_"))) {
                String struct = f.getName().startsWith("M_") ? "message." : "result.";
                constants.put(struct + f.getName().substring(2).toLowerCase(), f.getLong(null));
            }
        }
        assertTrue(constants.size() >= 10, "offset constants found: " + constants);
        constants.forEach((name, offset) -> assertEquals(values.get(name), offset,
                "BatchLayout's constant for " + name + " disagrees with its own struct layout"));
        return values;
    }

    private static void describe(String struct, StructLayout layout, Map<String, Long> values) {
        values.put(struct + ".size", layout.byteSize());
        for (MemoryLayout member : layout.memberLayouts()) {
            String name = member.name().orElseThrow();
            values.put(struct + "." + name, layout.byteOffset(MemoryLayout.PathElement.groupElement(name)));
        }
    }

    @Test
    void javaMirrorsTheCStructsFieldForField() throws Exception {
        Map<String, Long> c = nativeLayout();
        assertEquals(17, c.size(), "every size, offset and constant is reported: " + c);
        assertEquals(c, javaLayout());
    }
}
