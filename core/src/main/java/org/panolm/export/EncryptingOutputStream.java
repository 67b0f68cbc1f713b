package org.panolm.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects plaintext JSON in one buffer, encrypts each full buffer natively and hands the ciphertext to
 * the armour writer. {@link #finish()} encrypts the rest and appends the MAC. The plaintext buffer is
 * wiped as it is used and at the end.
 */
final class EncryptingOutputStream extends OutputStream {
    private final ArmoredBodyWriter armour;
    private final ExportBodyCipher cipher;
    private final byte[] plaintext = new byte[1 << 16];
    private final byte[] ciphertext = new byte[1 << 16];
    private int length;
    private boolean finished;

    EncryptingOutputStream(ArmoredBodyWriter armour, ExportBodyCipher cipher) {
        this.armour = armour;
        this.cipher = cipher;
    }

    @Override
    public void write(int b) throws IOException {
        if (finished) {
            throw new IllegalStateException("export already finished");
        }
        if (length == plaintext.length) {
            drain();
        }
        plaintext[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IllegalStateException("export already finished");
        }
        while (len > 0) {
            if (length == plaintext.length) {
                drain();
            }
            int n = Math.min(len, plaintext.length - length);
            System.arraycopy(b, off, plaintext, length, n);
            length += n;
            off += n;
            len -= n;
        }
    }

    private void drain() throws IOException {
        if (length > 0) {
            cipher.encrypt(plaintext, length, ciphertext);
            Arrays.fill(plaintext, 0, length, (byte) 0);
            armour.write(ciphertext, 0, length);
            length = 0;
        }
    }

    /** Flushing to the cipher early would cost nothing in security, but keep chunks large: a no-op. */
    @Override
    public void flush() {
    }

    void finish() throws IOException {
        if (!finished) {
            drain();
            byte[] mac = new byte[ExportBodyCipher.MAC_LENGTH];
            cipher.finish(mac);
            armour.write(mac, 0, mac.length);
            armour.finish();
            finished = true;
        }
    }

    /** Wipes the buffer without finishing: for an export abandoned after an error. */
    void discard() {
        Arrays.fill(plaintext, (byte) 0);
        length = 0;
        finished = true;
    }

    @Override
    public void close() {
        // The writer decides between finish() and discard().
    }
}
