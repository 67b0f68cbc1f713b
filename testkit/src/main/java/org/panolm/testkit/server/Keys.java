package org.panolm.testkit.server;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end keys: upload (device keys, one-time keys, fallback keys), query, claim (a one-time key is given out
 * once; when none is left the fallback key is, and stays, until replaced), cross-signing keys (user-interactive
 * auth by password unless the upload changes nothing or is the first), signatures, and send-to-device.
 * Signatures are stored, not verified: the server is a mailbox here, as the spec allows clients to rely on.
 */
final class Keys {
    private final Homeserver hs;

    Keys(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("uploadKeys", this::upload);
        e.put("queryKeys", this::query);
        e.put("claimKeys", this::claim);
        e.put("uploadCrossSigningKeys", this::uploadCrossSigning);
        e.put("uploadCrossSigningSignatures", this::uploadSignatures);
        e.put("sendToDevice", this::sendToDevice);
    }

    private Reply upload(Call c) {
        Homeserver.Caller me = hs.auth(c);
        JsonNode body = c.body();
        State.Device device = me.device();
        JsonNode keys = body.get("device_keys");
        if (keys != null && !keys.isNull()) {
            if (!me.userId().equals(keys.path("user_id").asString(null))
                    || !me.deviceId().equals(keys.path("device_id").asString(null))) {
                throw MatrixError.invalidParam("device_keys are for " + keys.path("user_id").asString("?") + " "
                        + keys.path("device_id").asString("?") + ", not for this device");
            }
            if (device.keys == null || !withoutSignatures(device.keys).equals(withoutSignatures(keys))) {
                device.keys = ((ObjectNode) keys).deepCopy();
                hs.deviceListChanged(me.userId());
            } else {
                mergeSignatures(device.keys, keys);
            }
        }
        for (Map.Entry<String, JsonNode> otk : body.path("one_time_keys").properties()) {
            requireKeyId(otk.getKey());
            JsonNode old = device.oneTimeKeys.get(otk.getKey());
            if (old != null && !old.equals(otk.getValue())) {
                throw MatrixError.invalidParam("one-time key " + otk.getKey() + " already exists with another value");
            }
            device.oneTimeKeys.put(otk.getKey(), otk.getValue().deepCopy());
        }
        for (Map.Entry<String, JsonNode> fb : body.path("fallback_keys").properties()) {
            requireKeyId(fb.getKey());
            String alg = fb.getKey().substring(0, fb.getKey().indexOf(':'));
            State.FallbackKey old = device.fallbackKeys.get(alg);
            if (old != null && old.keyId.equals(fb.getKey()) && old.key.equals(fb.getValue())) {
                continue; // the same key again keeps its used flag
            }
            State.FallbackKey k = new State.FallbackKey();
            k.keyId = fb.getKey();
            k.key = fb.getValue().deepCopy();
            device.fallbackKeys.put(alg, k);
        }
        ObjectNode counts = Json.object().put("signed_curve25519", 0);
        for (String keyId : device.oneTimeKeys.keySet()) {
            String alg = keyId.substring(0, keyId.indexOf(':'));
            counts.put(alg, counts.path(alg).asInt(0) + 1);
        }
        return Reply.ok(Json.object().set("one_time_key_counts", counts));
    }

    private static void requireKeyId(String keyId) {
        int colon = keyId.indexOf(':');
        if (colon <= 0 || colon == keyId.length() - 1) {
            throw MatrixError.invalidParam("a key id is <algorithm>:<id>, not " + keyId);
        }
    }

