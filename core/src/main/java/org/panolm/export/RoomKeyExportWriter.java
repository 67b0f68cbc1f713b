package org.panolm.export;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import org.panolm.PanolmException;
import org.panolm.Status;
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
     * Writes one key.
     *
     * @param key the key
     * @throws IOException when writing fails
     */
    public void write(ExportedRoomKey key) throws IOException {
        if (closed) {
            throw new IllegalStateException("export writer is closed");
        }
        try {
            KEY_WRITER.writeValue(generator, key);
            count++;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Keys written so far.
     *
     * @return the number of keys
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
