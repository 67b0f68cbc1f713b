package org.panolm.recovery;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * A Security Phrase or export passphrase, held as its UTF-8 bytes (what PBKDF2 consumes) so that it can be
 * wiped: {@link #close()} zeroes it. Build it from a {@code char[]} (e.g. {@code Console.readPassword()})
 * and clear that array yourself. {@link #toString()} never shows it.
 */
public final class Passphrase implements AutoCloseable {
    private final Object lock = new Object();
    private byte[] utf8;

    private Passphrase(byte[] utf8) {
        this.utf8 = utf8;
    }

    /**
     * Encodes {@code chars} as UTF-8; the caller keeps (and should clear) the array.
     *
     * @param chars the passphrase
     * @return the passphrase, to be closed
     */
    public static Passphrase of(char[] chars) {
        var encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "passphrase is not valid Unicode (lone surrogate)");
        }
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return new Passphrase(bytes);
    }

    /**
     * For passphrases that already live in a String (which cannot be wiped); prefer {@link #of(char[])}.
     *
     * @param text the passphrase
     * @return the passphrase, to be closed
     */
    public static Passphrase of(String text) {
        char[] chars = text.toCharArray();
        try {
            return of(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * A copy of the UTF-8 bytes: the caller must wipe it. @throws IllegalStateException after close
     *
     * @return the passphrase as UTF-8
     */
    public byte[] utf8Copy() {
        synchronized (lock) {
            if (utf8 == null) {
                throw new IllegalStateException("passphrase is closed");
            }
            return utf8.clone();
        }
    }

    /** Zeroes the passphrase; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (utf8 != null) {
                Arrays.fill(utf8, (byte) 0);
                utf8 = null;
            }
        }
    }

    @Override
    public String toString() {
        return "Passphrase[hidden]";
    }
}
