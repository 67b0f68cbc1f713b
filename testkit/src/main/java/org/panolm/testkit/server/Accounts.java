package org.panolm.testkit.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Accounts and devices: {@code /versions}, register (user-interactive auth with {@code m.login.dummy}), password
 * login, whoami, logout, the device list, capabilities and profiles. Also the user-interactive authentication
 * other families use ({@link #requirePassword}).
 */
final class Accounts {
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
    private static final List<String> VERSIONS = List.of("v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7",
            "v1.8", "v1.9", "v1.10", "v1.11", "v1.12");

    private final Homeserver hs;
    /** Open user-interactive-auth sessions (not persisted: a restart starts them anew). */
    private final Set<String> uiaSessions = ConcurrentHashMap.newKeySet();

    Accounts(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("getVersions", c -> Reply.ok(versions()));
        e.put("register", this::registerUser);
        e.put("checkUsernameAvailability", this::available);
        e.put("getLoginFlows", c -> Reply.ok(Json.object().set("flows",
                Json.array().add(Json.object().put("type", "m.login.password")))));
        e.put("login", this::login);
        e.put("getTokenOwner", c -> {
            Homeserver.Caller me = hs.auth(c);
            return Reply.ok(Json.object().put("user_id", me.userId()).put("device_id", me.deviceId())
                    .put("is_guest", false));
        });
        e.put("logout", c -> {
            Homeserver.Caller me = hs.auth(c);
            removeDevice(me.user(), me.deviceId());
            return Reply.ok();
        });
        e.put("logout_all", c -> {
            Homeserver.Caller me = hs.auth(c);
            for (String id : List.copyOf(me.user().devices.keySet())) {
                removeDevice(me.user(), id);
            }
            return Reply.ok();
        });
        e.put("getDevices", c -> {
            Homeserver.Caller me = hs.auth(c);
            ArrayNode devices = Json.array();
            me.user().devices.values().forEach(d -> devices.add(device(d)));
            return Reply.ok(Json.object().set("devices", devices));
        });
        e.put("getDevice", c -> Reply.ok(device(ownDevice(hs.auth(c), c.param("deviceId")))));
        e.put("updateDevice", c -> {
            Homeserver.Caller me = hs.auth(c);
            State.Device d = ownDevice(me, c.param("deviceId"));
            JsonNode name = c.body().get("display_name");
            if (name != null && name.isString()) {
                d.displayName = name.asString();
                hs.deviceListChanged(me.userId());
            }
            return Reply.ok();
        });
        e.put("deleteDevice", c -> {
            Homeserver.Caller me = hs.auth(c);
            ownDevice(me, c.param("deviceId"));
            requirePassword(me.user(), c.json());
            removeDevice(me.user(), c.param("deviceId"));
            return Reply.ok();
        });
        e.put("deleteDevices", c -> {
            Homeserver.Caller me = hs.auth(c);
            requirePassword(me.user(), c.body());
            for (JsonNode id : c.body().path("devices")) {
                removeDevice(me.user(), id.asString());
            }
            return Reply.ok();
        });
        e.put("getCapabilities", c -> {
            hs.auth(c);
            ObjectNode caps = Json.object();
            caps.set("m.change_password", Json.object().put("enabled", false));
            caps.set("m.room_versions", Json.object().put("default", "10")
                    .set("available", Json.object().put("10", "stable")));
            return Reply.ok(Json.object().set("capabilities", caps));
        });
        e.put("getUserProfile", c -> Reply.ok(profile(c.param("userId"))));
        e.put("getProfileField", c -> {
            ObjectNode p = profile(c.param("userId"));
            JsonNode v = p.get(c.param("keyName"));
            if (v == null) {
                throw MatrixError.notFound("no such profile field");
            }
            return Reply.ok(Json.object().set(c.param("keyName"), v));
        });
        e.put("setProfileField", c -> {
            Homeserver.Caller me = hs.auth(c);
            Homeserver.requireSelf(me, c.param("userId"));
            if (!c.param("keyName").equals("displayname")) {
                throw new MatrixError(400, "M_UNRECOGNIZED", "only displayname is kept by this server");
            }
            me.user().displayName = c.body().path("displayname").asString(null);
            return Reply.ok();
        });
    }

    private static ObjectNode versions() {
        ArrayNode v = Json.array();
        VERSIONS.forEach(v::add);
        return Json.object().<ObjectNode>set("versions", v).set("unstable_features", Json.object());
    }

    private ObjectNode profile(String userId) {
        State.User u = hs.state.users.get(userId);
        if (u == null) {
            throw MatrixError.notFound("no such user");
        }
        ObjectNode p = Json.object();
        if (u.displayName != null) {
            p.put("displayname", u.displayName);
        }
        return p;
    }

    private Reply available(Call c) {
        String userId = userId(c.requiredQuery("username"));
        if (hs.state.users.containsKey(userId)) {
            throw new MatrixError(400, "M_USER_IN_USE", "the user id is taken");
        }
        return Reply.ok(Json.object().put("available", true));
    }

    private String userId(String localpart) {
        if (!LOCALPART.matcher(localpart).matches()) {
            throw new MatrixError(400, "M_INVALID_USERNAME", "invalid user name: " + localpart);
        }
        return "@" + localpart + ":" + hs.serverName();
    }

    private Reply registerUser(Call c) {
        if ("guest".equals(c.query("kind"))) {
            throw new MatrixError(403, "M_GUEST_ACCESS_FORBIDDEN", "guest accounts are not supported");
        }
        JsonNode body = c.body();
        String localpart = body.hasNonNull("username") ? body.get("username").asString()
                : "user" + hs.randomId(8).toLowerCase(Locale.ROOT);
        String userId = userId(localpart);
        if (hs.state.users.containsKey(userId)) {
            throw new MatrixError(400, "M_USER_IN_USE", "the user id is taken");
        }
        // User-interactive auth: one stage, m.login.dummy.
        JsonNode auth = body.get("auth");
        if (auth == null || !"m.login.dummy".equals(auth.path("type").asString(null))) {
            throw uiaChallenge("m.login.dummy", null);
        }
        if (auth.hasNonNull("session")) {
            uiaSessions.remove(auth.get("session").asString());
        }
        State.User user = new State.User();
        user.userId = userId;
        user.displayName = localpart;
        if (body.hasNonNull("password")) {
            setPassword(user, body.get("password").asString());
        }
        hs.state.users.put(userId, user);
        ObjectNode out = Json.object().put("user_id", userId);
        if (body.path("inhibit_login").asBoolean(false)) {
            return Reply.ok(out);
        }
        String deviceId = body.hasNonNull("device_id") ? body.get("device_id").asString() : null;
        String token = newDevice(user, deviceId, body.path("initial_device_display_name").asString(null));
        return Reply.ok(out.put("access_token", token).put("device_id", tokenDevice(token)));
    }

    private Reply login(Call c) {
        JsonNode body = c.body();
        if (!"m.login.password".equals(body.path("type").asString(null))) {
            throw new MatrixError(400, "M_UNKNOWN", "unsupported login type " + body.path("type").asString(""));
        }
        State.User user = userFor(body);
        if (user == null || !passwordMatches(user, body.path("password").asString(""))) {
            throw MatrixError.forbidden("invalid user name or password");
        }
        String deviceId = body.hasNonNull("device_id") ? body.get("device_id").asString() : null;
        String token = newDevice(user, deviceId, body.path("initial_device_display_name").asString(null));
        return Reply.ok(Json.object().put("user_id", user.userId).put("access_token", token)
                .put("device_id", tokenDevice(token)));
    }

    /** The user an identifier names: {@code m.id.user} with a localpart or full id (or the legacy {@code user}). */
    private State.User userFor(JsonNode body) {
        JsonNode id = body.get("identifier");
        String user = id != null && "m.id.user".equals(id.path("type").asString(null))
                ? id.path("user").asString(null) : body.path("user").asString(null);
        if (user == null) {
            return null;
        }
        return hs.state.users.get(user.startsWith("@") ? user : "@" + user + ":" + hs.serverName());
    }

    /** Creates (or takes over) a device and returns a new access token for it. */
    String newDevice(State.User user, String deviceId, String displayName) {
        String id = deviceId != null ? deviceId : hs.randomId(10).toUpperCase(Locale.ROOT);
        State.Device d = user.devices.get(id);
        if (d == null) {
            d = new State.Device();
            d.deviceId = id;
            d.displayName = displayName;
            user.devices.put(id, d);
            hs.deviceListChanged(user.userId);
        } else {
            hs.state.tokens.values().removeIf(o -> o.userId.equals(user.userId) && o.deviceId.equals(id));
        }
        d.lastSeenTs = System.currentTimeMillis();
        String token = "syt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(hs.randomBytes(24));
        hs.state.tokens.put(token, new State.TokenOwner(user.userId, id));
        return token;
    }

    private String tokenDevice(String token) {
        return hs.state.tokens.get(token).deviceId;
    }

    private void removeDevice(State.User user, String deviceId) {
        if (user.devices.remove(deviceId) != null) {
            hs.state.tokens.values().removeIf(o -> o.userId.equals(user.userId) && o.deviceId.equals(deviceId));
            hs.deviceListChanged(user.userId);
        }
    }

    private static State.Device ownDevice(Homeserver.Caller me, String deviceId) {
        State.Device d = me.user().devices.get(deviceId);
        if (d == null) {
            throw MatrixError.notFound("no such device");
        }
        return d;
    }

    private static ObjectNode device(State.Device d) {
        ObjectNode o = Json.object().put("device_id", d.deviceId).put("last_seen_ts", d.lastSeenTs)
                .put("last_seen_ip", "127.0.0.1");
        if (d.displayName != null) {
            o.put("display_name", d.displayName);
        }
        return o;
    }

    // ---- user-interactive authentication ----

    /**
     * Requires user-interactive auth by the user's password: without an {@code auth} object the answer is 401
     * with the flows and a session; with a wrong password, 401 {@code M_FORBIDDEN}.
     */
    void requirePassword(State.User user, JsonNode body) {
        JsonNode auth = body == null ? null : body.get("auth");
        if (auth == null || auth.isNull()) {
            throw uiaChallenge("m.login.password", null);
        }
        String session = auth.path("session").asString(null);
        if (!"m.login.password".equals(auth.path("type").asString(null))) {
            throw uiaChallenge("m.login.password", session);
        }
        State.User named = userFor(auth);
        if (named != user || !passwordMatches(user, auth.path("password").asString(""))) {
            MatrixError challenge = uiaChallenge("m.login.password", session);
            ObjectNode extra = challenge.body();
            throw new MatrixError(401, "M_FORBIDDEN", "invalid password", extra);
        }
        if (session != null) {
            uiaSessions.remove(session);
        }
    }

    private MatrixError uiaChallenge(String stage, String session) {
        String s = session != null ? session : hs.randomId(16);
        uiaSessions.add(s);
        ObjectNode body = Json.object();
        body.set("flows", Json.array().add(Json.object().set("stages", Json.array().add(stage))));
        body.set("params", Json.object());
        body.put("session", s);
        body.set("completed", Json.array());
        return new MatrixError(401, null, "user-interactive authentication required", body);
    }

    private static void setPassword(State.User user, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        user.passwordSalt = Base64.getEncoder().encodeToString(salt);
        user.passwordHash = hash(password, salt);
    }

    private static boolean passwordMatches(State.User user, String password) {
        if (user.passwordHash == null) {
            return false;
        }
        String h = hash(password, Base64.getDecoder().decode(user.passwordSalt));
        return MessageDigest.isEqual(h.getBytes(StandardCharsets.US_ASCII),
                user.passwordHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 10_000, 256);
        try {
            return Base64.getEncoder().encodeToString(
                    SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
        }
    }
}
