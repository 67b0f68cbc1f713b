package org.panolm.olm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.testsupport.InteractiveNodePeer;

/**
 * vodozemac's pickles from real vodozemac state: two matrix-sdk-crypto-wasm OlmMachines (vodozemac inside) talk
 * Olm and persist to an IndexedDB crypto store (interop/node/olm/vodozemac_pickles.mjs); their account and
 * session records are read back out of the store and loaded here. The loaded account has the machine's identity
 * keys, one-time keys and fallback key; each loaded session continues where the machine left it, both ways:
 * it decrypts the machine's next message and a message whose key vodozemac kept as skipped, and the other
 * machine decrypts what it sends. vodozemac's encrypted form (libolm's pickle envelope around the same JSON)
 * is made here by an independent implementation on the JDK's own crypto, since the wasm API does not expose
 * it; what was loaded round-trips through panolm's pickle and into libolm.
 */
class VodozemacPickleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static InteractiveNodePeer node;
    private static JsonNode setup;

    @BeforeAll
    static void runTheMachines() {
        node = new InteractiveNodePeer("olm/vodozemac_pickles.mjs");
        setup = node.call(Map.of("op", "setup"));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private static JsonNode peer(String name) {
        return setup.get(name);
    }

    private static byte[] accountRecord(String name) {
        return peer(name).get("account").asText().getBytes(UTF_8);
    }

    private static byte[] sessionRecord(String name) throws Exception {
        JsonNode sessions = peer(name).get("sessions");
        assertEquals(1, sessions.size(), "one Olm session in " + name + "'s store");
        return sessions.get(0).asText().getBytes(UTF_8);
    }

    /** The record's "pickle" field alone: vodozemac's AccountPickle / SessionPickle JSON. */
    private static byte[] inner(byte[] record) throws Exception {
        return JSON.writeValueAsBytes(JSON.readTree(record).get("pickle"));
    }

    /** The id in a key name of vodozemac's upload, "signed_curve25519:" and 8 bytes big-endian. */
    private static int vodozemacId(String name) {
        byte[] id = MatrixBase64.decode(name.substring(name.indexOf(':') + 1), "key id");
        assertEquals(8, id.length);
        return Math.toIntExact(java.nio.ByteBuffer.wrap(id).getLong());
    }

    private static String keyId(int id) {
        return MatrixBase64.encode(new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
    }

    private static byte[] bytes(JsonNode array) {
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (byte) array.get(i).asInt();
        return out;
    }

    @Test
    void theStoresAccountLoadsWithItsKeys() throws Exception {
        JsonNode bob = peer("bob");
        JsonNode pickle = JSON.readTree(accountRecord("bob")).get("pickle");
        try (Account account = Account.fromVodozemacJson(accountRecord("bob"))) {
            assertEquals(bob.get("curve25519").asText(), account.identityKeys().curve25519Base64());
            assertEquals(bob.get("ed25519").asText(), account.identityKeys().ed25519Base64());
            byte[] message = "signed by the loaded key".getBytes(UTF_8);
            assertTrue(account.identityKeys().ed25519().verify(message, account.sign(message)));

            // The unpublished one-time keys and fallback key are those the machine has ready to upload: the same
            // public keys under the same ids (vodozemac names an id by 8 bytes, libolm and panolm by 4).
            JsonNode upload = bob.get("pending_upload");
            Map<String, String> expected = new TreeMap<>();
            upload.get("one_time_keys").properties().forEach(e -> expected.put(keyId(vodozemacId(e.getKey())),
                    e.getValue().get("key").asText()));
            assertEquals(pickle.at("/one_time_keys/public_keys").size(), expected.size());
            assertFalse(expected.isEmpty(), "the machine keeps unpublished one-time keys");
            Map<String, String> actual = new TreeMap<>();
            account.oneTimeKeys().forEach(k -> actual.put(k.keyId(), k.publicKeyBase64()));
            assertEquals(expected, actual);
            Map.Entry<String, JsonNode> fallback = upload.get("fallback_keys").properties().iterator().next();
            OneTimeKey ours = account.unpublishedFallbackKey().orElseThrow();
            assertEquals(fallback.getValue().get("key").asText(), ours.publicKeyBase64());
            assertEquals(keyId(vodozemacId(fallback.getKey())), ours.keyId());
            assertEquals(account.fallbackKey(), account.unpublishedFallbackKey());

            // New keys get ids above every id in use (vodozemac counts fallback keys apart).
            int highest = pickle.at("/one_time_keys/private_keys").properties().stream()
                    .mapToInt(e -> Integer.parseInt(e.getKey())).max().orElseThrow();
            account.generateOneTimeKeys(1);
            String fresh = account.oneTimeKeys().getFirst().keyId();
            assertEquals(keyId(Math.max(highest + 1, pickle.at("/one_time_keys/next_key_id").asInt())), fresh);

            // Through panolm's pickle, and into libolm.
            byte[] key = new byte[32];
            try (Account again = Account.fromPickle(account.pickle(key), key);
                 LibolmAccount libolm = LibolmAccount.fromPickle(account.toLibolmPickle(key), key)) {
                assertEquals(account.identityKeys(), again.identityKeys());
                assertEquals(account.oneTimeKeys(), again.oneTimeKeys());
                assertEquals(account.identityKeys(), libolm.identityKeys());
                assertEquals(account.oneTimeKeys(), libolm.oneTimeKeys());
            }
        }
    }

    @Test
    void bobsSessionContinues() throws Exception {
        JsonNode alice = peer("alice"), bob = peer("bob");
        OlmMessage skipped = message(setup.get("bob_skipped"));
        OlmMessage next = message(setup.get("bob_next"));
        try (Session session = Session.fromVodozemacJson(sessionRecord("bob"))) {
            assertTrue(session.hasReceivedMessage());
            assertEquals(Curve25519PublicKey.fromBase64(alice.get("curve25519").asText()), session.keys().identityKey());

            // A copy through libolm's format decrypts in libolm what the loaded session decrypts here.
            byte[] key = new byte[32];
            try (LibolmSession libolm = LibolmSession.fromPickle(session.toLibolmPickle(key), key)) {
                assertEquals(session.sessionId(), libolm.sessionId());
                assertEquals(setup.get("bob_next_content"), content(libolm.decrypt(next)));
            }

            assertEquals(setup.get("bob_next_content"), content(session.decrypt(next)));
            assertEquals(setup.get("bob_skipped_content"), content(session.decrypt(skipped)));
            assertThrows(OlmException.class, () -> session.decrypt(skipped), "a message key is used once");

            // Bob's copy answers on a new ratchet; Alice's machine decrypts it.
            OlmMessage answer = session.encrypt(payload(bob, alice, "from the loaded copy"));
            assertEquals(OlmMessage.Type.NORMAL, answer.type());
            assertEquals(List.of("from the loaded copy"), receive("alice", bob, alice, answer));
        }
    }

    @Test
    void alicesSessionContinues() throws Exception {
        JsonNode bob = peer("bob");
        try (Session session = Session.fromVodozemacJson(sessionRecord("alice"))) {
            assertEquals(Curve25519PublicKey.fromBase64(peer("alice").get("curve25519").asText()),
                    session.keys().identityKey(), "Alice started the session");
            JsonNode sent = node.call(Map.of("op", "bob_encrypt", "content", Map.of("n", 7))).get("message");
            JsonNode payload = content(session.decrypt(message(sent)));
            assertEquals(7, payload.get("n").asInt());
        }
    }

    @Test
    void vodozemacsEncryptedFormLoadsTheSameState() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String accountPickle = vodozemacEncrypt(inner(accountRecord("bob")), key);
        String sessionPickle = vodozemacEncrypt(inner(sessionRecord("bob")), key);
        try (Account fromJson = Account.fromVodozemacJson(accountRecord("bob"));
             Account account = Account.fromVodozemacPickle(accountPickle, key);
             Session session = Session.fromVodozemacPickle(sessionPickle, key);
             Session fromJsonSession = Session.fromVodozemacJson(sessionRecord("bob"))) {
            assertEquals(fromJson.identityKeys(), account.identityKeys());
            assertEquals(fromJson.oneTimeKeys(), account.oneTimeKeys());
            assertEquals(fromJsonSession.sessionId(), session.sessionId());
            assertEquals(setup.get("bob_next_content"), content(session.decrypt(message(setup.get("bob_next")))));
        }
        byte[] wrong = key.clone();
        wrong[0] ^= 1;
        OlmException e = assertThrows(OlmException.class, () -> Account.fromVodozemacPickle(accountPickle, wrong));
        assertEquals(OlmError.BAD_ACCOUNT_KEY, e.error());
        e = assertThrows(OlmException.class, () -> Session.fromVodozemacPickle(accountPickle, key));
        assertEquals(OlmError.CORRUPTED_PICKLE, e.error(), "an account pickle is not a session");
    }

    @Test
    void damagedJsonIsRefusedNamingTheField() throws Exception {
        ObjectNode account = (ObjectNode) JSON.readTree(inner(accountRecord("bob")));
        ((ArrayNode) account.get("diffie_hellman_key")).remove(0);
        OlmException e = assertThrows(OlmException.class, () -> Account.fromVodozemacJson(JSON.writeValueAsBytes(account)));
        assertEquals(OlmError.CORRUPTED_PICKLE, e.error());
        assertTrue(e.getMessage().contains("diffie_hellman_key"), e.getMessage());
        assertFalse(e.getMessage().matches(".*\\d{2,3},\\d.*"), "no key bytes in the message: " + e.getMessage());

        ObjectNode session = (ObjectNode) JSON.readTree(inner(sessionRecord("bob")));
        ((ObjectNode) session.get("config")).put("version", "V2");
        e = assertThrows(OlmException.class, () -> Session.fromVodozemacJson(JSON.writeValueAsBytes(session)));
        assertEquals(OlmError.UNKNOWN_PICKLE_VERSION, e.error());
        assertTrue(e.getMessage().contains("config.version"), e.getMessage());

        ObjectNode chains = (ObjectNode) JSON.readTree(inner(sessionRecord("bob")));
        ((ObjectNode) chains.at("/receiving_chains/inner/0/hkdf_ratchet")).put("index", 1L << 32);
        PanolmException big = assertThrows(PanolmException.class,
                () -> Session.fromVodozemacJson(JSON.writeValueAsBytes(chains)));
        assertEquals(Status.TOO_LARGE, big.status());
        assertTrue(big.getMessage().contains("receiving_chains.hkdf_ratchet"), big.getMessage());

        byte[] record = sessionRecord("bob");
        for (int cut : new int[] {0, 1, record.length / 3, record.length - 1}) {
            byte[] truncated = Arrays.copyOf(record, cut);
            assertThrows(PanolmException.class, () -> Session.fromVodozemacJson(truncated), "cut at " + cut);
        }
        assertThrows(PanolmException.class, () -> Account.fromVodozemacJson(record), "a session is not an account");
    }

    @Test
    void moreOneTimeKeysThanLibolmKeepsTheNewestAndVodozemacsLibolmExportReadsTheSame() throws Exception {
        JsonNode carol = node.call(Map.of("op", "many_keys", "rounds", 5));
        byte[] record = carol.get("account").asText().getBytes(UTF_8);
        JsonNode pickle = JSON.readTree(record).get("pickle");
        List<Integer> ids = pickle.at("/one_time_keys/private_keys").properties().stream()
                .map(e -> Integer.parseInt(e.getKey())).sorted(java.util.Comparator.reverseOrder()).toList();
        assertTrue(ids.size() > Account.MAX_ONE_TIME_KEYS, ids.size() + " one-time keys");
        byte[] key = new byte[32];
        try (Account account = Account.fromVodozemacJson(record);
             Account exported = Account.fromLibolmPickle(vodozemacEncrypt(toLibolmBody(pickle, carol), key), key)) {
            assertEquals(carol.get("curve25519").asText(), account.identityKeys().curve25519Base64());
            assertEquals(carol.get("ed25519").asText(), account.identityKeys().ed25519Base64());
            Map<String, String> expected = new TreeMap<>();
            carol.at("/pending_upload/one_time_keys").properties().forEach(e -> expected.put(
                    keyId(vodozemacId(e.getKey())), e.getValue().get("key").asText()));
            Map<String, String> actual = new TreeMap<>();
            account.oneTimeKeys().forEach(k -> actual.put(k.keyId(), k.publicKeyBase64()));
            assertEquals(expected, actual, "the unpublished keys are the newest: all kept");
            assertEquals(ids.subList(0, Account.MAX_ONE_TIME_KEYS), keptIds(account), "the newest 100 by id");

            // vodozemac's to_libolm_pickle (every key, oldest first, fallback ids counted apart) reads the same.
            assertEquals(account.identityKeys(), exported.identityKeys());
            assertEquals(account.oneTimeKeys(), exported.oneTimeKeys());
            assertEquals(keptIds(account), keptIds(exported));
            assertEquals(account.fallbackKey(), exported.fallbackKey());
        }
    }

    /** The ids of every one-time key an account holds, published or not, from its libolm pickle (§7.6). */
    private static List<Integer> keptIds(Account account) throws GeneralSecurityException {
        byte[] key = new byte[32];
        java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(
                libolmDecrypt(MatrixBase64.decode(account.toLibolmPickle(key), "pickle"), key));
        body.position(4 + 32 + 64 + 64);
        int n = body.getInt();
        List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(body.getInt());
            body.position(body.position() + 1 + 64);
        }
        return ids;
    }

    /**
     * The body vodozemac's {@code Account::to_libolm_pickle} writes of an account pickle (§7.6, version 4): every
     * one-time key it holds in id order (its map's order), published unless listed in "public_keys", the fallback
     * keys under their own ids, its next one-time key id. Public keys are computed with the JDK's X25519.
     */
    private static byte[] toLibolmBody(JsonNode pickle, JsonNode peer) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream body = new java.io.DataOutputStream(out);
        body.writeInt(4);
        body.write(MatrixBase64.decode(peer.get("ed25519").asText(), "ed25519"));
        byte[] expanded = java.security.MessageDigest.getInstance("SHA-512").digest(bytes(pickle.at("/signing_key/Normal")));
        expanded[0] &= (byte) 248;
        expanded[31] &= 127;
        expanded[31] |= 64;
        body.write(expanded);
        body.write(MatrixBase64.decode(peer.get("curve25519").asText(), "curve25519"));
        body.write(bytes(pickle.get("diffie_hellman_key")));
        JsonNode privates = pickle.at("/one_time_keys/private_keys");
        body.writeInt(privates.size());
        List<Map.Entry<String, JsonNode>> keys = privates.properties().stream()
                .sorted(java.util.Comparator.comparingLong(e -> Long.parseLong(e.getKey()))).toList();
        for (Map.Entry<String, JsonNode> e : keys) {
            body.writeInt(Integer.parseInt(e.getKey()));
            body.writeBoolean(!pickle.at("/one_time_keys/public_keys").has(e.getKey()));
            body.write(x25519Public(bytes(e.getValue())));
            body.write(bytes(e.getValue()));
        }
        JsonNode fallbacks = pickle.get("fallback_keys");
        List<JsonNode> present = java.util.stream.Stream.of(fallbacks.get("fallback_key"),
                fallbacks.get("previous_fallback_key")).filter(f -> !f.isNull()).toList();
        body.writeByte(present.size());
        for (JsonNode f : present) {
            body.writeInt(f.get("key_id").asInt());
            body.writeBoolean(f.get("published").asBoolean());
            body.write(x25519Public(bytes(f.get("key"))));
            body.write(bytes(f.get("key")));
        }
        body.writeInt(pickle.at("/one_time_keys/next_key_id").asInt());
        return out.toByteArray();
    }

    /** X25519(private, 9): the public key, by the JDK's key agreement with the base point. */
    private static byte[] x25519Public(byte[] privateKey) throws GeneralSecurityException {
        var params = java.security.spec.NamedParameterSpec.X25519;
        var factory = java.security.KeyFactory.getInstance("XDH");
        var agreement = javax.crypto.KeyAgreement.getInstance("XDH");
        agreement.init(factory.generatePrivate(new java.security.spec.XECPrivateKeySpec(params, privateKey)));
        agreement.doPhase(factory.generatePublic(new java.security.spec.XECPublicKeySpec(params,
                java.math.BigInteger.valueOf(9))), true);
        return agreement.generateSecret();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static OlmMessage message(JsonNode m) {
        return OlmMessage.fromBase64(m.get("type").asLong(), m.get("body").asText());
    }

    private static JsonNode content(byte[] payload) throws Exception {
        return JSON.readTree(payload).get("content");
    }

    private static byte[] payload(JsonNode from, JsonNode to, String body) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "org.panolm.test");
        p.putObject("content").put("body", body);
        p.put("sender", from.get("user_id").asText());
        p.put("sender_device", from.get("device_id").asText());
        p.putObject("keys").put("ed25519", from.get("ed25519").asText());
        p.put("recipient", to.get("user_id").asText());
        p.putObject("recipient_keys").put("ed25519", to.get("ed25519").asText());
        return JSON.writeValueAsBytes(p);
    }

    /** Sends one Olm message to a machine as a to-device event; returns the bodies it decrypted. */
    private static List<String> receive(String at, JsonNode from, JsonNode to, OlmMessage message) {
        ObjectNode content = JSON.createObjectNode();
        content.put("algorithm", "m.olm.v1.curve25519-aes-sha2");
        content.put("sender_key", from.get("curve25519").asText());
        content.putObject("ciphertext").putObject(to.get("curve25519").asText())
                .put("type", message.type().code()).put("body", message.bodyBase64());
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "m.room.encrypted");
        event.put("sender", from.get("user_id").asText());
        event.set("content", content);
        JsonNode result = node.call(Map.of("op", "receive", "peer", at, "events", List.of(event)));
        return result.get("decrypted").findValues("body").stream().map(JsonNode::asText).toList();
    }

    /**
     * vodozemac's encrypted pickle form, written from its description: HKDF-SHA-256 (no salt, the pickle key,
     * "Pickle") to an AES-256 key, an HMAC key and an IV; AES-256-CBC with PKCS#7; the HMAC-SHA-256 of the
     * ciphertext truncated to 8 bytes appended; unpadded base64.
     */
    private static String vodozemacEncrypt(byte[] json, byte[] pickleKey) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        byte[] okm = pickleKeys(pickleKey);
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
        byte[] ciphertext = aes.doFinal(json);
        hmac.init(new SecretKeySpec(okm, 32, 32, "HmacSHA256"));
        byte[] mac = hmac.doFinal(ciphertext);
        byte[] out = Arrays.copyOf(ciphertext, ciphertext.length + 8);
        System.arraycopy(mac, 0, out, ciphertext.length, 8);
        Arrays.fill(okm, (byte) 0);
        return MatrixBase64.encode(out);
    }

    @Test
    void theEnvelopeHelperMatchesPanolmsLibolmEnvelope() throws Exception {
        // The helper above is checked against libolm's own pickles: an account pickled by libolm is read back
        // through it (its body is opaque here, so the check is that our envelope and libolm's agree on a body).
        byte[] key = "a libolm pickle key".getBytes(UTF_8);
        try (LibolmAccount libolm = LibolmAccount.create()) {
            String pickle = libolm.pickle(key);
            byte[] raw = MatrixBase64.decode(pickle, "libolm pickle");
            // Re-encrypting libolm's decrypted body with the helper must give libolm's text back (same keys, IV).
            byte[] body = libolmDecrypt(raw, key);
            assertArrayEquals(raw, MatrixBase64.decode(vodozemacEncrypt(body, key), "helper pickle"));
        }
    }

    /** HKDF-SHA-256(no salt, key, "Pickle"): AES key | HMAC key | IV (and 16 bytes unused). */
    private static byte[] pickleKeys(byte[] pickleKey) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = hmac.doFinal(pickleKey);
        hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] okm = new byte[96];
        byte[] t = new byte[0];
        for (int i = 0; i < 3; i++) {
            hmac.update(t);
            hmac.update("Pickle".getBytes(UTF_8));
            hmac.update((byte) (i + 1));
            t = hmac.doFinal();
            System.arraycopy(t, 0, okm, 32 * i, 32);
        }
        return okm;
    }

    private static byte[] libolmDecrypt(byte[] raw, byte[] pickleKey) throws GeneralSecurityException {
        byte[] okm = pickleKeys(pickleKey);
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(okm, 0, 32, "AES"), new IvParameterSpec(okm, 64, 16));
        return aes.doFinal(raw, 0, raw.length - 8);
    }
}
