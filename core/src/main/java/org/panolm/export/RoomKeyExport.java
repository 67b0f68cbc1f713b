package org.panolm.export;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.RoomKeyExportException.Reason;
import org.panolm.keystore.SessionFilter;
import org.panolm.recovery.Passphrase;
import org.panolm.internal.SafeJson;

/**
 * Element's "Export E2E room keys" file (docs/formats.md §6), in both directions and in bounded memory.
 *
 * <p>Importing reads the file twice: first the whole MAC is checked, then the body is decrypted and
 * parsed one key at a time. Nothing is decrypted, and no key is handed out, before the MAC verified.
 * A one-shot stream is first spooled to a private temporary file. The second pass hashes what it
 * decrypts again; a file that changed between the passes fails with
 * {@link RoomKeyExportException.Reason#CHANGED_WHILE_READING} before its last chunk is handed out (a
 * change early in a large file is only noticed there: import from files nobody else writes to).
 */
public final class RoomKeyExport {
    private RoomKeyExport() {}

    /** The most PBKDF2 rounds accepted from a file (a few seconds): a hostile file cannot make us spin. */
    public static final int MAX_ROUNDS = 10_000_000;

    private static final ObjectMapper JSON = SafeJson.mapper();
    private static final ObjectReader KEY_READER = JSON.readerFor(ExportedRoomKey.class);

    /**
     * Writes the keys the filter selects to {@code out} ({@code SessionFilter.all()} for every key); returns
     * how many were written. Each key needs its room_id and session_id.
     *
     * @param keys the keys
     * @param filter which keys to write
     * @param passphrase the file's passphrase
     * @param rounds the PBKDF2 rounds
     * @param out where the file goes; not closed
     * @return the number of keys written
     * @throws IOException when writing fails
     */
    public static long export(Iterable<ExportedRoomKey> keys, SessionFilter filter, Passphrase passphrase, int rounds,
                              OutputStream out) throws IOException {
        try (RoomKeyExportWriter writer = RoomKeyExportWriter.open(out, passphrase, rounds)) {
            long index = 0;
            for (ExportedRoomKey key : keys) {
                if (key.roomId() == null || key.sessionId() == null) {
                    throw new PanolmException(Status.INVALID_ARGUMENT,
                            "room key #" + index + " to export has no room_id or session_id");
                }
                if (filter.accepts(key.roomId(), key.sessionId())) {
                    writer.write(key);
                }
                index++;
            }
            return writer.count();
        }
    }

    /**
     * Verifies, then decrypts {@code file}, passing each key the filter selects to {@code sink}.
     *
     * @param file the export file
     * @param passphrase the file's passphrase
     * @param filter which keys to pass on
     * @param sink receives each key selected
     * @return how many keys the file held and passed on
     * @throws IOException when reading fails
     */
    public static ImportSummary importFile(Path file, Passphrase passphrase, SessionFilter filter,
                                           Consumer<? super ExportedRoomKey> sink) throws IOException {
        try (InputStream plaintext = openVerified(file, passphrase)) {
            return parse(plaintext, filter, sink);
        }
    }

    /**
     * Verifies {@code file} and writes its decrypted JSON to {@code out} as it is (for inspection or other
     * tools). The output is plaintext key material: the caller decides where it may go.
     *
     * @param file the export file
     * @param passphrase the file's passphrase
     * @param out receives the decrypted JSON; not closed
     * @return the number of bytes written
     * @throws IOException when reading or writing fails
     */
    public static long decryptJson(Path file, Passphrase passphrase, OutputStream out) throws IOException {
        try (InputStream plaintext = openVerified(file, passphrase)) {
            return plaintext.transferTo(out);
        }
    }

    /** Both passes' set-up: the MAC is checked over the whole file before a decrypting stream is returned. */
    private static InputStream openVerified(Path file, Passphrase passphrase) throws IOException {
        return openVerified(() -> Files.newInputStream(file), passphrase);
    }

    /** Opens the source from its start; called once per pass. */
    @FunctionalInterface
    private interface Source {
        InputStream open() throws IOException;
    }

    private static InputStream openVerified(Source source, Passphrase passphrase) throws IOException {
        long ciphertextLength;
        byte[] mac = new byte[ExportBodyCipher.MAC_LENGTH];
        ExportBodyCipher cipher;
        try (ArmoredBodyReader body = new ArmoredBodyReader(source.open())) {
            byte[] header = body.readNBytes(ExportBodyCipher.HEADER_LENGTH);
            if (header.length < ExportBodyCipher.HEADER_LENGTH) {
                // Read on, so that a damaged armour is reported as such rather than as a short body.
                body.transferTo(OutputStream.nullOutputStream());
                throw tooShort(header.length);
            }
            if (header[0] != 1) {
                throw new RoomKeyExportException(Reason.BAD_VERSION, "version " + (header[0] & 0xff) + ", only 1 is known");
            }
            cipher = ExportBodyCipher.init(passphrase, header, MAX_ROUNDS);
            try {
                ciphertextLength = verify(body, cipher, mac);
            } catch (IOException | RuntimeException e) {
                cipher.close();
                throw e;
            }
        }
        ArmoredBodyReader body = null;
        try {
            body = new ArmoredBodyReader(source.open());
            if (body.readNBytes(ExportBodyCipher.HEADER_LENGTH).length != ExportBodyCipher.HEADER_LENGTH) {
                throw new RoomKeyExportException(Reason.TOO_SHORT, "the file became shorter while it was being read");
            }
            return new DecryptingInputStream(body, cipher, ciphertextLength, mac);
        } catch (IOException | RuntimeException e) {
            cipher.close();
            if (body != null) {
                body.close();
            }
            throw e;
        }
    }

