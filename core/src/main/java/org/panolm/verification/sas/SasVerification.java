package org.panolm.verification.sas;

import static org.panolm.verification.VerificationEvents.ACCEPT;
import static org.panolm.verification.VerificationEvents.CANCEL;
import static org.panolm.verification.VerificationEvents.CURVE25519_HKDF_SHA256;
import static org.panolm.verification.VerificationEvents.DONE;
import static org.panolm.verification.VerificationEvents.KEY;
import static org.panolm.verification.VerificationEvents.MAC;
import static org.panolm.verification.VerificationEvents.READY;
import static org.panolm.verification.VerificationEvents.REQUEST;
import static org.panolm.verification.VerificationEvents.ROOM_MESSAGE;
import static org.panolm.verification.VerificationEvents.SAS_DECIMAL;
import static org.panolm.verification.VerificationEvents.SAS_EMOJI;
import static org.panolm.verification.VerificationEvents.SAS_V1;
import static org.panolm.verification.VerificationEvents.SHA256;
import static org.panolm.verification.VerificationEvents.START;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.X25519;
import org.panolm.verification.CancelCode;
import org.panolm.verification.Cancellation;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;

/**
 * One interactive SAS verification ({@code m.sas.v1}) over {@code m.key.verification.*} event contents, sent
 * to-device (tied by {@code transaction_id}) or in a room (tied by an {@code m.reference} to the request
 * event), for either role: the requester or the responder, the starter or the acceptor. It never sends
 * anything itself: every method returns the events to send. Received events go through
 * {@link #receive}; anything out of order, malformed, or failing a check cancels the flow with the
 * spec's code and returns the cancellation to send.
 *
 * <p>Not thread-safe except {@link #close()}: drive one verification from one thread (or under a lock).
 * Closing wipes the ephemeral private key and the shared secret.
 */
public final class SasVerification implements AutoCloseable {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Our MAC preference, best first; the legacy method is chosen only when the peer offers nothing newer. */
    private static final List<SasMacMethod> MAC_PREFERENCE = List.of(SasMacMethod.HKDF_HMAC_SHA256_V2,
            SasMacMethod.MSC3783, SasMacMethod.HKDF_HMAC_SHA256);

    private final OwnIdentity own;
    private final PeerKeys peer;
    private String flowId;
    private final boolean inRoom;
    private final Clock clock;
    private final Instant created;
    private final boolean weRequested;

    private SasState state = SasState.REQUESTED;
    private Cancellation cancellation;
    private String otherDevice;
    private boolean weStarted;
    private ObjectNode startContent;
    private String commitment;
    private SasMacMethod macMethod;
    private List<String> sasMethods = List.of();
    private SasKeyPair keyPair;
    private EstablishedSas established;
    private ShortAuthenticationString shortAuthString;
    private boolean ourKeySent;
    private VerifiedKeys theirVerifiedKeys;
    private boolean macSent;
    private boolean doneSent;
    private boolean doneReceived;

    private SasVerification(OwnIdentity own, PeerKeys peer, String flowId, boolean inRoom, Clock clock, Instant created,
            boolean weRequested) {
        this.own = own;
        this.peer = peer;
        this.flowId = flowId;
        this.inRoom = inRoom;
        this.clock = clock;
        this.created = created;
        this.weRequested = weRequested;
    }

    /**
     * Starts a verification as the requester: returns the verification, whose {@link #requestEvent()} goes to
     * all of the other user's devices (or only ours, for self-verification).
     *
     * @param own our identity
     * @param peer our beliefs about the other side
     * @param transactionId the transaction id
     * @param clock the clock for timeouts
     * @return the verification; the caller closes it
     */
    public static SasVerification request(OwnIdentity own, PeerKeys peer, String transactionId, Clock clock) {
        requireText(transactionId, "transaction_id");
        return new SasVerification(own, peer, transactionId, false, clock, clock.instant(), true);
    }

