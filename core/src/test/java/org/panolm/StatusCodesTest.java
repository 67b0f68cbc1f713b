package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.panolm.testsupport.Peers;

/**
 * {@link Status#code()} is the number in {@code enum panolm_status} of {@code native/include/panolm.h}, by
 * name: a renumbered, added or removed status on either side fails here. The codes are also independent of
 * declaration order (they are stored in files and compared across processes).
 */
class StatusCodesTest {
    private static Map<String, Integer> headerCodes() throws IOException {
        String header = Files.readString(Peers.root().resolve("native/include/panolm.h"));
        Matcher block = Pattern.compile("enum panolm_status \\{(.*?)\\};", Pattern.DOTALL).matcher(header);
        assertTrue(block.find(), "panolm.h declares enum panolm_status");
        Map<String, Integer> codes = new TreeMap<>();
        Matcher entry = Pattern.compile("PANOLM_(\\w+)\\s*=\\s*(\\d+)").matcher(block.group(1));
        while (entry.find()) {
            codes.put(entry.group(1), Integer.parseInt(entry.group(2)));
        }
        return codes;
    }

    @Test
    void everyStatusHasTheHeadersNumber() throws IOException {
        Map<String, Integer> header = headerCodes();
        Integer count = header.remove("STATUS_COUNT");
        assertEquals(header.size(), count, "PANOLM_STATUS_COUNT counts the statuses");
        Map<String, Integer> java = new TreeMap<>();
        for (Status s : Status.values()) {
            java.put(s.name(), s.code());
        }
        assertEquals(header, java);
    }

    @Test
    void fromCodeInvertsCodeAndRefusesUnknownNumbers() {
        for (Status s : Status.values()) {
            assertEquals(s, Status.fromCode(s.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> Status.fromCode(-1));
        assertThrows(IllegalArgumentException.class, () -> Status.fromCode(Status.values().length));
    }

    @Test
    void theCodeIsDeclaredNotTheOrdinal() throws IOException {
        // A constant moved in the enum must not change its number: code() must come from a declared value.
        String source = Files.readString(Peers.root().resolve("core/src/main/java/org/panolm/Status.java"));
        assertTrue(!source.contains("ordinal()"), "Status.code() must not be derived from the declaration order");
        Matcher declared = Pattern.compile("\\n    ([A-Z0-9_]+)\\((\\d+), ").matcher(source);
        int n = 0;
        while (declared.find()) {
            assertEquals(Integer.parseInt(declared.group(2)), Status.valueOf(declared.group(1)).code());
            n++;
        }
        assertEquals(Status.values().length, n, "every constant declares its number");
    }
}
