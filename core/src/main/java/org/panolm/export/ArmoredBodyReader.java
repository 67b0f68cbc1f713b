package org.panolm.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

import org.panolm.export.RoomKeyExportException.Reason;

/**
 * Reads the binary body out of an armoured export file as a stream, in bounded memory, tolerating what
 * the producers write: text or blank lines before the header, the body as one long line or many lines
 * of any length, '\r\n', optional '=' padding at its end, the header/body/footer even on one line.
 * Anything else inside the body is an error naming its offset; so is a missing header or footer.
 */
final class ArmoredBodyReader extends InputStream {
    private static final byte OTHER = 0;
    private static final byte DIGIT = 1;
    private static final byte SPACE = 2;
    private static final byte PAD = 3;
    private static final byte DASH = 4;
    private static final byte[] CLASS = new byte[256];

    static {
        for (byte c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes()) {
            CLASS[c] = DIGIT;
        }
        for (byte c : new byte[] {' ', '\t', '\r', '\n', 0x0b, 0x0c}) {
            CLASS[c] = SPACE;
        }
        CLASS['='] = PAD;
        CLASS['-'] = DASH;
    }

    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private final InputStream in;
    private final byte[] raw = new byte[1 << 16];
    private int rawPos;
    private int rawLength;
    private long rawOffset; // file offset of raw[0]
    private final byte[] digits = new byte[1 << 16]; // a multiple of 4
    private int digitCount;
    private final byte[] decoded = new byte[digits.length / 4 * 3];
    private int decodedPos;
    private int decodedLength;
    private int padding;
    private boolean headerSeen;
    private boolean bodyEnded;

    ArmoredBodyReader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (decodedPos == decodedLength) {
            if (bodyEnded) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, decodedLength - decodedPos);
        System.arraycopy(decoded, decodedPos, b, off, n);
        decodedPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean moreRaw() throws IOException {
        if (rawPos < rawLength) {
            return true;
        }
        rawOffset += rawLength;
        rawPos = 0;
        rawLength = 0;
        int n;
        do {
            n = in.read(raw, 0, raw.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        rawLength = n;
        return true;
    }

    /** Decodes the next stretch of the body into {@link #decoded}. */
    private void fill() throws IOException {
        if (!headerSeen) {
            findHeader();
        }
        decodedPos = 0;
        decodedLength = 0;
        while (!bodyEnded && digitCount < digits.length) {
            if (!moreRaw()) {
                throw new RoomKeyExportException(Reason.FOOTER_NOT_FOUND, "footer line not found");
            }
            while (rawPos < rawLength && digitCount < digits.length) {
                byte c = raw[rawPos];
                switch (CLASS[c & 0xff]) {
                    case DIGIT -> {
                        if (padding > 0) {
                            throw badBase64("base64 continues after '=' padding");
                        }
                        digits[digitCount++] = c;
                    }
                    case SPACE -> { }
                    case PAD -> padding++;
                    case DASH -> bodyEnded = true;
                    default -> throw badBase64("byte 0x" + Integer.toHexString(c & 0xff) + " is not base64");
                }
                if (bodyEnded) {
                    break;
                }
                rawPos++;
            }
        }
        if (bodyEnded) {
            readFooter();
            decodeLast();
        } else {
            decodedLength = DECODER.decode(digits, decoded); // digits is full: whole quanta only
            digitCount = 0;
        }
    }

    private void decodeLast() {
        int rest = digitCount % 4;
        if (rest == 1 || (padding > 0 && (rest == 0 || rest + padding != 4))) {
            throw badBase64("the body's length or '=' padding is not valid base64");
        }
        decodedLength = DECODER.decode(java.util.Arrays.copyOf(digits, digitCount), decoded);
        digitCount = 0;
    }

    private RoomKeyExportException badBase64(String what) {
        return new RoomKeyExportException(Reason.BAD_BASE64, what + " (at offset " + (rawOffset + rawPos) + ")");
    }

    /**
     * Skips leading blank space and any lines before the header, as Element's reader does; the header must
     * start its line. It need not end it (a file on one line).
     */
    private void findHeader() throws IOException {
        boolean lineStart = true;
        while (moreRaw()) {
            byte c = raw[rawPos];
            if (lineStart && (c == (byte) 0xEF || c == (byte) 0xBB || c == (byte) 0xBF)) {
                rawPos++; // a UTF-8 byte-order mark, which Element's trim() ignores too
                continue;
            }
            if (lineStart && c == '-') {
                if (matches(ExportArmor.HEADER_BYTES)) {
                    headerSeen = true;
                    return;
                }
                lineStart = false;
                continue;
            }
            if (c == '\n') {
                lineStart = true;
            } else if (CLASS[c & 0xff] != SPACE) {
                lineStart = false;
            }
            rawPos++;
        }
        throw new RoomKeyExportException(Reason.HEADER_NOT_FOUND, "header line not found");
    }

    /** The footer, possibly after blank space, must come next; what follows its line is ignored. */
    private void readFooter() throws IOException {
        if (!matches(ExportArmor.FOOTER_BYTES)) {
            throw new RoomKeyExportException(Reason.FOOTER_NOT_FOUND, "footer line not found");
        }
    }

    /** Consumes {@code expected} if the input continues with it; otherwise consumes one byte. */
    private boolean matches(byte[] expected) throws IOException {
        for (int i = 0; i < expected.length; i++) {
            if (!moreRaw() || raw[rawPos] != expected[i]) {
                if (i == 0 && rawPos < rawLength) {
                    rawPos++;
                }
                return false;
            }
            rawPos++;
        }
        return true;
    }
}