    /**
     * Starts an in-room verification (the usual way to verify another user, in a DM). The request is an
     * {@code m.room.message}; its event id, known once sent, becomes the flow id: pass it to {@link #requestSent}.
     *
     * @param own our identity
     * @param peer our beliefs about the other side
     * @param clock the clock for timeouts
     * @return the verification; the caller closes it
     */
    public static SasVerification requestInRoom(OwnIdentity own, PeerKeys peer, Clock clock) {
        return new SasVerification(own, peer, null, true, clock, clock.instant(), true);
    }

    /**
     * Records the event id of the sent in-room request; later events refer to it.
     *
     * @param requestEventId the request's event id
     */
    public void requestSent(String requestEventId) {
        if (!inRoom || !weRequested || flowId != null) {
            throw new IllegalStateException("requestSent() is for an in-room request, once");
        }
        flowId = requireText(requestEventId, "request event id");
    }

    /**
     * The request to send after {@link #request}.
     *
     * @return the request
     */
    public OutgoingEvent requestEvent() {
        if (!weRequested) {
            throw new IllegalStateException("only the requester sends the request");
        }
        ObjectNode c = JSON.objectNode();
        c.put("from_device", own.deviceId());
        c.putArray("methods").add(SAS_V1);
        if (inRoom) {
            c.put("msgtype", REQUEST);
            c.put("body", own.userId() + " is requesting to verify your key, but your client does not support in-chat key verification.");
            c.put("to", peer.userId());
            return new OutgoingEvent(ROOM_MESSAGE, c, new Recipient.Room());
        }
        c.put("timestamp", created.toEpochMilli());
        c.put("transaction_id", flowId);
        return new OutgoingEvent(REQUEST, c, new Recipient.AllDevices());
    }

    /**
     * Takes a received {@code m.key.verification.request}. A malformed request, one without {@code m.sas.v1},
     * or one stamped more than ten minutes ago (or five minutes ahead) throws {@code BAD_EVENT}: the spec
     * says to ignore such requests rather than answer them. Call {@link #accept()} to answer.
     *
     * @param own our identity
     * @param peer our beliefs about the other side
     * @param sender the request's sender
     * @param content the request's content
     * @param clock the clock for timeouts
     * @return the verification; the caller closes it
     */
    public static SasVerification fromRequest(OwnIdentity own, PeerKeys peer, String sender, JsonNode content,
            Clock clock) {
        if (!peer.userId().equals(sender)) {
            throw new PanolmException(Status.BAD_EVENT, REQUEST + " from " + sender + " is not from " + peer.userId());
        }
        ObjectNode c = requestContent(content);
        String txn = requireText(c.get("transaction_id"), REQUEST + ".transaction_id");
        String fromDevice = requireText(c.get("from_device"), REQUEST + ".from_device");
        if (!textArrayContains(c.get("methods"), SAS_V1)) {
            throw new PanolmException(Status.BAD_EVENT, REQUEST + ".methods does not offer " + SAS_V1);
        }
        JsonNode ts = c.get("timestamp");
        if (ts == null || !ts.canConvertToLong()) {
            throw new PanolmException(Status.BAD_EVENT, REQUEST + ".timestamp is missing or not an integer");
        }
        Instant now = clock.instant();
        requireFresh(Instant.ofEpochMilli(ts.longValue()), now, REQUEST + ".timestamp");
        var v = new SasVerification(own, peer, txn, false, clock, now, false);
        v.otherDevice = fromDevice;
        return v;
    }

