package org.panolm.testkit.server;

import java.util.LinkedHashMap;
import java.util.Map;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Account data (global and per room: every write comes back in the next {@code /sync}, which clients wait for),
 * the push rules (read-only defaults, enough for a client's sync to start) and filters.
 */
final class UserData {
    private final Homeserver hs;

    UserData(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("setAccountData", c -> {
            Homeserver.Caller me = owner(c);
            put(me.user().accountData, c);
            return Reply.ok();
        });
        e.put("getAccountData", c -> get(owner(c).user().accountData, c));
        e.put("setAccountDataPerRoom", c -> {
            Homeserver.Caller me = owner(c);
            put(me.user().roomAccountData.computeIfAbsent(c.param("roomId"), r -> new LinkedHashMap<>()),
                    c);
            return Reply.ok();
        });
        e.put("getAccountDataPerRoom", c -> get(owner(c).user().roomAccountData.getOrDefault(c.param("roomId"),
                Map.of()), c));
        e.put("getPushRules", c -> {
            hs.auth(c);
            return Reply.ok(Json.object().set("global", defaultPushRules()));
        });
        e.put("getPushRulesGlobal", c -> {
            hs.auth(c);
            return Reply.ok(defaultPushRules());
        });
        e.put("defineFilter", c -> {
            Homeserver.Caller me = owner(c);
            String id = Integer.toString(me.user().filters.size());
            me.user().filters.put(id, c.body().deepCopy());
            return Reply.ok(Json.object().put("filter_id", id));
        });
        e.put("getFilter", c -> {
            Homeserver.Caller me = owner(c);
            var f = me.user().filters.get(c.param("filterId"));
            if (f == null) {
                throw MatrixError.notFound("no such filter");
            }
            return Reply.ok(f.deepCopy());
        });
    }

    private Homeserver.Caller owner(Call c) {
        Homeserver.Caller me = hs.auth(c);
        Homeserver.requireSelf(me, c.param("userId"));
        return me;
    }

    private void put(Map<String, State.AccountData> store, Call c) {
        String type = c.param("type");
        if (type.equals("m.fully_read") || type.equals("m.push_rules")) {
            throw new MatrixError(405, "M_BAD_JSON", type + " cannot be set through account data");
        }
        if (!c.body().isObject()) {
            throw MatrixError.badJson("account data is a JSON object");
        }
        State.AccountData d = new State.AccountData();
        d.content = c.body().deepCopy();
        d.pos = hs.advance();
        store.put(type, d);
    }

    private static Reply get(Map<String, State.AccountData> store, Call c) {
        State.AccountData d = store.get(c.param("type"));
        if (d == null) {
            throw MatrixError.notFound("no account data of type " + c.param("type"));
        }
        return Reply.ok(d.content.deepCopy());
    }

    /** A small default rule set in the shape of the spec's predefined rules. */
    static ObjectNode defaultPushRules() {
        ObjectNode global = Json.object();
        ArrayNode override = Json.array();
        override.add(rule(".m.rule.master", false, Json.array()));
        ObjectNode suppress = rule(".m.rule.suppress_notices", true, Json.array());
        suppress.set("conditions", Json.array().add(Json.object().put("kind", "event_match")
                .put("key", "content.msgtype").put("pattern", "m.notice")));
        override.add(suppress);
        global.set("override", override);
        global.set("content", Json.array());
        global.set("room", Json.array());
        global.set("sender", Json.array());
        ArrayNode underride = Json.array();
        for (String[] r : new String[][] {{".m.rule.encrypted", "m.room.encrypted"},
                {".m.rule.message", "m.room.message"}}) {
            ObjectNode rule = rule(r[0], true, Json.array().add("notify"));
            rule.set("conditions", Json.array().add(Json.object().put("kind", "event_match").put("key", "type")
                    .put("pattern", r[1])));
            underride.add(rule);
        }
        global.set("underride", underride);
        return global;
    }

    private static ObjectNode rule(String id, boolean enabled, ArrayNode actions) {
        ObjectNode r = Json.object().put("rule_id", id).put("default", true).put("enabled", enabled);
        r.set("actions", actions);
        return r;
    }
}
