package org.panolm.export;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.megolm.KeyProvenance;
import org.panolm.recovery.Passphrase;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.internal.SafeJson;

/**
 * Writes an encrypted room-key export file one key at a time, in bounded memory: a JSON array streamed
 * through native AES-CTR/HMAC into Element's armour (docs/formats.md §6). {@link #close()} completes the file
 * (closing bracket, MAC, footer) unless a write failed, in which case the output is left incomplete and
 * will not verify. The caller's stream is flushed, not closed. Not thread-safe.
 */
public final class RoomKeyExportWriter implements AutoCloseable {
    /** Element's default; the spec asks for at least 100,000. */
    public static final int DEFAULT_ROUNDS = 500_000;

    private static final ObjectMapper JSON = SafeJson.mapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    private static final ObjectWriter KEY_WRITER = JSON.writerFor(ExportedRoomKey.class);

    private final ExportBodyCipher cipher;
    private final EncryptingOutputStream plaintext;
    private final JsonGenerator generator;
    private long count;
    private boolean failed;
    private boolean closed;

    private RoomKeyExportWriter(ExportBodyCipher cipher, EncryptingOutputStream plaintext, JsonGenerator generator) {
        this.cipher = cipher;
        this.plaintext = plaintext;
        this.generator = generator;
    }

    /**
     * Starts a file with a random salt and IV; derives the keys ({@code rounds} of PBKDF2) now.
     *
     * @param out where the file goes; flushed, not closed
     * @param passphrase the file's passphrase
     * @param rounds the PBKDF2 rounds
     * @return the writer
     * @throws IOException when writing the header fails
     */
    public static RoomKeyExportWriter open(OutputStream out, Passphrase passphrase, int rounds) throws IOException {
        if (rounds < 1 || rounds > RoomKeyExport.MAX_ROUNDS) {
            throw new PanolmException(Status.INVALID_ARGUMENT,
                    "export rounds must be from 1 to " + RoomKeyExport.MAX_ROUNDS + ", not " + rounds);
        }
        byte[] header = new byte[ExportBodyCipher.HEADER_LENGTH];
        header[0] = 1;
        SecureRandomBytes.fill(header); // salt and IV; the version and rounds are written over it
        header[0] = 1;
        header[17 + 8] &= 0x7f; // bit 63 of the IV clear: 64- and 128-bit counters then agree
        header[33] = (byte) (rounds >>> 24);
        header[34] = (byte) (rounds >>> 16);
        header[35] = (byte) (rounds >>> 8);
        header[36] = (byte) rounds;
        ExportBodyCipher cipher = ExportBodyCipher.init(passphrase, header, RoomKeyExport.MAX_ROUNDS);
        try {
            ArmoredBodyWriter armour = new ArmoredBodyWriter(out);
            armour.write(header, 0, header.length);
            EncryptingOutputStream plaintext = new EncryptingOutputStream(armour, cipher);
            JsonGenerator generator = JSON.getFactory().createGenerator(plaintext);
            generator.writeStartArray();
            return new RoomKeyExportWriter(cipher, plaintext, generator);
        } catch (IOException | RuntimeException e) {
            cipher.close();
            throw e;
        }
    }

