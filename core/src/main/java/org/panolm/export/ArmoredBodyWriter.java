package org.panolm.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the export body as Element does: the header line, the body in 96-byte chunks each as a line of
 * padded base64 (128 characters), the footer line, each ended by '\n'. Memory is two fixed buffers.
 * The body is ciphertext, so nothing here needs wiping.
 */
final class ArmoredBodyWriter {
    private static final int CHUNKS = 512;
    private static final int LINE_CHARS = ExportArmor.LINE_BYTES / 3 * 4;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] pending = new byte[ExportArmor.LINE_BYTES * CHUNKS];
    private final byte[] text = new byte[(LINE_CHARS + 1) * CHUNKS];
    private int pendingLength;
    private boolean finished;

    ArmoredBodyWriter(OutputStream out) throws IOException {
        this.out = out;
        out.write(ExportArmor.HEADER_BYTES);
        out.write('\n');
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IllegalStateException("export body already finished");
        }
        while (len > 0) {
            int n = Math.min(len, pending.length - pendingLength);
            System.arraycopy(b, off, pending, pendingLength, n);
            pendingLength += n;
            off += n;
            len -= n;
            if (pendingLength == pending.length) {
                emit();
            }
        }
    }

    /** Writes the last line and the footer; does not close the underlying stream. */
    void finish() throws IOException {
        if (!finished) {
            emit();
            out.write(ExportArmor.FOOTER_BYTES);
            out.write('\n');
            out.flush();
            finished = true;
        }
    }

    /** Encodes the pending bytes as lines of at most 96 bytes each. */
    private void emit() throws IOException {
        int t = 0;
        for (int off = 0; off < pendingLength; off += ExportArmor.LINE_BYTES) {
            int end = Math.min(pendingLength, off + ExportArmor.LINE_BYTES);
            int i = off;
            for (; i + 3 <= end; i += 3) {
                int v = (pending[i] & 0xff) << 16 | (pending[i + 1] & 0xff) << 8 | (pending[i + 2] & 0xff);
                text[t++] = ALPHABET[v >>> 18];
                text[t++] = ALPHABET[(v >>> 12) & 63];
                text[t++] = ALPHABET[(v >>> 6) & 63];
                text[t++] = ALPHABET[v & 63];
            }
            int rest = end - i;
            if (rest > 0) {
                int v = (pending[i] & 0xff) << 16 | (rest == 2 ? (pending[i + 1] & 0xff) << 8 : 0);
                text[t++] = ALPHABET[v >>> 18];
                text[t++] = ALPHABET[(v >>> 12) & 63];
                text[t++] = rest == 2 ? ALPHABET[(v >>> 6) & 63] : (byte) '=';
                text[t++] = '=';
            }
            text[t++] = '\n';
        }
        out.write(text, 0, t);
        pendingLength = 0;
    }
}
