package org.panolm.cli.history;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.SerializableString;

/**
 * A JSON value already checked and already escaped as the output needs it, given to a generator's
 * {@code writeRawValue} as UTF-8 bytes so it is copied into the output without being decoded and written
 * again (the generator still places the commas). Only the unquoted forms exist: it is a value, not a string
 * to quote.
 */
record RawJson(byte[] bytes, int offset, int length) implements SerializableString {
    RawJson {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("the range is outside the bytes");
        }
    }

    RawJson(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    @Override
    public String getValue() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int at) {
        if (length > buffer.length - at) {
            return -1;
        }
        System.arraycopy(bytes, offset, buffer, at, length);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int at) {
        String s = getValue();
        if (s.length() > buffer.length - at) {
            return -1;
        }
        s.getChars(0, s.length(), buffer, at);
        return s.length();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(bytes, offset, length);
        return length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (length > buffer.remaining()) {
            return -1;
        }
        buffer.put(bytes, offset, length);
        return length;
    }

    @Override
    public char[] asQuotedChars() {
        throw notAString();
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw notAString();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int at) {
        throw notAString();
    }

    @Override
    public int appendQuoted(char[] buffer, int at) {
        throw notAString();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw notAString();
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw notAString();
    }

    private static UnsupportedOperationException notAString() {
        return new UnsupportedOperationException("raw JSON is a value, not a string to quote");
    }
}