    private Reply query(Call c) {
        Homeserver.Caller me = hs.auth(c);
        ObjectNode deviceKeys = Json.object();
        ObjectNode masters = Json.object();
        ObjectNode selfSigning = Json.object();
        ObjectNode userSigning = Json.object();
        for (Map.Entry<String, JsonNode> wanted : c.body().path("device_keys").properties()) {
            String userId = wanted.getKey();
            State.User user = hs.state.users.get(userId);
            ObjectNode devices = Json.object();
            deviceKeys.set(userId, devices);
            if (user == null) {
                continue;
            }
            Set<String> only = new HashSet<>();
            wanted.getValue().forEach(d -> only.add(d.asString()));
            for (State.Device d : user.devices.values()) {
                if (d.keys != null && (only.isEmpty() || only.contains(d.deviceId))) {
                    ObjectNode k = d.keys.deepCopy();
                    ObjectNode unsigned = Json.object();
                    if (d.displayName != null) {
                        unsigned.put("device_display_name", d.displayName);
                    }
                    k.set("unsigned", unsigned);
                    devices.set(d.deviceId, k);
                }
            }
            if (user.masterKey != null) {
                masters.set(userId, user.masterKey.deepCopy());
            }
            if (user.selfSigningKey != null) {
                selfSigning.set(userId, user.selfSigningKey.deepCopy());
            }
            if (user.userSigningKey != null && userId.equals(me.userId())) {
                userSigning.set(userId, user.userSigningKey.deepCopy());
            }
        }
        ObjectNode out = Json.object();
        out.set("device_keys", deviceKeys);
        out.set("master_keys", masters);
        out.set("self_signing_keys", selfSigning);
        out.set("user_signing_keys", userSigning);
        out.set("failures", Json.object());
        return Reply.ok(out);
    }

    private Reply claim(Call c) {
        hs.auth(c);
        ObjectNode claimed = Json.object();
        for (Map.Entry<String, JsonNode> u : c.body().path("one_time_keys").properties()) {
            State.User user = hs.state.users.get(u.getKey());
            ObjectNode perUser = Json.object();
            for (Map.Entry<String, JsonNode> d : u.getValue().properties()) {
                State.Device device = user == null ? null : user.devices.get(d.getKey());
                if (device == null) {
                    continue;
                }
                String alg = d.getValue().asString();
                ObjectNode key = take(device, alg);
                if (key != null) {
                    perUser.set(d.getKey(), key);
                }
            }
            if (!perUser.isEmpty()) {
                claimed.set(u.getKey(), perUser);
            }
        }
        return Reply.ok(Json.object().<ObjectNode>set("one_time_keys", claimed).set("failures", Json.object()));
    }

    /** Removes and returns one one-time key of the algorithm, or else the fallback key (marked used). */
    private static ObjectNode take(State.Device device, String alg) {
        for (Iterator<Map.Entry<String, JsonNode>> it = device.oneTimeKeys.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> k = it.next();
            if (k.getKey().startsWith(alg + ":")) {
                it.remove();
                return Json.object().set(k.getKey(), k.getValue());
            }
        }
        State.FallbackKey fb = device.fallbackKeys.get(alg);
        if (fb != null) {
            fb.used = true;
            return Json.object().set(fb.keyId, fb.key.deepCopy());
        }
        return null;
    }

    private Reply uploadCrossSigning(Call c) {
        Homeserver.Caller me = hs.auth(c);
        JsonNode body = c.body();
        State.User user = me.user();
        boolean changesNothing = user.masterKey != null
                && sameOrAbsent(body.get("master_key"), user.masterKey)
                && sameOrAbsent(body.get("self_signing_key"), user.selfSigningKey)
                && sameOrAbsent(body.get("user_signing_key"), user.userSigningKey);
        if (user.masterKey != null && !changesNothing) {
            hs.accounts.requirePassword(user, body);
        }
        if (user.masterKey == null && !body.hasNonNull("master_key")) {
            throw MatrixError.invalidParam("the first upload must include a master key");
        }
        for (String field : new String[] {"master_key", "self_signing_key", "user_signing_key"}) {
            JsonNode k = body.get(field);
            if (k != null && !k.isNull() && !me.userId().equals(k.path("user_id").asString(null))) {
                throw MatrixError.invalidParam(field + " is for another user");
            }
        }
        if (!changesNothing) {
            if (body.hasNonNull("master_key")) {
                user.masterKey = ((ObjectNode) body.get("master_key")).deepCopy();
            }
            if (body.hasNonNull("self_signing_key")) {
                user.selfSigningKey = ((ObjectNode) body.get("self_signing_key")).deepCopy();
            }
            if (body.hasNonNull("user_signing_key")) {
                user.userSigningKey = ((ObjectNode) body.get("user_signing_key")).deepCopy();
            }
            hs.deviceListChanged(me.userId());
        }
        return Reply.ok();
    }

