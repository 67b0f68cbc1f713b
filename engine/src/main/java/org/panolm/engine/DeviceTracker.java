package org.panolm.engine;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.engine.store.DeviceRecord;
import org.panolm.engine.store.IdentityRecord;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.trust.DeviceTrust;
import org.panolm.trust.TrustEvaluator;
import org.panolm.trust.UserState;
import org.panolm.trust.UserTrust;

/**
 * Device tracking and trust: which users are outdated and queried, what a keys/query response changes (devices,
 * cross-signing keys), and how far each device is trusted.
 */
final class DeviceTracker {
    private final EngineCore core;
    private @Nullable String queryInFlight;
    private Set<String> queriedUsers = Set.of();
    /** Users whose device lists changed while a query for them was in flight: still outdated after it. */
    private final Set<String> changedDuringQuery = new HashSet<>();

    DeviceTracker(EngineCore core) {
        this.core = core;
    }

    /** Queues one keys/query for every outdated tracked user, unless one is in flight. */
    void queueQuery(StoreTransaction tx) {
        if (queryInFlight != null) return;
        Map<String, List<String>> outdated = new LinkedHashMap<>();
        tx.trackedUsers().forEach((user, isOutdated) -> {
            if (isOutdated) outdated.put(user, List.of());
        });
        if (outdated.isEmpty()) return;
        queryInFlight = EngineCore.newId();
        queriedUsers = Set.copyOf(outdated.keySet());
        changedDuringQuery.clear();
        core.queue.put(queryInFlight, new OutgoingRequest(queryInFlight, new KeysQueryRequest(outdated)));
    }

    /** Marks the tracked users among {@code users} outdated (a sync said their device lists changed). */
    void markChanged(StoreTransaction tx, Collection<String> users) {
        Map<String, Boolean> tracked = tx.trackedUsers();
        for (String user : users) {
            if (tracked.containsKey(user)) {
                tx.putTrackedUser(user, true);
                if (queriedUsers.contains(user)) changedDuringQuery.add(user);
            }
        }
    }

    /** Starts tracking the users not tracked yet (they are queried). */
    static void track(StoreTransaction tx, Collection<String> users) {
        Map<String, Boolean> tracked = tx.trackedUsers();
        for (String u : users) if (!tracked.containsKey(u)) tx.putTrackedUser(u, true);
    }

    void handleKeysQuery(StoreTransaction tx, JsonNode response) {
        JsonNode deviceKeys = response.get("device_keys");
        if (deviceKeys != null && !deviceKeys.isObject()) {
            throw new EngineException("the keys/query response's device_keys is not an object");
        }
        for (String user : queriedUsers) {
            JsonNode devices = deviceKeys == null ? null : deviceKeys.get(user);
            if (devices == null || !devices.isObject()) {
                continue; // a failure for this user's server: stays outdated for the next query
            }
            updateDevices(tx, user, devices);
            JsonNode master = response.path("master_keys").get(user);
            if (master != null) {
                Optional<IdentityRecord> old = tx.identity(user);
                // The same key, whatever signatures were added to its object since: the verified mark stays.
                boolean sameMaster = old.isPresent() && old.get().masterKey() != null
                        && EngineJson.parse(old.get().masterKey(), "a stored master key").path("keys").equals(master.path("keys"));
                tx.putIdentity(new IdentityRecord(user, EngineJson.write(master),
                        jsonOrNull(response.path("self_signing_keys").get(user)),
                        jsonOrNull(response.path("user_signing_keys").get(user)),
                        sameMaster && old.get().masterKeyVerified()));
            }
            tx.putTrackedUser(user, changedDuringQuery.contains(user));
        }
        queriedUsers = Set.of();
        queryInFlight = null;
    }

    /** One user's device map from a keys/query response: new and unchanged devices kept, unlisted ones deleted. */
    private void updateDevices(StoreTransaction tx, String user, JsonNode devices) {
        Map<String, DeviceRecord> known = new HashMap<>();
        for (DeviceRecord d : tx.devices(user)) known.put(d.deviceId(), d);
        Set<String> listed = new HashSet<>();
        for (var entry : devices.properties()) {
            String id = entry.getKey();
            DeviceKeys keys;
            try {
                keys = DeviceKeys.fromJson(EngineJson.write(entry.getValue()));
            } catch (PanolmException | IllegalArgumentException e) {
                continue; // a malformed device is left out, as if not listed
            }
            if (!keys.userId().equals(user) || !keys.deviceId().equals(id) || !keys.isSelfSigned()) continue;
            if (core.isOwnDevice(user, id) && !core.identityKeys.ed25519Base64().equals(keys.ed25519Key())) {
                continue; // the server lists another key for our own device: never believed
            }
            DeviceRecord old = known.get(id);
            if (old != null && !old.deleted()) {
                DeviceKeys oldKeys = DeviceKeys.fromJson(old.deviceKeys());
                if (!Objects.equals(oldKeys.ed25519Key(), keys.ed25519Key())) {
                    continue; // a device's keys never change: a different key is an attack or a bug
                }
            }
            listed.add(id);
            tx.putDevice(new DeviceRecord(user, id, keys.json(), false));
        }
        for (DeviceRecord d : known.values()) {
            if (!listed.contains(d.deviceId()) && !d.deleted()) {
                tx.putDevice(new DeviceRecord(d.userId(), d.deviceId(), d.deviceKeys(), true));
            }
        }
    }

    private static @Nullable String jsonOrNull(@Nullable JsonNode node) {
        return node == null ? null : EngineJson.write(node);
    }

