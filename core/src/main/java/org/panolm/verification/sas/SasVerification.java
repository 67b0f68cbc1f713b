package org.panolm.verification.sas;

import static org.panolm.verification.VerificationEvents.ACCEPT;
import static org.panolm.verification.VerificationEvents.CANCEL;
import static org.panolm.verification.VerificationEvents.CURVE25519_HKDF_SHA256;
import static org.panolm.verification.VerificationEvents.DONE;
import static org.panolm.verification.VerificationEvents.KEY;
import static org.panolm.verification.VerificationEvents.MAC;
import static org.panolm.verification.VerificationEvents.QR_SCAN_V1;
import static org.panolm.verification.VerificationEvents.QR_SHOW_V1;
import static org.panolm.verification.VerificationEvents.READY;
import static org.panolm.verification.VerificationEvents.RECIPROCATE_V1;
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
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.subtle.X25519;
import org.panolm.verification.CancelCode;
import org.panolm.verification.Cancellation;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.OwnIdentity;
import org.panolm.verification.PeerKeys;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;
import org.panolm.verification.qr.QrCodeData;
import org.panolm.verification.qr.QrOutcome;
import org.panolm.verification.qr.QrVerification;

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
    /** Our MAC preference, best first; the legacy method is chosen only when the peer offers nothing newer. */
    private static final List<SasMacMethod> MAC_PREFERENCE = List.of(SasMacMethod.HKDF_HMAC_SHA256_V2,
            SasMacMethod.MSC3783, SasMacMethod.HKDF_HMAC_SHA256);

    private final OwnIdentity own;
    private final PeerKeys peer;
    private @Nullable String flowId;
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
    /** The methods the other side offered in its request or ready. */
    private List<String> theirMethods = List.of();
    /** The QR code we show, made once so every rendering is the same code. */
    private @Nullable QrCodeData shownQr;
    /** The keys a QR exchange proved, used once our user (displayer) confirmed or their done came (scanner). */
    private @Nullable VerifiedKeys qrProved;
    private boolean qrConfirmed;

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
        SasMessages.nonEmpty(transactionId, "transaction_id");
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
        flowId = SasMessages.nonEmpty(requestEventId, "request event id");
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
        ObjectNode c = SasMessages.request(own.deviceId(), inRoom, own.userId(), peer.userId(), created, flowId);
        return inRoom ? new OutgoingEvent(ROOM_MESSAGE, c.toString(), new Recipient.Room())
                : new OutgoingEvent(REQUEST, c.toString(), new Recipient.AllDevices());
    }

    /**
     * Takes a received {@code m.key.verification.request}. A malformed request, one without {@code m.sas.v1},
     * or one stamped more than ten minutes ago (or five minutes ahead) throws {@code BAD_EVENT}: the spec
     * says to ignore such requests rather than answer them. Call {@link #accept()} to answer.
     *
     * @param own our identity
     * @param peer our beliefs about the other side
     * @param sender the request's sender
     * @param content the request's content, as JSON text
     * @param clock the clock for timeouts
     * @return the verification; the caller closes it
     */
    public static SasVerification fromRequest(OwnIdentity own, PeerKeys peer, String sender, String content,
            Clock clock) {
        Instant now = clock.instant();
        SasMessages.Request r = SasMessages.toDeviceRequest(sender, peer.userId(), SasMessages.parseEvent(content), now);
        var v = new SasVerification(own, peer, r.flowId(), false, clock, now, false);
        v.otherDevice = r.fromDevice();
        v.theirMethods = r.methods();
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
     * @param content the request's content, as JSON text
     * @param originServerTs the request's {@code origin_server_ts}
     * @param clock the clock for timeouts
     * @return the verification; the caller closes it
     */
    public static SasVerification fromRoomRequest(OwnIdentity own, PeerKeys peer, String sender, String eventId,
            String content, long originServerTs, Clock clock) {
        Instant now = clock.instant();
        SasMessages.Request r = SasMessages.roomRequest(sender, peer.userId(), own.userId(), eventId,
                SasMessages.parseEvent(content),
                originServerTs, now);
        var v = new SasVerification(own, peer, r.flowId(), true, clock, now, false);
        v.otherDevice = r.fromDevice();
        v.theirMethods = r.methods();
        return v;
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
        return List.of(send(READY, SasMessages.ready(own.deviceId())));
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
        OutgoingEvent start = send(START, SasMessages.start(own.deviceId(), MAC_PREFERENCE));
        startContent = (ObjectNode) CanonicalTree.parse(start.content()); // the commitment covers the content exactly as sent
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
     * @param content the event content, as JSON text
     * @return the events to send
     */
    public List<OutgoingEvent> receive(String sender, String type, String content) {
        if (state == SasState.CANCELLED || state == SasState.DONE) {
            return List.of();
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        JsonNode parsed;
        try {
            parsed = CanonicalTree.parse(content);
        } catch (PanolmException e) {
            return cancel(CancelCode.INVALID_MESSAGE, type + " content is not valid JSON");
        }
        if (!(parsed instanceof ObjectNode c)) {
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
            return List.of(SasMessages.unknownTransaction(theirFlow, c));
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
        } catch (SasMessages.Malformed e) {
            return cancel(CancelCode.INVALID_MESSAGE, e.reason);
        }
    }

    private List<OutgoingEvent> onReady(ObjectNode c) {
        String from = SasMessages.text(c, "from_device", READY);
        if (state == SasState.READY && weRequested && !from.equals(otherDevice)) {
            if (inRoom) {
                return List.of();
            }
            // A second device answered our request too: tell it another device took the flow.
            ObjectNode cc = cancelContent(CancelCode.ACCEPTED, CancelCode.ACCEPTED.reason());
            return List.of(new OutgoingEvent(CANCEL, cc.toString(), new Recipient.Device(from)));
        }
        if (!weRequested || state != SasState.REQUESTED) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, READY + " in state " + state);
        }
        if (!SasMessages.textArrayContains(c.get("methods"), SAS_V1)) {
            return cancel(CancelCode.UNKNOWN_METHOD, READY + ".methods does not offer " + SAS_V1);
        }
        otherDevice = from;
        theirMethods = SasMessages.offered(c);
        state = SasState.READY;
        if (inRoom) {
            return List.of(); // the other user's devices see the ready in the room themselves
        }
        ObjectNode cc = cancelContent(CancelCode.ACCEPTED, CancelCode.ACCEPTED.reason());
        return List.of(new OutgoingEvent(CANCEL, cc.toString(), new Recipient.AllDevicesExcept(from)));
    }

    private List<OutgoingEvent> onStart(String sender, ObjectNode c) {
        String from = SasMessages.text(c, "from_device", START);
        if (!from.equals(otherDevice)) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, START + " came from device " + from + ", not " + otherDevice);
        }
        if (RECIPROCATE_V1.equals(c.path("method").textValue())) {
            return onReciprocate(c);
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
        if (!SAS_V1.equals(SasMessages.text(c, "method", START))) {
            return cancel(CancelCode.UNKNOWN_METHOD, START + ".method " + c.get("method").textValue() + " is not offered");
        }
        List<String> kas = SasMessages.textArray(c, "key_agreement_protocols", START);
        List<String> hashes = SasMessages.textArray(c, "hashes", START);
        List<String> macs = SasMessages.textArray(c, "message_authentication_codes", START);
        List<String> strings = SasMessages.textArray(c, "short_authentication_string", START);
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
        return List.of(send(ACCEPT, SasMessages.accept(macMethod, sasMethods, commitment)));
    }

    private List<OutgoingEvent> onAccept(ObjectNode c) {
        if (!weStarted || state != SasState.STARTED) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, ACCEPT + " in state " + state);
        }
        String ka = SasMessages.text(c, "key_agreement_protocol", ACCEPT);
        String hash = SasMessages.text(c, "hash", ACCEPT);
        String macName = SasMessages.text(c, "message_authentication_code", ACCEPT);
        List<String> strings = SasMessages.textArray(c, "short_authentication_string", ACCEPT);
        String theirCommitment = SasMessages.text(c, "commitment", ACCEPT);
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
            theirKey = MatrixBase64.encode(MatrixBase64.decode(SasMessages.text(c, "key", KEY), X25519.KEY_LENGTH, KEY + ".key"));
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
        return send(KEY, SasMessages.key(keyPair.publicKeyBase64()));
    }

    private List<OutgoingEvent> onMac(ObjectNode c) {
        if ((state != SasState.KEYS_EXCHANGED && state != SasState.CONFIRMED) || theirVerifiedKeys != null) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, MAC + " in state " + state);
        }
        SasMacExchange.Check check = SasMacExchange.check(c, established, macMethod, peer, otherDevice, own, flowId);
        if (check.verified() == null) {
            return cancel(check.code(), check.reason());
        }
        theirVerifiedKeys = check.verified();
        return macSent ? finish() : List.of();
    }

    private List<OutgoingEvent> onDone() {
        if (state == SasState.QR_SCANNED) {
            // The displayer confirmed that we scanned its code: what the code proved stands, and we are done too.
            theirVerifiedKeys = qrProved;
            doneReceived = true;
            return finish();
        }
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
     * The QR code for our user to show, once both sides are ready and the other side can scan
     * ({@code m.qr_code.scan.v1}); the same code on every call. Its mode follows who is verified by whom: another
     * user (needs our trusted master key and the one we hold for them), our other device while we trust our master
     * key, or our other device while we do not yet (then it vouches for us). Render {@link QrCodeData#encode()};
     * when the other device scans it, a {@code start} with {@code m.reciprocate.v1} arrives and the state becomes
     * {@link SasState#QR_RECIPROCATED}: ask our user whether the other device scanned it, then {@link #confirm()}.
     *
     * @return the code
     * @throws IllegalStateException when the flow is not ready, the other side cannot scan, or the master keys a
     *         code needs are not known
     */
    public QrCodeData qrCode() {
        if (state != SasState.READY) {
            throw new IllegalStateException("a QR code is shown in state READY, not " + state);
        }
        if (!theirMethods.contains(QR_SCAN_V1) || !theirMethods.contains(RECIPROCATE_V1)) {
            throw new IllegalStateException("the other device cannot scan a QR code (it offered " + theirMethods + ")");
        }
        if (shownQr == null) {
            boolean self = own.userId().equals(peer.userId());
            if (!self) {
                if (own.masterKey() == null || peer.masterKey() == null) {
                    throw new IllegalStateException("a QR code for another user needs our trusted master key and theirs");
                }
                shownQr = QrVerification.showToOtherUser(flowId, own, peer);
            } else if (own.masterKey() != null) {
                shownQr = QrVerification.showSelfTrusted(flowId, own, peer, otherDevice);
            } else if (peer.masterKey() != null) {
                shownQr = QrVerification.showSelfUntrusted(flowId, own, peer.masterKey());
            } else {
                throw new IllegalStateException("our user has no master key to put in a QR code");
            }
        }
        return shownQr;
    }

    /**
     * The QR code our user scanned on the other device: when it matches what we hold, the {@code start} with
     * {@code m.reciprocate.v1} goes out and the state becomes {@link SasState#QR_SCANNED} (the keys count once the
     * other side's {@code done} arrives); when it does not, the flow is cancelled with the spec's code.
     *
     * @param scanned the code's bytes
     * @return the events to send
     * @throws PanolmException {@code BAD_MESSAGE_FORMAT} when the bytes are not a verification QR code (the flow
     *         goes on: scan again)
     * @throws IllegalStateException when the flow is not ready or the other side cannot show a code
     */
    public List<OutgoingEvent> scanQrCode(byte[] scanned) {
        if (state != SasState.READY) {
            throw new IllegalStateException("a QR code is scanned in state READY, not " + state);
        }
        if (!theirMethods.contains(QR_SHOW_V1) || !theirMethods.contains(RECIPROCATE_V1)) {
            throw new IllegalStateException("the other device does not show QR codes (it offered " + theirMethods + ")");
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        QrCodeData code = QrCodeData.decode(scanned);
        QrOutcome outcome = QrVerification.checkScanned(code, flowId, own, peer, otherDevice, own.masterKey() != null);
        return switch (outcome) {
            case QrOutcome.Rejected r -> cancel(r.code(), r.reason());
            case QrOutcome.Verified v -> {
                qrProved = v.keys();
                qrConfirmed = true; // our side's part: we checked the code
                ObjectNode start = (ObjectNode) CanonicalTree.parse(v.reply());
                start.remove("transaction_id"); // tied to the flow as every event is, below
                state = SasState.QR_SCANNED;
                yield List.of(send(START, start));
            }
        };
    }

    private List<OutgoingEvent> onReciprocate(ObjectNode c) {
        if (shownQr == null || state != SasState.READY) {
            return cancel(CancelCode.UNEXPECTED_MESSAGE, START + " with " + RECIPROCATE_V1 + " but we show no QR code");
        }
        ObjectNode checked = c.deepCopy();
        if (inRoom) {
            checked.remove("m.relates_to");
            checked.put("transaction_id", flowId); // the check reads the flow from where a to-device start has it
        }
        return switch (QrVerification.checkReciprocate(shownQr, checked.toString(), peer, otherDevice)) {
            case QrOutcome.Rejected r -> cancel(r.code(), r.reason());
            case QrOutcome.Verified v -> {
                qrProved = v.keys();
                state = SasState.QR_RECIPROCATED;
                yield List.of();
            }
        };
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
     * In state {@link SasState#QR_RECIPROCATED}, our user says the other device scanned our QR code: sends
     * {@code done}.
     *
     * @return the events to send
     */
    public List<OutgoingEvent> confirm() {
        if (state == SasState.QR_RECIPROCATED) {
            Optional<OutgoingEvent> timeout = checkTimeout();
            if (timeout.isPresent()) {
                return List.of(timeout.get());
            }
            // Our user saw the other device scan our code: the key it proved stands.
            theirVerifiedKeys = qrProved;
            qrConfirmed = true;
            return finish();
        }
        if (state != SasState.KEYS_EXCHANGED || macSent) {
            throw new IllegalStateException("confirm() needs the strings shown (KEYS_EXCHANGED); state is " + state);
        }
        Optional<OutgoingEvent> timeout = checkTimeout();
        if (timeout.isPresent()) {
            return List.of(timeout.get());
        }
        ObjectNode m = SasMacExchange.ourMacs(established, macMethod, own,
                new SasMacExchange.Party(peer.userId(), otherDevice), flowId);
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
        return List.of(send(DONE, SasMessages.done()));
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
        ObjectNode c = SasMessages.cancel(code, reason);
        SasMessages.tieToFlow(c, inRoom, flowId);
        return c;
    }

    private OutgoingEvent send(String type, ObjectNode content) {
        SasMessages.tieToFlow(content, inRoom, flowId);
        Recipient to = inRoom ? new Recipient.Room()
                : otherDevice == null ? new Recipient.AllDevices() : new Recipient.Device(otherDevice);
        return new OutgoingEvent(type, content.toString(), to);
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
        return (macSent || qrConfirmed) && theirVerifiedKeys != null && state != SasState.CANCELLED
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
}
