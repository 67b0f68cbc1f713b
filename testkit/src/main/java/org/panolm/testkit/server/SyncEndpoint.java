package org.panolm.testkit.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /sync} and {@code /keys/changes}. A sync token {@code s<pos>_<td>} holds the stream position the client
 * has seen and the last to-device message it was given: to-device messages stay queued until a later sync sends a
 * {@code since} at or beyond them (the acknowledgement the spec describes), so a response lost on the way is
 * delivered again. With {@code since} and nothing new, the request waits up to {@code timeout} ms and wakes as soon
 * as anything it would return happens.
 */
final class SyncEndpoint {
    private static final int TO_DEVICE_LIMIT = 100;
    private static final int DEFAULT_TIMELINE = 20;
    private static final long MAX_TIMEOUT = 300_000;

    private final Homeserver hs;

    SyncEndpoint(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("sync", this::sync);
        e.put("getKeysChanges", c -> {
            Homeserver.Caller me = hs.auth(c);
            long from = Rooms.token(c.requiredQuery("from"));
            long to = Rooms.token(c.requiredQuery("to"));
            DeviceLists d = deviceLists(me.userId(), from, to);
            return Reply.ok(Json.object().<ObjectNode>set("changed", d.changedJson()).set("left", d.leftJson()));
        });
    }

    private record Since(long pos, long toDevice) {}

    private Reply sync(Call c) {
        Homeserver.Caller me = hs.auth(c);
        Since since = since(c.query("since"));
        boolean full = "true".equals(c.query("full_state"));
        long timeout = Math.min(MAX_TIMEOUT, c.longQuery("timeout", 0));
        int limit = timelineLimit(me, c.query("filter"));
        // The since token acknowledges every to-device message up to its position.
        if (since != null) {
            me.device().inbox.removeIf(m -> m.pos <= since.toDevice());
        }
        long left = timeout;
        while (true) {
            if (!me.user().devices.containsKey(me.deviceId())) {
                throw new MatrixError(401, "M_UNKNOWN_TOKEN", "the device was deleted",
                        Json.object().put("soft_logout", false));
            }
            Built built = build(me, since, full, limit);
            if (since == null || full || !built.empty || left <= 0) {
                return Reply.ok(built.body);
            }
            left = hs.await(left);
        }
    }

