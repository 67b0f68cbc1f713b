package org.panolm.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.panolm.export.RoomKeyExportException.Reason;

/**
 * The plaintext of a verified export body: reads exactly {@code length} ciphertext bytes from the body
 * stream (positioned after the header) and decrypts them chunk by chunk. The last chunk is only handed out
 * once the MAC of everything decrypted matched the verified one. It owns the cipher: closing
 * wipes its buffer and the cipher state.
 */
final class DecryptingInputStream extends InputStream {
    private final InputStream body;
    private final ExportBodyCipher cipher;
    private long remaining;
    private final byte[] ciphertext = new byte[1 << 16];
    private final byte[] plaintext = new byte[1 << 16];
    private int pos;
    private int length;

    private final byte[] verifiedMac;

    DecryptingInputStream(InputStream body, ExportBodyCipher cipher, long length, byte[] verifiedMac) {
        this.body = body;
        this.cipher = cipher;
        this.remaining = length;
        this.verifiedMac = verifiedMac;
    }

    @Override
    public int read() throws IOException {
        if (pos == length && !refill()) {
            return -1;
        }
        return plaintext[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == length && !refill()) {
            return -1;
        }
        int n = Math.min(len, length - pos);
        System.arraycopy(plaintext, pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean refill() throws IOException {
        if (remaining == 0) {
            return false;
        }
        int want = (int) Math.min(ciphertext.length, remaining);
        int n = body.readNBytes(ciphertext, 0, want);
        if (n < want) {
            // The file changed between the MAC pass and this one.
            throw new RoomKeyExportException(Reason.TOO_SHORT, "the body became shorter while it was being read");
        }
        cipher.decrypt(ciphertext, n, plaintext);
        remaining -= n;
        if (remaining == 0) {
            cipher.recheck(verifiedMac);
        }
        pos = 0;
        length = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(plaintext, (byte) 0);
        pos = length = 0;
        remaining = 0;
        try {
            body.close();
        } finally {
            cipher.close();
        }
    }
}
