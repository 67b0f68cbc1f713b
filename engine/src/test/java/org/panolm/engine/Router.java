package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.testkit.spec.SpecValidator;

/**
 * A homeserver in a test, as small as the engine needs: it takes each device's requests (keys upload, query,
 * claim, to-device), answers them as the spec says, and delivers to-device events and device-list changes at
 * the next sync. Every request body is validated against the spec's OpenAPI schema first.
 */
final class Router {
    /** One device the router serves: the engine, or a peer in another process. */
    interface Device {
        String userId();

        String deviceId();

        /** The device's outgoing requests: id, type, method, path, body JSON. */
        List<Request> outgoing();

        void markSent(Request request, String responseJson);

        /** Hands over a sync: to-device events, changed users, one-time-key count, unused fallback key types. */
        void sync(List<JsonNode> toDevice, Set<String> changed, int oneTimeKeyCount, Set<String> unusedFallbackTypes);

        /** False for a device that syncs by itself ({@link #syncFor}): {@link #round} leaves its inbox alone. */
        default boolean driven() {
            return true;
        }
    }

    record Request(String id, String type, String method, String path, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final tools.jackson.databind.ObjectMapper JSON3 = new tools.jackson.databind.ObjectMapper();

    private final List<Device> devices = new ArrayList<>();
    private final Map<String, Map<String, JsonNode>> deviceKeys = new LinkedHashMap<>();
    private final Map<String, LinkedHashMap<String, JsonNode>> oneTimeKeys = new HashMap<>();
    private final Map<String, Map.Entry<String, JsonNode>> fallbackKeys = new HashMap<>();
    private final Map<String, Boolean> fallbackUsed = new HashMap<>();
    /** Each user's cross-signing key objects by field ({@code master_key}, ...), signatures merged in. */
    final Map<String, Map<String, ObjectNode>> crossSigning = new HashMap<>();
    /** When true, every signature uploaded is refused (the response lists it under {@code failures}). */
    boolean refuseSignatures;
    private final Map<String, List<JsonNode>> inbox = new HashMap<>();
    private final Map<String, Set<String>> changed = new HashMap<>();
    /** Every to-device event delivered, by recipient, for tests that redeliver or inspect. */
    final Map<String, List<JsonNode>> delivered = new HashMap<>();
    /** When false, to-device events are held back (dropped from delivery) until turned on again. */
    boolean deliver = true;
    /** When set, each sync's to-device events come shuffled, some of them twice (homeservers redeliver). */
    java.util.Random chaos;
    int validated;

    void add(Device d) {
        devices.add(d);
    }

    private static String key(String user, String device) {
        return user + "|" + device;
    }

    /** Runs requests and syncs until nobody has anything left to send or receive (at most {@code rounds}). */
    void settle(int rounds) {
        for (int round = 0; round < rounds; round++) {
            if (!round()) return;
        }
        fail("the devices did not settle in " + rounds + " rounds");
    }

    /** One round: every device's requests answered, then every device synced; false when nothing happened. */
    boolean round() {
        {
            boolean any = false;
            for (Device d : devices) {
                for (Request r : d.outgoing()) {
                    any = true;
                    d.markSent(r, handle(d, r));
                }
            }
            for (Device d : devices) {
                if (!d.driven()) continue;
                String k = key(d.userId(), d.deviceId());
                List<JsonNode> events = deliver ? inbox.getOrDefault(k, List.of()) : List.of();
                if (chaos != null && !events.isEmpty()) {
                    List<JsonNode> messy = new ArrayList<>(events);
                    for (JsonNode e : events) if (chaos.nextInt(3) == 0) messy.add(e);
                    java.util.Collections.shuffle(messy, chaos);
                    events = messy;
                }
                Set<String> ch = changed.getOrDefault(k, Set.of());
                if (!events.isEmpty() || !ch.isEmpty()) any = true;
                inbox.put(k, deliver ? new ArrayList<>() : inbox.getOrDefault(k, new ArrayList<>()));
                changed.put(k, new LinkedHashSet<>());
                delivered.computeIfAbsent(k, x -> new ArrayList<>()).addAll(events);
                int count = oneTimeKeys.getOrDefault(k, new LinkedHashMap<>()).size();
                d.sync(List.copyOf(events), Set.copyOf(ch), count,
                        fallbackKeys.containsKey(k) && !fallbackUsed.getOrDefault(k, false) ? Set.of("signed_curve25519") : Set.of());
            }
            return any;
        }
    }

    /**
     * A {@code /sync} response body for a device that is not driven by {@link #settle} (the README's bot): its
     * to-device events, device-list changes and key counts, plus the given timeline of one room.
     */
    JsonNode syncFor(String user, String device, String room, List<JsonNode> timeline) {
        String k = key(user, device);
        ObjectNode sync = JSON.createObjectNode();
        var events = sync.putObject("to_device").putArray("events");
        inbox.getOrDefault(k, List.of()).forEach(events::add);
        delivered.computeIfAbsent(k, x -> new ArrayList<>()).addAll(inbox.getOrDefault(k, List.of()));
        inbox.put(k, new ArrayList<>());
        var changedUsers = sync.putObject("device_lists").putArray("changed");
        changed.getOrDefault(k, Set.of()).forEach(changedUsers::add);
        changed.put(k, new LinkedHashSet<>());
        sync.putObject("device_one_time_keys_count").put("signed_curve25519",
                oneTimeKeys.getOrDefault(k, new LinkedHashMap<>()).size());
        var roomEvents = sync.putObject("rooms").putObject("join").putObject(room).putObject("timeline").putArray("events");
        timeline.forEach(roomEvents::add);
        return sync;
    }

    /** Puts a device's keys and one one-time key on the server for a device no engine drives (a bare account). */
    void register(String user, String device, JsonNode keys, String oneTimeKeyId, JsonNode oneTimeKey) {
        deviceKeys.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(device, keys);
        oneTimeKeys.computeIfAbsent(key(user, device), x -> new LinkedHashMap<>()).put(oneTimeKeyId, oneTimeKey);
    }

    /** Takes the to-device events waiting for a device, without delivering them. */
    List<JsonNode> takeInbox(String user, String device) {
        List<JsonNode> events = inbox.getOrDefault(key(user, device), List.of());
        inbox.put(key(user, device), new ArrayList<>());
        return events;
    }

    /** A device the router knows only by name, for requests sent on behalf of a device it does not drive. */
    static Device named(String user, String device) {
        return new Device() {
            @Override
            public String userId() {
                return user;
            }

            @Override
            public String deviceId() {
                return device;
            }

            @Override
            public List<Request> outgoing() {
                return List.of();
            }

            @Override
            public void markSent(Request request, String responseJson) {}

            @Override
            public void sync(List<JsonNode> toDevice, Set<String> changed, int count, Set<String> fallback) {}

            @Override
            public boolean driven() {
                return false;
            }
        };
    }

    /** Validates the body against the spec and answers it. */
    String handle(Device from, Request r) {
        try {
            List<String> segments = new ArrayList<>();
            for (String s : r.path().substring(1).split("/")) {
                segments.add(java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8));
            }
            var match = SpecValidator.get().find(r.method(), segments)
                    .orElseThrow(() -> new AssertionError("no spec operation for " + r.method() + " " + r.path()));
            var result = SpecValidator.get().validateRequest(match.operation(), JSON3.readTree(r.body()));
            assertTrue(result.valid(), r.type() + " body breaks " + result.schema() + ": " + result.errors());
            validated++;
            JsonNode body = JSON.readTree(r.body());
            String me = key(from.userId(), from.deviceId());
            ObjectNode response = JSON.createObjectNode();
            switch (match.operation().operationId()) {
                case "uploadKeys" -> {
                    if (body.has("device_keys")) {
                        deviceKeys.computeIfAbsent(from.userId(), u -> new LinkedHashMap<>())
                                .put(from.deviceId(), body.get("device_keys"));
                        for (Device d : devices) {
                            changed.computeIfAbsent(key(d.userId(), d.deviceId()), x -> new LinkedHashSet<>())
                                    .add(from.userId());
                        }
                    }
                    var mine = oneTimeKeys.computeIfAbsent(me, x -> new LinkedHashMap<>());
                    body.path("one_time_keys").properties().forEach(e -> mine.put(e.getKey(), e.getValue()));
                    body.path("fallback_keys").properties().forEach(e -> {
                        fallbackKeys.put(me, Map.entry(e.getKey(), e.getValue()));
                        fallbackUsed.put(me, false);
                    });
                    response.putObject("one_time_key_counts").put("signed_curve25519", mine.size());
                }
                case "queryKeys" -> {
                    ObjectNode out = response.putObject("device_keys");
                    body.path("device_keys").properties().forEach(e -> {
                        ObjectNode user = out.putObject(e.getKey());
                        deviceKeys.getOrDefault(e.getKey(), Map.of()).forEach(user::set);
                        var cs = crossSigning.getOrDefault(e.getKey(), Map.of());
                        if (cs.containsKey("master_key")) response.withObject("master_keys").set(e.getKey(), cs.get("master_key"));
                        if (cs.containsKey("self_signing_key")) {
                            response.withObject("self_signing_keys").set(e.getKey(), cs.get("self_signing_key"));
                        }
                        // The user-signing key is shown to its owner only, as the spec says.
                        if (cs.containsKey("user_signing_key") && e.getKey().equals(from.userId())) {
                            response.withObject("user_signing_keys").set(e.getKey(), cs.get("user_signing_key"));
                        }
                    });
                    response.putObject("failures");
                }
                case "claimKeys" -> {
                    ObjectNode out = response.putObject("one_time_keys");
                    body.path("one_time_keys").properties().forEach(u -> u.getValue().properties().forEach(d -> {
                        String k = key(u.getKey(), d.getKey());
                        var keys = oneTimeKeys.getOrDefault(k, new LinkedHashMap<>());
                        Map.Entry<String, JsonNode> claimed = keys.isEmpty() ? fallbackKeys.get(k) : keys.pollFirstEntry();
                        if (keys.isEmpty() && claimed != null) fallbackUsed.put(k, true);
                        if (claimed != null) {
                            out.withObject(u.getKey()).putObject(d.getKey()).set(claimed.getKey(), claimed.getValue());
                        }
                    }));
                    response.putObject("failures");
                }
                case "sendToDevice" -> {
                    String eventType = segments.get(segments.size() - 2);
                    body.path("messages").properties().forEach(u -> u.getValue().properties().forEach(d -> {
                        ObjectNode event = JSON.createObjectNode().put("type", eventType).put("sender", from.userId());
                        event.set("content", d.getValue());
                        Set<String> targets = new LinkedHashSet<>();
                        for (Device to : devices) {
                            if (to.userId().equals(u.getKey())) targets.add(to.deviceId());
                        }
                        targets.addAll(deviceKeys.getOrDefault(u.getKey(), Map.of()).keySet());
                        for (String to : targets) {
                            if (d.getKey().equals("*") || to.equals(d.getKey())) {
                                inbox.computeIfAbsent(key(u.getKey(), to), x -> new ArrayList<>()).add(event);
                            }
                        }
                    }));
                }
                case "uploadCrossSigningKeys" -> {
                    var mine = crossSigning.computeIfAbsent(from.userId(), u -> new LinkedHashMap<>());
                    boolean changes = false;
                    for (String f : List.of("master_key", "self_signing_key", "user_signing_key")) {
                        if (body.has(f) && !body.get(f).equals(mine.get(f))) changes = true;
                    }
                    if (mine.containsKey("master_key") && changes && !body.path("auth").has("password")) {
                        fail("replacing cross-signing keys without auth would get a 401 from a homeserver");
                    }
                    for (String f : List.of("master_key", "self_signing_key", "user_signing_key")) {
                        if (body.has(f)) mine.put(f, (ObjectNode) body.get(f).deepCopy());
                    }
                    deviceListChanged(from.userId());
                }
                case "uploadCrossSigningSignatures" -> {
                    ObjectNode failures = response.putObject("failures");
                    body.properties().forEach(u -> u.getValue().properties().forEach(k -> {
                        ObjectNode target = signatureTarget(u.getKey(), k.getKey());
                        String problem = refuseSignatures ? "refused by the test"
                                : target == null ? "no such key"
                                : !withoutSignatures(target).equals(withoutSignatures(k.getValue())) ? "not the stored key" : null;
                        if (problem != null) {
                            failures.withObject(u.getKey()).putObject(k.getKey())
                                    .put("errcode", "M_INVALID_SIGNATURE").put("error", problem);
                            return;
                        }
                        k.getValue().path("signatures").properties().forEach(s ->
                                target.withObject("signatures").withObject(s.getKey()).setAll((ObjectNode) s.getValue()));
                        deviceListChanged(u.getKey());
                    }));
                }
                default -> fail("the router does not serve " + match.operation().operationId());
            }
            return JSON.writeValueAsString(response);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A device's key object or a cross-signing key object, named as signatures/upload names them. */
    private ObjectNode signatureTarget(String user, String keyId) {
        JsonNode device = deviceKeys.getOrDefault(user, Map.of()).get(keyId);
        if (device instanceof ObjectNode o) return o;
        for (ObjectNode k : crossSigning.getOrDefault(user, Map.of()).values()) {
            if (k.path("keys").has("ed25519:" + keyId)) return k;
        }
        return null;
    }

    private static JsonNode withoutSignatures(JsonNode key) {
        ObjectNode copy = ((ObjectNode) key).deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }

    private void deviceListChanged(String user) {
        for (Device d : devices) changed.computeIfAbsent(key(d.userId(), d.deviceId()), x -> new LinkedHashSet<>()).add(user);
    }

    /** The engine as a router device; keeps what each sync's to-device events became. */
    static final class EngineDevice implements Device {
        final OlmMachine machine;
        final List<ToDeviceResult> results = new ArrayList<>();
        /** When true, to-device requests stay in the engine's queue (as if the process died before sending). */
        boolean holdToDevice;
        /** When true, signatures uploads stay in the engine's queue (as if the process died before sending). */
        boolean holdSignatures;

        EngineDevice(OlmMachine machine) {
            this.machine = machine;
        }

        @Override
        public String userId() {
            return machine.userId();
        }

        @Override
        public String deviceId() {
            return machine.deviceId();
        }

        @Override
        public List<Request> outgoing() {
            return machine.outgoingRequests().stream()
                    .filter(r -> !holdToDevice || r.type() != RequestType.TO_DEVICE)
                    .filter(r -> !holdSignatures || r.type() != RequestType.SIGNATURES_UPLOAD)
                    .map(r -> new Request(r.id(), r.type().name(), r.method(), r.path(), r.bodyJson())).toList();
        }

        @Override
        public void markSent(Request request, String responseJson) {
            machine.markRequestSent(request.id(), responseJson);
        }

        @Override
        public void sync(List<JsonNode> toDevice, Set<String> changed, int count, Set<String> fallbackTypes) {
            results.addAll(machine.receiveSyncChanges(new SyncChanges(TestJson.texts(toDevice), changed, Set.of(),
                    Map.of("signed_curve25519", count), fallbackTypes)));
        }
    }
}
