package org.panolm.cli.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;

/** The three kinds of room-key file the command reads, told apart by their first bytes. */
public enum KeyFileKind {
    /** Element's "Export E2E room keys" file: armoured, encrypted with a passphrase. */
    EXPORT_FILE("a room-key export file"),
    /** A plain JSON array of exported room keys (what an export file holds once decrypted). */
    JSON_ARRAY("a JSON array of room keys"),
    /** A {@code /room_keys/keys} backup body: {@code {"rooms": {…}}}, encrypted for the backup key. */
    BACKUP_BODY("a key backup (/room_keys/keys body)");

    static final String EXPORT_HEADER = "-----BEGIN MEGOLM SESSION DATA-----";

    private final String description;

    KeyFileKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** @param option the option that named the file, for messages */
    public static KeyFileKind of(Path file, String option) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
        }
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < head.length && Character.isWhitespace(head[i])) {
            i++;
        }
        if (i == head.length) {
            throw new CliException(option + " " + file + " is empty");
        }
        if (head[i] == '[') {
            return JSON_ARRAY;
        }
        if (head[i] == '{') {
            return BACKUP_BODY;
        }
        String text = new String(head, i, Math.min(head.length - i, EXPORT_HEADER.length()), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.equals(EXPORT_HEADER)) {
            return EXPORT_FILE;
        }
        throw new CliException(option + " " + file + " is not a room-key file: expected an export file (starting "
                + EXPORT_HEADER + "), a JSON array of exported room keys or a /room_keys/keys backup body");
    }

    static String describe(IOException e) {
        return Errors.describe(e);
    }
}