    /**
     * Takes a received in-room request: an {@code m.room.message} with msgtype {@code m.key.verification.request}
     * addressed ({@code to}) to us. Same rules as {@link #fromRequest}, with the event's
     * {@code origin_server_ts} as its time and its event id as the flow id.
     *
     * @param own our identity
     * @param peer our beliefs about the other side
     * @param sender the request's sender
     * @param eventId the request's event id
     * @param content the request's content
     * @param originServerTs the request's {@code origin_server_ts}
     * @param clock the clock for timeouts
     * @return the verification; the caller closes it
     */
    public static SasVerification fromRoomRequest(OwnIdentity own, PeerKeys peer, String sender, String eventId,
            JsonNode content, long originServerTs, Clock clock) {
        if (!peer.userId().equals(sender)) {
            throw new PanolmException(Status.BAD_EVENT, REQUEST + " from " + sender + " is not from " + peer.userId());
        }
        ObjectNode c = requestContent(content);
        if (!REQUEST.equals(c.path("msgtype").textValue())) {
            throw new PanolmException(Status.BAD_EVENT, "the room message is not a " + REQUEST);
        }
        if (!own.userId().equals(c.path("to").textValue())) {
            throw new PanolmException(Status.BAD_EVENT, REQUEST + ".to is not " + own.userId());
        }
        String fromDevice = requireText(c.get("from_device"), REQUEST + ".from_device");
        if (!textArrayContains(c.get("methods"), SAS_V1)) {
            throw new PanolmException(Status.BAD_EVENT, REQUEST + ".methods does not offer " + SAS_V1);
        }
        Instant now = clock.instant();
        requireFresh(Instant.ofEpochMilli(originServerTs), now, REQUEST + " origin_server_ts");
        var v = new SasVerification(own, peer, requireText(eventId, "request event id"), true, clock, now, false);
        v.otherDevice = fromDevice;
        return v;
    }

    private static void requireFresh(Instant stamped, Instant now, String what) {
        if (!stamped.plus(VerificationEvents.TIMEOUT).isAfter(now)
                || stamped.isAfter(now.plus(VerificationEvents.MAX_CLOCK_SKEW))) {
            throw new PanolmException(Status.BAD_EVENT, what + " is outside the ten-minute window");
        }
    }

