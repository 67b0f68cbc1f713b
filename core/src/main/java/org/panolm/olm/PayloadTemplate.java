package org.panolm.olm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * A plaintext shared by many recipients except for a few gaps ("holes") that each recipient fills,
 * for {@link BatchEncryption}: {@code pieces.size() - 1} holes between {@code pieces.size()} fixed
 * pieces. An {@code m.room_key} payload, for instance, differs per device only in {@code recipient} and
 * {@code recipient_keys}:
 * <pre>{@code
 * PayloadTemplate.of("{\"type\":\"m.room_key\",\"content\":{…},\"sender\":\"@a:x\",…,\"recipient\":\"",
 *                    "\",\"recipient_keys\":{\"ed25519\":\"", "\"}}")
 * }</pre>
 * and each recipient supplies its user id and Ed25519 key. Values are inserted as they are: the caller
 * escapes them for JSON.
 *
 * @param pieces the fixed pieces (copied), 1 to {@value #MAX_HOLES} + 1 of them
 */
public record PayloadTemplate(List<byte[]> pieces) {
    /** PANOLM_OLM_BATCH_MAX_HOLES. */
    public static final int MAX_HOLES = 64;

    /**
     * Checks the number of pieces and copies them.
     *
     * @param pieces the fixed pieces
     */
    public PayloadTemplate {
        if (pieces == null || pieces.isEmpty() || pieces.size() > MAX_HOLES + 1) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "a template has 1 to " + (MAX_HOLES + 1) + " pieces");
        }
        List<byte[]> copy = new ArrayList<>(pieces.size());
        for (byte[] p : pieces) copy.add(p.clone());
        pieces = List.copyOf(copy);
    }

    /**
     * From text pieces.
     *
     * @param pieces the pieces, encoded as UTF-8
     * @return the template
     */
    public static PayloadTemplate of(String... pieces) {
        List<byte[]> bytes = new ArrayList<>(pieces.length);
        for (String p : pieces) bytes.add(p.getBytes(StandardCharsets.UTF_8));
        return new PayloadTemplate(bytes);
    }

    /**
     * The same plaintext for everyone.
     *
     * @param plaintext the plaintext
     * @return a template without holes
     */
    public static PayloadTemplate constant(byte[] plaintext) {
        return new PayloadTemplate(List.of(plaintext));
    }

    /**
     * A whole plaintext per recipient: one hole between two empty pieces.
     *
     * @return the template
     */
    public static PayloadTemplate perRecipient() {
        return new PayloadTemplate(List.of(new byte[0], new byte[0]));
    }

    /**
     * The fixed pieces.
     *
     * @return copies
     */
    @Override
    public List<byte[]> pieces() {
        List<byte[]> copy = new ArrayList<>(pieces.size());
        for (byte[] p : pieces) copy.add(p.clone());
        return List.copyOf(copy);
    }

    List<byte[]> piecesUnsafe() {
        return pieces;
    }

    /**
     * The number of values each recipient supplies.
     *
     * @return the number of pieces minus one
     */
    public int holes() {
        return pieces.size() - 1;
    }

    /**
     * The plaintext of a recipient with these values, as the batch assembles it.
     *
     * @param values one per hole
     * @return the plaintext
     */
    public byte[] fill(List<byte[]> values) {
        if (values.size() != holes()) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "the template has " + holes() + " holes, not " + values.size());
        }
        var out = new java.io.ByteArrayOutputStream();
        for (int h = 0; h < pieces.size(); h++) {
            out.writeBytes(pieces.get(h));
            if (h < values.size()) out.writeBytes(values.get(h));
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "PayloadTemplate[" + holes() + " holes]";
    }
}
