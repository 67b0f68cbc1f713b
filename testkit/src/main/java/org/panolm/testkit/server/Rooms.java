package org.panolm.testkit.server;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;
import org.panolm.testkit.spec.SpecValidator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rooms: create (with {@code initial_state}), invite, join, leave, send with transaction ids, state, {@code /messages}
 * with pagination tokens both ways, members. Event contents a client sends are checked against the spec's event
 * schemas. Power levels are enforced for sending events, state and invites.
 */
final class Rooms {
    static final String ROOM_VERSION = "10";
    private static final int MAX_PAGE = 1000;

    private final Homeserver hs;

    Rooms(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("createRoom", this::create);
        e.put("inviteUser", this::invite);
        e.put("joinRoom", c -> join(c, c.param("roomIdOrAlias")));
        e.put("joinRoomById", c -> join(c, c.param("roomId")));
        e.put("leaveRoom", this::leave);
        e.put("forgetRoom", c -> {
            hs.auth(c);
            return Reply.ok();
        });
        e.put("sendMessage", this::send);
        e.put("setRoomStateWithKey", this::setState);
        e.put("getRoomStateWithKey", this::getState);
        e.put("getRoomState", this::getAllState);
        e.put("getRoomEvents", this::messages);
        e.put("getOneRoomEvent", this::oneEvent);
        e.put("getJoinedMembersByRoom", this::joinedMembers);
        e.put("getMembersByRoom", this::members);
        e.put("getJoinedRooms", c -> {
            Homeserver.Caller me = hs.auth(c);
            ArrayNode ids = Json.array();
            hs.state.rooms.values().stream().filter(r -> "join".equals(membership(r, me.userId())))
                    .forEach(r -> ids.add(r.roomId));
            return Reply.ok(Json.object().set("joined_rooms", ids));
        });
    }

    // ---- endpoints ----

    private Reply create(Call c) {
        Homeserver.Caller me = hs.auth(c);
        JsonNode body = c.body();
        String version = body.path("room_version").asString(ROOM_VERSION);
        if (!version.equals(ROOM_VERSION)) {
            throw new MatrixError(400, "M_UNSUPPORTED_ROOM_VERSION", "this server only makes rooms of version "
                    + ROOM_VERSION);
        }
        String preset = body.path("preset").asString(
                "public".equals(body.path("visibility").asString("private")) ? "public_chat" : "private_chat");
        List<JsonNode> initial = new ArrayList<>();
        body.path("initial_state").forEach(initial::add);
        for (JsonNode ev : initial) {
            checkContent(ev.path("type").asString(""), ev.path("content"));
        }
        State.Room room = new State.Room();
        room.roomId = "!" + hs.randomId(18) + ":" + hs.serverName();
        room.version = version;
        hs.state.rooms.put(room.roomId, room);
        String me_ = me.userId();

        ObjectNode create = body.path("creation_content").isObject()
                ? ((ObjectNode) body.get("creation_content")).deepCopy() : Json.object();
        create.put("creator", me_).put("room_version", version);
        append(room, me_, "m.room.create", "", create, null, null);
        append(room, me_, "m.room.member", me_, memberContent("join", me.user()), null, null);

        ObjectNode users = Json.object().put(me_, 100);
        if ("trusted_private_chat".equals(preset)) {
            body.path("invite").forEach(u -> users.put(u.asString(), 100));
        }
        ObjectNode pl = Json.object();
        pl.set("users", users);
        pl.put("users_default", 0).put("events_default", 0).put("state_default", 50).put("ban", 50)
                .put("kick", 50).put("redact", 50).put("invite", 0);
        pl.set("events", Json.object().put("m.room.name", 50).put("m.room.power_levels", 100)
                .put("m.room.history_visibility", 100).put("m.room.encryption", 100));
        if (body.path("power_level_content_override").isObject()) {
            pl.setAll((ObjectNode) body.get("power_level_content_override"));
        }
        append(room, me_, "m.room.power_levels", "", pl, null, null);
        append(room, me_, "m.room.join_rules", "", Json.object()
                .put("join_rule", "public_chat".equals(preset) ? "public" : "invite"), null, null);
        append(room, me_, "m.room.history_visibility", "", Json.object().put("history_visibility", "shared"),
                null, null);
        for (JsonNode ev : initial) {
            append(room, me_, ev.path("type").asString(), ev.path("state_key").asString(""), ev.path("content"),
                    null, null);
        }
        if (body.hasNonNull("name")) {
            append(room, me_, "m.room.name", "", Json.object().put("name", body.get("name").asString()), null,
                    null);
        }
        if (body.hasNonNull("topic")) {
            append(room, me_, "m.room.topic", "", Json.object().put("topic", body.get("topic").asString()), null,
                    null);
        }
        for (JsonNode invitee : body.path("invite")) {
            State.User target = hs.state.users.get(invitee.asString());
            if (target == null) {
                throw MatrixError.notFound("unknown user " + invitee.asString());
            }
            ObjectNode content = memberContent("invite", target);
            if (body.path("is_direct").asBoolean(false)) {
                content.put("is_direct", true);
            }
            append(room, me_, "m.room.member", target.userId, content, null, null);
        }
        return Reply.ok(Json.object().put("room_id", room.roomId));
    }

