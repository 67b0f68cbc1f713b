package org.panolm.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.cli.CliException;
import org.panolm.cli.Json;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.megolm.SessionKey;
import org.panolm.olm.Account;
import org.panolm.olm.BatchEncryption;
import org.panolm.olm.Curve25519PublicKey;
import org.panolm.olm.InboundSession;
import org.panolm.olm.OlmMessage;
import org.panolm.olm.OneTimeKey;
import org.panolm.olm.PayloadTemplate;
import org.panolm.olm.Session;

/**
 * How the room keys of the demo reach devices, as in a client: a sender that starts a Megolm session sends
 * its key in an {@code m.room_key} to every device in the room, Olm-encrypted for each (one batch call for
 * all of them), over Olm sessions it opened from each device's claimed one-time or fallback key. The demo's
 * receiving device then decrypts its own to-device messages, checks their Olm payload as a client does, and
 * keeps the room keys (which it later backs up). Every device is a real Olm account on panolm's native code.
 */
final class OlmRoomKeys implements AutoCloseable {
    static final String ME = "@me:demo.example";
    static final String MY_DEVICE = "DEMORECEIVER";

    /** A device in the rooms: its account (standing in for its own client) and user. */
    private record Device(String user, Account account, Curve25519PublicKey oneTimeKey) {}

    /** One m.room_key for the receiving device, with the sender's identity it came from. */
    private record Delivery(int sender, OlmMessage message) {}

    private final Account me = Account.create();
    private final List<Device> devices = new ArrayList<>();
    private final Account[] senders;
    private final String[] senderUsers;
    private final String[] senderDevices;
    private final Session[][] sessions;   // [sender][device]
    private final List<Delivery> inbox = new ArrayList<>();
    private long messages;
    private long nanos;

    OlmRoomKeys(List<DemoHistory.Sender> senders, int otherDevices) {
        long t = System.nanoTime();
        this.senders = new Account[senders.size()];
        this.senderUsers = new String[senders.size()];
        this.senderDevices = new String[senders.size()];
        for (int s = 0; s < senders.size(); s++) {
            this.senders[s] = senders.get(s).account();
            senderUsers[s] = senders.get(s).user();
            senderDevices[s] = senders.get(s).deviceId();
        }
        // The receiving device publishes one-time keys for the first senders and a fallback key for the rest.
        me.generateOneTimeKeys(Math.min(senders.size(), Account.MAX_ONE_TIME_KEYS));
        me.generateFallbackKey();
        devices.add(new Device(ME, me, null));
        for (int d = 0; d < otherDevices; d++) {
            Account other = Account.create();
            other.generateFallbackKey();
            devices.add(new Device("@member" + d + ":demo.example", other, other.fallbackKey().orElseThrow().publicKey()));
        }
        sessions = new Session[senders.size()][devices.size()];
        List<OneTimeKey> myKeys = me.oneTimeKeys();
        Curve25519PublicKey myFallback = me.fallbackKey().orElseThrow().publicKey();
        me.markKeysAsPublished();
        for (int s = 0; s < senders.size(); s++) {
            for (int d = 0; d < devices.size(); d++) {
                Device device = devices.get(d);
                Curve25519PublicKey key = d > 0 ? device.oneTimeKey()
                        : s < myKeys.size() ? myKeys.get(s).publicKey() : myFallback;
                sessions[s][d] = Session.createOutbound(this.senders[s], device.account().identityKeys().curve25519(), key);
            }
        }
        nanos = System.nanoTime() - t;   // opening the Olm sessions counts as sharing
    }

    int devices() {
        return devices.size();
    }