    /** A user's devices that are not deleted, parsed, by device id. */
    static Map<String, DeviceKeys> liveDevices(StoreTransaction tx, String user) {
        Map<String, DeviceKeys> out = new LinkedHashMap<>();
        for (DeviceRecord d : tx.devices(user)) {
            if (!d.deleted()) out.put(d.deviceId(), PARSED.get(d.deviceKeys()));
        }
        return out;
    }

    /**
     * Device keys parsed once per distinct JSON text: a share reads every member's devices, and parsing them
     * again each time was a seventh of a 10,000-device share. Keyed by the whole text, so an entry can never be
     * stale (a changed device is other text); public keys only. Bounded: the least recently used go first.
     */
    private static final ParsedDevices PARSED = new ParsedDevices(200_000);

    /** A bounded, thread-safe map from device-keys JSON to its parse. */
    private static final class ParsedDevices {
        private final Map<String, DeviceKeys> byJson;

        ParsedDevices(int max) {
            byJson = new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, DeviceKeys> eldest) {
                    return size() > max;
                }
            };
        }

        DeviceKeys get(String json) {
            synchronized (byJson) {
                DeviceKeys hit = byJson.get(json);
                if (hit != null) return hit;
            }
            DeviceKeys parsed = DeviceKeys.fromJson(json); // outside the lock: a parse that throws caches nothing
            synchronized (byJson) {
                byJson.put(json, parsed);
            }
            return parsed;
        }
    }

    /** The device of {@code user} whose Curve25519 key is {@code curve}, or null. */
    static @Nullable DeviceKeys deviceByCurveKey(StoreTransaction tx, String user, String curve) {
        for (DeviceKeys d : liveDevices(tx, user).values()) {
            if (curve.equals(d.curve25519Key())) return d;
        }
        return null;
    }

    /** A user's stored cross-signing keys, or null when there are none (or they do not parse). */
    static @Nullable UserCrossSigningKeys crossSigningKeys(StoreTransaction tx, String user) {
        Optional<IdentityRecord> id = tx.identity(user);
        if (id.isEmpty() || id.get().masterKey() == null) return null;
        ObjectNode response = EngineJson.object();
        response.putObject("master_keys").set(user, EngineJson.parse(id.get().masterKey(), "a stored master key"));
        if (id.get().selfSigningKey() != null) {
            response.putObject("self_signing_keys").set(user, EngineJson.parse(id.get().selfSigningKey(), "a stored key"));
        }
        if (id.get().userSigningKey() != null) {
            response.putObject("user_signing_keys").set(user, EngineJson.parse(id.get().userSigningKey(), "a stored key"));
        }
        try {
            return UserCrossSigningKeys.fromKeysQuery(EngineJson.write(response), user).orElse(null);
        } catch (PanolmException e) {
            return null;
        }
    }

    /** A device's trust as the existing trust logic judges it from the stored devices and cross-signing keys. */
    @Nullable DeviceTrust deviceTrust(StoreTransaction tx, String user, String device) {
        if (!liveDevices(tx, user).containsKey(device)) return null;
        if (core.isOwnDevice(user, device)) return DeviceTrust.VERIFIED;
        return evaluator(tx).deviceTrust(userState(tx, user, locallyVerified(tx, user)), device);
    }

    /** A device's trust, and whether it holds through cross-signing alone (local marks left out), or locally. */
    @Nullable DeviceVerification deviceVerification(StoreTransaction tx, String user, String device) {
        DeviceTrust trust = deviceTrust(tx, user, device);
        if (trust == null) return null;
        boolean crossSigned = liveDevices(tx, user).containsKey(device)
                && evaluator(tx).deviceTrust(userState(tx, user, Set.of()), device) == DeviceTrust.VERIFIED;
        return new DeviceVerification(trust, crossSigned, locallyVerified(tx, user).contains(device));
    }

    /** Whether we verified a user through cross-signing (our user-signing key signed their master key). */
    UserTrust userTrust(StoreTransaction tx, String user) {
        return evaluator(tx).userTrust(userState(tx, user, Set.of()));
    }

    private TrustEvaluator evaluator(StoreTransaction tx) {
        boolean ownTrusted = tx.identity(core.userId).map(IdentityRecord::masterKeyVerified).orElse(false);
        return new TrustEvaluator(core.userId, crossSigningKeys(tx, core.userId), ownTrusted);
    }

    private static UserState userState(StoreTransaction tx, String user, Set<String> locallyVerified) {
        UserCrossSigningKeys theirs = crossSigningKeys(tx, user);
        Optional<IdentityRecord> id = tx.identity(user);
        String pin = id.isPresent() && id.get().masterKeyVerified() && theirs != null ? theirs.master().publicKey() : null;
        return new UserState(user, theirs, liveDevices(tx, user), locallyVerified, pin);
    }

    boolean isVerified(StoreTransaction tx, String user, String device) {
        return deviceTrust(tx, user, device) == DeviceTrust.VERIFIED;
    }

    private static Set<String> locallyVerified(StoreTransaction tx, String user) {
        return tx.value("verified_devices:" + user)
                .map(v -> Set.of(new String(v, StandardCharsets.UTF_8).split("\n"))).orElse(Set.of());
    }

    /** Marks a device as verified by us directly. */
    static void setLocalTrust(StoreTransaction tx, String user, String device) {
        Set<String> set = new LinkedHashSet<>(tx.value("verified_devices:" + user)
                .map(v -> List.of(new String(v, StandardCharsets.UTF_8).split("\n"))).orElse(List.of()));
        set.add(device);
        tx.putValue("verified_devices:" + user, String.join("\n", set).getBytes(StandardCharsets.UTF_8));
    }
}
