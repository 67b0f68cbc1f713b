package org.panolm.benchmarks.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.OlmMachine;
import org.panolm.engine.OutgoingRequest;
import org.panolm.internal.json.SignedTree;
import org.panolm.json.JsonSigning;
import org.panolm.olm.Account;
import org.panolm.olm.OneTimeKey;

/**
 * The homeserver as far as room-key sharing needs one: it holds other devices' signed device keys and one-time
 * keys (real Olm accounts, so the engine's signature checks and Olm sessions are the real work) and answers the
 * engine's keys query, keys claim, keys upload and to-device requests. Every request body is serialised, as a
 * client's HTTP stack would, and every response parsed by the engine.
 */
final class EngineServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> deviceKeys = new HashMap<>();
    private final Map<String, ArrayDeque<Map.Entry<String, ObjectNode>>> oneTimeKeys = new HashMap<>();
    /** One-time keys the engine has uploaded (none is claimed: the other devices only receive). */
    private int uploaded;
    /** Bytes of to-device bodies the engine handed over (a check that the work was not optimised away). */
    long toDeviceBytes;

    /** Adds {@code count} users with one device each ("D"), each with one signed one-time key; returns the users. */
    List<String> addDevices(int count) {
        List<String> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String user = "@u" + i + ":example.org";
            try (Account account = Account.create()) {
                account.generateOneTimeKeys(1);
                ObjectNode keys = JSON.createObjectNode().put("user_id", user).put("device_id", "D");
                keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
                keys.putObject("keys").put("curve25519:D", account.identityKeys().curve25519Base64())
                        .put("ed25519:D", account.identityKeys().ed25519Base64());
                OneTimeKey otk = account.oneTimeKeys().getFirst();
                ObjectNode key = JSON.createObjectNode().put("key", otk.publicKeyBase64());
                deviceKeys.put(user, sign(account, user, keys));
                ArrayDeque<Map.Entry<String, ObjectNode>> otks = new ArrayDeque<>();
                otks.add(Map.entry("signed_curve25519:" + otk.keyId(), sign(account, user, key)));
                oneTimeKeys.put(user, otks);
            }
            users.add(user);
        }
        return users;
    }

    /** Sends every request the engine has queued and reports each response, until it queues no more. */
    void drive(OlmMachine engine) {
        List<OutgoingRequest> requests;
        while (!(requests = engine.outgoingRequests()).isEmpty()) {
            for (OutgoingRequest request : requests) {
                engine.markRequestSent(request.id(), answer(request));
            }
        }
    }

    private String answer(OutgoingRequest request) {
        try {
            String bodyJson = request.bodyJson();
            ObjectNode response = JSON.createObjectNode();
            switch (request.type()) {
                case KEYS_UPLOAD -> {
                    JsonNode body = JSON.readTree(bodyJson);
                    uploaded += body.path("one_time_keys").size();
                    if (body.has("device_keys")) {
                        deviceKeys.put(body.at("/device_keys/user_id").asText(), (ObjectNode) body.get("device_keys"));
                    }
                    response.putObject("one_time_key_counts").put("signed_curve25519", uploaded);
                }
                case KEYS_QUERY -> {
                    ObjectNode out = response.putObject("device_keys");
                    JSON.readTree(bodyJson).path("device_keys").properties().forEach(e -> {
                        // Every user asked for is answered (no devices is an answer): the engine re-asks otherwise.
                        ObjectNode user = out.putObject(e.getKey());
                        ObjectNode keys = deviceKeys.get(e.getKey());
                        if (keys != null) user.set(keys.path("device_id").asText(), keys);
                    });
                    response.putObject("failures");
                }
                case KEYS_CLAIM -> {
                    ObjectNode out = response.putObject("one_time_keys");
                    JsonNode asked = JSON.readTree(bodyJson).path("one_time_keys");
                    asked.properties().forEach(u -> {
                        var keys = oneTimeKeys.get(u.getKey());
                        var claimed = keys == null ? null : keys.poll();
                        if (claimed != null) out.putObject(u.getKey()).putObject("D").set(claimed.getKey(), claimed.getValue());
                    });
                    response.putObject("failures");
                }
                case TO_DEVICE -> toDeviceBytes += bodyJson.length();
            }
            return JSON.writeValueAsString(response);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode sign(Account account, String user, ObjectNode object) {
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(object)));
        object.putObject("signatures").putObject(user).put("ed25519:D", signature);
        return object;
    }
}