    /** Encrypts {@code plaintext} under a given header (version, salt, IV, rounds): for known-answer tests. */
    static void encryptBody(byte[] header, byte[] plaintext, Passphrase passphrase, OutputStream out)
            throws IOException {
        try (ExportBodyCipher cipher = ExportBodyCipher.init(passphrase, header, MAX_ROUNDS)) {
            ArmoredBodyWriter armour = new ArmoredBodyWriter(out);
            armour.write(header, 0, header.length);
            EncryptingOutputStream stream = new EncryptingOutputStream(armour, cipher);
            stream.write(plaintext, 0, plaintext.length);
            stream.finish();
        }
    }

    /**
     * Like {@link #importFile} for a seekable channel (read from position 0 in each pass; left open, at an
     * unspecified position).
     *
     * @param channel the export file
     * @param passphrase the file's passphrase
     * @param filter which keys to pass on
     * @param sink receives each key selected
     * @return how many keys the file held and passed on
     * @throws IOException when reading fails
     */
    public static ImportSummary importChannel(SeekableByteChannel channel, Passphrase passphrase, SessionFilter filter,
                                              Consumer<? super ExportedRoomKey> sink) throws IOException {
        Source source = () -> {
            channel.position(0);
            return new FilterInputStream(Channels.newInputStream(channel)) {
                @Override
                public void close() {
                    // the caller owns the channel
                }
            };
        };
        try (InputStream plaintext = openVerified(source, passphrase)) {
            return parse(plaintext, filter, sink);
        }
    }

    /**
     * Like {@link #importFile} for a one-shot stream: spools it to a private temporary file first.
     *
     * @param in the export file; read to the end, not closed
     * @param passphrase the file's passphrase
     * @param filter which keys to pass on
     * @param sink receives each key selected
     * @return how many keys the file held and passed on
     * @throws IOException when reading or spooling fails
     */
    public static ImportSummary importStream(InputStream in, Passphrase passphrase, SessionFilter filter,
                                             Consumer<? super ExportedRoomKey> sink) throws IOException {
        Path spool = Files.createTempFile("panolm-import-", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                in.transferTo(out);
            }
            return importFile(spool, passphrase, filter, sink);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** First pass: the MAC over header and ciphertext; the last 32 bytes are the MAC itself. */
    private static long verify(ArmoredBodyReader body, ExportBodyCipher cipher, byte[] macOut) throws IOException {
        int mac = ExportBodyCipher.MAC_LENGTH;
        byte[] buffer = new byte[(1 << 16) + mac];
        int have = 0;
        long ciphertext = 0;
        int n;
        while ((n = body.read(buffer, have, buffer.length - have)) >= 0) {
            have += n;
            if (have > mac) {
                int ready = have - mac;
                cipher.macUpdate(buffer, ready);
                ciphertext += ready;
                System.arraycopy(buffer, ready, buffer, 0, mac);
                have = mac;
            }
        }
        if (have < mac) {
            throw tooShort(ExportBodyCipher.HEADER_LENGTH + have);
        }
        System.arraycopy(buffer, 0, macOut, 0, mac);
        cipher.verify(macOut);
        return ciphertext;
    }

    private static RoomKeyExportException tooShort(long length) {
        return new RoomKeyExportException(Reason.TOO_SHORT, "the body is " + length
                + " bytes, shorter than the minimum of 69 (invalid file: too short)");
    }

    /** Second pass: the JSON array, one key at a time. */
    private static ImportSummary parse(InputStream plaintext, SessionFilter filter,
                                       Consumer<? super ExportedRoomKey> sink) throws IOException {
        long read = 0;
        long selected = 0;
        try (JsonParser parser = JSON.getFactory().createParser(plaintext)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw badPayload("the decrypted body is not a JSON array");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.START_OBJECT) {
                    throw badPayload("element #" + read + " of the decrypted array is not an object");
                }
                ExportedRoomKey key;
                try {
                    key = KEY_READER.readValue(parser);
                } catch (JsonProcessingException e) {
                    throw badPayload("room key #" + read + ": " + SafeJson.describe(e));
                }
                if (key.roomId() == null || key.sessionId() == null) {
                    throw badPayload("room key #" + read + " has no room_id or session_id");
                }
                read++;
                if (filter.accepts(key.roomId(), key.sessionId())) {
                    selected++;
                    sink.accept(key);
                }
            }
            if (parser.nextToken() != null) {
                throw badPayload("data after the JSON array");
            }
        } catch (JsonProcessingException e) {
            throw badPayload("the decrypted body: " + SafeJson.describe(e));
        }
        return new ImportSummary(read, selected);
    }

    private static RoomKeyExportException badPayload(String detail) {
        return new RoomKeyExportException(Reason.BAD_PAYLOAD, detail);
    }
}
