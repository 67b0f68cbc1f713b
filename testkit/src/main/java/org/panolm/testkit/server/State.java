package org.panolm.testkit.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the homeserver knows, as plain mutable data: what {@link Persistence} writes to disk and reads back.
 * Only {@link Homeserver} touches it, always under its lock.
 */
final class State {
    String serverName;
    /** The stream position: every change a {@code /sync} can return takes the next one. */
    long pos;
    Map<String, User> users = new LinkedHashMap<>();
    /** Access token to the device it belongs to. */
    Map<String, TokenOwner> tokens = new LinkedHashMap<>();
    Map<String, Room> rooms = new LinkedHashMap<>();
    /** Every change to a user's devices or cross-signing keys, in stream order. */
    List<DeviceListChange> deviceListChanges = new ArrayList<>();
    /** Responses of PUT requests with a transaction id, by user, device and path. */
    Map<String, JsonNode> transactions = new LinkedHashMap<>();
    Map<String, Media> media = new LinkedHashMap<>();

    static final class TokenOwner {
        String userId;
        String deviceId;

        TokenOwner() {}

        TokenOwner(String userId, String deviceId) {
            this.userId = userId;
            this.deviceId = deviceId;
        }
    }

    static final class User {
        String userId;
        /** PBKDF2-HMAC-SHA256 of the password, base64; {@code null}: no password login. */
        String passwordHash;
        String passwordSalt;
        String displayName;
        Map<String, Device> devices = new LinkedHashMap<>();
        Map<String, AccountData> accountData = new LinkedHashMap<>();
        Map<String, Map<String, AccountData>> roomAccountData = new LinkedHashMap<>();
        ObjectNode masterKey;
        ObjectNode selfSigningKey;
        ObjectNode userSigningKey;
        Map<String, JsonNode> filters = new LinkedHashMap<>();
        Map<String, BackupVersion> backups = new LinkedHashMap<>();
        Set<String> deletedBackups = new LinkedHashSet<>();
        long nextBackupVersion = 1;
    }

    static final class Device {
        String deviceId;
        String displayName;
        long lastSeenTs;
        ObjectNode keys;
        /** {@code algorithm:key_id} to the key, in upload order. */
        Map<String, JsonNode> oneTimeKeys = new LinkedHashMap<>();
        /** Algorithm to its fallback key. */
        Map<String, FallbackKey> fallbackKeys = new LinkedHashMap<>();
        List<ToDevice> inbox = new ArrayList<>();
    }

    static final class FallbackKey {
        String keyId;
        JsonNode key;
        boolean used;
    }

    static final class ToDevice {
        long pos;
        String sender;
        String type;
        JsonNode content;
    }

    static final class AccountData {
        long pos;
        JsonNode content;
    }

    static final class DeviceListChange {
        long pos;
        String userId;

        DeviceListChange() {}

        DeviceListChange(long pos, String userId) {
            this.pos = pos;
            this.userId = userId;
        }
    }

    static final class Room {
        String roomId;
        String version;
        List<Event> events = new ArrayList<>();
        /** {@code type + "\u0000" + state_key} to the current state event. */
        Map<String, Event> state = new LinkedHashMap<>();
    }

    static final class Event {
        long pos;
        String eventId;
        String type;
        String stateKey;
        String sender;
        long ts;
        JsonNode content;
        JsonNode prevContent;
        /** The sender's transaction id and the device that sent it (only that device sees it back). */
        String txnId;
        String txnDevice;
    }

    static final class BackupVersion {
        String version;
        String algorithm;
        JsonNode authData;
        long etag;
        /** Room id to session id to key. */
        Map<String, Map<String, BackupKey>> rooms = new LinkedHashMap<>();
    }

    static final class BackupKey {
        long firstMessageIndex;
        long forwardedCount;
        boolean verified;
        JsonNode sessionData;
    }

    static final class Media {
        String mediaId;
        String contentType;
        String fileName;
        String uploader;
        long size;
    }
}
