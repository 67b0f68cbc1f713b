package org.panolm.verification.sas;

import static org.panolm.verification.VerificationEvents.CANCEL;
import static org.panolm.verification.VerificationEvents.CURVE25519_HKDF_SHA256;
import static org.panolm.verification.VerificationEvents.REQUEST;
import static org.panolm.verification.VerificationEvents.SAS_DECIMAL;
import static org.panolm.verification.VerificationEvents.SAS_EMOJI;
import static org.panolm.verification.VerificationEvents.SAS_V1;
import static org.panolm.verification.VerificationEvents.SHA256;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jspecify.annotations.Nullable;
import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.json.CanonicalTree;
import org.panolm.verification.CancelCode;
import org.panolm.verification.OutgoingEvent;
import org.panolm.verification.Recipient;
import org.panolm.verification.VerificationEvents;

/**
 * The wire side of SAS verification: the contents of the {@code m.key.verification.*} events it sends, and
 * reading the fields of those it receives with precise errors. No state: {@link SasVerification} decides
 * what to send and when.
 */
final class SasMessages {
    private SasMessages() {}

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A field is missing or has the wrong type: the flow cancels with {@code m.invalid_message}. */
    static final class Malformed extends RuntimeException {
        /** The line the cancellation gives as its reason. */
        final String reason;

