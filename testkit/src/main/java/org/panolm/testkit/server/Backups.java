package org.panolm.testkit.server;

import java.util.LinkedHashMap;
import java.util.Map;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side key backup ({@code /room_keys}): versions (the newest undeleted one is current; a deleted version is
 * gone with its keys, and deleting it again succeeds), keys per session, room or all, {@code count} and
 * {@code etag} (which changes whenever the stored keys do), {@code M_WRONG_ROOM_KEYS_VERSION} for writes to any
 * version but the current one, and the spec's rule for which copy of a session's key to keep.
 */
final class Backups {
    private static final String ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";

    private final Homeserver hs;

    Backups(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("postRoomKeysVersion", this::createVersion);
        e.put("getRoomKeysVersionCurrent", c -> {
            State.User u = hs.auth(c).user();
            State.BackupVersion v = current(u);
            if (v == null) {
                throw MatrixError.notFound("no current backup version");
            }
            return Reply.ok(info(v));
        });
        e.put("getRoomKeysVersion", c -> Reply.ok(info(version(hs.auth(c).user(), c.param("version")))));
        e.put("putRoomKeysVersion", this::updateVersion);
        e.put("deleteRoomKeysVersion", c -> {
            State.User u = hs.auth(c).user();
            String v = c.param("version");
            if (u.backups.remove(v) == null && !u.deletedBackups.contains(v)) {
                throw MatrixError.notFound("unknown backup version " + v);
            }
            u.deletedBackups.add(v);
            return Reply.ok();
        });
        e.put("putRoomKeys", c -> {
            State.BackupVersion v = writable(c);
            for (Map.Entry<String, JsonNode> room : c.body().path("rooms").properties()) {
                for (Map.Entry<String, JsonNode> s : room.getValue().path("sessions").properties()) {
                    store(v, room.getKey(), s.getKey(), s.getValue());
                }
            }
            return Reply.ok(countAndEtag(v));
        });
        e.put("putRoomKeysByRoomId", c -> {
            State.BackupVersion v = writable(c);
            for (Map.Entry<String, JsonNode> s : c.body().path("sessions").properties()) {
                store(v, c.param("roomId"), s.getKey(), s.getValue());
            }
            return Reply.ok(countAndEtag(v));
        });
        e.put("putRoomKeyBySessionId", c -> {
            State.BackupVersion v = writable(c);
            store(v, c.param("roomId"), c.param("sessionId"), c.body());
            return Reply.ok(countAndEtag(v));
        });
        e.put("getRoomKeys", c -> {
            State.BackupVersion v = readable(c);
            ObjectNode rooms = Json.object();
            v.rooms.forEach((roomId, sessions) -> rooms.set(roomId, Json.object().set("sessions",
                    sessions(sessions))));
            return Reply.ok(Json.object().set("rooms", rooms));
        });
        e.put("getRoomKeysByRoomId", c -> {
            State.BackupVersion v = readable(c);
            // A room without keys is an empty set of sessions, as Synapse answers.
            return Reply.ok(Json.object().set("sessions", sessions(v.rooms.getOrDefault(c.param("roomId"),
                    Map.of()))));
        });
        e.put("getRoomKeyBySessionId", c -> {
            State.BackupVersion v = readable(c);
            State.BackupKey k = v.rooms.getOrDefault(c.param("roomId"), Map.of()).get(c.param("sessionId"));
            if (k == null) {
                throw MatrixError.notFound("no key for this session in the backup");
            }
            return Reply.ok(json(k));
        });
        e.put("deleteRoomKeys", c -> {
            State.BackupVersion v = readable(c);
            if (!v.rooms.isEmpty()) {
                v.rooms.clear();
                v.etag++;
            }
            return Reply.ok(countAndEtag(v));
        });
        e.put("deleteRoomKeysByRoomId", c -> {
            State.BackupVersion v = readable(c);
            if (v.rooms.remove(c.param("roomId")) != null) {
                v.etag++;
            }
            return Reply.ok(countAndEtag(v));
        });
        e.put("deleteRoomKeyBySessionId", c -> {
            State.BackupVersion v = readable(c);
            Map<String, State.BackupKey> sessions = v.rooms.get(c.param("roomId"));
            if (sessions != null && sessions.remove(c.param("sessionId")) != null) {
                if (sessions.isEmpty()) {
                    v.rooms.remove(c.param("roomId"));
                }
                v.etag++;
            }
            return Reply.ok(countAndEtag(v));
        });
    }

