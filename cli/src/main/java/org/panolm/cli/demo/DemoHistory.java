package org.panolm.cli.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonGenerator;

import org.panolm.cli.Json;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.olm.Account;

/**
 * A synthetic but real room history: sender devices with their own Olm accounts, Megolm sessions rotated
 * every {@code rotate} messages per room and sender (as clients do), every message encrypted with panolm's
 * native Megolm engine, and every new session's key shared over Olm with the devices of the room
 * ({@link OlmRoomKeys}). Each plaintext can be recomputed from its event id, so the decrypted history is
 * checked without keeping the plaintexts.
 */
final class DemoHistory implements AutoCloseable {
    record Sender(String user, String deviceId, Account account) {
        String curve25519() {
            return account.identityKeys().curve25519Base64();
        }
    }

    private final int rooms;
    private final List<Sender> senders = new ArrayList<>();
    private final MegolmOutboundSession[][] current;
    private final int[][] used;
    private final int rotate;
    private final OlmRoomKeys olm;

    /** {@code otherDevices}: devices in the rooms besides the demo's receiving device (they get every key too). */
    DemoHistory(int rooms, int senderCount, int rotate, int otherDevices) {
        this.rooms = rooms;
        this.rotate = rotate;
        for (int s = 0; s < senderCount; s++) {
            senders.add(new Sender("@sender" + s + ":demo.example", "DEMODEVICE" + s, Account.create()));
        }
        current = new MegolmOutboundSession[rooms][senderCount];
        used = new int[rooms][senderCount];
        olm = new OlmRoomKeys(senders, otherDevices);
    }

    OlmRoomKeys olm() {
        return olm;
    }

    static String roomId(int r) {
        return "!room" + r + ":demo.example";
    }

    /** The body of message {@code n}: recomputable from the event id alone. */
    static String body(long n) {
        return "Message " + n + " of the demo history: the quick brown fox jumps over the lazy dog.";
    }

    static String eventId(long n) {
        return "$demo" + n;
    }

    /** Encrypts message {@code n} and returns its event as one JSON line (with newline). */
    byte[] encryptedEvent(long n, SplittableRandom random) throws IOException {
        int r = random.nextInt(rooms);
        int s = random.nextInt(senders.size());
        MegolmOutboundSession session = session(r, s);
        Sender sender = senders.get(s);
        String room = roomId(r);
        var plaintext = Json.MAPPER.createObjectNode();
        plaintext.put("type", "m.room.message");
        plaintext.putObject("content").put("msgtype", "m.text").put("body", body(n));
        plaintext.put("room_id", room);
        byte[] ciphertext = session.encryptToAscii(Json.MAPPER.writeValueAsBytes(plaintext));
        var out = new java.io.ByteArrayOutputStream(ciphertext.length + 400);
        try (JsonGenerator g = Json.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "m.room.encrypted");
            g.writeStringField("event_id", eventId(n));
            g.writeStringField("room_id", room);
            g.writeStringField("sender", sender.user());
            g.writeNumberField("origin_server_ts", 1_700_000_000_000L + n * 1000);
            g.writeObjectFieldStart("content");
            g.writeStringField("algorithm", "m.megolm.v1.aes-sha2");
            g.writeFieldName("ciphertext");
            g.writeString(new String(ciphertext, StandardCharsets.US_ASCII));
            g.writeStringField("session_id", session.sessionId());
            g.writeStringField("sender_key", sender.curve25519());
            g.writeStringField("device_id", sender.deviceId());
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** The room and sender's current session, rotated after {@code rotate} messages. */
    private MegolmOutboundSession session(int r, int s) {
        MegolmOutboundSession session = current[r][s];
        if (session == null || used[r][s] == rotate) {
            if (session != null) {
                session.close();
            }
            session = MegolmOutboundSession.create();
            current[r][s] = session;
            used[r][s] = 0;
            olm.share(s, roomId(r), session);
        }
        used[r][s]++;
        return session;
    }

    /** Every session's key at its first index, as the receiving device got them over Olm. */
    List<ExportedRoomKey> keys() throws IOException {
        return olm.receive();
    }

    /** Forgets the senders' sessions and accounts (wiping them). */
    @Override
    public void close() {
        for (MegolmOutboundSession[] row : current) {
            for (MegolmOutboundSession s : row) {
                if (s != null) {
                    s.close();
                }
            }
        }
        olm.close();
        for (Sender s : senders) s.account().close();
    }

    static void writeAll(OutputStream out, List<byte[]> lines) throws IOException {
        for (byte[] line : lines) {
            out.write(line);
        }
    }
}