    private static Since since(String token) {
        if (token == null) {
            return null;
        }
        int us = token.indexOf('_');
        try {
            if (token.startsWith("s") && us > 1) {
                return new Since(Long.parseLong(token.substring(1, us)), Long.parseLong(token.substring(us + 1)));
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw MatrixError.invalidParam("bad since token " + token);
    }

    /** The timeline limit of the filter (inline JSON or a stored filter id). */
    private static int timelineLimit(Homeserver.Caller me, String filter) {
        if (filter == null) {
            return DEFAULT_TIMELINE;
        }
        JsonNode f = filter.startsWith("{") ? Json.parse(filter.getBytes(StandardCharsets.UTF_8))
                : me.user().filters.get(filter);
        if (f == null) {
            throw MatrixError.invalidParam("unknown filter " + filter);
        }
        long n = f.path("room").path("timeline").path("limit").asLong(DEFAULT_TIMELINE);
        return (int) Math.max(1, Math.min(1000, n));
    }

    private record Built(ObjectNode body, boolean empty) {}

    private Built build(Homeserver.Caller me, Since since, boolean full, int limit) {
        long now = hs.state.pos;
        long from = since == null || full ? -1 : since.pos();
        boolean empty = true;
        ObjectNode body = Json.object();

        // Rooms.
        ObjectNode join = Json.object();
        ObjectNode invite = Json.object();
        ObjectNode leave = Json.object();
        for (State.Room room : hs.state.rooms.values()) {
            State.Event mine = room.state.get(Rooms.key("m.room.member", me.userId()));
            if (mine == null) {
                continue;
            }
            String m = mine.content.path("membership").asString("");
            if (m.equals("join")) {
                ObjectNode r = joinedRoom(me, room, from, mine, limit);
                if (r != null) {
                    join.set(room.roomId, r);
                }
            } else if (m.equals("invite") && mine.pos > from) {
                invite.set(room.roomId, Json.object().set("invite_state",
                        Json.object().set("events", strippedState(room))));
            } else if ((m.equals("leave") || m.equals("ban")) && from >= 0 && mine.pos > from) {
                leave.set(room.roomId, leftRoom(me, room, from, mine, limit));
            }
        }
        ObjectNode rooms = Json.object();
        if (!join.isEmpty()) {
            rooms.set("join", join);
        }
        if (!invite.isEmpty()) {
            rooms.set("invite", invite);
        }
        if (!leave.isEmpty()) {
            rooms.set("leave", leave);
        }
        if (!rooms.isEmpty()) {
            body.set("rooms", rooms);
            empty = false;
        }

        // Global account data; the push rules come with the first sync, as they do from real servers.
        ArrayNode accountData = Json.array();
        me.user().accountData.forEach((type, d) -> {
            if (d.pos > from) {
                accountData.add(Json.object().put("type", type).set("content", d.content.deepCopy()));
            }
        });
        if (!accountData.isEmpty()) {
            empty = false;
        }
        if (from < 0 && !me.user().accountData.containsKey("m.push_rules")) {
            accountData.add(Json.object().put("type", "m.push_rules")
                    .set("content", Json.object().set("global", UserData.defaultPushRules())));
        }
        if (!accountData.isEmpty()) {
            body.set("account_data", Json.object().set("events", accountData));
        }

        // To-device: everything after the acknowledged position, at most a page; the token says how far it went.
        long ack = since == null ? 0 : since.toDevice();
        ArrayNode toDevice = Json.array();
        long nextTd = now;
        int pending = 0;
        for (State.ToDevice msg : me.device().inbox) {
            if (msg.pos <= ack) {
                continue;
            }
            pending++;
            if (toDevice.size() < TO_DEVICE_LIMIT) {
                toDevice.add(Json.object().put("sender", msg.sender).put("type", msg.type)
                        .set("content", msg.content.deepCopy()));
                nextTd = msg.pos;
            }
        }
        if (pending <= TO_DEVICE_LIMIT) {
            nextTd = now;
        }
        if (!toDevice.isEmpty()) {
            body.set("to_device", Json.object().set("events", toDevice));
            empty = false;
        }

        // Device lists, on incremental syncs.
        if (from >= 0) {
            DeviceLists d = deviceLists(me.userId(), from, now);
            if (!d.changed.isEmpty() || !d.left.isEmpty()) {
                body.set("device_lists", Json.object().<ObjectNode>set("changed", d.changedJson())
                        .set("left", d.leftJson()));
                empty = false;
            }
        }

        ObjectNode counts = Json.object().put("signed_curve25519", 0);
        for (String keyId : me.device().oneTimeKeys.keySet()) {
            String alg = keyId.substring(0, keyId.indexOf(':'));
            counts.put(alg, counts.path(alg).asInt(0) + 1);
        }
        body.set("device_one_time_keys_count", counts);
        ArrayNode fallback = Json.array();
        me.device().fallbackKeys.forEach((alg, k) -> {
            if (!k.used) {
                fallback.add(alg);
            }
        });
        body.set("device_unused_fallback_key_types", fallback);
        body.put("next_batch", "s" + now + "_" + nextTd);
        return new Built(body, empty);
    }

    private ObjectNode joinedRoom(Homeserver.Caller me, State.Room room, long from, State.Event mine, int limit) {
        boolean whole = from < 0 || mine.pos > from;
        List<State.Event> fresh = new ArrayList<>();
        for (int i = room.events.size() - 1; i >= 0; i--) {
            State.Event ev = room.events.get(i);
            if (!whole && ev.pos <= from) {
                break;
            }
            fresh.add(ev);
        }
        ArrayNode roomData = Json.array();
        me.user().roomAccountData.getOrDefault(room.roomId, Map.of()).forEach((type, d) -> {
            if (d.pos > from) {
                roomData.add(Json.object().put("type", type).set("content", d.content.deepCopy()));
            }
        });
        if (!whole && fresh.isEmpty() && roomData.isEmpty()) {
            return null;
        }
        boolean limited = fresh.size() > limit;
        List<State.Event> timeline = new ArrayList<>(fresh.subList(0, Math.min(limit, fresh.size())));
        Collections.reverse(timeline);
        long firstPos = timeline.isEmpty() ? from + 1 : timeline.getFirst().pos;
        ArrayNode events = Json.array();
        timeline.forEach(ev -> events.add(Rooms.clientEvent(ev, null, me.deviceId())));
        // State before the timeline that the client has not seen: everything for a new room, the gap otherwise.
        ArrayNode state = Json.array();
        for (State.Event ev : room.state.values()) {
            if (ev.pos < firstPos && (whole || ev.pos > from)) {
                state.add(Rooms.clientEvent(ev, null, me.deviceId()));
            }
        }
        ObjectNode r = Json.object();
        r.set("timeline", Json.object().<ObjectNode>set("events", events).put("limited", limited)
                .put("prev_batch", "t" + (firstPos - 1)));
        r.set("state", Json.object().set("events", state));
        r.set("account_data", Json.object().set("events", roomData));
        r.set("ephemeral", Json.object().set("events", Json.array()));
        r.set("unread_notifications", Json.object().put("notification_count", 0).put("highlight_count", 0));
        long joined = count(room, "join");
        long invited = count(room, "invite");
        r.set("summary", Json.object().put("m.joined_member_count", joined).put("m.invited_member_count", invited));
        return r;
    }

    private static ObjectNode leftRoom(Homeserver.Caller me, State.Room room, long from, State.Event mine,
            int limit) {
        List<State.Event> fresh = new ArrayList<>();
        for (State.Event ev : room.events) {
            if (ev.pos > from && ev.pos <= mine.pos) {
                fresh.add(ev);
            }
        }
        boolean limited = fresh.size() > limit;
        List<State.Event> timeline = fresh.subList(Math.max(0, fresh.size() - limit), fresh.size());
        ArrayNode events = Json.array();
        timeline.forEach(ev -> events.add(Rooms.clientEvent(ev, null, me.deviceId())));
        long firstPos = timeline.isEmpty() ? mine.pos : timeline.getFirst().pos;
        ObjectNode r = Json.object();
        r.set("timeline", Json.object().<ObjectNode>set("events", events).put("limited", limited)
                .put("prev_batch", "t" + (firstPos - 1)));
        r.set("state", Json.object().set("events", Json.array()));
        return r;
    }

    private static long count(State.Room room, String membership) {
        return room.state.values().stream().filter(ev -> ev.type.equals("m.room.member")
                && membership.equals(ev.content.path("membership").asString(null))).count();
    }

    private static ArrayNode strippedState(State.Room room) {
        ArrayNode out = Json.array();
        for (State.Event ev : room.state.values()) {
            if (List.of("m.room.create", "m.room.join_rules", "m.room.name", "m.room.encryption",
                    "m.room.member", "m.room.topic").contains(ev.type)) {
                out.add(Json.object().put("type", ev.type).put("state_key", ev.stateKey).put("sender", ev.sender)
                        .set("content", ev.content.deepCopy()));
            }
        }
        return out;
    }

    /** Users whose device lists changed in (from, to], and users who no longer share a room with us. */
    record DeviceLists(Set<String> changed, Set<String> left) {
        ArrayNode changedJson() {
            ArrayNode a = Json.array();
            changed.forEach(a::add);
            return a;
        }

        ArrayNode leftJson() {
            ArrayNode a = Json.array();
            left.forEach(a::add);
            return a;
        }
    }

    DeviceLists deviceLists(String me, long from, long to) {
        Set<String> shared = new LinkedHashSet<>();
        shared.add(me);
        Set<String> changed = new LinkedHashSet<>();
        Set<String> gone = new LinkedHashSet<>();
        for (State.Room room : hs.state.rooms.values()) {
            String mine = Rooms.membership(room, me);
            State.Event myEvent = room.state.get(Rooms.key("m.room.member", me));
            boolean iJoinedNow = "join".equals(mine) && myEvent.pos > from && myEvent.pos <= to;
            boolean iLeftNow = !"join".equals(mine) && myEvent != null && myEvent.pos > from && myEvent.pos <= to;
            for (State.Event ev : room.state.values()) {
                if (!ev.type.equals("m.room.member")) {
                    continue;
                }
                String m = ev.content.path("membership").asString("");
                if ("join".equals(mine) && m.equals("join")) {
                    shared.add(ev.stateKey);
                    if (iJoinedNow || (ev.pos > from && ev.pos <= to)) {
                        changed.add(ev.stateKey);
                    }
                } else if (("join".equals(mine) && ev.pos > from && ev.pos <= to && !m.equals("invite"))
                        || (iLeftNow && m.equals("join"))) {
                    gone.add(ev.stateKey);
                }
            }
        }
        for (State.DeviceListChange change : hs.state.deviceListChanges) {
            if (change.pos > from && change.pos <= to && shared.contains(change.userId)) {
                changed.add(change.userId);
            }
        }
        gone.removeAll(shared);
        gone.remove(me);
        for (Iterator<String> it = changed.iterator(); it.hasNext();) {
            if (!shared.contains(it.next())) {
                it.remove();
            }
        }
        return new DeviceLists(changed, gone);
    }
}
