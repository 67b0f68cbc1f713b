package org.panolm.olm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.SafeJson;

/** Reads the small JSON documents libolm returns for keys (docs/formats.md §7.2). */
final class KeyJson {
    private KeyJson() {}

    private static final ObjectMapper JSON = SafeJson.mapper();

    /** {@code {"curve25519":"…","ed25519":"…"}}. */
    static IdentityKeys identityKeys(String json) {
        JsonNode root = parse(json, "identity keys");
        return new IdentityKeys(key(root.get("curve25519"), "curve25519 identity key"),
                key(root.get("ed25519"), "ed25519 identity key"));
    }

    /** {@code {"curve25519":{"AAAAAQ":"…", …}}}, in libolm's order. */
    static List<OneTimeKey> oneTimeKeys(String json) {
        JsonNode keys = parse(json, "one-time keys").get("curve25519");
        if (keys == null || !keys.isObject()) {
            throw new PanolmException(Status.INTERNAL, "libolm's one-time key JSON has no curve25519 object");
        }
        List<OneTimeKey> out = new ArrayList<>(keys.size());
        for (Map.Entry<String, JsonNode> e : keys.properties()) {
            out.add(new OneTimeKey(e.getKey(), key(e.getValue(), "one-time key " + e.getKey())));
        }
        return List.copyOf(out);
    }

    private static JsonNode parse(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new PanolmException(Status.INTERNAL, "libolm returned malformed " + what + " JSON", e);
        }
    }

    private static byte[] key(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw new PanolmException(Status.INTERNAL, "libolm's key JSON lacks the " + what);
        }
        return MatrixBase64.decode(node.asText(), 32, what);
    }
}