    private static boolean sameOrAbsent(JsonNode uploaded, ObjectNode stored) {
        return uploaded == null || uploaded.isNull() || (stored != null && uploaded.equals(stored));
    }

    /** Adds signatures to device keys and cross-signing keys; each target names the key by device id or public key. */
    private Reply uploadSignatures(Call c) {
        Homeserver.Caller me = hs.auth(c);
        ObjectNode failures = Json.object();
        for (Map.Entry<String, JsonNode> u : c.body().properties()) {
            State.User user = hs.state.users.get(u.getKey());
            for (Map.Entry<String, JsonNode> k : u.getValue().properties()) {
                ObjectNode target = user == null ? null : target(user, k.getKey());
                String problem = null;
                if (target == null) {
                    problem = "no such key";
                } else if (!withoutSignatures(target).equals(withoutSignatures(k.getValue()))) {
                    problem = "the signed object is not the stored key";
                } else if (!k.getValue().path("signatures").has(me.userId())) {
                    problem = "no signature by " + me.userId();
                }
                if (problem != null) {
                    ObjectNode perUser = failures.has(u.getKey()) ? (ObjectNode) failures.get(u.getKey())
                            : failures.putObject(u.getKey());
                    perUser.set(k.getKey(), Json.object().put("errcode", "M_INVALID_SIGNATURE").put("error", problem));
                    continue;
                }
                mergeSignatures(target, k.getValue());
                hs.deviceListChanged(user.userId);
            }
        }
        return Reply.ok(Json.object().set("failures", failures));
    }

    private static ObjectNode target(State.User user, String keyId) {
        State.Device d = user.devices.get(keyId);
        if (d != null && d.keys != null) {
            return d.keys;
        }
        for (ObjectNode k : new ObjectNode[] {user.masterKey, user.selfSigningKey, user.userSigningKey}) {
            if (k != null && k.path("keys").has("ed25519:" + keyId)) {
                return k;
            }
        }
        return null;
    }

    private static JsonNode withoutSignatures(JsonNode key) {
        ObjectNode copy = ((ObjectNode) key).deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }

    private static void mergeSignatures(ObjectNode stored, JsonNode uploaded) {
        ObjectNode sigs = stored.has("signatures") ? (ObjectNode) stored.get("signatures")
                : stored.putObject("signatures");
        for (Map.Entry<String, JsonNode> bySigner : uploaded.path("signatures").properties()) {
            ObjectNode mine = sigs.has(bySigner.getKey()) ? (ObjectNode) sigs.get(bySigner.getKey())
                    : sigs.putObject(bySigner.getKey());
            mine.setAll((ObjectNode) bySigner.getValue().deepCopy());
        }
    }

    private Reply sendToDevice(Call c) {
        Homeserver.Caller me = hs.auth(c);
        String txnKey = me.userId() + "|" + me.deviceId() + "|" + c.path();
        if (hs.state.transactions.containsKey(txnKey)) {
            return Reply.ok();
        }
        String type = c.param("eventType");
        for (JsonNode perUser : c.body().path("messages")) {
            for (JsonNode content : perUser) {
                Rooms.checkContent(type, content);
            }
        }
        for (Map.Entry<String, JsonNode> u : c.body().path("messages").properties()) {
            State.User user = hs.state.users.get(u.getKey());
            if (user == null) {
                continue;
            }
            for (Map.Entry<String, JsonNode> d : u.getValue().properties()) {
                for (State.Device device : user.devices.values()) {
                    if (d.getKey().equals("*") || Objects.equals(d.getKey(), device.deviceId)) {
                        State.ToDevice msg = new State.ToDevice();
                        msg.pos = hs.advance();
                        msg.sender = me.userId();
                        msg.type = type;
                        msg.content = d.getValue().deepCopy();
                        device.inbox.add(msg);
                    }
                }
            }
        }
        hs.state.transactions.put(txnKey, Json.object());
        return Reply.ok();
    }
}
