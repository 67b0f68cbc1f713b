package org.panolm.backup;

import java.util.Arrays;

/** A growable byte array for plaintexts that hold session keys: old arrays are wiped when it grows. */
final class SecretBuffer implements AutoCloseable {
    private byte[] bytes;
    private int length;

    SecretBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    void putAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) bytes[length++] = (byte) s.charAt(i);
    }

    private void ensure(int more) {
        if (length + more <= bytes.length) return;
        long wanted = Math.max((long) bytes.length * 2, (long) length + more);
        if (wanted > Integer.MAX_VALUE - 8) throw new OutOfMemoryError("backup plaintext batch above 2 GiB");
        byte[] grown = Arrays.copyOf(bytes, (int) wanted);
        Arrays.fill(bytes, (byte) 0);
        bytes = grown;
    }

    void wipe() {
        Arrays.fill(bytes, 0, length, (byte) 0);
        length = 0;
    }

    @Override
    public void close() {
        wipe();
    }
}