        Malformed(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    /** A received request that passed every check: the flow it opens and the device that sent it. */
    record Request(String flowId, String fromDevice, List<String> methods) {}

    // ---- contents we send ----

    static ObjectNode request(String fromDevice, boolean inRoom, String ownUserId, String toUserId, Instant created,
            @Nullable String transactionId) {
        ObjectNode c = JSON.objectNode();
        c.put("from_device", fromDevice);
        ourMethods(c);
        if (inRoom) {
            c.put("msgtype", REQUEST);
            c.put("body", ownUserId + " is requesting to verify your key, but your client does not support in-chat key verification.");
            c.put("to", toUserId);
            return c;
        }
        c.put("timestamp", created.toEpochMilli());
        c.put("transaction_id", transactionId);
        return c;
    }

    static ObjectNode ready(String fromDevice) {
        ObjectNode c = JSON.objectNode();
        c.put("from_device", fromDevice);
        ourMethods(c);
        return c;
    }

    /** What we offer: SAS, and QR codes both ways (the caller renders or scans the code; see QrVerification). */
    private static void ourMethods(ObjectNode c) {
        c.putArray("methods").add(SAS_V1).add(VerificationEvents.QR_SHOW_V1).add(VerificationEvents.QR_SCAN_V1)
                .add(VerificationEvents.RECIPROCATE_V1);
    }

    static ObjectNode start(String fromDevice, List<SasMacMethod> macPreference) {
        ObjectNode c = JSON.objectNode();
        c.put("from_device", fromDevice);
        c.put("method", SAS_V1);
        c.putArray("key_agreement_protocols").add(CURVE25519_HKDF_SHA256);
        c.putArray("hashes").add(SHA256);
        ArrayNode macs = c.putArray("message_authentication_codes");
        macPreference.forEach(m -> macs.add(m.wireName()));
        c.putArray("short_authentication_string").add(SAS_DECIMAL).add(SAS_EMOJI);
        return c;
    }

    static ObjectNode accept(SasMacMethod macMethod, List<String> sasMethods, String commitment) {
        ObjectNode a = JSON.objectNode();
        a.put("method", SAS_V1); // required by the spec's schema; vodozemac sends it too
        a.put("key_agreement_protocol", CURVE25519_HKDF_SHA256);
        a.put("hash", SHA256);
        a.put("message_authentication_code", macMethod.wireName());
        ArrayNode s = a.putArray("short_authentication_string");
        sasMethods.forEach(s::add);
        a.put("commitment", commitment);
        return a;
    }

    static ObjectNode key(String publicKeyBase64) {
        ObjectNode k = JSON.objectNode();
        k.put("key", publicKeyBase64);
        return k;
    }

    static ObjectNode done() {
        return JSON.objectNode();
    }

    static ObjectNode cancel(CancelCode code, String reason) {
        ObjectNode c = JSON.objectNode();
        c.put("code", code.code());
        c.put("reason", reason);
        return c;
    }

    /** Parses received event content; JSON that does not parse is a {@code BAD_EVENT}, like any malformed request. */
    static JsonNode parseEvent(String content) {
        try {
            return CanonicalTree.parse(content);
        } catch (PanolmException e) {
            throw new PanolmException(Status.BAD_EVENT, ErrorDetail.of("content is not valid JSON: " + e.detail().reason()));
        }
    }

    /** The answer to an event of another to-device transaction: cancel that one, addressed to its sender. */
    static OutgoingEvent unknownTransaction(String theirTransaction, ObjectNode theirContent) {
        ObjectNode cc = cancel(CancelCode.UNKNOWN_TRANSACTION, CancelCode.UNKNOWN_TRANSACTION.reason());
        cc.put("transaction_id", theirTransaction);
        JsonNode from = theirContent.get("from_device");
        Recipient to = from != null && from.isTextual() ? new Recipient.Device(from.textValue()) : new Recipient.AllDevices();
        return new OutgoingEvent(CANCEL, cc.toString(), to);
    }

    /** Ties a content to its flow: {@code transaction_id} to-device, an {@code m.reference} relation in a room. */
    static void tieToFlow(ObjectNode content, boolean inRoom, String flowId) {
        if (inRoom) {
            ObjectNode rel = content.putObject("m.relates_to");
            rel.put("rel_type", "m.reference");
            rel.put("event_id", flowId);
        } else {
            content.put("transaction_id", flowId);
        }
    }

    // ---- requests we receive (malformed ones are ignored, so they throw) ----

    static Request toDeviceRequest(String sender, String expectedSender, JsonNode content, Instant now) {
        requireSender(sender, expectedSender);
        ObjectNode c = requestObject(content);
        String txn = requireText(c.get("transaction_id"), "transaction_id");
        String fromDevice = requireText(c.get("from_device"), "from_device");
        requireSasOffered(c);
        JsonNode ts = c.get("timestamp");
        if (ts == null || !ts.canConvertToLong()) {
            throw badRequest("timestamp", "is missing or not an integer");
        }
        requireFresh(Instant.ofEpochMilli(ts.longValue()), now, "timestamp");
        return new Request(txn, fromDevice, offered(c));
    }

    static Request roomRequest(String sender, String expectedSender, String ownUserId, String eventId,
            JsonNode content, long originServerTs, Instant now) {
        requireSender(sender, expectedSender);
        ObjectNode c = requestObject(content);
        if (!REQUEST.equals(c.path("msgtype").textValue())) {
            throw badRequest("msgtype", "is not " + REQUEST);
        }
        if (!ownUserId.equals(c.path("to").textValue())) {
            throw badRequest("to", "is not " + ownUserId);
        }
        String fromDevice = requireText(c.get("from_device"), "from_device");
        requireSasOffered(c);
        requireFresh(Instant.ofEpochMilli(originServerTs), now, "origin_server_ts");
        return new Request(nonEmpty(eventId, "request event id"), fromDevice, offered(c));
    }

    /** An id the caller passes (a transaction or event id): refused when empty, as a bad argument. */
    static String nonEmpty(@Nullable String v, String what) {
        if (v == null || v.isEmpty()) {
            throw new PanolmException(Status.INVALID_ARGUMENT, ErrorDetail.field(what, "must not be empty"));
        }
        return v;
    }

    private static PanolmException badRequest(@Nullable String field, String reason) {
        return new PanolmException(Status.BAD_EVENT, new ErrorDetail(REQUEST, null, field, null, reason));
    }

    private static void requireSender(String sender, String expected) {
        if (!expected.equals(sender)) {
            throw badRequest("sender", sender + " is not " + expected);
        }
    }

    /** The methods a request or ready offers, the strings only (anything else in the array is ignored). */
    static List<String> offered(ObjectNode c) {
        List<String> out = new java.util.ArrayList<>();
        JsonNode methods = c.get("methods");
        if (methods != null && methods.isArray()) {
            for (JsonNode m : methods) {
                if (m.isTextual()) out.add(m.textValue());
            }
        }
        return List.copyOf(out);
    }

    private static void requireSasOffered(ObjectNode c) {
        if (!textArrayContains(c.get("methods"), SAS_V1)) {
            throw badRequest("methods", "does not offer " + SAS_V1);
        }
    }

    private static void requireFresh(Instant stamped, Instant now, String field) {
        if (!stamped.plus(VerificationEvents.TIMEOUT).isAfter(now)
                || stamped.isAfter(now.plus(VerificationEvents.MAX_CLOCK_SKEW))) {
            throw badRequest(field, "is outside the ten-minute window");
        }
    }

    private static ObjectNode requestObject(JsonNode content) {
        if (content instanceof ObjectNode o) {
            return o;
        }
        throw badRequest(null, "content is not a JSON object");
    }

    private static String requireText(@Nullable JsonNode v, String field) {
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw badRequest(field, "is missing or not a string");
        }
        return v.textValue();
    }

    // ---- fields of the flow's events (a bad one cancels the flow) ----

    static String text(ObjectNode c, String field, String type) {
        JsonNode v = c.get(field);
        if (v == null || !v.isTextual()) {
            throw new Malformed(type + "." + field + " is missing or not a string");
        }
        return v.textValue();
    }

    static List<String> textArray(ObjectNode c, String field, String type) {
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

    static boolean textArrayContains(@Nullable JsonNode array, String value) {
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
}