    private Reply invite(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        requireJoined(room, me.userId());
        String target = c.body().path("user_id").asString("");
        State.User user = hs.state.users.get(target);
        if (user == null) {
            throw MatrixError.notFound("unknown user " + target);
        }
        if (powerLevel(room, me.userId()) < levelFor(room, "invite", 0)) {
            throw MatrixError.forbidden("not allowed to invite");
        }
        String current = membership(room, target);
        if ("join".equals(current) || "ban".equals(current)) {
            throw MatrixError.forbidden(target + " is " + current + " in the room");
        }
        if (!"invite".equals(current)) {
            ObjectNode content = memberContent("invite", user);
            if (c.body().hasNonNull("reason")) {
                content.put("reason", c.body().get("reason").asString());
            }
            append(room, me.userId(), "m.room.member", target, content, null, null);
        }
        return Reply.ok();
    }

    private Reply join(Call c, String roomId) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = hs.state.rooms.get(roomId);
        if (room == null) {
            throw MatrixError.notFound("no such room " + roomId);
        }
        String current = membership(room, me.userId());
        if (!"join".equals(current)) {
            String rule = stateContent(room, "m.room.join_rules", "").path("join_rule").asString("invite");
            if (!"invite".equals(current) && !"public".equals(rule)) {
                throw MatrixError.forbidden("you are not invited to this room");
            }
            append(room, me.userId(), "m.room.member", me.userId(), memberContent("join", me.user()), null, null);
        }
        return Reply.ok(Json.object().put("room_id", room.roomId));
    }

    private Reply leave(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        String current = membership(room, me.userId());
        if (!"join".equals(current) && !"invite".equals(current)) {
            throw MatrixError.forbidden("you are not in this room");
        }
        ObjectNode content = Json.object().put("membership", "leave");
        if (c.json() != null && c.json().hasNonNull("reason")) {
            content.put("reason", c.json().get("reason").asString());
        }
        append(room, me.userId(), "m.room.member", me.userId(), content, null, null);
        return Reply.ok();
    }

    private Reply send(Call c) {
        Homeserver.Caller me = hs.auth(c);
        String txnKey = me.userId() + "|" + me.deviceId() + "|" + c.path();
        JsonNode done = hs.state.transactions.get(txnKey);
        if (done != null) {
            return Reply.ok(done);
        }
        State.Room room = room(c.param("roomId"));
        requireJoined(room, me.userId());
        String type = c.param("eventType");
        if (powerLevel(room, me.userId()) < eventLevel(room, type, false)) {
            throw MatrixError.forbidden("not allowed to send " + type);
        }
        checkContent(type, c.body());
        State.Event ev = append(room, me.userId(), type, null, c.body(), c.param("txnId"), me.deviceId());
        ObjectNode out = Json.object().put("event_id", ev.eventId);
        hs.state.transactions.put(txnKey, out);
        return Reply.ok(out);
    }

    private Reply setState(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        requireJoined(room, me.userId());
        String type = c.param("eventType");
        if (type.equals("m.room.member")) {
            throw MatrixError.forbidden("use the membership endpoints to change membership");
        }
        if (powerLevel(room, me.userId()) < eventLevel(room, type, true)) {
            throw MatrixError.forbidden("not allowed to set " + type);
        }
        checkContent(type, c.body());
        State.Event ev = append(room, me.userId(), type, c.param("stateKey"), c.body(), null, null);
        return Reply.ok(Json.object().put("event_id", ev.eventId));
    }

    private Reply getState(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        requireJoined(room, me.userId());
        State.Event ev = room.state.get(key(c.param("eventType"), c.param("stateKey")));
        if (ev == null) {
            throw MatrixError.notFound("no such state event");
        }
        if ("event".equals(c.query("format"))) {
            return Reply.ok(clientEvent(ev, room.roomId, null));
        }
        return Reply.ok(ev.content.deepCopy());
    }

    private Reply getAllState(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        requireJoined(room, me.userId());
        ArrayNode out = Json.array();
        room.state.values().forEach(ev -> out.add(clientEvent(ev, room.roomId, null)));
        return Reply.ok(out);
    }

    private Reply oneEvent(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        long visible = visibleUpTo(room, me.userId());
        for (State.Event ev : room.events) {
            if (ev.eventId.equals(c.param("eventId")) && ev.pos <= visible) {
                return Reply.ok(clientEvent(ev, room.roomId, me.deviceId()));
            }
        }
        throw MatrixError.notFound("no such event");
    }

    /**
     * {@code /messages}: a token is a stream position; dir=b returns events at or before it, newest first, and
     * dir=f events after it, oldest first. {@code end} is absent when there is nothing further.
     */
    private Reply messages(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        long visible = visibleUpTo(room, me.userId());
        String dir = c.query("dir") == null ? "b" : c.query("dir");
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixError.invalidParam("dir must be b or f");
        }
        boolean back = dir.equals("b");
        long from = c.query("from") == null ? (back ? Long.MAX_VALUE : 0) : token(c.query("from"));
        long to = c.query("to") == null ? (back ? 0 : Long.MAX_VALUE) : token(c.query("to"));
        int limit = (int) Math.min(MAX_PAGE, Math.max(1, c.longQuery("limit", 10)));
        List<State.Event> page = new ArrayList<>();
        boolean more = false;
        List<State.Event> events = room.events;
        if (back) {
            for (int i = events.size() - 1; i >= 0; i--) {
                State.Event ev = events.get(i);
                if (ev.pos > from || ev.pos > visible) {
                    continue;
                }
                if (ev.pos <= to) {
                    break;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(ev);
            }
        } else {
            for (State.Event ev : events) {
                if (ev.pos <= from) {
                    continue;
                }
                if (ev.pos > to || ev.pos > visible) {
                    break;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(ev);
            }
        }
        ArrayNode chunk = Json.array();
        page.forEach(ev -> chunk.add(clientEvent(ev, room.roomId, me.deviceId())));
        long start = c.query("from") == null ? (back ? Math.min(hs.state.pos, visible) : 0) : from;
        ObjectNode out = Json.object().put("start", "t" + start);
        out.set("chunk", chunk);
        if (more) {
            State.Event last = page.getLast();
            out.put("end", "t" + (back ? last.pos - 1 : last.pos));
        }
        return Reply.ok(out);
    }

    private Reply joinedMembers(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        requireJoined(room, me.userId());
        ObjectNode joined = Json.object();
        for (State.Event ev : room.state.values()) {
            if (ev.type.equals("m.room.member") && "join".equals(ev.content.path("membership").asString(null))) {
                ObjectNode m = Json.object();
                if (ev.content.hasNonNull("displayname")) {
                    m.put("display_name", ev.content.get("displayname").asString());
                }
                joined.set(ev.stateKey, m);
            }
        }
        return Reply.ok(Json.object().set("joined", joined));
    }

    private Reply members(Call c) {
        Homeserver.Caller me = hs.auth(c);
        State.Room room = room(c.param("roomId"));
        visibleUpTo(room, me.userId());
        String only = c.query("membership");
        String not = c.query("not_membership");
        ArrayNode chunk = Json.array();
        for (State.Event ev : room.state.values()) {
            if (!ev.type.equals("m.room.member")) {
                continue;
            }
            String m = ev.content.path("membership").asString("");
            if ((only == null || only.equals(m)) && (not == null || !not.equals(m))) {
                chunk.add(clientEvent(ev, room.roomId, null));
            }
        }
        return Reply.ok(Json.object().set("chunk", chunk));
    }

    // ---- shared with sync ----

    State.Room room(String roomId) {
        State.Room room = hs.state.rooms.get(roomId);
        if (room == null) {
            throw MatrixError.notFound("no such room " + roomId);
        }
        return room;
    }

    static String key(String type, String stateKey) {
        return type + "\u0000" + stateKey;
    }

    static String membership(State.Room room, String userId) {
        State.Event ev = room.state.get(key("m.room.member", userId));
        return ev == null ? null : ev.content.path("membership").asString(null);
    }

    static JsonNode stateContent(State.Room room, String type, String stateKey) {
        State.Event ev = room.state.get(key(type, stateKey));
        return ev == null ? Json.object() : ev.content;
    }

    private static void requireJoined(State.Room room, String userId) {
        if (!"join".equals(membership(room, userId))) {
            throw MatrixError.forbidden(userId + " is not in room " + room.roomId);
        }
    }

    /** The last stream position the user may see in the room: now if joined, their leave if they left. */
    private static long visibleUpTo(State.Room room, String userId) {
        State.Event ev = room.state.get(key("m.room.member", userId));
        String m = ev == null ? null : ev.content.path("membership").asString(null);
        if ("join".equals(m)) {
            return Long.MAX_VALUE;
        }
        if (("leave".equals(m) || "ban".equals(m)) && wasJoined(room, userId)) {
            return ev.pos;
        }
        throw MatrixError.forbidden(userId + " is not in room " + room.roomId);
    }

    private static boolean wasJoined(State.Room room, String userId) {
        return room.events.stream().anyMatch(e -> e.type.equals("m.room.member") && userId.equals(e.stateKey)
                && "join".equals(e.content.path("membership").asString(null)));
    }

    static long powerLevel(State.Room room, String userId) {
        JsonNode pl = stateContent(room, "m.room.power_levels", "");
        return pl.path("users").path(userId).asLong(pl.path("users_default").asLong(0));
    }

    private static long levelFor(State.Room room, String field, long fallback) {
        return stateContent(room, "m.room.power_levels", "").path(field).asLong(fallback);
    }

    private static long eventLevel(State.Room room, String type, boolean isState) {
        JsonNode pl = stateContent(room, "m.room.power_levels", "");
        JsonNode specific = pl.path("events").get(type);
        if (specific != null) {
            return specific.asLong();
        }
        return isState ? pl.path("state_default").asLong(50) : pl.path("events_default").asLong(0);
    }

    /** A client-sent content must match its event schema, when the spec has one. */
    static void checkContent(String type, JsonNode content) {
        if (!content.isObject()) {
            throw MatrixError.badJson("an event content is a JSON object");
        }
        SpecValidator.Result r = SpecValidator.get().validateEventContent(type, content);
        if (!r.valid()) {
            throw MatrixError.badJson("the " + type + " content does not match the spec (" + r.schema() + "): "
                    + String.join("; ", r.errors()));
        }
    }

    static ObjectNode memberContent(String membership, State.User user) {
        ObjectNode c = Json.object().put("membership", membership);
        if (user.displayName != null) {
            c.put("displayname", user.displayName);
        }
        return c;
    }

    /** Appends an event to the room (and to its state when it has a state key). */
    State.Event append(State.Room room, String sender, String type, String stateKey, JsonNode content,
            String txnId, String txnDevice) {
        State.Event ev = new State.Event();
        ev.pos = hs.advance();
        ev.eventId = "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(hs.randomBytes(32));
        ev.type = type;
        ev.stateKey = stateKey;
        ev.sender = sender;
        ev.ts = System.currentTimeMillis();
        ev.content = content.deepCopy();
        ev.txnId = txnId;
        ev.txnDevice = txnDevice;
        if (stateKey != null) {
            State.Event prev = room.state.put(key(type, stateKey), ev);
            if (prev != null) {
                ev.prevContent = prev.content;
            }
        }
        room.events.add(ev);
        return ev;
    }

    /**
     * The event as the client-server API shows it: with {@code room_id} for {@code /messages}, without it in
     * {@code /sync}; the transaction id only to the device that sent it.
     */
    static ObjectNode clientEvent(State.Event ev, String roomId, String viewerDevice) {
        ObjectNode o = Json.object();
        o.put("type", ev.type);
        o.set("content", ev.content.deepCopy());
        o.put("event_id", ev.eventId);
        o.put("sender", ev.sender);
        o.put("origin_server_ts", ev.ts);
        if (ev.stateKey != null) {
            o.put("state_key", ev.stateKey);
        }
        if (roomId != null) {
            o.put("room_id", roomId);
        }
        ObjectNode unsigned = Json.object().put("age", Math.max(0, System.currentTimeMillis() - ev.ts));
        if (ev.txnId != null && ev.txnDevice != null && ev.txnDevice.equals(viewerDevice)) {
            unsigned.put("transaction_id", ev.txnId);
        }
        if (ev.prevContent != null) {
            unsigned.set("prev_content", ev.prevContent.deepCopy());
        }
        o.set("unsigned", unsigned);
        return o;
    }

    /** A pagination token: {@code t<pos>}, or a sync token {@code s<pos>_<to-device pos>}. */
    static long token(String token) {
        try {
            if (token.startsWith("t")) {
                return Long.parseLong(token.substring(1));
            }
            if (token.startsWith("s")) {
                return Long.parseLong(token.substring(1, token.indexOf('_')));
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // falls through
        }
        throw MatrixError.invalidParam("bad pagination token " + token);
    }
}
