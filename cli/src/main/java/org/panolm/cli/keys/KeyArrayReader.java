package org.panolm.cli.keys;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.panolm.cli.Errors;
import org.panolm.cli.Json;
import org.panolm.cli.io.EventReader;
import org.panolm.cli.io.EventSource;
import org.panolm.cli.io.InputEvent;
import org.panolm.cli.io.JsonLimits;
import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.megolm.KeyProvenance;
import org.panolm.internal.SafeJson;

/**
 * Streams a JSON array of exported room keys, one key in memory at a time. Each element is cut out and
 * parsed on its own, so an element that is malformed, too large, too deep or not a room key object is
 * passed on as rejected with its position and the reason (never its content: it may be key material),
 * and the next one is read normally. Damage to the array itself is fatal and names the line and column.
 * Each key's provenance is the file (by {@code label}), with the provenance the element claims beside it
 * ({@value RoomKeyExport#PROVENANCE_FIELD}, as panolm writes it) as the file's claim, never trusted.
 */
public final class KeyArrayReader {
    private KeyArrayReader() {}

    /**
     * @param sink receives each key with where it is ({@code key 3}), and each rejected element with
     *             {@code name} as the place and a sentence that names the element as the reason
     * @return the number of elements
     */
    public static long read(InputStream in, String name, String label, KeySink sink) {
        long n = 0;
        try (EventReader elements = EventSource.openArray(in, name, JsonLimits.DEFAULT, "key")) {
            InputEvent e;
            while ((e = elements.next()) != null) {
                n++;
                String where = "key " + n;
                if (e.isMalformed()) {
                    sink.rejected(name, e.problem());
                    continue;
                }
                ExportedRoomKey key;
                try {
                    key = Json.MAPPER.treeToValue(e.event(), ExportedRoomKey.class);
                } catch (JsonProcessingException bad) {
                    sink.rejected(name, where + " is not a room key object (" + SafeJson.describe(bad) + ")");
                    continue;
                }
                sink.key(key, new KeyProvenance.ImportedFromFile(label, claim(e.event().get(RoomKeyExport.PROVENANCE_FIELD))),
                        where);
            }
        } catch (IOException e) {
            throw new org.panolm.cli.CliException("cannot read " + name + ": " + Errors.describe(e), e);
        }
        return n;
    }

    /** A claim that does not parse is no claim. */
    private static KeyProvenance claim(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        try {
            return Json.MAPPER.treeToValue(node, KeyProvenance.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