    /**
     * The responder's answer to a request: {@code m.key.verification.ready}.
     *
     * @return the events to send
     */
    public List<OutgoingEvent> accept() {
        if (weRequested || state != SasState.REQUESTED) {
            throw new IllegalStateException("accept() answers a received request, in state REQUESTED; state is " + state);
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        state = SasState.READY;
        ObjectNode c = JSON.objectNode();
        c.put("from_device", own.deviceId());
        c.putArray("methods").add(SAS_V1);
        return List.of(send(READY, c));
    }

    /**
     * Starts SAS once both sides are ready (either side may).
     *
     * @return the events to send
     */
    public List<OutgoingEvent> startSas() {
        if (state != SasState.READY) {
            throw new IllegalStateException("SAS can be started in state READY, not " + state);
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        ObjectNode c = JSON.objectNode();
        c.put("from_device", own.deviceId());
        c.put("method", SAS_V1);
        c.putArray("key_agreement_protocols").add(CURVE25519_HKDF_SHA256);
        c.putArray("hashes").add(SHA256);
        ArrayNode macs = c.putArray("message_authentication_codes");
        MAC_PREFERENCE.forEach(m -> macs.add(m.wireName()));
        c.putArray("short_authentication_string").add(SAS_DECIMAL).add(SAS_EMOJI);
        OutgoingEvent start = send(START, c);
        startContent = start.content(); // the commitment covers the content exactly as sent
        weStarted = true;
        state = SasState.STARTED;
        return List.of(start);
    }

    /**
     * Handles one received event of this flow. Returns the events to send in response (possibly a
     * cancellation); events after the flow ended are ignored.
     *
     * @param sender the event's sender
     * @param type the event type
     * @param content the event content
     * @return the events to send
     */
    public List<OutgoingEvent> receive(String sender, String type, JsonNode content) {
        if (state == SasState.CANCELLED || state == SasState.DONE) {
            return List.of();
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        if (!(content instanceof ObjectNode c)) {
            return cancel(CancelCode.INVALID_MESSAGE, type + " content is not a JSON object");
        }
        if (flowId == null) {
            throw new IllegalStateException("call requestSent(eventId) before passing events of an in-room flow");
        }
        String theirFlow = inRoom ? c.path("m.relates_to").path("event_id").textValue() : c.path("transaction_id").textValue();
        if (theirFlow == null || (inRoom && !"m.reference".equals(c.path("m.relates_to").path("rel_type").textValue()))) {
            return cancel(CancelCode.INVALID_MESSAGE, type + (inRoom ? " has no m.reference relation" : ".transaction_id is missing"));
        }
        if (!theirFlow.equals(flowId)) {
            if (inRoom) {
                return List.of(); // another flow in the same room: not ours to answer
            }
            // Another flow's event: answer for that transaction, leave ours alone.
            ObjectNode cc = JSON.objectNode();
            cc.put("code", CancelCode.UNKNOWN_TRANSACTION.code());
            cc.put("reason", CancelCode.UNKNOWN_TRANSACTION.reason());
            cc.put("transaction_id", theirFlow);
            return List.of(new OutgoingEvent(CANCEL, cc, recipientFor(c)));
        }
        if (inRoom && own.userId().equals(sender) && !peer.userId().equals(sender)) {
            // Our own events come back through the room; another of our devices answering ends our part.
            String from = c.path("from_device").textValue();
            if (READY.equals(type) && !weRequested && from != null && !from.equals(own.deviceId())) {
                cancellation = new Cancellation(CancelCode.ACCEPTED.code(), "device " + from + " answered the request", false);
                state = SasState.CANCELLED;
                close();
            }
            return List.of();
        }
        if (!peer.userId().equals(sender)) {
            return cancel(CancelCode.USER_MISMATCH, type + " came from " + sender + ", not " + peer.userId());
        }
        try {
            return switch (type) {
                case READY -> onReady(c);
                case START -> onStart(sender, c);
                case ACCEPT -> onAccept(c);
                case KEY -> onKey(c);
                case MAC -> onMac(c);
                case DONE -> onDone();
                case CANCEL -> onCancel(c);
                default -> cancel(CancelCode.UNEXPECTED_MESSAGE, type + " is not expected in a SAS verification");
            };
        } catch (Malformed e) {
            return cancel(CancelCode.INVALID_MESSAGE, e.getMessage());
        }
    }

    private List<OutgoingEvent> onReady(ObjectNode c) {
        String from = text(c, "from_device", READY);
        if (state == SasState.READY && weRequested && !from.equals(otherDevice)) {
            if (inRoom) {
                return List.of();
            }
            // A second device answered our request too: tell it another device took the flow.
            ObjectNode cc = cancelContent(CancelCode.ACCEPTED, CancelCode.ACCEPTED.reason());
            return List.of(new OutgoingEvent(CANCEL, cc, new Recipient.Device(from)));
        }
        if (!weRequested || state != SasState.REQUESTED) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, READY + " in state " + state);
        }
        if (!textArrayContains(c.get("methods"), SAS_V1)) {
            return cancel(CancelCode.UNKNOWN_METHOD, READY + ".methods does not offer " + SAS_V1);
        }
        otherDevice = from;
        state = SasState.READY;
        if (inRoom) {
            return List.of(); // the other user's devices see the ready in the room themselves
        }
        ObjectNode cc = cancelContent(CancelCode.ACCEPTED, CancelCode.ACCEPTED.reason());
        return List.of(new OutgoingEvent(CANCEL, cc, new Recipient.AllDevicesExcept(from)));
    }

    private List<OutgoingEvent> onStart(String sender, ObjectNode c) {
        String from = text(c, "from_device", START);
        if (!from.equals(otherDevice)) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, START + " came from device " + from + ", not " + otherDevice);
        }
        if (state == SasState.STARTED) {
            // Both sides started at once: the side with the smaller user id (then device id) keeps its start.
            int cmp = own.userId().equals(sender) ? own.deviceId().compareTo(from) : own.userId().compareTo(sender);
            if (cmp < 0) {
                return List.of();
            }
            weStarted = false;
            startContent = null;
        } else if (state != SasState.READY) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, START + " in state " + state);
        }
        if (!SAS_V1.equals(text(c, "method", START))) {
            return cancel(CancelCode.UNKNOWN_METHOD, START + ".method " + c.get("method").textValue() + " is not offered");
        }
        List<String> kas = textArray(c, "key_agreement_protocols", START);
        List<String> hashes = textArray(c, "hashes", START);
        List<String> macs = textArray(c, "message_authentication_codes", START);
        List<String> strings = textArray(c, "short_authentication_string", START);
        Optional<SasMacMethod> mac = MAC_PREFERENCE.stream().filter(m -> macs.contains(m.wireName())).findFirst();
        List<String> commonStrings = List.of(SAS_DECIMAL, SAS_EMOJI).stream().filter(strings::contains).toList();
        if (!kas.contains(CURVE25519_HKDF_SHA256) || !hashes.contains(SHA256) || mac.isEmpty()
                || !commonStrings.contains(SAS_DECIMAL)) {
            return cancel(CancelCode.UNKNOWN_METHOD, START + " offers no common key agreement, hash, MAC or SAS method");
        }
        startContent = c.deepCopy();
        macMethod = mac.get();
        sasMethods = commonStrings;
        keyPair = SasKeyPair.generate();
        commitment = SasCommitment.compute(keyPair.publicKeyBase64(), startContent);
        state = SasState.ACCEPTED;
        ObjectNode a = JSON.objectNode();
        a.put("key_agreement_protocol", CURVE25519_HKDF_SHA256);
        a.put("hash", SHA256);
        a.put("message_authentication_code", macMethod.wireName());
        ArrayNode s = a.putArray("short_authentication_string");
        sasMethods.forEach(s::add);
        a.put("commitment", commitment);
        return List.of(send(ACCEPT, a));
    }

    private List<OutgoingEvent> onAccept(ObjectNode c) {
        if (!weStarted || state != SasState.STARTED) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, ACCEPT + " in state " + state);
        }
        String ka = text(c, "key_agreement_protocol", ACCEPT);
        String hash = text(c, "hash", ACCEPT);
        String macName = text(c, "message_authentication_code", ACCEPT);
        List<String> strings = textArray(c, "short_authentication_string", ACCEPT);
        String theirCommitment = text(c, "commitment", ACCEPT);
        Optional<SasMacMethod> mac = SasMacMethod.fromWireName(macName).filter(MAC_PREFERENCE::contains);
        if (!CURVE25519_HKDF_SHA256.equals(ka) || !SHA256.equals(hash) || mac.isEmpty() || strings.isEmpty()
                || !List.of(SAS_DECIMAL, SAS_EMOJI).containsAll(strings)) {
            return cancel(CancelCode.UNKNOWN_METHOD, ACCEPT + " chose a method that was not offered");
        }
        macMethod = mac.get();
        sasMethods = List.copyOf(strings);
        commitment = theirCommitment;
        keyPair = SasKeyPair.generate();
        state = SasState.ACCEPTED;
        ourKeySent = true;
        return List.of(keyEvent());
    }

    private List<OutgoingEvent> onKey(ObjectNode c) {
        if (state != SasState.ACCEPTED || established != null || (weStarted && !ourKeySent)) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, KEY + " in state " + state);
        }
        String theirKey;
        try {
            // Canonical (unpadded) text from here on, as vodozemac re-encodes the key it parsed.
            theirKey = MatrixBase64.encode(MatrixBase64.decode(text(c, "key", KEY), X25519.KEY_LENGTH, KEY + ".key"));
        } catch (PanolmException e) {
            return cancel(CancelCode.INVALID_MESSAGE, KEY + ".key is not a 32-byte base64 key");
        }
        if (weStarted && !SasCommitment.matches(commitment, theirKey, startContent)) {
            return cancel(CancelCode.MISMATCHED_COMMITMENT, "the key does not match the commitment of the accept");
        }
        try {
            established = keyPair.agree(theirKey);
        } catch (PanolmException e) {
            return cancel(CancelCode.INVALID_MESSAGE, KEY + ".key is unusable: " + e.status().name());
        }
        String ours = established.ourPublicKeyBase64();
        String info = weStarted
                ? SasInfo.sasBytes(own.userId(), own.deviceId(), ours, peer.userId(), otherDevice, theirKey, flowId)
                : SasInfo.sasBytes(peer.userId(), otherDevice, theirKey, own.userId(), own.deviceId(), ours, flowId);
        shortAuthString = established.shortAuthenticationString(info);
        state = SasState.KEYS_EXCHANGED;
        if (weStarted) {
            return List.of();
        }
        ourKeySent = true;
        return List.of(keyEvent());
    }

    private OutgoingEvent keyEvent() {
        ObjectNode k = JSON.objectNode();
        k.put("key", keyPair.publicKeyBase64());
        return send(KEY, k);
    }

    private List<OutgoingEvent> onMac(ObjectNode c) {
        if ((state != SasState.KEYS_EXCHANGED && state != SasState.CONFIRMED) || theirVerifiedKeys != null) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, MAC + " in state " + state);
        }
        JsonNode macs = c.get("mac");
        if (!(macs instanceof ObjectNode macObject) || macObject.isEmpty()) {
            return cancel(CancelCode.INVALID_MESSAGE, MAC + ".mac is missing or empty");
        }
        String keysMac = text(c, "keys", MAC);
        String base = SasInfo.macBase(peer.userId(), otherDevice, own.userId(), own.deviceId(), flowId);
        TreeMap<String, String> received = new TreeMap<>();
        for (var e : macObject.properties()) {
            if (!e.getValue().isTextual()) {
                return cancel(CancelCode.INVALID_MESSAGE, MAC + ".mac[" + e.getKey() + "] is not a string");
            }
            received.put(e.getKey(), e.getValue().textValue());
        }
        // Key ids sort by byte order here, as in every implementation (they are ASCII in practice).
        String keyIds = String.join(",", received.keySet());
        if (!established.verifyMac(keyIds, base + SasInfo.KEY_IDS, macMethod, keysMac)) {
            return cancel(CancelCode.KEY_MISMATCH, "the MAC of the key id list does not match");
        }
        Map<String, String> verified = new TreeMap<>();
        for (var e : received.entrySet()) {
            Optional<String> expected = expectedKey(e.getKey());
            if (expected.isEmpty()) {
                continue; // a key we hold no belief about proves nothing; ignore it
            }
            if (!established.verifyMac(expected.get(), base + e.getKey(), macMethod, e.getValue())) {
                return cancel(CancelCode.KEY_MISMATCH, "the MAC of " + e.getKey() + " does not match our copy of that key");
            }
            verified.put(e.getKey(), expected.get());
        }
        if (verified.isEmpty()) {
            return cancel(CancelCode.KEY_MISMATCH, MAC + " covers none of the keys we know for " + peer.userId());
        }
        theirVerifiedKeys = new VerifiedKeys(peer.userId(), verified);
        return macSent ? finish() : List.of();
    }

    private Optional<String> expectedKey(String keyId) {
        if (!keyId.startsWith("ed25519:")) {
            return Optional.empty();
        }
        String id = keyId.substring("ed25519:".length());
        if (id.equals(otherDevice)) {
            return peer.deviceKey(id);
        }
        if (id.equals(peer.masterKey())) {
            return Optional.of(peer.masterKey());
        }
        return Optional.empty();
    }

    private List<OutgoingEvent> onDone() {
        if (state != SasState.WAITING_FOR_DONE && !(state == SasState.CONFIRMED && theirVerifiedKeys != null)) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, DONE + " in state " + state);
        }
        doneReceived = true;
        if (doneSent) {
            state = SasState.DONE;
            close();
        }
        return List.of();
    }

    private List<OutgoingEvent> onCancel(ObjectNode c) {
        JsonNode code = c.get("code");
        JsonNode reason = c.get("reason");
        cancellation = new Cancellation(code != null && code.isTextual() ? code.textValue() : "",
                reason != null && reason.isTextual() ? reason.textValue() : "", false);
        state = SasState.CANCELLED;
        close();
        return List.of();
    }

    /**
     * The short authentication string to show, once both keys are known.
     *
     * @return the string, or empty
     */
    public Optional<ShortAuthenticationString> shortAuthenticationString() {
        return state == SasState.CANCELLED ? Optional.empty() : Optional.ofNullable(shortAuthString);
    }

    /**
     * The SAS renderings both sides agreed on ({@code decimal}, and {@code emoji} when both support it).
     *
     * @return the methods' names
     */
    public List<String> sasMethods() {
        return sasMethods;
    }

    /**
     * Our user says the strings match: sends our MAC, and {@code done} if the other side's MAC is already verified.
     *
     * @return the events to send
     */
    public List<OutgoingEvent> confirm() {
        if (state != SasState.KEYS_EXCHANGED || macSent) {
            throw new IllegalStateException("confirm() needs the strings shown (KEYS_EXCHANGED); state is " + state);
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        String base = SasInfo.macBase(own.userId(), own.deviceId(), peer.userId(), otherDevice, flowId);
        TreeMap<String, String> keys = new TreeMap<>();
        keys.put("ed25519:" + own.deviceId(), own.deviceEd25519Key());
        if (own.masterKey() != null) {
            keys.put("ed25519:" + own.masterKey(), own.masterKey());
        }
        ObjectNode m = JSON.objectNode();
        ObjectNode macs = m.putObject("mac");
        for (var e : keys.entrySet()) {
            macs.put(e.getKey(), established.calculateMac(e.getValue(), base + e.getKey(), macMethod));
        }
        m.put("keys", established.calculateMac(String.join(",", keys.keySet()), base + SasInfo.KEY_IDS, macMethod));
        macSent = true;
        state = SasState.CONFIRMED;
        List<OutgoingEvent> out = new ArrayList<>();
        out.add(send(MAC, m));
        if (theirVerifiedKeys != null) {
            out.addAll(finish());
        }
        return out;
    }

    private List<OutgoingEvent> finish() {
        doneSent = true;
        state = doneReceived ? SasState.DONE : SasState.WAITING_FOR_DONE;
        if (state == SasState.DONE) {
            close();
        }
        return List.of(send(DONE, JSON.objectNode()));
    }

    /**
     * Our user says the strings differ: cancels with {@code m.mismatched_sas}.
     *
     * @return the events to send
     */
    public List<OutgoingEvent> mismatch() {
        return cancel(CancelCode.MISMATCHED_SAS, CancelCode.MISMATCHED_SAS.reason());
    }

    /**
     * Cancels on our side with {@code code} (usually {@link CancelCode#USER}).
     *
     * @param code the cancellation code
     * @return the events to send
     */
    public List<OutgoingEvent> cancel(CancelCode code) {
        return cancel(code, code.reason());
    }

    /**
     * Cancels with {@code m.timeout} when ten minutes have passed since the flow began (by the injected
     * clock); call it periodically. Empty when not timed out or already ended.
     *
     * @return the cancellation to send, or empty
     */
    public Optional<OutgoingEvent> checkTimeout() {
        if (state == SasState.CANCELLED || state == SasState.DONE) {
            return Optional.empty();
        }
        if (clock.instant().isBefore(created.plus(VerificationEvents.TIMEOUT))) {
            return Optional.empty();
        }
        return Optional.of(cancel(CancelCode.TIMEOUT, CancelCode.TIMEOUT.reason()).getFirst());
    }

    private List<OutgoingEvent> cancel(CancelCode code, String reason) {
        if (state == SasState.CANCELLED || state == SasState.DONE) {
            return List.of();
        }
        cancellation = new Cancellation(code.code(), reason, true);
        state = SasState.CANCELLED;
        close();
        return List.of(send(CANCEL, cancelContent(code, reason)));
    }

    private ObjectNode cancelContent(CancelCode code, String reason) {
        ObjectNode c = JSON.objectNode();
        c.put("code", code.code());
        c.put("reason", reason);
        decorate(c);
        return c;
    }

    private OutgoingEvent send(String type, ObjectNode content) {
        decorate(content);
        Recipient to = inRoom ? new Recipient.Room()
                : otherDevice == null ? new Recipient.AllDevices() : new Recipient.Device(otherDevice);
        return new OutgoingEvent(type, content, to);
    }

    /** Ties a content to this flow: {@code transaction_id} to-device, an {@code m.reference} relation in a room. */
    private void decorate(ObjectNode content) {
        if (inRoom) {
            ObjectNode rel = content.putObject("m.relates_to");
            rel.put("rel_type", "m.reference");
            rel.put("event_id", flowId);
        } else {
            content.put("transaction_id", flowId);
        }
    }

    private static Recipient recipientFor(ObjectNode c) {
        JsonNode from = c.get("from_device");
        return from != null && from.isTextual() ? new Recipient.Device(from.textValue()) : new Recipient.AllDevices();
    }

    /**
     * Where the flow is.
     *
     * @return the state
     */
    public SasState state() {
        return state;
    }

    /**
     * The flow id: the {@code transaction_id} (to-device) or the request's event id (in-room; null until sent).
     *
     * @return the flow id
     */
    public String flowId() {
        return flowId;
    }

    /**
     * Whether the flow runs in a room rather than over to-device messages.
     *
     * @return true for in-room
     */
    public boolean inRoom() {
        return inRoom;
    }

    /**
     * The device of the other user this flow is with, once known.
     *
     * @return the device id, or empty
     */
    public Optional<String> otherDevice() {
        return Optional.ofNullable(otherDevice);
    }

    /**
     * Whether we sent the {@code m.key.verification.start}.
     *
     * @return true when we started SAS
     */
    public boolean weStarted() {
        return weStarted;
    }

    /**
     * Why the flow was cancelled.
     *
     * @return the cancellation, or empty when it was not
     */
    public Optional<Cancellation> cancellation() {
        return Optional.ofNullable(cancellation);
    }

    /**
     * The other side's keys, proven, once both sides confirmed and MACs verified.
     *
     * @return the keys, or empty
     */
    public Optional<VerifiedKeys> verifiedKeys() {
        return macSent && theirVerifiedKeys != null && state != SasState.CANCELLED
                ? Optional.of(theirVerifiedKeys) : Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (keyPair != null) {
            keyPair.close();
        }
        if (established != null) {
            established.close();
        }
    }

    @Override
    public String toString() {
        return "SasVerification[" + flowId + ", " + own.userId() + "/" + own.deviceId() + " with "
                + peer.userId() + "/" + otherDevice + ", " + state + "]";
    }

    // ---- field access with precise errors ----

    /** A field is missing or has the wrong type: cancels with {@code m.invalid_message}. */
    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static String text(ObjectNode c, String field, String type) {
        JsonNode v = c.get(field);
        if (v == null || !v.isTextual()) {
            throw new Malformed(type + "." + field + " is missing or not a string");
        }
        return v.textValue();
    }

    private static List<String> textArray(ObjectNode c, String field, String type) {
        JsonNode v = c.get(field);
        if (v == null || !v.isArray()) {
            throw new Malformed(type + "." + field + " is missing or not an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new Malformed(type + "." + field + " has a non-string entry");
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static boolean textArrayContains(JsonNode array, String value) {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (JsonNode e : array) {
            if (value.equals(e.textValue())) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode requestContent(JsonNode content) {
        if (content instanceof ObjectNode o) {
            return o;
        }
        throw new PanolmException(Status.BAD_EVENT, REQUEST + " content is not a JSON object");
    }

    private static String requireText(JsonNode v, String what) {
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new PanolmException(Status.BAD_EVENT, what + " is missing or not a string");
        }
        return v.textValue();
    }

    private static String requireText(String v, String what) {
        if (v == null || v.isEmpty()) {
            throw new PanolmException(Status.INVALID_ARGUMENT, what + " must not be empty");
        }
        return v;
    }
}
