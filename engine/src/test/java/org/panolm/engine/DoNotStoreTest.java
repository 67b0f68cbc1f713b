package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.engine.store.PendingBackupKey;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.recovery.Passphrase;

/**
 * panolm's do-not-store flag end to end between engines: a flagged room's session carries the flag in its
 * m.room_key and in a forwarded key, every holder stores it, and no holder backs it up or exports it.
 */
class DoNotStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_ROOM = "!secret:example.org";
    private static final String PLAIN_ROOM = "!plain:example.org";
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private record Device(OlmMachine machine, SqliteCryptoStore store) {}

    private Device device(String user, String id) {
        var s = SqliteCryptoStore.open(dir.resolve(id + ".db"), StoreKey.of(new byte[32]));
        open.add(s);
        var m = OlmMachine.open(user, id, s);
        open.add(m);
        return new Device(m, s);
    }

    private static String event(String id, String room, String content) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "m.room.encrypted").put("event_id", id).put("sender", BOB).put("room_id", room);
        e.set("content", TestJson.tree(content));
        return e.toString();
    }

    private static String text(String body) {
        return JSON.createObjectNode().put("msgtype", "m.text").put("body", body).toString();
    }

    private static List<String> pendingRooms(SqliteCryptoStore store) {
        List<PendingBackupKey> page = store.transaction(tx -> tx.notBackedUp("1", 0, 1000));
        return page.stream().map(p -> p.key().roomId()).sorted().toList();
    }

    private static long export(OlmMachine machine, Path file) throws Exception {
        try (var out = java.nio.file.Files.newOutputStream(file); var pass = Passphrase.of("export passphrase")) {
            return machine.exportRoomKeys(out, pass, 1000);
        }
    }

    @Test
    void aFlaggedRoomsSessionTravelsFlaggedAndIsNeverBackedUpOrExported() throws Exception {
        Device alice = device(ALICE, "ALICE");
        Device bob = device(BOB, "BOB");
        var router = new Router();
        router.add(new Router.EngineDevice(alice.machine()));
        router.add(new Router.EngineDevice(bob.machine()));
        alice.machine().updateTrackedUsers(List.of(BOB));
        bob.machine().updateTrackedUsers(List.of(ALICE));
        router.settle(5);
        var members = List.of(ALICE, BOB);
        bob.machine().shareRoomKey(SECRET_ROOM, members, EncryptionSettings.defaults().withDoNotStore(true));
        bob.machine().shareRoomKey(PLAIN_ROOM, members, EncryptionSettings.defaults());
        router.settle(10);
        String secret = bob.machine().encryptRoomEvent(SECRET_ROOM, "m.room.message", text("forget me"));
        String plain = bob.machine().encryptRoomEvent(PLAIN_ROOM, "m.room.message", text("keep me"));
        String secretSession = TestJson.tree(secret).get("session_id").asText();

        // The sender's own copy and the receiver's copy (which learnt it from the m.room_key alone) are flagged.
        assertTrue((boolean) bob.store().transaction(tx -> tx.doNotStore(SECRET_ROOM, secretSession)));
        assertTrue((boolean) alice.store().transaction(tx -> tx.doNotStore(SECRET_ROOM, secretSession)), "the flag travels");
        assertFalse((boolean) alice.store().transaction(tx -> tx.roomDoNotStore(SECRET_ROOM)),
                "alice never saw the room's state: only the session is flagged for her");
        assertFalse((boolean) alice.store().transaction(tx -> tx.doNotStore(PLAIN_ROOM, TestJson.tree(plain).get("session_id").asText())));

        DecryptedRoomEvent read = alice.machine().decryptRoomEvent(event("$s", SECRET_ROOM, secret), SECRET_ROOM);
        assertEquals("forget me", JSON.readTree(read.plaintext()).at("/content/body").asText(), "still readable");
        assertTrue(read.doNotStore());
        assertFalse(alice.machine().decryptRoomEvent(event("$p", PLAIN_ROOM, plain), PLAIN_ROOM).doNotStore());

        for (Device d : List.of(alice, bob)) {
            assertEquals(List.of(PLAIN_ROOM), pendingRooms(d.store()), "only the plain room's key is offered for backup");
            assertEquals(1, export(d.machine(), dir.resolve(d.machine().deviceId() + ".keys")), "only it is exported");
        }

        // A new verified device of alice's asks for the key: the forwarded copy keeps the flag.
        Device alice2 = device(ALICE, "ALICE2");
        router.add(new Router.EngineDevice(alice2.machine()));
        router.settle(10);
        alice.machine().setLocalTrust(ALICE, "ALICE2");
        alice2.machine().setLocalTrust(ALICE, "ALICE");
        assertThrows(UndecryptableEventException.class,
                () -> alice2.machine().decryptRoomEvent(event("$s", SECRET_ROOM, secret), SECRET_ROOM));
        router.settle(20);
        assertTrue(alice2.machine().decryptRoomEvent(event("$s", SECRET_ROOM, secret), SECRET_ROOM).doNotStore(),
                "a forwarded key keeps the flag");
        assertEquals(List.of(), pendingRooms(alice2.store()));
    }

    @Test
    void sessionsOfARoomAreFlaggedWhenTheRoomIsMarkedLaterAndTheFlagNeverClears() {
        Device alice = device(ALICE, "ALICE");
        Device bob = device(BOB, "BOB");
        var router = new Router();
        router.add(new Router.EngineDevice(alice.machine()));
        router.add(new Router.EngineDevice(bob.machine()));
        alice.machine().updateTrackedUsers(List.of(BOB));
        router.settle(5);
        bob.machine().shareRoomKey(SECRET_ROOM, List.of(ALICE), EncryptionSettings.defaults());
        router.settle(10);
        String before = TestJson.tree(bob.machine().encryptRoomEvent(SECRET_ROOM, "m.room.message", text("1"))).get("session_id").asText();
        assertEquals(List.of(SECRET_ROOM), pendingRooms(bob.store()));

        // The room's m.room.encryption gains the flag: the session already shared is flagged on the sender's side.
        bob.machine().shareRoomKey(SECRET_ROOM, List.of(ALICE), EncryptionSettings.defaults().withDoNotStore(true));
        router.settle(10);
        assertTrue((boolean) bob.store().transaction(tx -> tx.doNotStore(SECRET_ROOM, before)));
        assertEquals(List.of(), pendingRooms(bob.store()));

        // Settings without the flag afterwards (a hostile or stale state event) do not clear it.
        bob.machine().shareRoomKey(SECRET_ROOM, List.of(ALICE), EncryptionSettings.defaults());
        router.settle(10);
        assertTrue((boolean) bob.store().transaction(tx -> tx.roomDoNotStore(SECRET_ROOM)));
        assertTrue((boolean) bob.store().transaction(tx -> tx.doNotStore(SECRET_ROOM, before)));
    }

    @Test
    void onlyAnAbsentNullOrFalseFieldLeavesTheFlagOff() throws Exception {
        assertFalse(DoNotStore.requested(null));
        assertFalse(DoNotStore.requested("{}"));
        assertFalse(DoNotStore.requested("{\"io.panolm.do_not_store\":null}"));
        assertFalse(DoNotStore.requested("{\"io.panolm.do_not_store\":false}"));
        assertTrue(DoNotStore.requested("{\"io.panolm.do_not_store\":true}"));
        assertTrue(DoNotStore.requested("{\"io.panolm.do_not_store\":\"yes\"}"),
                "a malformed flag errs towards keeping less");
        assertTrue(DoNotStore.requested("{\"io.panolm.do_not_store\":0}"));
        var e = assertThrows(IllegalArgumentException.class, () -> DoNotStore.requested("[true]"));
        assertTrue(e.getMessage().contains("contentJson"), e.getMessage());
    }

    @Test
    void settingsKeepTheirOtherFieldsWhenFlagged() {
        var s = new EncryptionSettings(1000, 5, true, Set.of("@x:y|D"));
        assertFalse(s.doNotStore());
        assertEquals(new EncryptionSettings(1000, 5, true, Set.of("@x:y|D"), true), s.withDoNotStore(true));
    }
}
