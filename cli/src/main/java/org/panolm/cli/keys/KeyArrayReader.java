package org.panolm.cli.keys;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.cli.CliException;
import org.panolm.cli.Json;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.megolm.KeyProvenance;

/**
 * Streams a JSON array of exported room keys, one key in memory at a time. An element that is not a key
 * object is passed on as null with its position, for the caller to count as rejected; a syntax error is
 * fatal and names the line and column. A key may carry the provenance panolm wrote beside it
 * ({@value RoomKeyExport#PROVENANCE_FIELD}): it is passed on as the file's claim, never trusted.
 */
public final class KeyArrayReader {
    private KeyArrayReader() {}

    /** Receives each element. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param key   the key, or null when the element is not a key object
         * @param claim the provenance the element claims, or null
         * @param where the element's position ("key 3")
         */
        void accept(ExportedRoomKey key, KeyProvenance claim, String where);
    }

    /** @return the number of elements */
    public static long read(InputStream in, String name, Sink sink) {
        long n = 0;
        try (JsonParser p = Json.factory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new CliException(name + " is not a JSON array of room keys");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new CliException(name + " ends inside the array of keys (truncated?)");
                }
                n++;
                JsonNode node = p.readValueAsTree();
                ExportedRoomKey key = null;
                KeyProvenance claim = null;
                if (node.isObject()) {
                    try {
                        key = Json.MAPPER.treeToValue(node, ExportedRoomKey.class);
                    } catch (JsonProcessingException e) {
                        key = null;
                    }
                    claim = claim(node.get(RoomKeyExport.PROVENANCE_FIELD));
                }
                sink.accept(key, claim, "key " + n);
            }
            if (p.nextToken() != null) {
                throw new CliException(name + " line " + p.currentLocation().getLineNr()
                        + ": unexpected data after the array of keys");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new CliException(name + (at == null ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new CliException("cannot read " + name + ": " + e.getMessage(), e);
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