    private Reply createVersion(Call c) {
        State.User u = hs.auth(c).user();
        State.BackupVersion v = new State.BackupVersion();
        v.version = Long.toString(u.nextBackupVersion++);
        v.algorithm = c.body().path("algorithm").asString(ALGORITHM);
        v.authData = c.body().path("auth_data").deepCopy();
        u.backups.put(v.version, v);
        return Reply.ok(Json.object().put("version", v.version));
    }

    private Reply updateVersion(Call c) {
        State.User u = hs.auth(c).user();
        State.BackupVersion v = version(u, c.param("version"));
        JsonNode body = c.body();
        if (body.hasNonNull("version") && !body.get("version").asString().equals(v.version)) {
            throw MatrixError.invalidParam("the version in the body does not match the path");
        }
        if (!v.algorithm.equals(body.path("algorithm").asString(null))) {
            throw MatrixError.invalidParam("the algorithm does not match the backup's");
        }
        v.authData = body.path("auth_data").deepCopy();
        return Reply.ok();
    }

    /** The newest version not deleted. */
    private static State.BackupVersion current(State.User u) {
        State.BackupVersion best = null;
        for (State.BackupVersion v : u.backups.values()) {
            if (best == null || Long.parseLong(v.version) > Long.parseLong(best.version)) {
                best = v;
            }
        }
        return best;
    }

    private static State.BackupVersion version(State.User u, String version) {
        State.BackupVersion v = u.backups.get(version);
        if (v == null) {
            throw MatrixError.notFound("unknown backup version " + version);
        }
        return v;
    }

    private State.BackupVersion readable(Call c) {
        return version(hs.auth(c).user(), c.requiredQuery("version"));
    }

    /** Keys may only be written to the current version. */
    private State.BackupVersion writable(Call c) {
        State.User u = hs.auth(c).user();
        String wanted = c.requiredQuery("version");
        State.BackupVersion cur = current(u);
        if (cur == null) {
            throw MatrixError.notFound("there is no backup version");
        }
        if (!cur.version.equals(wanted)) {
            throw new MatrixError(403, "M_WRONG_ROOM_KEYS_VERSION", "the current backup version is " + cur.version,
                    Json.object().put("current_version", cur.version));
        }
        return cur;
    }

    /**
     * Stores a session's key unless the copy already held is better, by the spec's order: a verified copy beats an
     * unverified one; then the lower {@code first_message_index}; then the lower {@code forwarded_count}; on a tie
     * the stored copy stays.
     */
    private static void store(State.BackupVersion v, String roomId, String sessionId, JsonNode data) {
        State.BackupKey k = new State.BackupKey();
        k.firstMessageIndex = data.path("first_message_index").asLong();
        k.forwardedCount = data.path("forwarded_count").asLong();
        k.verified = data.path("is_verified").asBoolean();
        k.sessionData = data.path("session_data").deepCopy();
        Map<String, State.BackupKey> sessions = v.rooms.computeIfAbsent(roomId, r -> new LinkedHashMap<>());
        State.BackupKey old = sessions.get(sessionId);
        if (old == null || better(k, old)) {
            sessions.put(sessionId, k);
            v.etag++;
        }
    }

    static boolean better(State.BackupKey candidate, State.BackupKey held) {
        if (candidate.verified != held.verified) {
            return candidate.verified;
        }
        if (candidate.firstMessageIndex != held.firstMessageIndex) {
            return candidate.firstMessageIndex < held.firstMessageIndex;
        }
        return candidate.forwardedCount < held.forwardedCount;
    }

    private static ObjectNode info(State.BackupVersion v) {
        ObjectNode o = Json.object().put("algorithm", v.algorithm);
        o.set("auth_data", v.authData.deepCopy());
        o.put("count", count(v)).put("etag", Long.toString(v.etag)).put("version", v.version);
        return o;
    }

    private static ObjectNode countAndEtag(State.BackupVersion v) {
        return Json.object().put("count", count(v)).put("etag", Long.toString(v.etag));
    }

    private static long count(State.BackupVersion v) {
        return v.rooms.values().stream().mapToLong(Map::size).sum();
    }

    private static ObjectNode sessions(Map<String, State.BackupKey> sessions) {
        ObjectNode out = Json.object();
        sessions.forEach((id, k) -> out.set(id, json(k)));
        return out;
    }

    private static ObjectNode json(State.BackupKey k) {
        ObjectNode o = Json.object().put("first_message_index", k.firstMessageIndex)
                .put("forwarded_count", k.forwardedCount).put("is_verified", k.verified);
        // Shared, not copied: a response tree is only serialized, and 100,000 keys are a common restore.
        o.set("session_data", k.sessionData);
        return o;
    }
}