    /** Sender {@code s} shares {@code session}'s key for room {@code room} with every device, in one batch. */
    void share(int s, String room, MegolmOutboundSession session) {
        long t = System.nanoTime();
        String key = session.sessionKey().toBase64();
        PayloadTemplate template = PayloadTemplate.of("{\"type\":\"m.room_key\",\"content\":{\"algorithm\":"
                + "\"m.megolm.v1.aes-sha2\",\"room_id\":\"" + room + "\",\"session_id\":\"" + session.sessionId()
                + "\",\"session_key\":\"" + key + "\"},\"sender\":\"" + senderUsers[s] + "\",\"sender_device\":\""
                + senderDevices[s] + "\",\"keys\":{\"ed25519\":\"" + senders[s].identityKeys().ed25519Base64()
                + "\"},\"recipient\":\"", "\",\"recipient_keys\":{\"ed25519\":\"", "\"}}");
        List<BatchEncryption.Recipient> recipients = new ArrayList<>(devices.size());
        for (int d = 0; d < devices.size(); d++) {
            Device device = devices.get(d);
            recipients.add(new BatchEncryption.Recipient(sessions[s][d], List.of(
                    device.user().getBytes(StandardCharsets.UTF_8),
                    device.account().identityKeys().ed25519Base64().getBytes(StandardCharsets.US_ASCII))));
        }
        List<BatchEncryption.Result> results = BatchEncryption.encrypt(template, recipients);
        for (BatchEncryption.Result r : results) {
            if (!r.ok()) throw new CliException("Olm encryption of a room key failed: " + r.status());
        }
        messages += results.size();
        inbox.add(new Delivery(s, results.getFirst().message()));
        nanos += System.nanoTime() - t;
    }

    long messagesSent() {
        return messages;
    }

    double shareSeconds() {
        return nanos / 1e9;
    }

    /**
     * The receiving device decrypts its to-device messages: a new Olm session from each sender's first
     * (pre-key) message, which uses up its one-time key, then that session for the rest. Returns the room
     * keys, as it would store them.
     */
    List<ExportedRoomKey> receive() throws IOException {
        Session[] inbound = new Session[senders.length];
        List<ExportedRoomKey> keys = new ArrayList<>(inbox.size());
        try {
            for (Delivery delivery : inbox) {
                int s = delivery.sender();
                Curve25519PublicKey senderKey = senders[s].identityKeys().curve25519();
                byte[] plaintext;
                if (inbound[s] == null) {
                    InboundSession created = me.createInboundSession(senderKey, delivery.message());
                    inbound[s] = created.session();
                    plaintext = created.plaintext();
                } else if (inbound[s].matchesInboundFrom(senderKey, delivery.message())) {
                    plaintext = inbound[s].decrypt(delivery.message());
                } else {
                    throw new CliException("a room key arrived on an unknown Olm session");
                }
                keys.add(roomKey(s, senderKey, Json.MAPPER.readTree(plaintext)));
                java.util.Arrays.fill(plaintext, (byte) 0);
            }
        } finally {
            for (Session s : inbound) {
                if (s != null) s.close();
            }
        }
        inbox.clear();
        return keys;
    }

    /** The checks a client makes on a decrypted m.room_key, and the key as it keeps it. */
    private ExportedRoomKey roomKey(int s, Curve25519PublicKey senderKey, JsonNode payload) {
        String ed25519 = senders[s].identityKeys().ed25519Base64();
        if (!"m.room_key".equals(payload.path("type").asText()) || !senderUsers[s].equals(payload.path("sender").asText())
                || !ME.equals(payload.path("recipient").asText())
                || !me.identityKeys().ed25519Base64().equals(payload.at("/recipient_keys/ed25519").asText())
                || !ed25519.equals(payload.at("/keys/ed25519").asText())) {
            throw new CliException("an m.room_key failed the Olm payload checks");
        }
        JsonNode content = payload.get("content");
        try (MegolmInboundSession session = MegolmInboundSession.create(
                SessionKey.fromBase64(content.get("session_key").asText()), content.get("room_id").asText())) {
            if (!session.sessionId().equals(content.get("session_id").asText())) {
                throw new CliException("an m.room_key names another session than its key");
            }
            return new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, content.get("room_id").asText(), senderKey.toBase64(),
                    session.sessionId(), session.export().toBase64(), Map.of("ed25519", ed25519), List.of(), true);
        }
    }

    @Override
    public void close() {
        for (Session[] row : sessions) {
            for (Session s : row) {
                if (s != null) s.close();
            }
        }
        for (Device d : devices) d.account().close();
    }
}
