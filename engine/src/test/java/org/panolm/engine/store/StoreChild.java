package org.panolm.engine.store;

import java.nio.file.Path;

/**
 * The other process of the store tests: {@code open <file>} prints OPENED or the refusal's reason;
 * {@code write <file>} commits batches of 100 room keys forever (after the last one stored), printing each batch number once it is committed.
 */
public final class StoreChild {
    private StoreChild() {}

    public static void main(String[] args) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) key[i] = (byte) (i * 7 + 1);
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "open" -> {
                try (var store = SqliteCryptoStore.open(file, StoreKey.of(key))) {
                    System.out.println("OPENED");
                } catch (StoreException e) {
                    System.out.println(e.reason());
                }
            }
            case "write" -> {
                try (var store = SqliteCryptoStore.open(file, StoreKey.of(key))) {
                    long first = store.transaction(tx -> tx.value("last_batch").map(v -> Long.parseLong(new String(v)) + 1)
                            .orElse(0L));
                    for (long batch = first; ; batch++) {
                        long b = batch;
                        store.transaction(tx -> {
                            for (int i = 0; i < 100; i++) tx.addRoomKey(TestKeys.roomKey(9, b * 100 + i));
                            tx.putValue("last_batch", Long.toString(b).getBytes());
                            return null;
                        });
                        System.out.println(batch);
                        System.out.flush();
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
