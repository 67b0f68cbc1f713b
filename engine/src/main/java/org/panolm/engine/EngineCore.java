package org.panolm.engine;

import org.panolm.internal.json.SignedTree;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.encoding.MatrixBase64;
import org.panolm.engine.store.StoreTransaction;
import org.panolm.json.JsonSigning;
import org.panolm.olm.Account;
import org.panolm.olm.IdentityKeys;

/**
 * What every part of the engine shares: who this device is, its Olm account and pickle key, and the one queue of
 * requests handed out and not yet reported sent. Not thread-safe on its own: {@link OlmMachine} serialises calls.
 */
final class EngineCore {
    static final String OLM = "m.olm.v1.curve25519-aes-sha2";
    static final String MEGOLM = "m.megolm.v1.aes-sha2";
    static final String SIGNED_CURVE25519 = "signed_curve25519";

    final String userId;
    final String deviceId;
    final LongSupplier clock;
    final byte[] pickleKey;
    final Account account;
    final IdentityKeys identityKeys;
    /** Requests handed out and not reported sent, in order. */
    final LinkedHashMap<String, OutgoingRequest> queue = new LinkedHashMap<>();

    EngineCore(String userId, String deviceId, LongSupplier clock, byte[] pickleKey, Account account) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.clock = clock;
        this.pickleKey = pickleKey;
        this.account = account;
        this.identityKeys = account.identityKeys();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Stores a to-device request before handing it out, so that it survives a restart until reported sent. */
    void enqueue(StoreTransaction tx, ToDeviceRequest request) {
        tx.putPendingRequest(StoredToDevice.write(request));
        queue.put(request.txnId(), new OutgoingRequest(request.txnId(), request));
    }

    void saveAccount(StoreTransaction tx) {
        tx.putValue("account", account.pickle(pickleKey).getBytes(StandardCharsets.US_ASCII));
    }

    /** Adds this device's signature to {@code object} (in place) and returns it. */
    ObjectNode sign(ObjectNode object) {
        String signature = MatrixBase64.encode(account.sign(SignedTree.signedBytes(object)));
        object.putObject(JsonSigning.SIGNATURES).putObject(userId).put("ed25519:" + deviceId, signature);
        return object;
    }

    boolean isOwnDevice(String user, String device) {
        return userId.equals(user) && deviceId.equals(device);
    }
}
