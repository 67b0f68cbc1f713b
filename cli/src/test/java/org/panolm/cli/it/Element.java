package org.panolm.cli.it;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.panolm.testsupport.Peers;

/**
 * A key backup of the python3-olm history's keys made by matrix-sdk-crypto-wasm (Element's crypto): a fresh
 * OlmMachine imports the keys and backs them up for a new random backup key; made once per test run.
 */
final class Element {
    final JsonNode body;
    final JsonNode version;
    final String recoveryKey;
    final String privateKey;

    private static Element instance;

    static synchronized Element backup() {
        if (instance == null) {
            instance = new Element();
        }
        return instance;
    }

    private Element() {
        JsonNode made = Peers.node("cli/room_keys.mjs", Map.of("op", "backup", "keys", History.get().keys));
        body = made.get("body");
        version = made.get("version");
        recoveryKey = made.get("recovery_key").asText();
        privateKey = made.get("private_key").asText();
    }

    static JsonNode node(String op, Map<String, Object> args) {
        var input = new java.util.HashMap<String, Object>(args);
        input.put("op", op);
        return Peers.node("cli/room_keys.mjs", input);
    }
}