    /**
     * Writes one key, after checking every field the importing clients require
     * ({@link #requireImportable}); a key that fails is not written and the writer stays usable.
     *
     * @param key the key
     * @throws InvalidRoomKeyException naming the field, when the key would make the file unimportable
     * @throws IOException when writing fails (the file is then left incomplete)
     */
    public void write(ExportedRoomKey key) throws IOException {
        if (closed) {
            throw new IllegalStateException("export writer is closed");
        }
        requireImportable(key);
        try {
            KEY_WRITER.writeValue(generator, key);
            count++;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Writes one key with its provenance in the extra field {@value RoomKeyExport#PROVENANCE_FIELD}, which
     * importing clients ignore and panolm reads back as a claim.
     *
     * @param key the key
     * @param provenance where the key came from; null writes the key alone
     * @throws InvalidRoomKeyException naming the field, when the key would make the file unimportable
     * @throws IOException when writing fails (the file is then left incomplete)
     */
    public void write(ExportedRoomKey key, KeyProvenance provenance) throws IOException {
        if (provenance == null) {
            write(key);
            return;
        }
        if (closed) {
            throw new IllegalStateException("export writer is closed");
        }
        requireImportable(key);
        try {
            ObjectNode node = JSON.valueToTree(key);
            node.set(RoomKeyExport.PROVENANCE_FIELD, JSON.valueToTree(provenance));
            JSON.writeTree(generator, node);
            count++;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Checks that Element (matrix-sdk-crypto) and matrix-nio can import {@code key}: both refuse a whole file
     * when one of its keys lacks {@code room_id}, {@code session_id} or {@code sender_key}, has a room id
     * without its {@code !} sigil, a Curve25519 or Ed25519 key that is not 32 bytes of base64, or (nio) no
     * {@code sender_claimed_keys.ed25519}. The session key must be an export of the session it names.
     *
     * @param key the key to check
     * @throws InvalidRoomKeyException naming the first field that fails; never the field's value
     */
    public static void requireImportable(ExportedRoomKey key) {
        if (key == null) {
            throw new InvalidRoomKeyException(Status.INVALID_ARGUMENT, null, null, null, "no key");
        }
        String room = key.roomId(), session = key.sessionId();
        if (key.algorithm() == null || !ExportedRoomKey.MEGOLM_V1.equals(key.algorithm())) {
            throw invalid(key, Status.BAD_EVENT, "algorithm",
                    key.algorithm() == null ? "is missing" : "is not " + ExportedRoomKey.MEGOLM_V1);
        }
        if (room == null || room.isEmpty()) throw invalid(key, Status.BAD_EVENT, "room_id", "is missing");
        if (room.charAt(0) != '!' || room.length() < 2) {
            throw invalid(key, Status.BAD_EVENT, "room_id", "is not a room id (it must start with !)");
        }
        if (room.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw invalid(key, Status.BAD_EVENT, "room_id", "is over 255 bytes long");
        }
        if (session == null || session.isEmpty()) throw invalid(key, Status.BAD_EVENT, "session_id", "is missing");
        if (key.sessionKey() == null) throw invalid(key, Status.BAD_EVENT, "session_key", "is missing");
        String owner;
        try {
            owner = key.exportedSessionKey().sessionId();
        } catch (PanolmException e) {
            throw invalid(key, e.status(), "session_key", "is not an exported Megolm session key");
        }
        if (!owner.equals(session)) {
            throw invalid(key, Status.BAD_KEY, "session_key", "belongs to session " + owner + ", not to session_id");
        }
        requireKey(key, "sender_key", key.senderKey());
        String ed25519 = key.senderClaimedKeys().get("ed25519");
        if (ed25519 == null) throw invalid(key, Status.BAD_EVENT, "sender_claimed_keys.ed25519", "is missing");
        requireKey(key, "sender_claimed_keys.ed25519", ed25519);
        List<String> chain = key.forwardingCurve25519KeyChain();
        for (int i = 0; i < chain.size(); i++) {
            requireKey(key, "forwarding_curve25519_key_chain[" + i + "]", chain.get(i));
        }
    }

    private static void requireKey(ExportedRoomKey key, String field, String base64) {
        if (base64 == null) throw invalid(key, Status.BAD_EVENT, field, "is missing");
        try {
            MatrixBase64.decode(base64, 32, field);
        } catch (PanolmException e) {
            throw invalid(key, e.status(), field, "is not a 32-byte key in base64");
        }
    }

    private static InvalidRoomKeyException invalid(ExportedRoomKey key, Status status, String field, String problem) {
        return new InvalidRoomKeyException(status, key.roomId(), key.sessionId(), field, problem);
    }

    /**
     * Keys written so far.
     *
     * @return the count
     */
    public long count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                generator.writeEndArray();
                generator.close();
                plaintext.finish();
            }
        } finally {
            plaintext.discard();
            cipher.close();
        }
    }
}
